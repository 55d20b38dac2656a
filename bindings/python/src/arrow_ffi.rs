//! Reading Arrow data through the Arrow C stream interface (the `__arrow_c_stream__`
//! `PyCapsule` protocol), without per-row Python objects and without an Arrow crate.
//!
//! Apart from the borrowed dict walk of `rows.rs`, the binding's `unsafe` code lives here: the three `#[repr(C)]` structs of
//! the Arrow C data interface (<https://arrow.apache.org/docs/format/CDataInterface.html>,
//! `ArrowSchema`, `ArrowArray`, `ArrowArrayStream`) and the reads of the buffers the
//! producer hands over. Everything leaving this module is a safe, borrowed view:
//! slices that live as long as the [`Stream`] that owns (and finally releases) them.
#![allow(unsafe_code)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use leadflow::Error;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

#[repr(C)]
#[derive(Debug)]
struct ArrowSchema {
    format: *const c_char,
    name: *const c_char,
    metadata: *const c_char,
    flags: i64,
    n_children: i64,
    children: *mut *mut ArrowSchema,
    dictionary: *mut ArrowSchema,
    release: Option<unsafe extern "C" fn(*mut ArrowSchema)>,
    private_data: *mut c_void,
}

#[repr(C)]
#[derive(Debug)]
struct ArrowArray {
    length: i64,
    null_count: i64,
    offset: i64,
    n_buffers: i64,
    n_children: i64,
    buffers: *mut *const c_void,
    children: *mut *mut ArrowArray,
    dictionary: *mut ArrowArray,
    release: Option<unsafe extern "C" fn(*mut ArrowArray)>,
    private_data: *mut c_void,
}

#[repr(C)]
#[derive(Debug)]
struct ArrowArrayStream {
    get_schema: Option<unsafe extern "C" fn(*mut ArrowArrayStream, *mut ArrowSchema) -> c_int>,
    get_next: Option<unsafe extern "C" fn(*mut ArrowArrayStream, *mut ArrowArray) -> c_int>,
    get_last_error: Option<unsafe extern "C" fn(*mut ArrowArrayStream) -> *const c_char>,
    release: Option<unsafe extern "C" fn(*mut ArrowArrayStream)>,
    private_data: *mut c_void,
}

impl ArrowSchema {
    const fn empty() -> Self {
        ArrowSchema {
            format: ptr::null(),
            name: ptr::null(),
            metadata: ptr::null(),
            flags: 0,
            n_children: 0,
            children: ptr::null_mut(),
            dictionary: ptr::null_mut(),
            release: None,
            private_data: ptr::null_mut(),
        }
    }
}

impl ArrowArray {
    const fn empty() -> Self {
        ArrowArray {
            length: 0,
            null_count: 0,
            offset: 0,
            n_buffers: 0,
            n_children: 0,
            buffers: ptr::null_mut(),
            children: ptr::null_mut(),
            dictionary: ptr::null_mut(),
            release: None,
            private_data: ptr::null_mut(),
        }
    }
}

// Owned structs: released exactly once, when dropped (the spec's "move" semantics: the
// consumer that moved a struct out of its capsule is responsible for its release).
macro_rules! release_on_drop {
    ($t:ty) => {
        impl Drop for $t {
            fn drop(&mut self) {
                if let Some(release) = self.release {
                    // SAFETY: `self` is a live struct we own; release is the producer's.
                    unsafe { release(self) };
                }
            }
        }
    };
}
release_on_drop!(ArrowSchema);
release_on_drop!(ArrowArray);
release_on_drop!(ArrowArrayStream);

/// The type of a column, from its Arrow format string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Utf8,
    LargeUtf8,
    F64,
    I64,
    Bool,
    /// Any other type (the Python wrapper casts the usual ones before they get here).
    Other,
}

/// One column of a record batch, as borrowed buffers.
#[derive(Debug, Clone, Copy)]
pub struct ColumnView<'a> {
    pub kind: Kind,
    pub len: usize,
    /// Offset of the first row in the buffers (Arrow slices share buffers).
    pub offset: usize,
    /// The validity bitmap (covers `offset + len` bits), when some rows are null.
    pub validity: Option<&'a [u8]>,
    /// Values (`F64`/`I64`/`Bool` bits) or string offsets, as raw bytes.
    pub values: &'a [u8],
    /// String bytes (`Utf8`/`LargeUtf8`).
    pub data: &'a [u8],
}

impl<'a> ColumnView<'a> {
    /// The values as a typed slice starting at row 0 (`None` if misaligned).
    pub fn typed<T: Pod>(&self, extra: usize) -> Option<&'a [T]> {
        let n = self.len + extra;
        let (head, body, _) = {
            // SAFETY: `T` is a plain number type (the sealed `Pod` trait), for which
            // every bit pattern is valid; `align_to` checks the alignment.
            unsafe { self.values.align_to::<T>() }
        };
        if !head.is_empty() {
            return None;
        }
        body.get(self.offset..self.offset + n)
    }
}

/// Number types that can be read from raw Arrow buffers (every bit pattern is valid).
pub trait Pod: sealed::Sealed + Copy {}
impl Pod for f64 {}
impl Pod for i64 {}
impl Pod for i32 {}
mod sealed {
    pub trait Sealed {}
    impl Sealed for f64 {}
    impl Sealed for i64 {}
    impl Sealed for i32 {}
}

/// A fully read Arrow stream: the schema and every record batch, owned until dropped.
#[derive(Debug)]
pub struct Stream {
    schema: ArrowSchema,
    batches: Vec<ArrowArray>,
}

fn err(msg: impl Into<String>) -> Error {
    Error::validation(msg.into())
}

fn text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the spec requires format and name to be NUL-terminated UTF-8 strings.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

impl Stream {
    /// Reads every batch of `obj.__arrow_c_stream__()` (with the GIL: a producer may
    /// need it). The top-level type must be a struct (a table or record batch).
    pub fn import(obj: &Bound<'_, PyAny>) -> PyResult<Result<Self, Error>> {
        let capsule = obj.call_method0("__arrow_c_stream__")?;
        let capsule = capsule.cast::<PyCapsule>()?;
        let raw = capsule
            .pointer_checked(Some(c"arrow_array_stream"))?
            .cast::<ArrowArrayStream>();
        // SAFETY: the capsule holds a valid `ArrowArrayStream`; we move it out and mark
        // the original released, so the capsule's destructor will not release it again.
        let mut stream = unsafe {
            let moved = ptr::read(raw.as_ptr());
            (*raw.as_ptr()).release = None;
            moved
        };
        Ok(Self::read(&mut stream))
    }

    fn read(stream: &mut ArrowArrayStream) -> Result<Self, Error> {
        let (Some(get_schema), Some(get_next)) = (stream.get_schema, stream.get_next) else {
            return Err(err("the Arrow stream was already released"));
        };
        let mut schema = ArrowSchema::empty();
        // SAFETY: valid stream; `schema` is an out-parameter the producer fills.
        if unsafe { get_schema(stream, &raw mut schema) } != 0 {
            return Err(err(format!("Arrow stream: {}", last_error(stream))));
        }
        if text(schema.format) != "+s" {
            return Err(err(
                "expected a table or record batch (an Arrow struct stream)",
            ));
        }
        let mut batches = Vec::new();
        loop {
            let mut array = ArrowArray::empty();
            // SAFETY: as above; a released (`release == NULL`) array marks the end.
            if unsafe { get_next(stream, &raw mut array) } != 0 {
                return Err(err(format!("Arrow stream: {}", last_error(stream))));
            }
            if array.release.is_none() {
                break;
            }
            batches.push(array);
        }
        let out = Stream { schema, batches };
        out.check()?;
        Ok(out)
    }

    /// Column names and kinds, in schema order.
    pub fn fields(&self) -> Vec<(String, Kind)> {
        self.children_of_schema()
            .iter()
            .map(|s| (text(s.name), kind(&text(s.format))))
            .collect()
    }

    pub fn batch_count(&self) -> usize {
        self.batches.len()
    }

    /// Rows of batch `b`.
    pub fn batch_len(&self, b: usize) -> usize {
        usize::try_from(self.batches[b].length).unwrap_or(0)
    }

    /// The columns of batch `b`, in schema order.
    pub fn columns(&self, b: usize) -> Vec<ColumnView<'_>> {
        let batch = &self.batches[b];
        let kinds = self.fields();
        let rows = self.batch_len(b);
        let top = usize::try_from(batch.offset).unwrap_or(0);
        Self::children_of_array(batch)
            .iter()
            .zip(kinds)
            .map(|(a, (_, kind))| view(a, kind, top, rows))
            .collect()
    }

    fn children_of_schema(&self) -> &[&ArrowSchema] {
        let n = usize::try_from(self.schema.n_children).unwrap_or(0);
        if n == 0 || self.schema.children.is_null() {
            return &[];
        }
        // SAFETY: `children` points to `n_children` valid child pointers (spec).
        unsafe { std::slice::from_raw_parts(self.schema.children.cast::<&ArrowSchema>(), n) }
    }

    fn children_of_array(a: &ArrowArray) -> &[&ArrowArray] {
        let n = usize::try_from(a.n_children).unwrap_or(0);
        if n == 0 || a.children.is_null() {
            return &[];
        }
        // SAFETY: as for the schema.
        unsafe { std::slice::from_raw_parts(a.children.cast::<&ArrowArray>(), n) }
    }

    /// Validates the structure once, so that `columns` can read without checks.
    fn check(&self) -> Result<(), Error> {
        let n = self.children_of_schema().len();
        for batch in &self.batches {
            let children = Self::children_of_array(batch);
            if children.len() != n || batch.length < 0 || batch.offset < 0 {
                return Err(err("Arrow batch does not match its schema"));
            }
            for (c, (name, kind)) in children.iter().zip(self.fields()) {
                let want = match kind {
                    Kind::Utf8 | Kind::LargeUtf8 => 3,
                    Kind::F64 | Kind::I64 | Kind::Bool => 2,
                    Kind::Other => continue,
                };
                if c.n_buffers != want
                    || c.buffers.is_null()
                    || c.length < batch.length + batch.offset
                    || c.offset < 0
                {
                    return Err(err(format!("Arrow column `{name}` is malformed")));
                }
            }
        }
        Ok(())
    }
}

fn last_error(stream: &mut ArrowArrayStream) -> String {
    match stream.get_last_error {
        // SAFETY: valid stream; the message is NUL-terminated or NULL.
        Some(f) => text(unsafe { f(stream) }),
        None => "unknown error".to_owned(),
    }
}

fn kind(format: &str) -> Kind {
    match format {
        "u" => Kind::Utf8,
        "U" => Kind::LargeUtf8,
        "g" => Kind::F64,
        "l" => Kind::I64,
        "b" => Kind::Bool,
        _ => Kind::Other,
    }
}

/// Borrowed buffers of a child array, rows `top .. top + rows` of the batch.
fn view(a: &ArrowArray, kind: Kind, top: usize, rows: usize) -> ColumnView<'_> {
    let offset = usize::try_from(a.offset).unwrap_or(0) + top;
    let mut v = ColumnView {
        kind,
        len: rows,
        offset,
        validity: None,
        values: &[],
        data: &[],
    };
    if kind == Kind::Other {
        return v;
    }
    let end = offset + rows;
    // SAFETY: `check` verified the buffer count; the spec sizes every buffer for
    // `offset + length` rows (and nulls buffers only when empty or all-valid).
    unsafe {
        let buffer = |i: usize, bytes: usize| -> &[u8] {
            let p = *a.buffers.add(i);
            if p.is_null() || bytes == 0 {
                &[]
            } else {
                std::slice::from_raw_parts(p.cast::<u8>(), bytes)
            }
        };
        if a.null_count != 0 {
            let bits = buffer(0, end.div_ceil(8));
            v.validity = (!bits.is_empty()).then_some(bits);
        }
        v.values = match kind {
            Kind::F64 | Kind::I64 => buffer(1, end * 8),
            Kind::Bool => buffer(1, end.div_ceil(8)),
            Kind::Utf8 => buffer(1, (end + 1) * 4),
            Kind::LargeUtf8 => buffer(1, (end + 1) * 8),
            Kind::Other => &[],
        };
        let last = match kind {
            Kind::Utf8 => v
                .typed::<i32>(1)
                .and_then(|o| o.last())
                .map(|&x| usize::try_from(x).unwrap_or(0)),
            Kind::LargeUtf8 => v
                .typed::<i64>(1)
                .and_then(|o| o.last())
                .map(|&x| usize::try_from(x).unwrap_or(0)),
            _ => None,
        };
        if let Some(last) = last {
            v.data = buffer(2, last);
        }
    }
    v
}
