//! Python objects as a serde [`Deserializer`], read element by element (no
//! `serde_json::Value` built): the core's borrowed lead reader reads lead dicts
//! through it (`CompiledPack::score_read`, `RowBatch::push_read`).
//!
//! It presents an object exactly as `serde_json::Value`'s deserializer presents
//! [`values::from_py`](crate::values::from_py) of it, or refuses it: only the
//! exact builtin types (`dict` with `str` keys, `list`, `tuple`, `str`, `int`,
//! `float`, `bool`, `None`) and exact `datetime`/`date` are read; subclasses,
//! `NumPy` scalars, NaN, infinities, naive datetimes, ints beyond 64 bits and
//! containers nested [`MAX_JSON_DEPTH`] deep (cycles included) are [`Refused`],
//! and the caller takes the value path, whose conversion names the problem.
//! Strings go out through `visit_str` only (transient borrows), so the reader
//! may claim any `'de`, `'static` included.

use std::fmt;

use leadflow::model::parse::MAX_JSON_DEPTH;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::value::StrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

use crate::values;

/// The reader does not vouch for the object (the value path reads it instead).
#[derive(Debug)]
pub struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not readable element by element")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    // The message is dropped: refusing is all the caller needs (no allocation).
    fn custom<T: fmt::Display>(_: T) -> Self {
        Refused
    }
}

/// A Python object presented as serde data.
#[derive(Debug, Clone, Copy)]
pub struct PyDe<'a, 'py> {
    obj: Borrowed<'a, 'py, PyAny>,
    /// Containers around `obj` (the value conversion's nesting count).
    depth: usize,
}

impl<'a, 'py> PyDe<'a, 'py> {
    pub fn new(obj: &'a Bound<'py, PyAny>) -> Self {
        PyDe {
            obj: obj.as_borrowed(),
            depth: 0,
        }
    }

    /// The depth inside a container `obj` opens, refused where the value
    /// conversion stops (which also ends a cycle).
    fn enter(self) -> Result<usize, Refused> {
        let depth = self.depth + 1;
        if depth >= MAX_JSON_DEPTH {
            return Err(Refused);
        }
        Ok(depth)
    }

    /// An exact `datetime` (timezone-aware) or `date` as its ISO text. Runs
    /// Python code (`utcoffset`, `isoformat`), so `obj` is held meanwhile.
    fn date_text(self) -> Result<Option<Bound<'py, PyString>>, Refused> {
        let obj = self.obj.to_owned();
        let py = obj.py();
        let ty = obj.get_type();
        if ty.is(values::datetime_type(py).map_err(|_| Refused)?) {
            if obj
                .call_method0("utcoffset")
                .map_err(|_| Refused)?
                .is_none()
            {
                return Err(Refused);
            }
        } else if !ty.is(values::date_type(py).map_err(|_| Refused)?) {
            return Ok(None);
        }
        let text = obj.call_method0("isoformat").map_err(|_| Refused)?;
        Ok(Some(
            text.cast_into_exact::<PyString>().map_err(|_| Refused)?,
        ))
    }
}

impl<'de> Deserializer<'de> for PyDe<'_, '_> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        let obj = self.obj;
        if let Ok(s) = obj.cast_exact::<PyString>() {
            return v.visit_str(s.to_str().map_err(|_| Refused)?);
        }
        if let Ok(d) = obj.cast_exact::<PyDict>() {
            let depth = self.enter()?;
            return DictItems::visit(d.to_owned(), depth, v);
        }
        if let Ok(l) = obj.cast_exact::<PyList>() {
            let depth = self.enter()?;
            return Items::visit(Seq::List(l.to_owned()), depth, v);
        }
        if obj.is_exact_instance_of::<PyInt>() {
            // As `values::integer`: i64 first, then u64; `Value` presents a
            // non-negative number as u64.
            if let Ok(i) = obj.extract::<i64>() {
                return match u64::try_from(i) {
                    Ok(u) => v.visit_u64(u),
                    Err(_) => v.visit_i64(i),
                };
            }
            return v.visit_u64(obj.extract::<u64>().map_err(|_| Refused)?);
        }
        if let Ok(f) = obj.cast_exact::<PyFloat>() {
            let f = f.value();
            return if f.is_finite() {
                v.visit_f64(f)
            } else {
                Err(Refused)
            };
        }
        if obj.is_none() {
            return v.visit_unit();
        }
        if let Ok(b) = obj.cast_exact::<PyBool>() {
            return v.visit_bool(b.is_true());
        }
        if let Ok(t) = obj.cast_exact::<PyTuple>() {
            let depth = self.enter()?;
            return Items::visit(Seq::Tuple(t.to_owned()), depth, v);
        }
        match self.date_text()? {
            Some(text) => v.visit_str(text.to_str().map_err(|_| Refused)?),
            None => Err(Refused),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        if self.obj.is_none() {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Refused> {
        v.visit_newtype_struct(self)
    }

    // The lead reader reads no enum directly (stored state goes through a
    // `Value`): refusing one only sends the lead down the value path.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _v: V,
    ) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    // Ignored values are still read in full: the value conversion refuses a
    // bad one anywhere in the lead.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Refused> {
        self.deserialize_any(v)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// A dict's items in order, walked with `PyDict_Next` (borrowed references,
/// no reference count updates per item, as in `rows::read_dict`).
struct DictItems<'py> {
    /// Held: Python code (a `datetime`'s `utcoffset`) may drop other references.
    dict: Bound<'py, PyDict>,
    pos: ffi::Py_ssize_t,
    len: usize,
    read: usize,
    value: *mut ffi::PyObject,
    depth: usize,
}

impl<'py> DictItems<'py> {
    fn visit<'de, V: Visitor<'de>>(
        dict: Bound<'py, PyDict>,
        depth: usize,
        v: V,
    ) -> Result<V::Value, Refused> {
        let len = dict.len();
        let mut items = DictItems {
            dict,
            pos: 0,
            len,
            read: 0,
            value: std::ptr::null_mut(),
            depth,
        };
        let out = v.visit_map(&mut items)?;
        // As `Value`'s map: a visitor that stops early is an error.
        if items.read == items.len {
            Ok(out)
        } else {
            Err(Refused)
        }
    }
}

#[allow(unsafe_code)]
impl<'de> MapAccess<'de> for DictItems<'_> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        // A dict changed by Python code run while reading (refused: the value
        // conversion reports it).
        if self.dict.len() != self.len {
            return Err(Refused);
        }
        let py = self.dict.py();
        let mut key = std::ptr::null_mut();
        // SAFETY: `self.dict` is a live dict (held) and we hold the GIL (abi3
        // builds never run free-threaded). `PyDict_Next` is bounds-checked
        // against the dict's current table, so it is sound after a mutation
        // too; the borrowed references it hands out are used only until the
        // next Python code runs: the key right here (Rust code only), the
        // value in `next_value_seed`, which takes a reference before running
        // any (see `PyDe::date_text` and the containers' `to_owned`).
        if unsafe {
            ffi::PyDict_Next(
                self.dict.as_ptr(),
                &raw mut self.pos,
                &raw mut key,
                &raw mut self.value,
            )
        } == 0
        {
            self.value = std::ptr::null_mut();
            return Ok(None);
        }
        self.read += 1;
        let key = unsafe { Borrowed::from_ptr(py, key) };
        let key = key.cast_exact::<PyString>().map_err(|_| Refused)?;
        let key = key.to_str().map_err(|_| Refused)?;
        seed.deserialize(StrDeserializer::<Refused>::new(key))
            .map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Refused> {
        let value = std::mem::replace(&mut self.value, std::ptr::null_mut());
        if value.is_null() {
            return Err(Refused);
        }
        // SAFETY: set by `PyDict_Next` in `next_key_seed`, with only Rust code
        // run since (see there).
        let value = unsafe { Borrowed::from_ptr(self.dict.py(), value) };
        seed.deserialize(PyDe {
            obj: value,
            depth: self.depth,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.len - self.read)
    }
}

/// A list or tuple being read.
enum Seq<'py> {
    List(Bound<'py, PyList>),
    Tuple(Bound<'py, PyTuple>),
}

impl<'py> Seq<'py> {
    fn len(&self) -> usize {
        match self {
            Seq::List(l) => l.len(),
            Seq::Tuple(t) => t.len(),
        }
    }

    fn get(&self, i: usize) -> Option<Bound<'py, PyAny>> {
        // A list may shrink while read (Python code): its length is read again.
        if i >= self.len() {
            return None;
        }
        match self {
            Seq::List(l) => l.get_item(i).ok(),
            Seq::Tuple(t) => t.get_item(i).ok(),
        }
    }
}

/// A list's or tuple's elements in order (each held while read).
struct Items<'py> {
    seq: Seq<'py>,
    next: usize,
    depth: usize,
}

impl<'py> Items<'py> {
    fn visit<'de, V: Visitor<'de>>(seq: Seq<'py>, depth: usize, v: V) -> Result<V::Value, Refused> {
        let mut items = Items {
            seq,
            next: 0,
            depth,
        };
        let out = v.visit_seq(&mut items)?;
        // As `Value`'s array: a visitor that stops early is an error.
        if items.next == items.seq.len() {
            Ok(out)
        } else {
            Err(Refused)
        }
    }
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refused> {
        let Some(item) = self.seq.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(PyDe {
            obj: item.as_borrowed(),
            depth: self.depth,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.seq.len().saturating_sub(self.next))
    }
}
