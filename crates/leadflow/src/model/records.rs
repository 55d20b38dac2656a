//! The record reader: a text (or a byte stream) of records in, one entry per
//! record out, whatever is wrong with some of them.
//!
//! Layout: after a UTF-8 BOM and whitespace, a text is one JSON array only if it
//! starts with `[` and that array is the whole text (a first line `[1, 2]`
//! followed by more lines is JSON Lines whose first record is bad); a single,
//! possibly pretty-printed, object is one record; anything else is JSON Lines.
//! Arrays are read element by element and lines are read as bytes, so a bad
//! element or a line that is not UTF-8 is one error entry naming its position and
//! the other records still parse. Memory stays constant for lines and arrays alike.

use std::collections::VecDeque;
use std::io::BufRead;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::{Value, json};

use super::parse::Record;
use crate::error::{Error, ErrorKind, Result};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How far the reader looks ahead for the end of a pretty-printed single object
/// before it reads the text as JSON Lines: bounds memory when the first line of a
/// large JSON Lines file is cut off.
const MAX_OBJECT_LOOKAHEAD: usize = 8 << 20;

/// Bytes an array is read in at a time.
const ARRAY_CHUNK: usize = 64 << 10;

/// One record as read: its position and its JSON value, or the error that makes
/// it unreadable (a `ParseError` naming line and column).
#[derive(Debug)]
pub struct RawRecord {
    /// Position among the records of the text (0-based; error entries count).
    pub index: usize,
    /// 1-based line the record starts on.
    pub line: u32,
    /// 1-based (byte) column the record starts at.
    pub column: u32,
    /// The record is an element of a JSON array (errors then name its `index`).
    pub in_array: bool,
    pub value: Result<Value>,
}

impl RawRecord {
    /// Parses the record as `T`; an error that does not say where it happened
    /// gets this record's line and column (and, in an array, its index).
    pub fn parse<T: Record>(self) -> Result<T> {
        let (line, column, index, in_array) = (self.line, self.column, self.index, self.in_array);
        self.value.and_then(T::from_value).map_err(|e| {
            let e = if e.line().is_none() {
                e.at(line, column)
            } else {
                e
            };
            if in_array && e.details().is_none() {
                e.with_details(json!({ "index": index }))
            } else {
                e
            }
        })
    }
}

/// One record as cut from the input, not parsed yet: parsing ([`into_record`],
/// [`parse`]) can run on another thread than the reading.
///
/// [`into_record`]: RecordText::into_record
/// [`parse`]: RecordText::parse
#[derive(Debug, Clone)]
pub struct RecordText {
    /// Position among the records of the text (0-based; error entries count).
    pub index: usize,
    /// 1-based line the record starts on.
    pub line: u32,
    /// 1-based (byte) column the record starts at.
    pub column: u32,
    /// The record is an element of a JSON array.
    pub in_array: bool,
    body: Body,
}

#[derive(Debug, Clone)]
enum Body {
    Text(Vec<u8>),
    Value(Value),
    Error(Error),
}

impl RecordText {
    /// Parses the JSON: a syntax error or a line that is not UTF-8 is a
    /// `ParseError` naming the line and column (and, in an array, the index),
    /// and the record id when it comes before the damage.
    pub fn into_record(self) -> RawRecord {
        let (index, line, column, in_array) = (self.index, self.line, self.column, self.in_array);
        let value = match self.body {
            Body::Value(v) => Ok(v),
            Body::Error(e) => Err(e),
            Body::Text(text) if in_array => element_value(&text, index, line, column),
            Body::Text(text) => line_value(&text, line, column),
        };
        RawRecord {
            index,
            line,
            column,
            in_array,
            value,
        }
    }

    /// Parses the record as `T` (see [`RawRecord::parse`]), straight from its
    /// text when that reads cleanly ([`Record::from_json`]'s fast path).
    pub fn parse<T: Record>(self) -> Result<T> {
        if let Some(record) = self.parse_fast() {
            return Ok(record);
        }
        self.into_record().parse()
    }

    /// The record's JSON text, when it is still text (a line or an array element).
    pub fn json(&self) -> Option<&str> {
        match &self.body {
            Body::Text(text) => std::str::from_utf8(text).ok(),
            Body::Value(_) | Body::Error(_) => None,
        }
    }

    /// The record read straight from its text, when that agrees with the value
    /// path (see `parse::from_json_fast`); `None`: read it through its value.
    pub(crate) fn parse_fast<T: Record>(&self) -> Option<T> {
        match &self.body {
            Body::Text(text) => super::parse::from_json_fast(text),
            Body::Value(_) | Body::Error(_) => None,
        }
    }
}

/// A record read some other way (a CSV row) joins the same pipeline.
impl From<RawRecord> for RecordText {
    fn from(r: RawRecord) -> Self {
        RecordText {
            index: r.index,
            line: r.line,
            column: r.column,
            in_array: r.in_array,
            body: match r.value {
                Ok(v) => Body::Value(v),
                Err(e) => Body::Error(e),
            },
        }
    }
}

/// [`RecordReader`] yielding records unparsed (see [`RecordReader::texts`]).
#[derive(Debug)]
pub struct RecordTexts<R>(RecordReader<R>);

impl<R: BufRead> Iterator for RecordTexts<R> {
    type Item = Result<RecordText>;
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_text()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Lines,
    Array,
    Done,
}

/// Reads records from a byte stream (see the module docs): one [`RawRecord`] per
/// record. An `Err` item is a failed read of the stream itself (`IoError`), after
/// which the reader stops.
#[derive(Debug)]
pub struct RecordReader<R> {
    input: R,
    state: State,
    /// Lines read while deciding the layout (number, bytes with their `\n`), read first.
    ahead: VecDeque<(u32, Vec<u8>)>,
    /// Lines read from `input` so far.
    lines_read: u32,
    index: usize,
    line_buf: Vec<u8>,
    array: ArrayCursor,
}

impl<R: BufRead> RecordReader<R> {
    pub fn new(input: R) -> Self {
        RecordReader {
            input,
            state: State::Start,
            ahead: VecDeque::new(),
            lines_read: 0,
            index: 0,
            line_buf: Vec::new(),
            array: ArrayCursor::default(),
        }
    }

    /// The next raw line: first the lines read ahead, then the input.
    fn raw_line(&mut self) -> std::io::Result<Option<(u32, Vec<u8>)>> {
        if let Some(l) = self.ahead.pop_front() {
            return Ok(Some(l));
        }
        let mut buf = Vec::new();
        if self.input.read_until(b'\n', &mut buf)? == 0 {
            return Ok(None);
        }
        self.lines_read += 1;
        Ok(Some((self.lines_read, buf)))
    }

    /// The records unparsed, to parse them elsewhere (for example in parallel).
    pub fn texts(self) -> RecordTexts<R> {
        RecordTexts(self)
    }

    /// Decides the layout from the first non-blank line (and as few lines after it as needed).
    fn start(&mut self) -> std::io::Result<Option<RecordText>> {
        let (first_no, first) = loop {
            let Some((n, mut line)) = self.raw_line()? else {
                self.state = State::Done;
                return Ok(None);
            };
            if n == 1 && line.starts_with(BOM) {
                line.drain(..BOM.len());
            }
            if !line.trim_ascii().is_empty() {
                break (n, line);
            }
        };
        let lead = first.len() - first.trim_ascii_start().len();
        match first[lead] {
            b'[' => {
                let closed = closes_within(&first[lead..]);
                self.ahead.push_back((first_no, first));
                // A one-line array followed by more records is JSON Lines.
                self.state = if closed && self.more_after()? {
                    State::Lines
                } else {
                    State::Array
                };
                self.array.pos = (first_no, 1);
            }
            b'{' if !closes_within(&first[lead..]) => {
                let column = u32::try_from(lead + 1).unwrap_or(u32::MAX);
                self.ahead.push_back((first_no, first));
                if let Some(v) = self.single_object()? {
                    self.state = State::Done;
                    self.ahead.clear();
                    return Ok(Some(RecordText {
                        index: 0,
                        line: first_no,
                        column,
                        in_array: false,
                        body: Body::Value(v),
                    }));
                }
                self.state = State::Lines;
            }
            _ => {
                self.ahead.push_back((first_no, first));
                self.state = State::Lines;
            }
        }
        Ok(None)
    }

    /// Reads lines ahead until a non-blank one (kept for later): is there one?
    fn more_after(&mut self) -> std::io::Result<bool> {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if self.input.read_until(b'\n', &mut buf)? == 0 {
                return Ok(false);
            }
            self.lines_read += 1;
            let blank = buf.trim_ascii().is_empty();
            self.ahead
                .push_back((self.lines_read, std::mem::take(&mut buf)));
            if !blank {
                return Ok(true);
            }
        }
    }

    /// The whole text when it is one (pretty-printed) object; otherwise `None`,
    /// with every line read kept in `ahead` for JSON Lines.
    fn single_object(&mut self) -> std::io::Result<Option<Value>> {
        let mut nesting = Nesting::default();
        let mut size = 0;
        let mut closed = false;
        for (_, line) in &self.ahead {
            closed = nesting.feed_all(line);
            size += line.len();
        }
        let mut buf = Vec::new();
        while !closed && size <= MAX_OBJECT_LOOKAHEAD {
            buf.clear();
            if self.input.read_until(b'\n', &mut buf)? == 0 {
                return Ok(None);
            }
            self.lines_read += 1;
            closed = nesting.feed_all(&buf);
            size += buf.len();
            self.ahead
                .push_back((self.lines_read, std::mem::take(&mut buf)));
        }
        if !closed || self.more_after()? {
            return Ok(None);
        }
        let text: Vec<u8> = self
            .ahead
            .iter()
            .flat_map(|(_, l)| l.iter().copied())
            .collect();
        Ok(match serde_json::from_slice::<Value>(&text) {
            Ok(v @ Value::Object(_)) => Some(v),
            _ => None,
        })
    }

    fn next_line_record(&mut self) -> std::io::Result<Option<RecordText>> {
        loop {
            let (n, owned);
            if let Some((no, line)) = self.ahead.pop_front() {
                (n, owned) = (no, Some(line));
            } else {
                self.line_buf.clear();
                if self.input.read_until(b'\n', &mut self.line_buf)? == 0 {
                    self.state = State::Done;
                    return Ok(None);
                }
                self.lines_read += 1;
                (n, owned) = (self.lines_read, None);
            }
            let bytes = owned.as_deref().unwrap_or(&self.line_buf);
            if let Some(rec) = line_record(bytes, n, self.index) {
                self.index += 1;
                return Ok(Some(rec));
            }
        }
    }

    /// Refills the array buffer: lines read ahead first, then a chunk of input.
    fn refill(&mut self) -> std::io::Result<bool> {
        let a = &mut self.array;
        a.buf.clear();
        a.cursor = 0;
        if let Some((_, line)) = self.ahead.pop_front() {
            a.buf = line;
            return Ok(true);
        }
        let data = self.input.fill_buf()?;
        let n = data.len().min(ARRAY_CHUNK);
        a.buf.extend_from_slice(&data[..n]);
        self.input.consume(n);
        Ok(n > 0)
    }

    fn next_element(&mut self) -> std::io::Result<Option<RecordText>> {
        loop {
            if self.array.cursor == self.array.buf.len() && !self.refill()? {
                self.state = State::Done;
                return Ok(self.array.at_end(&mut self.index));
            }
            if let Some(rec) = self.array.step(&mut self.index) {
                if self.array.phase == Phase::Stopped {
                    self.state = State::Done;
                }
                return Ok(Some(rec));
            }
        }
    }
}

impl<R: BufRead> Iterator for RecordReader<R> {
    type Item = Result<RawRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_text().map(|r| r.map(RecordText::into_record))
    }
}

impl<R: BufRead> RecordReader<R> {
    fn next_text(&mut self) -> Option<Result<RecordText>> {
        loop {
            let step = match self.state {
                State::Done => return None,
                State::Start => self.start(),
                State::Lines => self.next_line_record(),
                State::Array => self.next_element(),
            };
            match step {
                Ok(Some(rec)) => return Some(Ok(rec)),
                Ok(None) => {}
                Err(e) => {
                    self.state = State::Done;
                    return Some(Err(Error::from(e)));
                }
            }
        }
    }
}

/// One JSON Lines line (with or without its `\n`); `None` for a blank line.
fn line_record(bytes: &[u8], line: u32, index: usize) -> Option<RecordText> {
    let text = bytes.trim_ascii();
    if text.is_empty() {
        return None;
    }
    let lead = bytes.len() - bytes.trim_ascii_start().len();
    Some(RecordText {
        index,
        line,
        column: to_u32(lead + 1),
        in_array: false,
        body: Body::Text(text.to_vec()),
    })
}

/// Parses one line's JSON (`text` starts at `column`).
fn line_value(text: &[u8], line: u32, column: u32) -> Result<Value> {
    serde_json::from_slice::<Value>(text).map_err(|e| {
        let (message, col) = match std::str::from_utf8(text) {
            Err(u) => {
                let col = column.saturating_add(to_u32(u.valid_up_to()));
                let byte = text[u.valid_up_to()];
                (
                    format!("line {line}: not valid UTF-8 (byte 0x{byte:02X} at column {col})"),
                    col,
                )
            }
            Ok(_) => (
                format!("line {line}: {}", bare_message(&e)),
                column.saturating_add(to_u32(e.column().saturating_sub(1))),
            ),
        };
        named(Error::new(ErrorKind::Parse, message).at(line, col), text)
    })
}

/// Parses one array element's JSON (`text` starts at `line`, `column`).
fn element_value(text: &[u8], index: usize, line: u32, column: u32) -> Result<Value> {
    serde_json::from_slice::<Value>(text).map_err(|e| {
        // serde's position is relative to the element; make it absolute.
        let (l, c) = (to_u32(e.line()), to_u32(e.column()));
        let at = match l {
            0 => (line, column),
            1 => (line, column + c.saturating_sub(1)),
            _ => (line + l - 1, c),
        };
        let err = Error::new(
            ErrorKind::Parse,
            format!("element {index}: {}", bare_message(&e)),
        )
        .at(at.0, at.1)
        .with_details(json!({ "index": index }));
        named(err, text)
    })
}

/// Where the array reading is.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Phase {
    #[default]
    BeforeOpen,
    Elements,
    AfterClose,
    /// Content after the array was reported; nothing more is read.
    Stopped,
}

/// Element-by-element reading of one JSON array.
#[derive(Debug, Default)]
struct ArrayCursor {
    buf: Vec<u8>,
    cursor: usize,
    /// Line and column of `buf[cursor]`.
    pos: (u32, u32),
    phase: Phase,
    /// A comma was read and no element has started since.
    after_comma: bool,
    elem: Vec<u8>,
    elem_start: (u32, u32),
    nesting: Nesting,
}

impl ArrayCursor {
    /// Consumes bytes until an element (or an error entry) is complete.
    fn step(&mut self, index: &mut usize) -> Option<RecordText> {
        while self.cursor < self.buf.len() {
            let b = self.buf[self.cursor];
            let here = self.pos;
            self.cursor += 1;
            self.pos = if b == b'\n' {
                (here.0.saturating_add(1), 1)
            } else {
                (here.0, here.1.saturating_add(1))
            };
            let ws = b.is_ascii_whitespace();
            if self.phase == Phase::BeforeOpen {
                // The layout check saw `[` as the first non-blank byte.
                if b == b'[' {
                    self.phase = Phase::Elements;
                }
                continue;
            }
            if self.phase != Phase::Elements {
                if ws {
                    continue;
                }
                self.phase = Phase::Stopped;
                return Some(Self::error(
                    index,
                    here,
                    "unexpected content after the end of the array (the rest is not read)",
                ));
            }
            if self.nesting.at_top() {
                match b {
                    b',' => {
                        return Some(if self.elem.is_empty() {
                            self.after_comma = true;
                            Self::error(index, here, "missing element (two commas in a row)")
                        } else {
                            self.after_comma = true;
                            self.element(index)
                        });
                    }
                    b']' => {
                        self.phase = Phase::AfterClose;
                        if !self.elem.is_empty() {
                            return Some(self.element(index));
                        }
                        if self.after_comma {
                            return Some(Self::error(index, here, "missing element before `]`"));
                        }
                        continue;
                    }
                    _ if ws && self.elem.is_empty() => continue,
                    _ => {}
                }
            }
            if self.elem.is_empty() {
                self.elem_start = here;
                self.after_comma = false;
            }
            self.elem.push(b);
            self.nesting.feed(b);
        }
        None
    }

    /// The end of the input: a cut-off element or an unclosed array is one error entry.
    fn at_end(&mut self, index: &mut usize) -> Option<RecordText> {
        if self.phase != Phase::Elements {
            return None;
        }
        self.phase = Phase::AfterClose;
        if self.elem.is_empty() {
            let here = self.pos;
            let msg = format!(
                "the array is not closed: the input ends at line {}, column {}",
                here.0, here.1
            );
            return Some(Self::error(index, here, &msg));
        }
        let start = self.elem_start;
        let mut rec = Self::error(
            index,
            start,
            "the input ends inside this element (the array is cut off here)",
        );
        if let Body::Error(e) = rec.body {
            rec.body = Body::Error(named(e, &self.elem));
        }
        self.elem.clear();
        Some(rec)
    }

    fn element(&mut self, index: &mut usize) -> RecordText {
        let i = *index;
        *index += 1;
        let (line, column) = self.elem_start;
        let mut text = std::mem::take(&mut self.elem);
        text.truncate(text.trim_ascii_end().len());
        RecordText {
            index: i,
            line,
            column,
            in_array: true,
            body: Body::Text(text),
        }
    }

    fn error(index: &mut usize, at: (u32, u32), message: &str) -> RecordText {
        let i = *index;
        *index += 1;
        let err = Error::new(ErrorKind::Parse, format!("element {i}: {message}"))
            .at(at.0, at.1)
            .with_details(json!({ "index": i }));
        RecordText {
            index: i,
            line: at.0,
            column: at.1,
            in_array: true,
            body: Body::Error(err),
        }
    }
}

/// Nesting of brackets outside strings: enough to find where a JSON value ends
/// without parsing it (`serde_json` parses; this only finds the boundaries).
#[derive(Debug, Default, Clone, Copy)]
struct Nesting {
    depth: u32,
    in_string: bool,
    escaped: bool,
}

impl Nesting {
    fn feed(&mut self, b: u8) {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return;
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => self.depth += 1,
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    fn at_top(self) -> bool {
        self.depth == 0 && !self.in_string
    }

    /// Feeds bytes; true when the outermost value closed within them.
    fn feed_all(&mut self, bytes: &[u8]) -> bool {
        for &b in bytes {
            let opened = self.depth > 0;
            self.feed(b);
            if opened && self.at_top() {
                return true;
            }
        }
        false
    }
}

/// Does the value that starts `bytes` (a `[` or `{`) end within them?
fn closes_within(bytes: &[u8]) -> bool {
    Nesting::default().feed_all(bytes)
}

/// `serde_json`'s message without its " at line L column C" (positions are
/// relative to the record; the error carries the absolute ones).
fn bare_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix)
        .map_or_else(|| full.clone(), str::to_owned)
}

/// Names the record of an unparsable text when its `id` comes before the damage.
fn named(err: Error, text: &[u8]) -> Error {
    let mut id = None;
    let mut de = serde_json::Deserializer::from_slice(text);
    // The probe fails wherever the text does; what it read before stays.
    let _ = IdProbe(&mut id).deserialize(&mut de);
    match id {
        Some(id) => err.with_record(id),
        None => err,
    }
}

/// Reads an object's keys until `id`, keeping its value in the slot.
struct IdProbe<'a>(&'a mut Option<String>);

impl<'de> DeserializeSeed<'de> for IdProbe<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IdProbe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a record object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "id" {
                *self.0 = match map.next_value::<Value>()? {
                    Value::String(s) => Some(s),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
                return Ok(());
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
