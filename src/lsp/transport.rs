//! The input side of the protocol: frames the client's messages, answers the
//! ones that are not JSON-RPC, and hands the rest to tower-lsp-server.
//!
//! tower-lsp-server reads its input through tokio-util's `FramedRead`, which
//! ends the stream after the first message it cannot decode: one truncated
//! body, or one text with a lone UTF-16 surrogate escape (legal JSON that
//! JavaScript clients write, and serde_json refuses), and the server answered
//! a parse error and exited. [`Input`] stands in front of it as an
//! `AsyncRead`: it reads the `Content-Length` frames itself, checks each body
//! with one pass of serde_json that builds no value tree, and passes on, each
//! reframed, only messages tower-lsp-server accepts. What it rejects it
//! answers itself, through the server's [`Output`], and reads on:
//!
//! - a body that is not JSON: parse error (-32700), id `null`;
//! - JSON that is not a request, notification or response (an array, no
//!   `"jsonrpc": "2.0"`, a method that is not a string): invalid request
//!   (-32600), with the message's id when it has one that can be read;
//! - a header without a usable `Content-Length`: parse error, and the input
//!   is skipped up to the next `Content-Length` header, as nothing says where
//!   the body ends;
//! - a body over [`MAX_MESSAGE`]: invalid request, and its bytes are dropped
//!   as they come, never held;
//! - a request whose method starts with `$/`: method not found (-32601), as
//!   LSP 3.17 asks. tower-lsp-server drops those without an answer, and the
//!   client would wait for one forever. `$/` notifications pass on.
//!
//! Lone surrogate escapes become `\ufffd` in place, and invalid UTF-8 becomes
//! U+FFFD, so such a message is read like any other, as kith reads files
//! with invalid UTF-8.
//!
//! The input is handled one message at a time, as tower-lsp-server asks for
//! it: an answer written here never overtakes the `exit` before it.

use super::Output;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use tokio::io::{AsyncRead, ReadBuf};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Response};

/// The largest message body kept: far above any note kith reads (notes over
/// `max-file-size`, 4 MB unless configured, are not even read from disk),
/// and low enough that a wrong or hostile `Content-Length` cannot make the
/// server hold gigabytes.
pub const MAX_MESSAGE: usize = 256 << 20;

/// Headers are a line or two; this many bytes without the empty line that
/// ends them are not a header.
const MAX_HEADER: usize = 8 << 10;

/// Bytes asked of the reader at a time.
const READ_CHUNK: usize = 64 << 10;

/// Read buffers are shrunk back to this after a large message.
const KEEP: usize = 1 << 20;

const CONTENT_LENGTH: &[u8] = b"content-length";

/// The client's messages, checked: reads framed messages from `reader`,
/// answers the malformed ones and `$/` requests through `output`, and yields
/// the rest, reframed, to tower-lsp-server.
pub struct Input<R> {
    reader: R,
    output: Output,
    framer: Framer,
    /// One checked message with its header, and how much of it has been read.
    ready: Vec<u8>,
    handed: usize,
    eof: bool,
}

impl<R: AsyncRead + Unpin> Input<R> {
    pub fn new(reader: R, output: Output) -> Input<R> {
        Input { reader, output, framer: Framer::default(), ready: Vec::new(), handed: 0, eof: false }
    }

    /// Checks one frame: a good message waits in `ready`, anything else is
    /// answered here.
    fn take(&mut self, frame: Frame) {
        let answer = match frame {
            Frame::Body(body) => match check(body) {
                Ok(body) => {
                    self.ready = framed(&body);
                    self.handed = 0;
                    return;
                }
                Err(answer) => answer,
            },
            Frame::BadHeader(reason) => Response::from_error(
                Id::Null,
                error(
                    ErrorCode::ParseError,
                    format!("Parse error: {reason}; skipped to the next Content-Length header"),
                ),
            ),
            Frame::TooLarge(length) => Response::from_error(
                Id::Null,
                error(
                    ErrorCode::InvalidRequest,
                    format!(
                        "Invalid request: a message of {length} bytes is over the limit of {} MiB; skipped",
                        MAX_MESSAGE >> 20
                    ),
                ),
            ),
        };
        // A client that no longer reads cannot be told; tower-lsp-server
        // notices the closed output on its own next write.
        if let Ok(body) = serde_json::to_vec(&answer) {
            let _ = self.output.write_messages(&framed(&body));
        }
    }
}

/// A message body under its header.
fn framed(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

impl<R: AsyncRead + Unpin> AsyncRead for Input<R> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.handed < this.ready.len() {
                let n = buf.remaining().min(this.ready.len() - this.handed);
                buf.put_slice(&this.ready[this.handed..this.handed + n]);
                this.handed += n;
                return Poll::Ready(Ok(()));
            }
            // A message of megabytes is not kept once it is handed over.
            this.ready = Vec::new();
            this.handed = 0;
            if let Some(frame) = this.framer.next() {
                this.take(frame);
                continue;
            }
            if this.eof {
                // A message cut off by the end of the input cannot be
                // answered: the client has gone.
                return Poll::Ready(Ok(()));
            }
            if ready!(this.framer.fill(&mut this.reader, cx))? == 0 {
                this.eof = true;
            }
        }
    }
}

/// Splits the input into message bodies by their `Content-Length` headers.
#[derive(Default)]
struct Framer {
    /// Bytes read and not yet framed: `buffer[start..]`.
    buffer: Vec<u8>,
    start: usize,
    state: Framing,
    /// A bad header was reported and no message has been read since: the
    /// rest of the same mess is skipped without another report.
    quiet: bool,
}

#[derive(Default)]
enum Framing {
    /// At the start of a header (after blank lines, if any).
    #[default]
    Header,
    /// In a body of this many bytes.
    Body(usize),
    /// Dropping this many more bytes of a body over [`MAX_MESSAGE`].
    Skip(usize),
    /// Dropping bytes up to the next `Content-Length`, after a header that
    /// gave no usable length: where its body ends is anyone's guess.
    Resync,
}

/// What the framer found in the input.
#[derive(Debug, PartialEq)]
enum Frame {
    /// A whole message body.
    Body(Vec<u8>),
    /// A header without a usable length, and what is wrong with it.
    BadHeader(&'static str),
    /// A body over [`MAX_MESSAGE`], of this length.
    TooLarge(usize),
}

impl Framer {
    /// Reads more input into the buffer; the number of bytes read, 0 at the
    /// end of the input.
    fn fill<R: AsyncRead + Unpin>(&mut self, reader: &mut R, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        self.buffer.drain(..self.start);
        self.start = 0;
        if matches!(self.state, Framing::Header) && self.buffer.capacity() > KEEP {
            self.buffer.shrink_to(KEEP);
        }
        let len = self.buffer.len();
        self.buffer.resize(len + READ_CHUNK, 0);
        let mut read = ReadBuf::new(&mut self.buffer[len..]);
        let polled = Pin::new(reader).poll_read(cx, &mut read);
        let filled = read.filled().len();
        self.buffer.truncate(len + filled);
        polled.map_ok(|()| filled)
    }

    #[cfg(test)]
    fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next frame in what has been read, if it is all there.
    fn next(&mut self) -> Option<Frame> {
        loop {
            let pending = &self.buffer[self.start..];
            match self.state {
                Framing::Header => match header(pending) {
                    Header::Incomplete => return None,
                    Header::Length { length, end } => {
                        self.start += end;
                        self.quiet = false;
                        if length > MAX_MESSAGE {
                            self.state = Framing::Skip(length);
                            return Some(Frame::TooLarge(length));
                        }
                        self.state = Framing::Body(length);
                    }
                    Header::Bad(reason) => {
                        // Past the header's first byte, so that the search
                        // for the next one does not find this one again.
                        self.start += 1;
                        self.state = Framing::Resync;
                        if !std::mem::replace(&mut self.quiet, true) {
                            return Some(Frame::BadHeader(reason));
                        }
                    }
                },
                Framing::Body(length) => {
                    let body = pending.get(..length)?.to_vec();
                    self.start += length;
                    self.state = Framing::Header;
                    return Some(Frame::Body(body));
                }
                Framing::Skip(left) => {
                    let n = left.min(pending.len());
                    self.start += n;
                    if n < left {
                        self.state = Framing::Skip(left - n);
                        return None;
                    }
                    self.state = Framing::Header;
                }
                Framing::Resync => {
                    let found =
                        pending.windows(CONTENT_LENGTH.len()).position(|w| w.eq_ignore_ascii_case(CONTENT_LENGTH));
                    match found {
                        Some(at) => {
                            self.start += at;
                            self.state = Framing::Header;
                        }
                        None => {
                            // Keep what could be the start of the name.
                            self.start += pending.len().saturating_sub(CONTENT_LENGTH.len() - 1);
                            return None;
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, PartialEq)]
enum Header {
    /// Nothing wrong so far, and more to come.
    Incomplete,
    /// A body of `length` bytes starts at `end`.
    Length {
        length: usize,
        end: usize,
    },
    Bad(&'static str),
}

/// Reads a header: `Name: value` lines up to an empty line. Lines end with
/// CRLF, as the protocol says; a bare LF is taken too, and blank lines
/// before the header are skipped. Names are matched without regard to case;
/// only `Content-Length` matters (the protocol knows one charset, UTF-8).
/// A line is judged as soon as it cannot be a header line, so that a body
/// sent without a header is answered at once, not after [`MAX_HEADER`] bytes.
fn header(bytes: &[u8]) -> Header {
    let mut at = bytes.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
    let mut length = None;
    loop {
        let rest = &bytes[at..];
        let Some(eol) = rest.iter().position(|&b| b == b'\n') else {
            let partial = rest.strip_suffix(b"\r").unwrap_or(rest);
            let name = partial.split(|&b| b == b':').next().unwrap_or_default();
            return if bytes.len() > MAX_HEADER {
                Header::Bad("a header longer than 8 KiB")
            } else if !name.iter().copied().all(is_token) {
                Header::Bad("expected a header such as Content-Length")
            } else {
                Header::Incomplete
            };
        };
        let line = &rest[..eol];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        at += eol + 1;
        if line.is_empty() {
            return match length {
                Some(length) => Header::Length { length, end: at },
                None => Header::Bad("a header without Content-Length"),
            };
        }
        if at > MAX_HEADER {
            return Header::Bad("a header longer than 8 KiB");
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Header::Bad("expected a header such as Content-Length");
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if name.is_empty() || !name.iter().copied().all(is_token) {
            return Header::Bad("expected a header such as Content-Length");
        }
        if name.eq_ignore_ascii_case(CONTENT_LENGTH) {
            let parsed = value.iter().all(u8::is_ascii_digit).then(|| std::str::from_utf8(value).ok()?.parse().ok());
            match parsed.flatten() {
                Some(n) if length.is_none_or(|before| before == n) => length = Some(n),
                Some(_) => return Header::Bad("two different Content-Length headers"),
                None => return Header::Bad("a Content-Length that is not a number of bytes"),
            }
        }
    }
}

/// A character of a header name (an HTTP token).
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A message body, repaired, if tower-lsp-server will take it; else the
/// answer to send instead.
fn check(mut body: Vec<u8>) -> Result<Vec<u8>, Response> {
    repair_surrogates(&mut body);
    let text = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let first = text.trim_start_matches([' ', '\t', '\r', '\n']).as_bytes().first();
    if first != Some(&b'{') {
        return Err(match serde_json::from_str::<IgnoredAny>(&text) {
            Ok(_) => invalid_request(Id::Null, "a message is one JSON object (LSP sends no batches)"),
            Err(e) => parse_error(&e),
        });
    }
    let envelope = match serde_json::from_str::<Envelope>(&text) {
        Ok(envelope) => envelope,
        Err(e) if e.is_data() => {
            // Well-formed JSON of the wrong shape (a field of the wrong type):
            // answer with its id if it has a usable one. A value tree is
            // built only here, for a message already known to be wrong.
            return Err(match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(value) => {
                    let id = value.get("id").and_then(|id| Id::deserialize(id).ok()).unwrap_or(Id::Null);
                    invalid_request(id, &e.to_string())
                }
                Err(e) => parse_error(&e),
            });
        }
        Err(e) => return Err(parse_error(&e)),
    };
    let id = envelope.id.clone().unwrap_or(Id::Null);
    if envelope.jsonrpc.as_deref() != Some("2.0") {
        return Err(invalid_request(id, "not JSON-RPC 2.0 (\"jsonrpc\": \"2.0\" is missing)"));
    }
    let answered = envelope.result.is_some() || envelope.error.is_some();
    match (&envelope.method, envelope.id.is_some(), answered) {
        (Some(method), true, false) if method.starts_with("$/") => {
            // What tower-lsp-server answers for any other unknown method.
            let mut error = Error::method_not_found();
            error.data = Some(serde_json::Value::from(method.as_str()));
            Err(Response::from_error(id, error))
        }
        (Some(_), _, false) => Ok(text.into_bytes()),
        (Some(_), _, true) => Err(invalid_request(id, "a method and a result or error in one message")),
        (None, true, true) if envelope.result.is_some() && envelope.error.is_some() => {
            Err(invalid_request(id, "a response with both a result and an error"))
        }
        (None, true, true) => Ok(text.into_bytes()),
        (None, false, true) => Err(invalid_request(id, "a response without an id")),
        (None, _, false) => Err(invalid_request(id, "neither a method nor a result or error")),
    }
}

/// What [`check`] reads of a message: the fields that decide whether
/// tower-lsp-server can take it, each of the type it expects (its own `Id`
/// and `Error`); everything else, `params` and `result` included, is only
/// checked to be JSON. A duplicated field is refused here, though
/// tower-lsp-server might have taken it.
#[derive(Deserialize)]
struct Envelope {
    jsonrpc: Option<String>,
    method: Option<String>,
    #[serde(default, deserialize_with = "present")]
    id: Option<Id>,
    #[serde(default, deserialize_with = "present")]
    result: Option<IgnoredAny>,
    error: Option<Error>,
}

/// `Some` for a field that is there, even as `null`, which `Option` would
/// read as absent: `"id": null` is an id, and `"result": null` a result.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

fn error(code: ErrorCode, message: String) -> Error {
    Error { code, message: message.into(), data: None }
}

fn parse_error(e: &serde_json::Error) -> Response {
    Response::from_error(Id::Null, error(ErrorCode::ParseError, format!("Parse error: {e}")))
}

fn invalid_request(id: Id, reason: &str) -> Response {
    Response::from_error(id, error(ErrorCode::InvalidRequest, format!("Invalid request: {reason}")))
}

/// Replaces each lone UTF-16 surrogate escape (`\ud83d` without its pair)
/// with `\ufffd`, in place; whether it replaced any.
///
/// JSON allows them, and JavaScript clients send them (a string cut inside
/// an emoji is still a JavaScript string), but a Rust string cannot hold
/// one, so serde_json refuses the whole message. A pair stays as it is, and
/// so does `\\ud83d`: an escaped backslash, then text. Every backslash of
/// well-formed JSON starts an escape inside a string, so the escapes are
/// found by skipping from one to the next; in malformed JSON a replacement
/// changes nothing that would have been read.
pub fn repair_surrogates(body: &mut [u8]) -> bool {
    let mut repaired = false;
    let mut at = 0;
    while let Some(found) = body.get(at..).and_then(|rest| rest.iter().position(|&b| b == b'\\')) {
        let escape = at + found;
        at = match hex_escape(body, escape) {
            Some(0xD800..=0xDBFF) if matches!(hex_escape(body, escape + 6), Some(0xDC00..=0xDFFF)) => escape + 12,
            Some(0xD800..=0xDFFF) => {
                body[escape + 2..escape + 6].copy_from_slice(b"fffd");
                repaired = true;
                escape + 6
            }
            Some(_) => escape + 6,
            // `\\`, `\"`, `\n`…: the escaped character is not an escape.
            None => escape + 2,
        };
    }
    repaired
}

/// The code unit of the `\uXXXX` escape at `at`, if there is one.
fn hex_escape(bytes: &[u8], at: usize) -> Option<u16> {
    let escape = bytes.get(at..at.checked_add(6)?)?;
    let hex = escape.strip_prefix(b"\\u")?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::jsonrpc::Request;

    fn repaired(json: &str) -> String {
        let mut bytes = json.as_bytes().to_vec();
        repair_surrogates(&mut bytes);
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(repaired(r#"{"text":"lone \ud83d surrogate"}"#), r#"{"text":"lone \ufffd surrogate"}"#);
        assert_eq!(repaired(r#"{"text":"lone \uDE00 low"}"#), r#"{"text":"lone \ufffd low"}"#);
        assert_eq!(repaired(r#""\ud83d""#), r#""\ufffd""#);
        // A high surrogate followed by another escape, or by a second high one.
        assert_eq!(repaired(r#""\ud83d\n""#), r#""\ufffd\n""#);
        assert_eq!(repaired(r#""\ud83d\ud83d\ude00""#), r#""\ufffd\ud83d\ude00""#);
        // And what serde_json makes of it.
        let text: String = serde_json::from_str(&repaired(r#""a\ud83db\ude00c""#)).unwrap();
        assert_eq!(text, "a\u{fffd}b\u{fffd}c");
    }

    #[test]
    fn pairs_and_escaped_backslashes_stay() {
        for json in [
            r#""\ud83d\ude00""#,
            r#""\uD83D\uDE00 and \u00e9""#,
            r#""\\ud83d is a backslash and text""#,
            r#""\\\\ud83d too""#,
            r#""\"\ud83d\ude00\"""#,
            r#""ends with a backslash \"#,
            r#""\u12"#,
        ] {
            assert_eq!(repaired(json), json);
        }
        // An escaped backslash, then a real lone surrogate.
        assert_eq!(repaired(r#""\\\ud83d""#), r#""\\\ufffd""#);
    }

    fn frames(input: &[u8]) -> Vec<Frame> {
        let mut framer = Framer::default();
        framer.push(input);
        std::iter::from_fn(|| framer.next()).collect()
    }

    #[test]
    fn headers() {
        assert_eq!(header(b"Content-Length: 12\r\n\r\n"), Header::Length { length: 12, end: 22 });
        let lenient = b"\r\ncontent-length:3\nContent-Type: x; charset=utf-8\n\n{}";
        assert_eq!(header(lenient), Header::Length { length: 3, end: lenient.len() - 2 });
        assert_eq!(header(b"Content-Len"), Header::Incomplete);
        assert_eq!(header(b"Content-Length: 12\r\n\r"), Header::Incomplete);
        assert_eq!(header(b"Content-Length: 12\r\n"), Header::Incomplete);
        assert_eq!(header(b"{\"jsonrpc\""), Header::Bad("expected a header such as Content-Length"));
        assert_eq!(
            header(b"Content-Length: twelve\r\n"),
            Header::Bad("a Content-Length that is not a number of bytes")
        );
        assert_eq!(header(b"Content-Length: -1\r\n"), Header::Bad("a Content-Length that is not a number of bytes"));
        assert_eq!(header(b"Content-Length: 99999999999999999999999\r\n"), header(b"Content-Length: x\r\n"));
        assert_eq!(header(b"Content-Type: text\r\n\r\n{}"), Header::Bad("a header without Content-Length"));
        assert_eq!(
            header(b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n"),
            Header::Bad("two different Content-Length headers")
        );
        assert_eq!(header(&[b'a'; MAX_HEADER + 1]), Header::Bad("a header longer than 8 KiB"));
    }

    #[test]
    fn framing_resynchronises_after_a_bad_header() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = b"Content-Length: nine\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_vec();
        input.extend(framed(good.as_bytes()));
        input.extend(b"Content-Type: a\r\n\r\nContent-Length: x\r\n\r\n{}");
        input.extend(framed(good.as_bytes()));
        assert_eq!(
            frames(&input),
            [
                Frame::BadHeader("a Content-Length that is not a number of bytes"),
                Frame::Body(good.into()),
                // One report for one mess, though it holds two bad headers.
                Frame::BadHeader("a header without Content-Length"),
                Frame::Body(good.into()),
            ]
        );
    }

    #[test]
    fn framing_byte_by_byte() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = b"{oops}".to_vec();
        input.extend(framed(good.as_bytes()));
        input.extend(framed(b"[1,2,3]"));
        let mut framer = Framer::default();
        let mut found = Vec::new();
        for byte in input {
            framer.push(&[byte]);
            found.extend(std::iter::from_fn(|| framer.next()));
        }
        assert_eq!(
            found,
            [
                Frame::BadHeader("expected a header such as Content-Length"),
                Frame::Body(good.into()),
                Frame::Body(b"[1,2,3]".into())
            ]
        );
    }

    #[test]
    fn a_body_too_large_is_skipped_not_held() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut framer = Framer::default();
        framer.push(format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE + 1).as_bytes());
        assert_eq!(framer.next(), Some(Frame::TooLarge(MAX_MESSAGE + 1)));
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..MAX_MESSAGE >> 20 {
            framer.push(&chunk);
            assert_eq!(framer.next(), None);
            framer.buffer.drain(..framer.start);
            framer.start = 0;
            assert!(framer.buffer.is_empty());
        }
        framer.push(b"x");
        framer.push(&framed(good.as_bytes()));
        assert_eq!(framer.next(), Some(Frame::Body(good.into())));
    }

    fn answer(body: &str) -> serde_json::Value {
        let response = check(body.as_bytes().to_vec()).expect_err(body);
        serde_json::to_value(response).unwrap()
    }

    #[test]
    fn malformed_messages_are_answered() {
        let truncated = r#"{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":"#;
        for (body, code, id) in [
            (truncated, -32700, serde_json::Value::Null),
            ("", -32700, serde_json::Value::Null),
            ("[1,2,3]", -32600, serde_json::Value::Null),
            ("42", -32600, serde_json::Value::Null),
            (r#"{"id":3,"method":"textDocument/hover","params":{}}"#, -32600, 3.into()),
            (r#"{"jsonrpc":"1.0","id":"a","method":"x"}"#, -32600, "a".into()),
            (r#"{"jsonrpc":"2.0","id":4,"method":5}"#, -32600, 4.into()),
            (r#"{"jsonrpc":"2.0","id":4.5,"method":"x"}"#, -32600, serde_json::Value::Null),
            // Refused, though tower-lsp-server might take it; the last id is the one.
            (r#"{"jsonrpc":"2.0","id":6,"id":7,"method":"x"}"#, -32600, 7.into()),
            (r#"{"jsonrpc":"2.0","id":8}"#, -32600, 8.into()),
            (r#"{"jsonrpc":"2.0","result":null}"#, -32600, serde_json::Value::Null),
            (r#"{"jsonrpc":"2.0","id":9,"error":{"code":1}}"#, -32600, 9.into()),
            (r#"{"jsonrpc":"2.0","id":10,"method":"x","result":1}"#, -32600, 10.into()),
            (r#"{"jsonrpc":"2.0","id":11,"method":"$/foo","params":{}}"#, -32601, 11.into()),
            (r#"{"jsonrpc":"2.0","id":null,"method":"$/foo"}"#, -32601, serde_json::Value::Null),
        ] {
            let answer = answer(body);
            assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
            assert_eq!(answer["id"], id, "{body}: {answer}");
        }
    }

    /// Whatever passes must be what tower-lsp-server reads: a request, a
    /// notification or a response, by its own types.
    #[test]
    fn what_passes_tower_lsp_server_takes() {
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
            r#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"#,
            r#"{"jsonrpc":"2.0","method":"$/setTrace","params":{"value":"off"}}"#,
            r#" { "method" : "initialized", "jsonrpc" : "2\u002e0", "extra": [1, {"a": null}] } "#,
            r#"{"jsonrpc":"2.0","id":"x","result":null}"#,
            r#"{"jsonrpc":"2.0","id":null,"result":[1]}"#,
            r#"{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"no","data":{"x":1}}}"#,
            r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"text":"lone \ud83d surrogate"}}}"#,
        ] {
            let passed = check(body.as_bytes().to_vec()).unwrap_or_else(|e| panic!("{body}: {e:?}"));
            let passed = std::str::from_utf8(&passed).unwrap();
            let request = serde_json::from_str::<Request>(passed);
            let response = serde_json::from_str::<Response>(passed);
            assert!(request.is_ok() || response.is_ok(), "{passed}");
        }
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let mut body = br#"{"jsonrpc":"2.0","method":"x","params":{"text":"a"#.to_vec();
        body.extend([0xff, b'"', b'}', b'}']);
        let passed = check(body).unwrap();
        let request: Request = serde_json::from_slice(&passed).unwrap();
        assert_eq!(request.params().unwrap()["text"], "a\u{fffd}");
    }
}
