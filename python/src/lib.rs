//! # nestor-python
//!
//! The native half of the `nestor` Python package: one process-wide nestor kernel (the same
//! kernel, models and devices as the `nestor` crate) and conversions between Python objects and
//! status dictionaries. The PyNEST-compatible API (`NodeCollection`, `Connect`, `nest.random`, …)
//! is the Python half in `python/nestor/`; it only arranges arguments and calls these functions.
//!
//! Conventions: node collections cross the boundary as lists of inclusive id ranges
//! `[(first, last), …]`; kernel errors become the Python class of the same NEST name from
//! `nestor.errors` (subclasses of `NESTError`); `simulate` releases the GIL and stops at the next
//! slice boundary on Ctrl-C, raising `KeyboardInterrupt`.

use nestor_kernel::{
    ConnFilter, ConnSpec, ConnectionInfo, Dict, Error, ErrorKind, Kernel, NodeCollection, Rule, SynSpec, Value,
};
use numpy::PyArray1;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::sync::{Mutex, MutexGuard, OnceLock};

mod brainpy;

/// The kernel of this process (PyNEST also has exactly one).
pub(crate) fn kernel() -> PyResult<MutexGuard<'static, Kernel>> {
    static K: OnceLock<Mutex<Kernel>> = OnceLock::new();
    K.get_or_init(|| Mutex::new(nestor::kernel()))
        .lock()
        .map_err(|_| PyRuntimeError::new_err("the nestor kernel is unusable after a crash in another thread"))
}

/// A kernel error as the Python exception class of its NEST name.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let name = e.kind.sli_name();
    let made = py.import("nestor.errors").and_then(|m| m.getattr(name)).and_then(|cls| cls.call1((e.message.clone(),)));
    match made {
        Ok(obj) => PyErr::from_value(obj),
        Err(err) => err,
    }
}

pub(crate) trait OrPy<T> {
    fn py(self, py: Python<'_>) -> PyResult<T>;
}
impl<T> OrPy<T> for nestor_kernel::Result<T> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py(py, e))
    }
}

fn arg_err(py: Python<'_>, msg: String) -> PyErr {
    to_py(py, Error::argument_type(msg))
}

// ------------------------------------------------------------------ Python → kernel values

/// A Python object as a kernel value. Objects with a `_to_kernel()` method (nestor's
/// `Parameter`, quantities) are asked for their kernel form first.
pub(crate) fn value_of(py: Python<'_>, key: &str, o: &Bound<'_, PyAny>) -> PyResult<Value> {
    value_at(py, key, o, 0)
}

/// Nesting deeper than this is taken for a self-containing object (an iterable of itself).
const MAX_DEPTH: usize = 32;

fn value_at(py: Python<'_>, key: &str, o: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(arg_err(py, format!("parameter '{key}': value nested more than {MAX_DEPTH} levels deep")));
    }
    let value_of = |py: Python<'_>, key: &str, x: &Bound<'_, PyAny>| value_at(py, key, x, depth + 1);
    if o.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(o.extract()?));
    }
    if o.is_instance_of::<PyInt>() {
        return o
            .extract::<i64>()
            .map(Value::Int)
            .map_err(|_| arg_err(py, format!("parameter '{key}': the integer {o} does not fit 64 bits")));
    }
    if o.is_instance_of::<PyFloat>() {
        return Ok(Value::Double(o.extract()?));
    }
    if o.is_instance_of::<PyString>() {
        return Ok(Value::Str(o.extract()?));
    }
    if let Ok(d) = o.cast::<PyDict>() {
        return Ok(Value::Dict(dict_of(py, d)?));
    }
    // nestor's NodeCollection and Parameter give their kernel form.
    if o.hasattr("_to_kernel")? {
        return value_of(py, key, &o.call_method0("_to_kernel")?);
    }
    // A physical quantity (pint and look-alikes): SI magnitude and dimension exponents; the kernel
    // converts it to the parameter's unit or names the wrong dimension.
    if o.hasattr("dimensionality")? && o.hasattr("to_base_units")? {
        let base = o.call_method0("to_base_units")?;
        let si: f64 = base.getattr("magnitude")?.extract()?;
        let dims = base.getattr("dimensionality")?;
        let mut dim = [0i8; 7];
        const NAMES: [&str; 7] =
            ["[length]", "[mass]", "[time]", "[current]", "[temperature]", "[substance]", "[luminosity]"];
        for (i, n) in NAMES.iter().enumerate() {
            if let Ok(e) = dims.get_item(*n) {
                dim[i] = e.extract::<f64>()? as i8;
            }
        }
        return Ok(Value::Quantity(nestor_kernel::Quantity { si, dim: nestor_kernel::units::Dim(dim) }));
    }
    // numpy scalars (np.int64, np.bool_, …) and 0-d arrays
    if o.hasattr("dtype")?
        && o.hasattr("item")?
        && o.getattr("ndim").and_then(|n| n.extract::<usize>()).unwrap_or(1) == 0
    {
        return value_of(py, key, &o.call_method0("item")?);
    }
    if o.hasattr("tolist")? && o.hasattr("dtype")? {
        return value_of(py, key, &o.call_method0("tolist")?);
    }
    if o.is_instance_of::<PyList>() || o.is_instance_of::<PyTuple>() || o.hasattr("__iter__")? && !o.hasattr("keys")? {
        let items: Vec<Value> = o.try_iter()?.map(|x| value_of(py, key, &x?)).collect::<PyResult<_>>()?;
        if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Int(_))) {
            return Ok(Value::IntVec(items.iter().map(|v| if let Value::Int(i) = v { *i } else { 0 }).collect()));
        }
        if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Int(_) | Value::Double(_))) {
            return Ok(Value::DoubleVec(
                items
                    .iter()
                    .map(|v| match v {
                        Value::Int(i) => *i as f64,
                        Value::Double(x) => *x,
                        _ => 0.0,
                    })
                    .collect(),
            ));
        }
        return Ok(Value::Array(items));
    }
    if o.is_none() {
        return Err(arg_err(py, format!("parameter '{key}': None is not a value")));
    }
    let t = o.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    Err(arg_err(py, format!("parameter '{key}': a Python {t} ({o}) cannot be a NEST value")))
}

pub(crate) fn dict_of(py: Python<'_>, d: &Bound<'_, PyDict>) -> PyResult<Dict> {
    let mut out = Dict::new();
    for (k, v) in d.iter() {
        let key: String = k.extract().map_err(|_| arg_err(py, format!("dictionary keys must be strings, got {k}")))?;
        let val = value_of(py, &key, &v)?;
        out.insert(key, val);
    }
    Ok(out)
}

fn opt_dict(py: Python<'_>, d: Option<&Bound<'_, PyDict>>) -> PyResult<Dict> {
    d.map(|d| dict_of(py, d)).transpose().map(|d| d.unwrap_or_default())
}

// ------------------------------------------------------------------ kernel values → Python

fn py_of<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => i.into_pyobject(py)?.into_any(),
        Value::Double(x) => x.into_pyobject(py)?.into_any(),
        Value::Quantity(q) => {
            let f = nestor_kernel::Unit::ALL.iter().find(|u| u.dim() == q.dim).map_or(1.0, |u| u.si_factor());
            (q.si / f).into_pyobject(py)?.into_any()
        }
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::DoubleVec(x) => PyArray1::from_slice(py, x).into_any(),
        Value::IntVec(x) => PyArray1::from_slice(py, x).into_any(),
        Value::Array(a) => array_of(py, a)?,
        Value::Dict(d) => py_dict(py, d)?.into_any(),
    })
}

/// A heterogeneous array the way PyNEST 3.10 returns it: names and dictionaries as lists (NEST's
/// vector<string>, vector<Dictionary>), rows of numbers as a 2-d numpy array, anything else as
/// a tuple.
fn array_of<'py>(py: Python<'py>, a: &[Value]) -> PyResult<Bound<'py, PyAny>> {
    let items: Vec<Bound<'py, PyAny>> = a.iter().map(|x| py_of(py, x)).collect::<PyResult<_>>()?;
    if a.is_empty() || a.iter().all(|v| matches!(v, Value::Str(_))) || a.iter().all(|v| matches!(v, Value::Dict(_))) {
        return Ok(PyList::new(py, items)?.into_any());
    }
    let rows: Option<Vec<&Vec<f64>>> =
        a.iter().map(|v| if let Value::DoubleVec(r) = v { Some(r) } else { None }).collect();
    if let Some(rows) = rows {
        if rows.iter().all(|r| r.len() == rows[0].len()) {
            let flat: Vec<f64> = rows.iter().flat_map(|r| r.iter().copied()).collect();
            let arr = PyArray1::from_vec(py, flat);
            return arr.call_method1("reshape", ((rows.len(), rows[0].len()),));
        }
    }
    Ok(PyTuple::new(py, items)?.into_any())
}

fn py_dict<'py>(py: Python<'py>, d: &Dict) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (k, v) in d {
        out.set_item(k, py_of(py, v)?)?;
    }
    Ok(out)
}

pub(crate) fn collection(ranges: &[(u32, u32)]) -> NodeCollection {
    let mut ids = Vec::with_capacity(ranges.iter().map(|&(a, b)| (b.saturating_sub(a) + 1) as usize).sum());
    for &(a, b) in ranges {
        ids.extend(a..=b);
    }
    NodeCollection::from_ids(&ids)
}

// ------------------------------------------------------------------ nodes and models

/// Creates `n` nodes of `model` with `params` for all of them; returns the first id.
#[pyfunction]
#[pyo3(signature = (model, n, params=None))]
fn create(py: Python<'_>, model: &str, n: usize, params: Option<&Bound<'_, PyDict>>) -> PyResult<u32> {
    let params = params.map(|d| dict_of(py, d)).transpose()?;
    let nc = kernel()?.create(model, n, params.as_ref()).py(py)?;
    Ok(nc.first().unwrap_or(0))
}

/// The status dictionaries of the nodes in `ranges`, in order.
#[pyfunction]
fn get_status<'py>(py: Python<'py>, ranges: Vec<(u32, u32)>) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let k = kernel()?;
    let mut out = Vec::new();
    for &(a, b) in &ranges {
        for id in a..=b {
            let d = k.get_status(id).py(py)?;
            out.push(py_dict(py, &d)?);
        }
    }
    Ok(out)
}

/// The values of `key` of the nodes in `ranges`; a node without the key raises KeyError.
#[pyfunction]
fn get_values<'py>(py: Python<'py>, ranges: Vec<(u32, u32)>, key: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let k = kernel()?;
    let mut out = Vec::new();
    for &(a, b) in &ranges {
        for id in a..=b {
            let mut d = k.get_status(id).py(py)?;
            match d.remove(key) {
                Some(v) => out.push(py_of(py, &v)?),
                None => {
                    let model = k.model_of(id).unwrap_or("?");
                    return Err(pyo3::exceptions::PyKeyError::new_err(format!(
                        "node {id} ({model}) has no parameter '{key}'"
                    )));
                }
            }
        }
    }
    Ok(out)
}

/// SetStatus: one dictionary for all nodes, or one per node.
#[pyfunction]
fn set_status(py: Python<'_>, ranges: Vec<(u32, u32)>, dicts: Vec<Bound<'_, PyDict>>) -> PyResult<()> {
    let dicts: Vec<Dict> = dicts.iter().map(|d| dict_of(py, d)).collect::<PyResult<_>>()?;
    let nodes = collection(&ranges);
    kernel()?.set_status_all(&nodes, &dicts).py(py)
}

#[pyfunction]
fn model_of(py: Python<'_>, id: u32) -> PyResult<String> {
    kernel()?.model_of(id).map(str::to_string).py(py)
}

/// The models of the nodes in `ranges` (one name per node).
#[pyfunction]
fn models_of(py: Python<'_>, ranges: Vec<(u32, u32)>) -> PyResult<Vec<String>> {
    let k = kernel()?;
    let mut out = Vec::new();
    for &(a, b) in &ranges {
        for id in a..=b {
            out.push(k.model_of(id).map(str::to_string).py(py)?);
        }
    }
    Ok(out)
}

#[pyfunction]
fn get_defaults<'py>(py: Python<'py>, model: &str) -> PyResult<Bound<'py, PyDict>> {
    let d = kernel()?.get_defaults(model).py(py)?;
    py_dict(py, &d)
}

#[pyfunction]
fn set_defaults(py: Python<'_>, model: &str, params: &Bound<'_, PyDict>) -> PyResult<()> {
    let d = dict_of(py, params)?;
    kernel()?.set_defaults(model, &d).py(py)
}

#[pyfunction]
#[pyo3(signature = (old, new, params=None))]
fn copy_model(py: Python<'_>, old: &str, new: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
    let d = opt_dict(py, params)?;
    kernel()?.copy_model(old, new, &d).py(py)
}

/// The NEST-family node models, the BrainPy-family node models and the synapse models, in
/// registration order.
#[pyfunction]
fn models() -> PyResult<(Vec<String>, Vec<String>, Vec<String>)> {
    let k = kernel()?;
    let r = k.registry();
    let is_bp = |m: &&nestor_kernel::registry::ModelEntry| m.factory.doc().contains("(brainpy.state)");
    Ok((
        r.models.iter().filter(|m| !is_bp(m)).map(|m| m.name.clone()).collect(),
        r.models.iter().filter(is_bp).map(|m| m.name.clone()).collect(),
        r.synapses.iter().map(|m| m.name.clone()).collect(),
    ))
}

// ------------------------------------------------------------------ kernel

#[pyfunction]
fn kernel_status<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
    let d = kernel()?.kernel_status();
    py_dict(py, &d)
}

#[pyfunction]
fn set_kernel_status(py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<()> {
    let d = dict_of(py, params)?;
    kernel()?.set_kernel_status(&d).py(py)
}

#[pyfunction]
fn reset_kernel(py: Python<'_>) -> PyResult<()> {
    kernel()?.reset().py(py)
}

/// Simulates `t` ms with the GIL released. Ctrl-C stops at the next slice boundary (the kernel
/// stays consistent) and raises KeyboardInterrupt.
#[pyfunction]
fn simulate(py: Python<'_>, t: f64) -> PyResult<()> {
    let flag = kernel()?.interrupt_handle();
    // Chains to Python's own handler, which marks the signal for `check_signals` below.
    let hook = signal_hook::flag::register(signal_hook::consts::SIGINT, flag.clone()).ok();
    let res = py.detach(|| -> nestor_kernel::Result<()> {
        let mut k = kernel().map_err(|_| Error::new(ErrorKind::KernelException, "the kernel is unusable"))?;
        k.simulate(t)
    });
    if let Some(id) = hook {
        signal_hook::low_level::unregister(id);
    }
    flag.store(false, std::sync::atomic::Ordering::SeqCst);
    match res {
        Err(e) if e.kind == ErrorKind::Interrupted => {
            py.check_signals()?;
            Err(pyo3::exceptions::PyKeyboardInterrupt::new_err(e.message))
        }
        r => r.py(py),
    }
}

/// NEST's Prepare (a series of Run calls follows; recording backends keep their files open).
#[pyfunction]
fn begin_runs(py: Python<'_>) -> PyResult<()> {
    kernel()?.begin_runs().py(py)
}

/// NEST's Cleanup (ends a series of Run calls).
#[pyfunction]
fn end_runs(py: Python<'_>) -> PyResult<()> {
    kernel()?.end_runs().py(py)
}

/// One value of a parameter dictionary (``Parameter.GetValue``).
#[pyfunction]
fn draw(py: Python<'_>, spec: &Bound<'_, PyDict>) -> PyResult<f64> {
    let d = dict_of(py, spec)?;
    kernel()?.draw_value(&d).py(py)
}

#[pyfunction]
fn time() -> PyResult<f64> {
    Ok(kernel()?.time())
}

#[pyfunction]
fn network_size() -> PyResult<usize> {
    Ok(kernel()?.network_size())
}

// ------------------------------------------------------------------ connections

/// Connects the nodes in `pre` to those in `post` (id ranges) with a conn_spec and a syn_spec
/// dictionary (NEST 3 spelling, already normalised by the Python layer).
#[pyfunction]
fn connect(
    py: Python<'_>,
    pre: Vec<(u32, u32)>,
    post: Vec<(u32, u32)>,
    conn_spec: &Bound<'_, PyDict>,
    syn_spec: &Bound<'_, PyDict>,
) -> PyResult<()> {
    let cs = ConnSpec::from_dict(&dict_of(py, conn_spec)?).py(py)?;
    let ss = SynSpec::from_dict(&dict_of(py, syn_spec)?).py(py)?;
    let (pre, post) = (collection(&pre), collection(&post));
    kernel()?.connect(&pre, &post, &cs, &ss).py(py)
}

/// Disconnect of node collections (id ranges) with a rule (`one_to_one` or `all_to_all`) and a
/// synapse model; returns how many connections were removed.
#[pyfunction]
fn disconnect(
    py: Python<'_>,
    pre: Vec<(u32, u32)>,
    post: Vec<(u32, u32)>,
    rule: &str,
    synapse_model: &str,
) -> PyResult<usize> {
    let rule = match rule {
        "one_to_one" => Rule::OneToOne,
        "all_to_all" => Rule::AllToAll,
        other => {
            return Err(to_py(
                py,
                Error::new(
                    ErrorKind::NotImplemented,
                    format!("Disconnect supports the rules one_to_one and all_to_all, not '{other}'"),
                ),
            ))
        }
    };
    let (pre, post) = (collection(&pre), collection(&post));
    kernel()?.disconnect(&pre, &post, &rule, synapse_model).py(py)
}

/// A list of connections (what GetConnections returns); the Python `SynapseCollection` wraps it.
#[pyclass(module = "nestor._nestor", frozen)]
struct Connections {
    items: Vec<ConnectionInfo>,
}

#[pymethods]
impl Connections {
    fn __len__(&self) -> usize {
        self.items.len()
    }
    /// The connections at `indices` (in that order).
    fn take(&self, indices: Vec<usize>) -> PyResult<Connections> {
        let mut items = Vec::with_capacity(indices.len());
        for i in indices {
            let c = self.items.get(i).ok_or_else(|| {
                pyo3::exceptions::PyIndexError::new_err(format!(
                    "connection index {i} out of range for {} connections",
                    self.items.len()
                ))
            })?;
            items.push(c.clone());
        }
        Ok(Connections { items })
    }
    /// These connections followed by `other`'s.
    fn concat(&self, other: &Connections) -> Connections {
        Connections { items: self.items.iter().chain(&other.items).cloned().collect() }
    }
    fn sources<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        PyArray1::from_iter(py, self.items.iter().map(|c| c.source as i64))
    }
    fn targets<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        PyArray1::from_iter(py, self.items.iter().map(|c| c.target as i64))
    }
    fn synapse_models(&self) -> Vec<String> {
        self.items.iter().map(|c| c.synapse_model.clone()).collect()
    }
    /// The status dictionary of every connection.
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let k = kernel()?;
        self.items.iter().map(|c| py_dict(py, &k.connection_status(c).py(py)?)).collect()
    }
    /// Removes these connections (NEST's `SynapseCollection.disconnect`); returns how many.
    fn disconnect(&self, py: Python<'_>) -> PyResult<usize> {
        kernel()?.disconnect_connections(&self.items).py(py)
    }
    /// SetStatus with one dictionary for all connections or one per connection.
    fn set(&self, py: Python<'_>, dicts: Vec<Bound<'_, PyDict>>) -> PyResult<()> {
        let dicts: Vec<Dict> = dicts.iter().map(|d| dict_of(py, d)).collect::<PyResult<_>>()?;
        if dicts.len() != 1 && dicts.len() != self.items.len() {
            return Err(to_py(
                py,
                Error::new(
                    ErrorKind::BadProperty,
                    format!(
                        "{} dictionaries given for {} connections; expected 1 or {}",
                        dicts.len(),
                        self.items.len(),
                        self.items.len()
                    ),
                ),
            ));
        }
        let mut k = kernel()?;
        for (i, c) in self.items.iter().enumerate() {
            k.set_connection_status(c, &dicts[if dicts.len() == 1 { 0 } else { i }]).py(py)?;
        }
        Ok(())
    }
}

/// GetConnections with optional source/target ranges and synapse model.
#[pyfunction]
#[pyo3(signature = (source=None, target=None, synapse_model=None))]
fn get_connections(
    py: Python<'_>,
    source: Option<Vec<(u32, u32)>>,
    target: Option<Vec<(u32, u32)>>,
    synapse_model: Option<String>,
) -> PyResult<Connections> {
    let f =
        ConnFilter { source: source.map(|r| collection(&r)), target: target.map(|r| collection(&r)), synapse_model };
    let items = kernel()?.get_connections(&f).py(py)?;
    Ok(Connections { items })
}

#[pymodule]
fn _nestor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(create, m)?)?;
    m.add_function(wrap_pyfunction!(get_status, m)?)?;
    m.add_function(wrap_pyfunction!(get_values, m)?)?;
    m.add_function(wrap_pyfunction!(set_status, m)?)?;
    m.add_function(wrap_pyfunction!(model_of, m)?)?;
    m.add_function(wrap_pyfunction!(models_of, m)?)?;
    m.add_function(wrap_pyfunction!(get_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(set_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(copy_model, m)?)?;
    m.add_function(wrap_pyfunction!(models, m)?)?;
    m.add_function(wrap_pyfunction!(kernel_status, m)?)?;
    m.add_function(wrap_pyfunction!(set_kernel_status, m)?)?;
    m.add_function(wrap_pyfunction!(reset_kernel, m)?)?;
    m.add_function(wrap_pyfunction!(simulate, m)?)?;
    m.add_function(wrap_pyfunction!(begin_runs, m)?)?;
    m.add_function(wrap_pyfunction!(end_runs, m)?)?;
    m.add_function(wrap_pyfunction!(time, m)?)?;
    m.add_function(wrap_pyfunction!(draw, m)?)?;
    m.add_function(wrap_pyfunction!(network_size, m)?)?;
    m.add_function(wrap_pyfunction!(connect, m)?)?;
    m.add_function(wrap_pyfunction!(disconnect, m)?)?;
    m.add_function(wrap_pyfunction!(get_connections, m)?)?;
    m.add_class::<Connections>()?;
    brainpy::register(m)?;
    Ok(())
}
