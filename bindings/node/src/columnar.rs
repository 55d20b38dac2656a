//! Columnar batches: `{length?, columns: {name: column}, ids?}` from JS into the
//! core's borrowed `Columns`, and the `ColumnScores` back as typed arrays.
//!
//! Crossing JS objects one property at a time costs more than scoring, so a
//! batch crosses per column, not per value: numeric typed arrays are read in
//! place (no copy), a string column given as `string[]` is joined by V8 into one
//! string (`Array.prototype.join`, one call) and split here, and Arrow-layout
//! strings (`{offsets: Int32Array, data: Uint8Array}`) are read in place.

use leadflow::Timestamp;
use leadflow::rules::ScoreOptions;
use leadflow::rules::{Bitmap, Column, ColumnScores, Columns, CompiledPack, InputOptions, Offsets};
use napi::bindgen_prelude::{
    Array, BigInt64Array, BigUint64Array, Float32Array, Float64Array, FromNapiValue, Function,
    Int8Array, Int16Array, Int32Array, JsObjectValue, JsValue, Object, TypedArray, TypedArrayType,
    Uint8Array, Uint16Array, Uint32Array, Unknown,
};
use napi::{Env, ScopedTask, ValueType};

use crate::errors::{self, OrThrow};
use crate::{panics, values};

/// A column's values, owned or referenced (kept alive) from JS.
enum Data {
    /// Read in place.
    F64(Float64Array),
    I64(BigInt64Array),
    Bool(Uint8Array),
    Bits(Uint8Array),
    Utf8 {
        offsets: Int32Array,
        data: Uint8Array,
    },
    /// Converted once, on the calling thread.
    F64Owned(Vec<f64>),
    Utf8Owned {
        offsets: Vec<i32>,
        data: String,
    },
}

struct Col {
    name: String,
    data: Data,
    validity: Option<Uint8Array>,
}

/// A columnar batch read from JS. Holds references to the JS buffers, so it can
/// be scored on a worker thread; it is dropped on the main thread with its task.
pub struct Batch {
    len: usize,
    cols: Vec<Col>,
    ids: Option<Col>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.cols.iter().map(|c| c.name.as_str()).collect();
        f.debug_struct("Batch")
            .field("len", &self.len)
            .field("columns", &names)
            .field("ids", &self.ids.is_some())
            .finish()
    }
}

const SHAPES: &str = "expected a typed array, an array, or {values, validity?} / {offsets: Int32Array, data: Uint8Array, validity?} / {bits: Uint8Array, validity?}";

fn invalid(env: &Env, field: &str, msg: impl Into<String>) -> napi::Error {
    crate::errors::to_napi(env, &leadflow::Error::validation(msg).with_field(field))
}

impl Batch {
    /// Reads `{length?, columns, ids?}`; `length` defaults to the first column's.
    pub fn from_js(env: &Env, batch: &Object) -> napi::Result<Batch> {
        let Some(columns) = batch.get::<Object>("columns")? else {
            return Err(invalid(env, "columns", "a column batch needs `columns`"));
        };
        let mut cols = Vec::new();
        for name in Object::keys(&columns)? {
            let value: Unknown = columns.get_named_property(&name)?;
            let field = format!("columns.{name}");
            cols.push(column(env, &field, name, value)?);
        }
        let ids = match batch.get::<Unknown>("ids")? {
            Some(v) if !nullish(&v)? => Some(column(env, "ids", "id".to_owned(), v)?),
            _ => None,
        };
        let len = match batch.get::<Unknown>("length")? {
            Some(v) if !nullish(&v)? => {
                let n: f64 = FromNapiValue::from_unknown(v)
                    .map_err(|_| invalid(env, "length", "`length` must be a number"))?;
                if !(n >= 0.0 && n.fract() == 0.0 && n <= 4_294_967_295.0) {
                    return Err(invalid(env, "length", "`length` must be a row count"));
                }
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked above
                let n = n as usize;
                n
            }
            _ => cols.first().map_or(0, Col::len),
        };
        Ok(Batch { len, cols, ids })
    }

    /// The core's view of the batch (checks lengths and string offsets), its
    /// columns renamed to the names `pack` reads by the core's schema check.
    pub fn columns(
        &self,
        pack: &CompiledPack,
        opts: &InputOptions,
    ) -> leadflow::Result<Columns<'_>> {
        let mut c = Columns::new(self.len);
        for col in &self.cols {
            c = c.with(&col.name, col.column()?)?;
        }
        if let Some(ids) = &self.ids {
            c = c.with_ids(ids.column()?)?;
        }
        c.conform(pack, opts)
    }
}

fn nullish(v: &Unknown) -> napi::Result<bool> {
    Ok(matches!(
        v.get_type()?,
        ValueType::Undefined | ValueType::Null
    ))
}

impl Col {
    fn len(&self) -> usize {
        match &self.data {
            Data::F64(a) => a.len(),
            Data::I64(a) => a.len(),
            Data::Bool(a) => a.len(),
            Data::Bits(a) => a.len() * 8,
            Data::Utf8 { offsets, .. } => offsets.len().saturating_sub(1),
            Data::F64Owned(v) => v.len(),
            Data::Utf8Owned { offsets, .. } => offsets.len().saturating_sub(1),
        }
    }

    fn column(&self) -> leadflow::Result<Column<'_>> {
        let validity = self.validity.as_ref().map(|v| Bitmap::new(v, 0));
        Ok(match &self.data {
            Data::F64(a) => Column::f64(a, validity),
            Data::F64Owned(v) => Column::f64(v, validity),
            Data::I64(a) => Column::i64(a, validity),
            Data::Bool(a) => Column::bool_bytes(a, validity),
            Data::Bits(a) => Column::bool_bits(Bitmap::new(a, 0), validity),
            Data::Utf8 { offsets, data } => Column::utf8(Offsets::I32(offsets), data, validity)
                .map_err(|e| e.with_field(format!("columns.{}", self.name)))?,
            Data::Utf8Owned { offsets, data } => {
                Column::utf8(Offsets::I32(offsets), data.as_bytes(), validity)?
            }
        })
    }
}

fn column(env: &Env, field: &str, name: String, value: Unknown) -> napi::Result<Col> {
    if value.is_typedarray()? {
        let data = typed(env, field, &value)?;
        return Ok(Col {
            name,
            data,
            validity: None,
        });
    }
    if value.is_array()? {
        let data = plain(env, &value)?;
        return Ok(Col {
            name,
            data,
            validity: None,
        });
    }
    if value.get_type()? != ValueType::Object {
        return Err(invalid(env, field, SHAPES));
    }
    let obj: Object = FromNapiValue::from_unknown(value)?;
    let validity = match obj.get::<Unknown>("validity")? {
        Some(v) if !nullish(&v)? => Some(bytes(env, &format!("{field}.validity"), &v)?),
        _ => None,
    };
    let data = if let Some(offsets) = obj.get::<Unknown>("offsets")? {
        let offsets_field = format!("{field}.offsets");
        if !offsets.is_typedarray()? {
            return Err(invalid(
                env,
                &offsets_field,
                "`offsets` must be an Int32Array",
            ));
        }
        let ta: TypedArray = FromNapiValue::from_unknown(offsets)?;
        if ta.typed_array_type != TypedArrayType::Int32 {
            return Err(invalid(
                env,
                &offsets_field,
                "`offsets` must be an Int32Array",
            ));
        }
        let data = match obj.get::<Unknown>("data")? {
            Some(d) => bytes(env, &format!("{field}.data"), &d)?,
            None => {
                return Err(invalid(
                    env,
                    field,
                    "string columns need `data` (UTF-8 bytes)",
                ));
            }
        };
        Data::Utf8 {
            offsets: FromNapiValue::from_unknown(offsets)?,
            data,
        }
    } else if let Some(bits) = obj.get::<Unknown>("bits")? {
        Data::Bits(bytes(env, &format!("{field}.bits"), &bits)?)
    } else if let Some(values) = obj.get::<Unknown>("values")? {
        column(env, &format!("{field}.values"), name.clone(), values)?.data
    } else {
        return Err(invalid(env, field, SHAPES));
    };
    Ok(Col {
        name,
        data,
        validity,
    })
}

/// A `Uint8Array` (or `Buffer`), referenced in place.
fn bytes(env: &Env, field: &str, v: &Unknown) -> napi::Result<Uint8Array> {
    if v.is_typedarray()? {
        let ta: TypedArray = FromNapiValue::from_unknown(*v)?;
        if ta.typed_array_type == TypedArrayType::Uint8 {
            return FromNapiValue::from_unknown(*v);
        }
    }
    Err(invalid(env, field, "expected a Uint8Array"))
}

macro_rules! copy_f64 {
    ($v:expr, $ty:ty) => {{
        let a: $ty = FromNapiValue::from_unknown(*$v)?;
        // 64-bit integers above 2^53 round, as in JS; the smaller types are exact.
        #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
        let out: Vec<f64> = a.iter().map(|&x| x as f64).collect();
        Data::F64Owned(out)
    }};
}

/// `Float64Array`, `BigInt64Array` and `Uint8Array` (booleans) are read in place;
/// other numeric typed arrays are converted to f64 once.
fn typed(env: &Env, field: &str, v: &Unknown) -> napi::Result<Data> {
    let ta: TypedArray = FromNapiValue::from_unknown(*v)?;
    Ok(match ta.typed_array_type {
        TypedArrayType::Float64 => Data::F64(FromNapiValue::from_unknown(*v)?),
        TypedArrayType::BigInt64 => Data::I64(FromNapiValue::from_unknown(*v)?),
        TypedArrayType::Uint8 => Data::Bool(FromNapiValue::from_unknown(*v)?),
        TypedArrayType::Float32 => copy_f64!(v, Float32Array),
        TypedArrayType::Int32 => copy_f64!(v, Int32Array),
        TypedArrayType::Uint32 => copy_f64!(v, Uint32Array),
        TypedArrayType::Int16 => copy_f64!(v, Int16Array),
        TypedArrayType::Uint16 => copy_f64!(v, Uint16Array),
        TypedArrayType::Int8 => copy_f64!(v, Int8Array),
        TypedArrayType::BigUint64 => copy_f64!(v, BigUint64Array),
        _ => return Err(invalid(env, field, "unsupported typed array")),
    })
}

/// A plain JS array: strings (or all null) become one UTF-8 buffer; numbers and
/// booleans go through `Float64Array.from` (one call; `null` is 0, `true` 1).
fn plain(env: &Env, v: &Unknown) -> napi::Result<Data> {
    let arr: Array = FromNapiValue::from_unknown(*v)?;
    let n = arr.len();
    let mut numeric = false;
    for i in 0..n.min(64) {
        let Some(x) = arr.get::<Unknown>(i)? else {
            continue;
        };
        match x.get_type()? {
            ValueType::Undefined | ValueType::Null => {}
            ValueType::Number | ValueType::Boolean | ValueType::BigInt => {
                numeric = true;
                break;
            }
            _ => break,
        }
    }
    let obj: Object = arr.coerce_to_object()?;
    if numeric {
        let ctor: Object = env
            .get_global()?
            .get_named_property_unchecked("Float64Array")?;
        let from: Function<Object, Unknown> = ctor.get_named_property_unchecked("from")?;
        let typed_array = from.apply(ctor, obj)?;
        return Ok(Data::F64(FromNapiValue::from_unknown(typed_array)?));
    }
    strings(env, &obj, n as usize)
}

/// Joins a string array with NUL in V8 and splits it here; when an element
/// itself contains NUL (the piece count differs) reads the elements one by one.
fn strings(env: &Env, arr: &Object, n: usize) -> napi::Result<Data> {
    let join: Function<&str, String> = arr.get_named_property_unchecked("join")?;
    let joined = join.apply(*arr, "\0")?;
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0i32);
    if n > 0 && joined.bytes().filter(|&b| b == 0).count() == n - 1 {
        let mut data = String::with_capacity(joined.len());
        for piece in joined.split('\0') {
            data.push_str(piece);
            offsets.push(offset(env, data.len())?);
        }
        return Ok(Data::Utf8Owned { offsets, data });
    }
    let mut data = String::new();
    for i in 0..n {
        let x: Unknown = arr.get_element(u32::try_from(i).unwrap_or(u32::MAX))?;
        if !nullish(&x)? {
            data.push_str(x.coerce_to_string()?.into_utf8()?.as_str()?);
        }
        offsets.push(offset(env, data.len())?);
    }
    Ok(Data::Utf8Owned { offsets, data })
}

fn offset(env: &Env, at: usize) -> napi::Result<i32> {
    i32::try_from(at).map_err(|_| {
        invalid(
            env,
            "columns",
            "a string column holds more than 2 GiB; pass it as {offsets, data} in chunks",
        )
    })
}

#[derive(serde::Serialize)]
struct RowError<'a> {
    row: usize,
    error: &'a leadflow::Error,
}

/// `{total, fit, engagement: Float64Array, grade, temperature: Uint8Array (codes),
/// errors: [{row, error}], warnings: string[]}`. The vectors become the typed
/// arrays' buffers (no copy).
pub fn scores_to_js(env: &Env, s: ColumnScores) -> napi::Result<Object<'_>> {
    let mut obj = Object::new(env)?;
    let grade: Vec<u8> = s.grade.iter().map(|g| g.code()).collect();
    let temperature: Vec<u8> = s.temperature.iter().map(|t| t.code()).collect();
    let errors: Vec<RowError> = s
        .errors
        .iter()
        .map(|(row, error)| RowError { row: *row, error })
        .collect();
    obj.set_named_property("total", Float64Array::new(s.total))?;
    obj.set_named_property("fit", Float64Array::new(s.fit))?;
    obj.set_named_property("engagement", Float64Array::new(s.engagement))?;
    obj.set_named_property("grade", Uint8Array::new(grade))?;
    obj.set_named_property("temperature", Uint8Array::new(temperature))?;
    obj.set_named_property("errors", values::to_js(env, &errors)?)?;
    obj.set_named_property("warnings", values::to_js(env, &s.warnings)?)?;
    Ok(obj)
}

/// `scoreColumnsAsync`: scores on a worker, builds the result on the main thread.
#[derive(Debug)]
pub struct ScoreColumnsTask {
    pack: CompiledPack,
    batch: Batch,
    now: Timestamp,
    opts: InputOptions,
}

impl ScoreColumnsTask {
    pub fn new(pack: CompiledPack, batch: Batch, now: Timestamp, opts: InputOptions) -> Self {
        ScoreColumnsTask {
            pack,
            batch,
            now,
            opts,
        }
    }
}

impl<'task> ScopedTask<'task> for ScoreColumnsTask {
    /// `Err`: the message of a panic caught on the worker.
    type Output = Result<leadflow::Result<ColumnScores>, String>;
    type JsValue = Object<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        // A panic must not unwind out of the worker (it would abort Node).
        Ok(panics::catch(|| {
            self.batch.columns(&self.pack, &self.opts).map(|cols| {
                self.pack
                    .score_columns(&cols, self.now, ScoreOptions::default())
            })
        }))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        let scores = output.map_err(|message| errors::internal(env, &message))?;
        scores_to_js(env, scores.or_throw(env)?)
    }
}
