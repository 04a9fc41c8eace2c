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
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
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
    len: usize,
    ascii: bool,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        let at = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(at(i + 1)),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(at(i + 1));
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts, len: text.len(), ascii: text.is_ascii() }
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
        let start = self.starts[line] as usize;
        let prefix = &text[start.min(offset)..offset];
        let col = if self.ascii {
            prefix.len()
        } else {
            match enc {
                Encoding::Utf8 => prefix.len(),
                Encoding::Utf16 => prefix.chars().map(char::len_utf16).sum(),
                Encoding::Chars => prefix.chars().count(),
            }
        };
        LineCol { line: line as u32, col: col as u32 }
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
        let mut units = 0;
        for (i, ch) in line_text.char_indices() {
            let width = match enc {
                Encoding::Utf16 => ch.len_utf16(),
                _ => 1,
            };
            if units + width > want {
                return range.start + i;
            }
            units += width;
        }
        range.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
