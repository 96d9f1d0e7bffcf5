//! Dynamically typed values of status dictionaries (GetStatus/SetStatus), shared by the Rust API
//! and the SLI language.

use crate::error::{Error, Result};
use crate::units::{Quantity, Unit};
use std::collections::BTreeMap;
use std::fmt;

/// A status dictionary: NEST key → value, sorted by key like NEST prints them.
pub type Dict = BTreeMap<String, Value>;

/// A value in a status dictionary.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// true/false
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A double in the parameter's NEST unit.
    Double(f64),
    /// A number carrying a physical unit; converted when it reaches a parameter.
    Quantity(Quantity),
    /// A string (also used for names such as model names).
    Str(String),
    /// A homogeneous array of doubles.
    DoubleVec(Vec<f64>),
    /// A homogeneous array of integers.
    IntVec(Vec<i64>),
    /// A heterogeneous array.
    Array(Vec<Value>),
    /// A nested dictionary.
    Dict(Dict),
}

impl Value {
    /// The type name as SLI prints it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "booltype",
            Value::Int(_) => "integertype",
            Value::Double(_) => "doubletype",
            Value::Quantity(_) => "quantitytype",
            Value::Str(_) => "stringtype",
            Value::DoubleVec(_) => "doublevectortype",
            Value::IntVec(_) => "intvectortype",
            Value::Array(_) => "arraytype",
            Value::Dict(_) => "dictionarytype",
        }
    }

    /// This value as a number in `unit`, for parameter `key`: bare numbers are taken in `unit`,
    /// quantities are converted and checked.
    pub fn as_f64_in(&self, unit: Unit, key: &str) -> Result<f64> {
        match self {
            Value::Double(x) => Ok(*x),
            Value::Int(i) => Ok(*i as f64),
            Value::Bool(b) if unit == Unit::Bool => Ok(if *b { 1.0 } else { 0.0 }),
            Value::Quantity(q) => unit.convert(q, key),
            other => Err(Error::argument_type(format!(
                "parameter '{key}' expects a number{}, got {} {}",
                if unit.symbol().is_empty() { String::new() } else { format!(" in {}", unit.symbol()) },
                other.type_name(),
                other
            ))),
        }
    }
    /// This value as a plain double (no unit conversion possible).
    pub fn as_f64(&self, key: &str) -> Result<f64> {
        self.as_f64_in(Unit::Dimensionless, key)
    }
    /// This value as an integer.
    pub fn as_i64(&self, key: &str) -> Result<i64> {
        match self {
            Value::Int(i) => Ok(*i),
            Value::Double(x) if x.fract() == 0.0 && x.is_finite() => Ok(*x as i64),
            other => Err(Error::argument_type(format!(
                "parameter '{key}' expects an integer, got {} {other}",
                other.type_name()
            ))),
        }
    }
    /// This value as a boolean.
    pub fn as_bool(&self, key: &str) -> Result<bool> {
        match self {
            Value::Bool(b) => Ok(*b),
            other => Err(Error::argument_type(format!(
                "parameter '{key}' expects a boolean, got {} {other}",
                other.type_name()
            ))),
        }
    }
    /// This value as a string.
    pub fn as_str(&self, key: &str) -> Result<&str> {
        match self {
            Value::Str(s) => Ok(s),
            other => Err(Error::argument_type(format!(
                "parameter '{key}' expects a string, got {} {other}",
                other.type_name()
            ))),
        }
    }
    /// This value as a vector of numbers in `unit`.
    pub fn as_f64_vec_in(&self, unit: Unit, key: &str) -> Result<Vec<f64>> {
        match self {
            Value::DoubleVec(v) => Ok(v.clone()),
            Value::IntVec(v) => Ok(v.iter().map(|&x| x as f64).collect()),
            Value::Array(a) => a.iter().map(|x| x.as_f64_in(unit, key)).collect(),
            other => Err(Error::argument_type(format!(
                "parameter '{key}' expects an array of numbers, got {} {other}",
                other.type_name()
            ))),
        }
    }
    /// This value as a vector of integers.
    pub fn as_i64_vec(&self, key: &str) -> Result<Vec<i64>> {
        match self {
            Value::IntVec(v) => Ok(v.clone()),
            Value::DoubleVec(v) => v.iter().map(|x| Value::Double(*x).as_i64(key)).collect(),
            Value::Array(a) => a.iter().map(|x| x.as_i64(key)).collect(),
            other => Err(Error::argument_type(format!(
                "parameter '{key}' expects an array of integers, got {} {other}",
                other.type_name()
            ))),
        }
    }
    /// This value as a list of strings.
    pub fn as_str_vec(&self, key: &str) -> Result<Vec<String>> {
        match self {
            Value::Array(a) => a.iter().map(|x| x.as_str(key).map(str::to_string)).collect(),
            Value::Str(s) => Ok(vec![s.clone()]),
            other => Err(Error::argument_type(format!(
                "parameter '{key}' expects an array of names, got {} {other}",
                other.type_name()
            ))),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, v: &[T], open: &str, close: &str) -> fmt::Result {
            write!(f, "{open}")?;
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    write!(f, " ")?;
                }
                if i >= 20 {
                    write!(f, "... ({} elements)", v.len())?;
                    break;
                }
                write!(f, "{x}")?;
            }
            write!(f, "{close}")
        }
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Double(x) => write!(f, "{x}"),
            Value::Quantity(q) => write!(f, "{q}"),
            Value::Str(s) => write!(f, "{s}"),
            Value::DoubleVec(v) => list(f, v, "<. ", " .>"),
            Value::IntVec(v) => list(f, v, "<# ", " #>"),
            Value::Array(v) => list(f, v, "[", "]"),
            Value::Dict(d) => {
                write!(f, "<<")?;
                for (k, v) in d {
                    write!(f, " /{k} {v}")?;
                }
                write!(f, " >>")
            }
        }
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Double(x)
    }
}
impl From<i64> for Value {
    fn from(x: i64) -> Self {
        Value::Int(x)
    }
}
impl From<bool> for Value {
    fn from(x: bool) -> Self {
        Value::Bool(x)
    }
}
impl From<&str> for Value {
    fn from(x: &str) -> Self {
        Value::Str(x.to_string())
    }
}
impl From<String> for Value {
    fn from(x: String) -> Self {
        Value::Str(x)
    }
}
impl From<Vec<f64>> for Value {
    fn from(x: Vec<f64>) -> Self {
        Value::DoubleVec(x)
    }
}
impl From<Vec<i64>> for Value {
    fn from(x: Vec<i64>) -> Self {
        Value::IntVec(x)
    }
}
impl From<Quantity> for Value {
    fn from(q: Quantity) -> Self {
        Value::Quantity(q)
    }
}
impl From<Dict> for Value {
    fn from(d: Dict) -> Self {
        Value::Dict(d)
    }
}

/// Builds a [`Dict`] from `key => value` pairs: `dict! { "I_e" => 376.0 }`.
#[macro_export]
macro_rules! dict {
    () => { $crate::value::Dict::new() };
    ($($k:expr => $v:expr),+ $(,)?) => {{
        let mut d = $crate::value::Dict::new();
        $( d.insert($k.to_string(), $crate::value::Value::from($v)); )+
        d
    }};
}
