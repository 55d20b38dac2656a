//! JSON <-> JS conversion.
//!
//! Values cross the boundary as JSON text, converted on the JS side by V8's own
//! `JSON.stringify` / `JSON.parse` and on the Rust side by `serde_json`. Measured
//! against napi's `serde-json` feature (which walks the object with one N-API call
//! per property), a JS -> Rust -> JS round trip was 2.2x faster for one lead and
//! 2.1x for an array of 1000 (release build, Node 20). It also gives standard JS
//! semantics for free: `Date`s become RFC 3339 strings, `undefined` properties are
//! dropped, `toJSON()` is honoured, and integral numbers above 2^31 stay integers
//! (napi's walk turns them into floats, which `u64` fields then reject).
//!
//! An array of records crosses as one JSON text that is split and parsed element
//! by element, so that one element JSON cannot represent (written one by one by
//! `values.js` when the whole array fails) or the core cannot read (nested too
//! deep: the limit is the core's JSON depth, [`MAX_JSON_DEPTH`], for objects as
//! for text) is one `ValidationError` naming the element and the field path, and
//! the others go on.
//!
//! A batch's elements reach the core's row batch as [`Row`]s: a flat element
//! (no nested array or object) as its parsed value, for the columnar fast path;
//! any other (activities, `custom` ...) as its own JSON text, which the core's
//! borrowed reader scores with no value tree and no `Lead` built.

use std::ops::Range;

use leadflow::Record;
use leadflow::model::parse::MAX_JSON_DEPTH;
use leadflow::model::split_records;
use napi::Env;
use napi::bindgen_prelude::{Either, FnArgs, Function, JsObjectValue, JsValue, Object, Unknown};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

/// A JS argument given either as JSON text or as a plain JS value.
pub type JsonInput<'a> = Either<String, Unknown<'a>>;

/// The functions of `values.js`, for this call (V8 caches the compiled script).
pub(crate) fn helper(env: &Env) -> napi::Result<Object<'_>> {
    env.run_script(include_str!("values.js"))
}

/// `(path, reason)`: where and why a value cannot be written as JSON.
type Located = (String, String);

/// Where and why a value cannot be written as JSON (`values.js`'s `locate`);
/// `None` when the walk finds nothing.
fn locate(env: &Env, value: &Unknown) -> Option<Located> {
    let locate: Function<FnArgs<(Unknown, u32)>, Option<Located>> = helper(env)
        .ok()?
        .get_named_property_unchecked("locate")
        .ok()?;
    locate.call((*value, depth_limit()).into()).ok().flatten()
}

fn record_id(env: &Env, value: &Unknown) -> Option<String> {
    let id_of: Function<Unknown, Option<String>> = helper(env)
        .ok()?
        .get_named_property_unchecked("idOf")
        .ok()?;
    id_of.call(*value).ok().flatten()
}

fn depth_limit() -> u32 {
    u32::try_from(MAX_JSON_DEPTH).unwrap_or(u32::MAX)
}

/// A conversion error naming the field path and the record, when known.
fn unconvertible(message: String, path: &str, id: Option<String>) -> leadflow::Error {
    let mut err = leadflow::Error::validation(message);
    if !path.is_empty() {
        err = err.with_field(path);
    }
    match id {
        Some(id) => err.with_record(id),
        None => err,
    }
}

/// The index of the quote closing the JSON string opened at `bytes[open]`
/// (strings are most of the text: `memchr` jumps to their end).
fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open;
    loop {
        i += 1 + memchr::memchr2(b'"', b'\\', bytes.get(i + 1..)?)?;
        if bytes[i] == b'"' {
            return Some(i);
        }
        i += 1; // the escaped character
    }
}

/// True when JSON text (as `JSON.stringify` writes it) nests arrays and objects
/// `MAX_JSON_DEPTH` deep, which `serde_json` refuses without saying where.
fn too_deep(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => match string_end(bytes, i) {
                Some(end) => i = end,
                None => return false,
            },
            b'[' | b'{' => {
                depth += 1;
                if depth >= MAX_JSON_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    false
}

/// `JSON.stringify(value)`: `None` for `undefined` (and functions).
fn json_stringify(env: &Env, value: &Unknown) -> napi::Result<Option<String>> {
    let json = env
        .get_global()?
        .get_named_property_unchecked::<napi::JSON>("JSON")?;
    let func: Function<Unknown, Option<String>> = json.get_named_property_unchecked("stringify")?;
    func.call(*value)
}

/// Serializes a JS value with `JSON.stringify`. Values JSON cannot represent
/// (cycles, `BigInt`, throwing getters, a bare `undefined` or function) and
/// nesting deeper than the core's limit are a `ValidationError` naming the path.
pub fn stringify(env: &Env, value: &Unknown) -> leadflow::Result<String> {
    let failed = |reason: String| {
        let (path, reason) = locate(env, value).unwrap_or((String::new(), reason));
        unconvertible(
            format!("value cannot be converted to JSON: {reason}"),
            &path,
            record_id(env, value),
        )
    };
    match json_stringify(env, value) {
        Ok(Some(text)) if too_deep(&text) => Err(failed(format!(
            "nested deeper than {} levels",
            MAX_JSON_DEPTH - 1
        ))),
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(leadflow::Error::validation(
            "expected a JSON value, found undefined or a function",
        )),
        Err(e) => Err(failed(e.reason)),
    }
}

/// `values.js`'s `elements(items, depth limit, start, end, character budget)`.
type Elements<'a> = Function<'a, FnArgs<(Unknown<'a>, u32, u32, u32, u32)>, Object<'a>>;

/// Characters of JSON text after which a chunk of records ends (V8's strings
/// hold at most about 2^29): a chunk's text stays far below the limit, and
/// the memory a chunk takes stays bounded however large its elements are.
const CHUNK_CHARS: u32 = 1 << 26;

/// The records of a batch argument, read on the JS thread; [`Records::values`]
/// parses them on any thread.
#[derive(Debug)]
pub enum Records {
    /// JSON text as given (an array, one object or JSON Lines), split by the core.
    Text(String),
    /// A JS array as the JSON text of an array, the byte range of each element
    /// in it, and the elements that could not be converted (written as `null`).
    Elements {
        text: String,
        spans: Vec<Range<usize>>,
        /// Whether each element nests an array or an object.
        nested: Vec<bool>,
        failed: Vec<(usize, leadflow::Error)>,
    },
}

/// One record of a batch, as the core's row batch takes it.
#[derive(Debug)]
pub enum Row {
    /// A flat record's value (the row batch's columnar path), or its error.
    Value(leadflow::Result<Value>),
    /// A record nesting arrays or objects, as its JSON text: the core's
    /// borrowed reader scores it (`RowBatch::push_json`) with no value tree.
    Text(String),
}

impl Row {
    /// The record as a JSON value (for the calls that need a `Lead`).
    pub fn into_value(self) -> leadflow::Result<Value> {
        match self {
            Row::Value(v) => v,
            Row::Text(text) => serde_json::from_str(&text).map_err(leadflow::Error::from),
        }
    }
}

/// The elements of the JSON text of an array: each one's byte range, whether
/// it nests an array or an object, and the elements nested `MAX_JSON_DEPTH`
/// deep or more.
#[derive(Debug, Default)]
struct Split {
    spans: Vec<Range<usize>>,
    nested: Vec<bool>,
    deep: Vec<usize>,
}

/// Splits the JSON text of an array, as `JSON.stringify` writes it (no
/// whitespace), into its elements (see [`Split`]): the elements nested too
/// deep are those `serde_json` refuses without saying where. `None` for text
/// that is not an array.
fn split_array(text: &str) -> Option<Split> {
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'[') {
        return None;
    }
    let mut split = Split::default();
    let (mut depth, mut start, mut nested, mut i) = (1usize, 1usize, false, 1usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => i = string_end(bytes, i)?,
            b'[' | b'{' => {
                depth += 1;
                // The element itself is level 2 (the array is level 1 of the text).
                nested |= depth > 2;
                if depth > MAX_JSON_DEPTH && split.deep.last() != Some(&split.spans.len()) {
                    split.deep.push(split.spans.len());
                }
            }
            b',' if depth == 1 => {
                split.spans.push(start..i);
                split.nested.push(std::mem::take(&mut nested));
                start = i + 1;
            }
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    if i > start {
                        split.spans.push(start..i);
                        split.nested.push(nested);
                    }
                    return Some(split);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `{name} cannot be read`: a JS call failed while reading a batch argument.
fn unreadable(name: &str, e: &napi::Error) -> leadflow::Error {
    leadflow::Error::validation(format!("{name} cannot be read: {}", e.reason))
}

/// The error entry of element `i` of a batch that JSON cannot hold.
fn element_error(
    name: &str,
    i: usize,
    path: &str,
    reason: &str,
    id: Option<String>,
) -> leadflow::Error {
    unconvertible(
        format!("{name}[{i}] cannot be converted to JSON: {reason}"),
        path,
        id,
    )
}

/// The records of `text`, the JSON array written for the elements of `items`
/// from batch index `start` on: `failed` (indexes from `start`, in order) plus
/// the elements nested too deep for the text parser, located in `items`.
fn elements_of(
    env: &Env,
    items: &Unknown,
    text: String,
    start: usize,
    mut failed: Vec<(usize, leadflow::Error)>,
    name: &str,
) -> leadflow::Result<Records> {
    let Split {
        spans,
        nested,
        deep,
    } = split_array(&text)
        .ok_or_else(|| leadflow::Error::validation(format!("{name} is not a JSON array")))?;
    if !deep.is_empty() {
        let array = items.coerce_to_object().map_err(|e| unreadable(name, &e))?;
        for j in deep {
            let i = start + j;
            let item: Unknown = array
                .get_element(u32::try_from(i).unwrap_or(u32::MAX))
                .map_err(|e| unreadable(name, &e))?;
            let limit = format!("nested deeper than {} levels", MAX_JSON_DEPTH - 1);
            let (path, reason) = locate(env, &item).unwrap_or((String::new(), limit));
            failed.push((
                j,
                element_error(name, i, &path, &reason, record_id(env, &item)),
            ));
        }
        failed.sort_by_key(|(j, _)| *j);
    }
    Ok(Records::Elements {
        text,
        spans,
        nested,
        failed,
    })
}

impl Records {
    /// Reads a batch argument; `name` (`leads`) names the elements in errors.
    /// An array is written by one `JSON.stringify` call; only when that throws
    /// are its elements written one by one, to find the ones that fail.
    pub fn from_js(env: &Env, input: JsonInput, name: &str) -> leadflow::Result<Self> {
        let value = match input {
            Either::A(text) => return Ok(Records::Text(text)),
            Either::B(value) => value,
        };
        if !value.is_array().unwrap_or(false) {
            return stringify(env, &value).map(Records::Text);
        }
        let js = |e: napi::Error| unreadable(name, &e);
        let error =
            |i: usize, path: &str, reason: &str, id| element_error(name, i, path, reason, id);
        let (text, failed) = if let Ok(Some(text)) = json_stringify(env, &value) {
            (text, Vec::new())
        } else {
            let elements: Function<FnArgs<(Unknown, u32)>, Object> = helper(env)
                .and_then(|h| h.get_named_property_unchecked("elements"))
                .map_err(js)?;
            let out = elements.call((value, depth_limit()).into()).map_err(js)?;
            let text: String = out.get_named_property_unchecked("text").map_err(js)?;
            let failed: Vec<(u32, String, String, Option<String>)> =
                out.get_named_property_unchecked("failed").map_err(js)?;
            let failed = failed
                .into_iter()
                .map(|(i, path, reason, id)| {
                    let i = i as usize;
                    (i, error(i, &path, &reason, id))
                })
                .collect();
            (text, failed)
        };
        elements_of(env, &value, text, 0, failed, name)
    }

    /// Reads a chunk of a JS array from `start`: up to `end` elements, fewer
    /// when their JSON text reaches [`CHUNK_CHARS`]. Each element is written by
    /// its own `JSON.stringify` (the text and errors `from_js` gives, naming
    /// each element by its index in `items`), so that a batch of any size
    /// crosses as texts of one chunk each. Returns where the next chunk starts.
    pub fn chunk_from_js(
        env: &Env,
        items: &Unknown,
        (start, end): (usize, usize),
        name: &str,
    ) -> leadflow::Result<(Self, usize)> {
        let js = |e: napi::Error| unreadable(name, &e);
        let error =
            |i: usize, path: &str, reason: &str, id| element_error(name, i, path, reason, id);
        let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let elements: Elements = helper(env)
            .and_then(|h| h.get_named_property_unchecked("elements"))
            .map_err(js)?;
        let args = (*items, depth_limit(), index(start), index(end), CHUNK_CHARS);
        let out = elements.call(args.into()).map_err(js)?;
        let text: String = out.get_named_property_unchecked("text").map_err(js)?;
        let next: u32 = out.get_named_property_unchecked("end").map_err(js)?;
        // At least one element, whatever the helper says.
        let next = (next as usize).clamp(start + 1, end.max(start + 1));
        let failed: Vec<(u32, String, String, Option<String>)> =
            out.get_named_property_unchecked("failed").map_err(js)?;
        // Indexes within the chunk (what `values` enumerates), messages with the batch's.
        let failed: Vec<(usize, leadflow::Error)> = failed
            .into_iter()
            .map(|(i, path, reason, id)| {
                let i = i as usize;
                (i - start, error(i, &path, &reason, id))
            })
            .collect();
        let records = elements_of(env, items, text, start, failed, name)?;
        Ok((records, next))
    }

    /// One JSON value (or error) per record, in order.
    pub fn values(self) -> Vec<leadflow::Result<Value>> {
        match self {
            Records::Text(text) => split_records(&text),
            Records::Elements {
                text,
                spans,
                failed,
                ..
            } => {
                let mut failed = failed.into_iter().peekable();
                spans
                    .into_iter()
                    .enumerate()
                    .map(|(i, span)| match failed.next_if(|(at, _)| *at == i) {
                        Some((_, error)) => Err(error),
                        None => parse_span(&text, span),
                    })
                    .collect()
            }
        }
    }

    /// The records as the row batch takes them ([`Row`]), the flat elements of
    /// an array parsed on all cores.
    pub fn rows_par(self) -> Vec<Row> {
        let Records::Elements {
            text,
            spans,
            nested,
            failed,
        } = self
        else {
            return self.values().into_iter().map(Row::Value).collect();
        };
        let mut rows: Vec<Row> = spans
            .into_par_iter()
            .zip(nested)
            .map(|(span, nested)| match text.get(span.clone()) {
                Some(element) if nested => Row::Text(element.to_owned()),
                _ => Row::Value(parse_span(&text, span)),
            })
            .collect();
        for (i, error) in failed {
            if let Some(r) = rows.get_mut(i) {
                *r = Row::Value(Err(error));
            }
        }
        rows
    }
}

/// The element of `text` at `span` (`null` when the span is out of bounds).
fn parse_span(text: &str, span: Range<usize>) -> leadflow::Result<Value> {
    text.get(span)
        .map_or(Ok(Value::Null), serde_json::from_str)
        .map_err(leadflow::Error::from)
}

/// The `length` of a JS array (or of a proxy of one), as `JSON.stringify` reads it.
pub fn array_len(items: &Unknown, name: &str) -> leadflow::Result<usize> {
    items
        .coerce_to_object()
        .and_then(|o| o.get_named_property_unchecked::<u32>("length"))
        .map(|n| n as usize)
        .map_err(|e| leadflow::Error::validation(format!("{name} cannot be read: {}", e.reason)))
}

/// Deserializes a plain JS value (for example a `Change`, options or a `Date`)
/// into `T`; a wrong shape is a `ValidationError` naming the field path.
pub fn value_from_js<T: serde::de::DeserializeOwned>(
    env: &Env,
    value: &Unknown,
) -> leadflow::Result<T> {
    let text = stringify(env, value)?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let err = leadflow::Error::validation(e.into_inner().to_string());
        if path == "." {
            err
        } else {
            err.with_field(path)
        }
    })
}

/// Parses one record (lead, account, contact, opportunity) from JSON text or a JS object.
pub fn record_from_js<T: Record>(env: &Env, input: JsonInput) -> leadflow::Result<T> {
    match input {
        Either::A(text) => T::from_json(&text),
        Either::B(value) => T::from_json(&stringify(env, &value)?),
    }
}

/// Converts any serializable value into a JS value through `JSON.parse`.
pub fn to_js<'e, T: Serialize + ?Sized>(env: &'e Env, value: &T) -> napi::Result<Unknown<'e>> {
    let text = serde_json::to_string(value)
        .map_err(|e| napi::Error::new(napi::Status::GenericFailure, e.to_string()))?;
    parse_json(env, text)
}

/// Parses JSON text produced by the core into a JS value with `JSON.parse`.
pub fn parse_json(env: &Env, text: String) -> napi::Result<Unknown<'_>> {
    let json = env
        .get_global()?
        .get_named_property_unchecked::<napi::JSON>("JSON")?;
    let parse: Function<String, Unknown> = json.get_named_property_unchecked("parse")?;
    parse.call(text)
}
