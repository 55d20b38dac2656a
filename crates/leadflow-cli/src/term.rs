//! Text from input on its way to a terminal: control characters are shown, not obeyed.
//!
//! A lead's owner name `ana\x1b]0;pwned\x07\x1b[2J` printed raw would retitle the
//! operator's window and clear the screen; every human-readable output goes
//! through [`escape`] (one value) or [`escape_text`] (a multi-line report).
//! JSON output goes through [`json_line`] / [`write_json`]: `serde_json` already
//! escapes C0 controls, and these also escape DEL and C1 (still lossless JSON).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use leadflow::Result;
use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// C0 controls (tab and line breaks included), DEL and C1 controls.
fn is_control(c: char) -> bool {
    c.is_control()
}

/// `s` with every control character written as a visible escape (`\x1b`, `\u{9b}`).
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_keeping(s, None)
}

/// Like [`escape`], but line breaks (`\n`) stay: for multi-line reports.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_keeping(s, Some('\n'))
}

fn escape_keeping(s: &str, keep: Option<char>) -> Cow<'_, str> {
    let bad = |c: char| is_control(c) && Some(c) != keep;
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !bad(c) {
            out.push(c);
        } else if u32::from(c) < 0x80 {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
    Cow::Owned(out)
}

/// A `serde_json` formatter (compact or pretty) that also writes DEL and C1
/// controls as `\u` escapes.
#[derive(Debug, Clone, Default)]
struct TermSafe<F>(F);

impl<F: Formatter> Formatter for TermSafe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_control(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    // Layout (indentation) is the inner formatter's.
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Writes `value` as one line of JSON (no newline), safe for a terminal.
pub fn write_json<W: Write, T: Serialize + ?Sized>(writer: &mut W, value: &T) -> Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(writer, TermSafe(CompactFormatter));
    value.serialize(&mut ser)?;
    Ok(())
}

/// `value` as one line of JSON, safe for a terminal.
pub fn json_line<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = Vec::new();
    write_json(&mut out, value)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// `value` as indented JSON, safe for a terminal.
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut out = Vec::new();
    let fmt = TermSafe(PrettyFormatter::new());
    value.serialize(&mut serde_json::Serializer::with_formatter(&mut out, fmt))?;
    Ok(String::from_utf8(out).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "ana\x1b]0;pwned\x07\x1b[2J";

    #[test]
    fn escapes_c0_del_and_c1() {
        assert_eq!(escape(HOSTILE), "ana\\x1b]0;pwned\\x07\\x1b[2J");
        assert_eq!(escape("a\u{7f}b\u{9b}c\td"), "a\\x7fb\\u{9b}c\\x09d");
        assert!(matches!(escape("株式会社 ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn text_keeps_line_breaks_only() {
        assert_eq!(escape_text("a\nb\r\n\x1b"), "a\nb\\x0d\n\\x1b");
    }

    #[test]
    fn json_escapes_every_control_and_stays_lossless() {
        let v = serde_json::json!({"owner": format!("{HOSTILE}\u{7f}\u{9b}")});
        let line = json_line(&v).unwrap();
        assert!(!line.chars().any(char::is_control), "{line}");
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, v);
        let pretty = json_pretty(&v).unwrap();
        assert_eq!(
            pretty
                .replace("\\u007f", "\u{7f}")
                .replace("\\u009b", "\u{9b}"),
            serde_json::to_string_pretty(&v).unwrap()
        );
    }
}
