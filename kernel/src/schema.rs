//! Parameter schemas and the structure-of-arrays parameter table.
//!
//! A model declares its parameters and state variables once, as a static slice of [`ParamSpec`]:
//! NEST name, unit, NEST default, whether it is state, and a doc line. The schema drives
//! GetStatus/SetStatus, GetDefaults/SetDefaults/CopyModel and `help`. Values live in a
//! [`ParamTable`]: one `Vec<f64>` column per entry, indexed by the neuron's local index, so update
//! loops read plain slices.

use crate::error::{hint, Error, Result};
use crate::units::Unit;
use crate::value::{Dict, Value};

/// One entry of a model's schema.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// NEST's key, e.g. "V_m".
    pub name: &'static str,
    /// Storage unit (NEST's); also says whether the value is a number, integer or bool.
    pub unit: Unit,
    /// NEST's default value in `unit`.
    pub default: f64,
    /// True for state variables (V_m, I_syn_ex, ...), false for parameters.
    pub state: bool,
    /// True when GetStatus shows it but SetStatus may not change it.
    pub read_only: bool,
    /// One-line meaning.
    pub doc: &'static str,
}

impl ParamSpec {
    /// A parameter.
    pub const fn param(name: &'static str, unit: Unit, default: f64, doc: &'static str) -> Self {
        ParamSpec { name, unit, default, state: false, read_only: false, doc }
    }
    /// A state variable.
    pub const fn state(name: &'static str, unit: Unit, default: f64, doc: &'static str) -> Self {
        ParamSpec { name, unit, default, state: true, read_only: false, doc }
    }
    /// A read-only state variable (shown by GetStatus, rejected by SetStatus).
    pub const fn read_only(name: &'static str, unit: Unit, default: f64, doc: &'static str) -> Self {
        ParamSpec { name, unit, default, state: true, read_only: true, doc }
    }
    /// The value as a status-dictionary entry.
    pub fn to_value(&self, x: f64) -> Value {
        match self.unit {
            Unit::Bool => Value::Bool(x != 0.0),
            Unit::Integer => Value::Int(x as i64),
            _ => Value::Double(x),
        }
    }
    /// Converts a status-dictionary entry into the stored number.
    pub fn from_value(&self, v: &Value) -> Result<f64> {
        match self.unit {
            Unit::Bool => Ok(if v.as_bool(self.name)? { 1.0 } else { 0.0 }),
            Unit::Integer => Ok(v.as_i64(self.name)? as f64),
            u => {
                let x = v.as_f64_in(u, self.name)?;
                if x.is_nan() {
                    return Err(Error::bad_property(format!("parameter '{}' must not be NaN", self.name)));
                }
                Ok(x)
            }
        }
    }
}

/// Position of `name` in `specs`.
pub fn index_of(specs: &[ParamSpec], name: &str) -> Option<usize> {
    specs.iter().position(|s| s.name == name)
}

/// Structure-of-arrays storage of a schema's values for `n` nodes.
#[derive(Debug, Clone)]
pub struct ParamTable {
    specs: &'static [ParamSpec],
    cols: Vec<Vec<f64>>,
}

impl ParamTable {
    /// A table of `n` nodes at the schema defaults.
    pub fn new(specs: &'static [ParamSpec], n: usize) -> Self {
        ParamTable { specs, cols: specs.iter().map(|s| vec![s.default; n]).collect() }
    }
    /// The schema.
    pub fn specs(&self) -> &'static [ParamSpec] {
        self.specs
    }
    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.cols.first().map_or(0, Vec::len)
    }
    /// True when the table holds no node.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Column `k` (all nodes' values of entry `k`).
    #[inline]
    pub fn col(&self, k: usize) -> &[f64] {
        &self.cols[k]
    }
    /// Mutable column `k`.
    #[inline]
    pub fn col_mut(&mut self, k: usize) -> &mut [f64] {
        &mut self.cols[k]
    }
    /// All columns, mutably, for update loops that need several at once.
    pub fn cols_mut(&mut self) -> &mut [Vec<f64>] {
        &mut self.cols
    }
    /// Value of entry `k` of node `i`.
    #[inline]
    pub fn get(&self, k: usize, i: usize) -> f64 {
        self.cols[k][i]
    }
    /// Sets entry `k` of node `i`.
    #[inline]
    pub fn set(&mut self, k: usize, i: usize, x: f64) {
        self.cols[k][i] = x;
    }
    /// A copy of node `i`'s values, in schema order.
    pub fn row(&self, i: usize) -> Vec<f64> {
        self.cols.iter().map(|c| c[i]).collect()
    }
    /// Writes a row back.
    pub fn set_row(&mut self, i: usize, row: &[f64]) {
        for (c, x) in self.cols.iter_mut().zip(row) {
            c[i] = *x;
        }
    }
    /// Adds node `i`'s entries to `d`.
    pub fn write_dict(&self, i: usize, d: &mut Dict) {
        for (s, c) in self.specs.iter().zip(&self.cols) {
            d.insert(s.name.to_string(), s.to_value(c[i]));
        }
    }
    /// Applies the schema entries of `d` to `row`; returns the keys that are not in the schema.
    pub fn apply<'d>(&self, d: &'d Dict, row: &mut [f64], model: &str) -> Result<Vec<(&'d str, &'d Value)>> {
        let mut rest = Vec::new();
        for (k, v) in d {
            match index_of(self.specs, k) {
                Some(idx) => {
                    let s = &self.specs[idx];
                    if s.read_only {
                        return Err(Error::bad_property(format!(
                            "'{k}' of model {model} is read-only and cannot be set"
                        )));
                    }
                    row[idx] = s.from_value(v)?;
                }
                None => rest.push((k.as_str(), v)),
            }
        }
        Ok(rest)
    }
}

/// The error for a key that a model does not have, with a close-match hint.
pub fn unknown_key(model: &str, key: &str, known: &[&str]) -> Error {
    Error::bad_property(format!("model {model} has no parameter '{key}'{}", hint(key, known.iter().copied())))
}
