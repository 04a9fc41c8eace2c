//! Byte offsets inside, line/column at the edge.
//!
//! Every span in kith is a byte range into a note's text. [`LineIndex`]
//! converts such offsets to the 0-based line and column a client wants, in
//! the unit it wants (UTF-8 bytes, UTF-16 code units or characters), and
//! back. Lines end at LF, CRLF or a lone CR, as the spec says.

use std::ops::Range;

/// A short, stable digest of user text (64-bit FNV-1a, hex): identities of
/// findings stay small however long the line they are about.
pub fn digest(text: &str) -> String {
    format!("{:016x}", fnv1a(&[text]))
}

/// 64-bit FNV-1a over parts with a NUL byte between them, without building
/// the joined string: stable across platforms and releases, unlike `std`'s
/// hasher, so it can name things users keep (fingerprints, calendar UIDs).
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash = FNV_OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A NUL byte between parts: xor with 0 leaves the hash as it is.
            hash = hash.wrapping_mul(FNV_PRIME);
        }
        hash = fnv1a_bytes(hash, part.as_bytes());
    }
    hash
}

/// Continues an FNV-1a hash with a NUL byte and then `bytes`.
pub fn fnv1a_more(hash: u64, bytes: &[u8]) -> u64 {
    fnv1a_bytes(hash.wrapping_mul(FNV_PRIME), bytes)
}

fn fnv1a_bytes(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// `format!` that allocates exactly what the text needs. `format!` grows its
/// string by doubling, which leaves a third of a message unused on average;
/// a vault's findings hold hundreds of thousands of them. The text is built
/// in a buffer each thread keeps, then copied once.
pub fn exact(args: std::fmt::Arguments) -> String {
    use std::cell::RefCell;
    use std::fmt::Write;
    thread_local! {
        static BUFFER: RefCell<String> = RefCell::new(String::with_capacity(256));
    }
    if let Some(text) = args.as_str() {
        return text.to_string();
    }
    BUFFER.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            // Writing to a String fails only if a Display impl does.
            let _ = buffer.write_fmt(args);
            let text = String::from(buffer.as_str());
            // A rare huge message does not stay in the buffer.
            if buffer.capacity() > 4096 {
                *buffer = String::with_capacity(256);
            }
            text
        }
        // Formatting inside formatting: the plain way.
        Err(_) => std::fmt::format(args),
    })
}

/// How much of a line findings read for their identity and their words: a
/// line with thousands of tags has a finding per tag, and each must cost a
/// bounded amount, not the whole line again.
pub const SNIPPET_BYTES: usize = 1024;

/// The first `max` bytes of a text at most, cut at a character boundary.
pub fn snippet(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// At most `max` characters of user text for a message, with an ellipsis
/// when cut: a 100,000-character tag must not make a 100,000-character message.
pub fn clip(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// The unit in which columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    /// Unicode scalar values: what `kith lint` prints.
    Chars,
}

/// A 0-based line and column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of a text.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Line starts as `u32`: half the memory, and notes are far below 4 GiB
    /// (kith does not read files over `max-file-size`).
    starts: Vec<u32>,
    /// Columns known part-way along long non-ASCII lines, in offset order, so
    /// that a column is counted from at most [`CHECKPOINT_BYTES`] back and a
    /// line with a thousand findings is not counted from its start a thousand
    /// times. Empty for ASCII texts and texts without long lines.
    checkpoints: Vec<Checkpoint>,
    len: usize,
    ascii: bool,
}

/// How far apart the checkpoints of a long line are, in bytes.
const CHECKPOINT_BYTES: usize = 4096;

/// A character boundary inside a long line, with its column in UTF-16 code
/// units and in characters (its UTF-8 column is its distance from the line start).
#[derive(Debug, Clone, Copy, Default)]
struct Checkpoint {
    offset: u32,
    utf16: u32,
    chars: u32,
}

impl Checkpoint {
    fn col(&self, enc: Encoding) -> usize {
        match enc {
            Encoding::Utf16 => self.utf16 as usize,
            _ => self.chars as usize,
        }
    }
}

/// UTF-16 code units and characters in a text.
fn count_units(text: &str) -> (usize, usize) {
    let (mut utf16, mut chars) = (0, 0);
    for &b in text.as_bytes() {
        // One character per leading byte; four-byte characters are surrogate pairs in UTF-16.
        if b & 0xC0 != 0x80 {
            chars += 1;
            utf16 += if b >= 0xF0 { 2 } else { 1 };
        }
    }
    (utf16, chars)
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // CRLF ends one line, at its LF.
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            starts.push(at(i + 1));
        }
        starts.shrink_to_fit();
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        if !ascii {
            for (line, &start) in starts.iter().enumerate() {
                let start = start as usize;
                let end = starts.get(line + 1).map_or(bytes.len(), |&s| s as usize);
                if end - start > CHECKPOINT_BYTES {
                    checkpoints_of(bytes, start..end, &mut checkpoints);
                }
            }
        }
        LineIndex { starts, checkpoints, len: text.len(), ascii }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of a line without its line ending; `None` past the end.
    pub fn line_range(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line)? as usize;
        let mut end = self.starts.get(line + 1).map_or(self.len, |&s| s as usize);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        Some(start..end)
    }

    /// The 0-based line that holds `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset.min(self.len)).unwrap_or(u32::MAX);
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Line and column of a byte offset. Offsets past the end clamp to the end;
    /// an offset inside a multi-byte character rounds down to its start.
    pub fn line_col(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = (self.starts[line] as usize).min(offset);
        let col = if self.ascii || enc == Encoding::Utf8 {
            offset - start
        } else {
            // Count from the last checkpoint of this line before the offset, if any.
            let (from, base) = match self.checkpoint_before(start, offset) {
                Some(cp) => (cp.offset as usize, cp.col(enc)),
                None => (start, 0),
            };
            let (utf16, chars) = count_units(&text[from..offset]);
            base + if enc == Encoding::Utf16 { utf16 } else { chars }
        };
        LineCol { line: line as u32, col: col as u32 }
    }

    /// The last checkpoint in `line_start..=offset`.
    fn checkpoint_before(&self, line_start: usize, offset: usize) -> Option<&Checkpoint> {
        let after = self.checkpoints.partition_point(|c| c.offset as usize <= offset);
        let cp = self.checkpoints[..after].last()?;
        (cp.offset as usize >= line_start).then_some(cp)
    }

    /// The checkpoints of the line in `range`.
    fn checkpoints_in(&self, range: &Range<usize>) -> &[Checkpoint] {
        let from = self.checkpoints.partition_point(|c| (c.offset as usize) < range.start);
        let to = self.checkpoints.partition_point(|c| (c.offset as usize) <= range.end);
        &self.checkpoints[from..to.max(from)]
    }

    /// Byte offset of a line and column. Out-of-range positions clamp: a line
    /// past the end goes to the end of the text, a column past the end of its
    /// line to the end of the line, a column inside a character to its start.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line).unwrap_or(text.len()..text.len());
        let line_text = &text[range.clone()];
        let want = pos.col as usize;
        if self.ascii || enc == Encoding::Utf8 {
            let mut off = want.min(line_text.len());
            while !line_text.is_char_boundary(off) {
                off -= 1;
            }
            return range.start + off;
        }
        // Start from the last checkpoint of the line at or before the column, if any.
        let cps = self.checkpoints_in(&range);
        let (from, mut units) = match cps.partition_point(|c| c.col(enc) <= want).checked_sub(1) {
            Some(i) => (cps[i].offset as usize, cps[i].col(enc)),
            None => (range.start, 0),
        };
        for (i, ch) in text[from..range.end].char_indices() {
            let width = match enc {
                Encoding::Utf16 => ch.len_utf16(),
                _ => 1,
            };
            if units + width > want {
                return from + i;
            }
            units += width;
        }
        range.end
    }
}

/// Checkpoints every [`CHECKPOINT_BYTES`] or so along one line, each on a
/// character boundary, with the columns there.
fn checkpoints_of(bytes: &[u8], line: Range<usize>, out: &mut Vec<Checkpoint>) {
    let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let (mut utf16, mut chars) = (0usize, 0usize);
    let mut last = line.start;
    for (i, &b) in bytes.iter().enumerate().take(line.end).skip(line.start) {
        if b & 0xC0 == 0x80 {
            continue;
        }
        if i - last >= CHECKPOINT_BYTES {
            out.push(Checkpoint { offset: at(i), utf16: at(utf16), chars: at(chars) });
            last = i;
        }
        chars += 1;
        utf16 += if b >= 0xF0 { 2 } else { 1 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_is_format_without_spare_room() {
        struct Nested;
        impl std::fmt::Display for Nested {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                // Formatting inside formatting must not borrow the buffer twice.
                f.write_str(&exact(format_args!("inner {}", 1)))
            }
        }
        let long = "ü".repeat(3000);
        for (got, want) in [
            (exact(format_args!("plain")), "plain".to_string()),
            (exact(format_args!("Thank {} — {}", "Jana", 5)), "Thank Jana — 5".to_string()),
            (exact(format_args!("{} and {Nested}", "outer")), "outer and inner 1".to_string()),
            (exact(format_args!("{long}")), long.clone()),
            (exact(format_args!("after {}", "long")), "after long".to_string()),
        ] {
            assert_eq!(got, want);
            assert_eq!(got.capacity(), got.len());
        }
    }

    #[test]
    fn columns_in_every_encoding() {
        let text = "a\r\nMüller 😀 x\rend\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x, Encoding::Utf8), LineCol { line: 1, col: 13 });
        assert_eq!(idx.line_col(text, x, Encoding::Utf16), LineCol { line: 1, col: 10 });
        assert_eq!(idx.line_col(text, x, Encoding::Chars), LineCol { line: 1, col: 9 });
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            let lc = idx.line_col(text, x, enc);
            assert_eq!(idx.offset(text, lc, enc), x);
        }
        let e = text.find("end").unwrap();
        assert_eq!(idx.line_col(text, e, Encoding::Chars), LineCol { line: 2, col: 0 });
    }

    #[test]
    fn long_lines_agree_with_counting_from_the_start() {
        // Lines well past the checkpoint distance, in every width of character, with CRLF and CR.
        let line: String = "a😀ü€\u{10000}xy".repeat(3_000);
        let text = format!("{line}\r\n{line}\r{line}\nshort ü\n{line}");
        let idx = LineIndex::new(&text);
        assert!(!idx.checkpoints.is_empty());
        let mut expected = Vec::new();
        let (mut line_no, mut utf16, mut chars, mut utf8) = (0u32, 0u32, 0u32, 0u32);
        let bytes = text.as_bytes();
        for (i, c) in text.char_indices() {
            expected.push((i, line_no, utf8, utf16, chars));
            if c == '\n' || (c == '\r' && bytes.get(i + 1) != Some(&b'\n')) {
                (line_no, utf16, chars, utf8) = (line_no + 1, 0, 0, 0);
            } else {
                (utf16, chars, utf8) = (utf16 + c.len_utf16() as u32, chars + 1, utf8 + c.len_utf8() as u32);
            }
        }
        for &(i, line, utf8, utf16, chars) in expected.iter().step_by(7) {
            for (enc, col) in [(Encoding::Utf8, utf8), (Encoding::Utf16, utf16), (Encoding::Chars, chars)] {
                let lc = idx.line_col(&text, i, enc);
                assert_eq!(lc, LineCol { line, col }, "offset {i} in {enc:?}");
                let inside_crlf = i > 0 && bytes[i - 1] == b'\r' && bytes[i] == b'\n';
                if !inside_crlf {
                    assert_eq!(idx.offset(&text, lc, enc), i, "offset of {lc:?} in {enc:?}");
                }
            }
        }
        // The second half of a surrogate pair rounds down, far along a long line too.
        let far = text[20_000..].find('\u{10000}').unwrap() + 20_000;
        let lc = idx.line_col(&text, far, Encoding::Utf16);
        assert_eq!(idx.offset(&text, LineCol { line: lc.line, col: lc.col + 1 }, Encoding::Utf16), far);
    }

    #[test]
    fn clamps_out_of_range_and_mid_character() {
        let text = "😀\nab";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset(text, LineCol { line: 9, col: 0 }, Encoding::Utf16), text.len());
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16), 4);
        // Column 1 in UTF-16 is inside the surrogate pair: round down.
        assert_eq!(idx.offset(text, LineCol { line: 0, col: 1 }, Encoding::Utf16), 0);
        assert_eq!(idx.line_col(text, 2, Encoding::Utf16), LineCol { line: 0, col: 0 });
    }
}
