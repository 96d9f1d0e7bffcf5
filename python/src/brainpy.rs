//! The BrainPy-style projections for Python (`nestor.brainpy`): thin wrappers of
//! `nestor_kernel::projection` (the same functions the Rust facade `nestor::brainpy` and SLI's
//! `AlignPostProj` & co. call), taking node collections as id ranges and components as
//! dictionaries in the SLI spelling (`{"model": "Expon", "tau": 5.0}`).
//!
//! A comm dictionary is what `Comm::from_dict` parses (`rule` fixed_prob / fixed_num /
//! all_to_all / one_to_one / pairs, `weight`, `delay`), plus one rule that only Python needs:
//! `{"rule": "dense", "weights": 2-d array w[pre][post]}` (brainpy's dense weight matrices),
//! handed to `Comm::dense` so that zero entries are skipped in one place.

use crate::{collection, dict_of, kernel, to_py, value_of, OrPy};
use nestor_kernel::projection::{self, Comm, Desc};
use nestor_kernel::spec::ParamValue;
use nestor_kernel::{Dict, Error, NodeCollection, Unit, Value};
use pyo3::prelude::*;
use pyo3::types::PyDict;

type Ranges = Vec<(u32, u32)>;

fn bad(py: Python<'_>, msg: String) -> PyErr {
    to_py(py, Error::bad_property(msg))
}

/// A comm dictionary as a kernel `Comm` (see the module documentation).
fn comm_of(py: Python<'_>, d: &Bound<'_, PyDict>) -> PyResult<Comm> {
    let mut dict = dict_of(py, d)?;
    if !matches!(dict.get("rule"), Some(Value::Str(r)) if r == "dense") {
        return Comm::from_dict(&dict).py(py);
    }
    dict.remove("rule");
    let rows = match dict.remove("weights") {
        Some(Value::Array(rows)) => rows,
        Some(other) => {
            return Err(bad(
                py,
                format!("comm /dense: weights must be a 2-d array w[pre][post], got {}", other.type_name()),
            ))
        }
        None => return Err(bad(py, "comm /dense needs weights (a 2-d array w[pre][post])".into())),
    };
    let w: Vec<Vec<f64>> =
        rows.iter().map(|r| r.as_f64_vec_in(Unit::Dimensionless, "weights")).collect::<Result<_, _>>().py(py)?;
    if let Some(k) = dict.keys().find(|k| k.as_str() != "delay") {
        return Err(bad(py, format!("comm /dense: unknown entry '{k}' (expected weights, delay)")));
    }
    // The delay is read and checked by the kernel's own comm parser.
    dict.insert("rule".into(), Value::Str("all_to_all".into()));
    let delay = Comm::from_dict(&dict).py(py)?.delay;
    Ok(Comm::dense(&w).with_delay(delay))
}

fn desc_of(py: Python<'_>, d: &Bound<'_, PyDict>) -> PyResult<Desc> {
    Ok(Desc(dict_of(py, d)?))
}

fn ranges_of(nc: &NodeCollection) -> Ranges {
    nc.ranges().to_vec()
}

/// `AlignPostProj(comm, syn, out, post)` from `pre`: returns the receptor used on `post`.
#[pyfunction]
#[pyo3(name = "bp_align_post_proj")]
fn align_post_proj(
    py: Python<'_>,
    pre: Ranges,
    post: Ranges,
    comm: &Bound<'_, PyDict>,
    syn: &Bound<'_, PyDict>,
    out: &Bound<'_, PyDict>,
) -> PyResult<i64> {
    let (comm, syn, out) = (comm_of(py, comm)?, desc_of(py, syn)?, desc_of(py, out)?);
    let (pre, post) = (collection(&pre), collection(&post));
    projection::align_post_proj(&mut *kernel()?, &pre, &post, &comm, &syn, &out).py(py)
}

/// `align_pre_projection(pre, stp, syn, comm, out, post)`: returns the ids (ranges) of the port
/// nodes that carry the presynaptic synapse values, one per presynaptic neuron.
#[pyfunction]
#[pyo3(name = "bp_align_pre_proj")]
#[pyo3(signature = (pre, post, comm, syn, out, stp=None))]
fn align_pre_proj(
    py: Python<'_>,
    pre: Ranges,
    post: Ranges,
    comm: &Bound<'_, PyDict>,
    syn: &Bound<'_, PyDict>,
    out: &Bound<'_, PyDict>,
    stp: Option<&Bound<'_, PyDict>>,
) -> PyResult<Ranges> {
    let (comm, syn, out) = (comm_of(py, comm)?, desc_of(py, syn)?, desc_of(py, out)?);
    let stp = stp.map(|d| desc_of(py, d)).transpose()?;
    let (pre, post) = (collection(&pre), collection(&post));
    let ports = projection::align_pre_proj(&mut *kernel()?, &pre, &post, stp.as_ref(), &syn, &comm, &out).py(py)?;
    Ok(ranges_of(&ports))
}

/// `CurrentProj(pre.prefetch(prefetch), comm, out, post)`: returns the receptor used on `post`.
#[pyfunction]
#[pyo3(name = "bp_current_proj")]
fn current_proj(
    py: Python<'_>,
    pre: Ranges,
    post: Ranges,
    prefetch: &str,
    comm: &Bound<'_, PyDict>,
    out: &Bound<'_, PyDict>,
) -> PyResult<i64> {
    let (comm, out) = (comm_of(py, comm)?, desc_of(py, out)?);
    let (pre, post) = (collection(&pre), collection(&post));
    projection::current_proj(&mut *kernel()?, &pre, &post, prefetch, &comm, &out).py(py)
}

/// `DeltaProj(comm, post)` from `pre`.
#[pyfunction]
#[pyo3(name = "bp_delta_proj")]
fn delta_proj(py: Python<'_>, pre: Ranges, post: Ranges, comm: &Bound<'_, PyDict>) -> PyResult<()> {
    let comm = comm_of(py, comm)?;
    let (pre, post) = (collection(&pre), collection(&post));
    projection::delta_proj(&mut *kernel()?, &pre, &post, &comm).py(py)
}

/// Gap junctions between `pre` and `post`: symmetric without `back_weight`, else asymmetric.
#[pyfunction]
#[pyo3(name = "bp_gap_junction")]
#[pyo3(signature = (pre, post, comm, back_weight=None))]
fn gap_junction(
    py: Python<'_>,
    pre: Ranges,
    post: Ranges,
    comm: &Bound<'_, PyDict>,
    back_weight: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let comm = comm_of(py, comm)?;
    let back = match back_weight.map(|b| value_of(py, "back_weight", b)).transpose()? {
        None => None,
        // A quantity stays one so that the receptor checks its dimension, as for `weight`.
        Some(Value::Quantity(q)) => Some(ParamValue::Quantity(q)),
        Some(v) => Some(ParamValue::from_value(&v, Unit::Dimensionless, "back_weight").py(py)?),
    };
    let (pre, post) = (collection(&pre), collection(&post));
    projection::gap_junction(&mut *kernel()?, &pre, &post, &comm, back.as_ref()).py(py)
}

/// Connects `pre` to `post` on `receptor` with a comm's rule, weights and brainpy's timing
/// (delay dt + the comm's delay): inputs (receptor 0: currents, 1: PoissonInput counts) and
/// readouts.
#[pyfunction]
#[pyo3(name = "bp_connect_comm")]
fn connect_comm(py: Python<'_>, pre: Ranges, post: Ranges, comm: &Bound<'_, PyDict>, receptor: i64) -> PyResult<()> {
    let comm = comm_of(py, comm)?;
    let (pre, post) = (collection(&pre), collection(&post));
    projection::connect_comm(&mut *kernel()?, &pre, &post, &comm, receptor).py(py)
}

/// Gives the population `nodes` a receptor described by `spec` (`{"synapse": …, "output": …}`)
/// and returns its number (`Kernel::add_receptor`).
#[pyfunction]
#[pyo3(name = "bp_add_receptor")]
fn add_receptor(py: Python<'_>, nodes: Ranges, spec: &Bound<'_, PyDict>) -> PyResult<i64> {
    let spec: Dict = dict_of(py, spec)?;
    kernel()?.add_receptor(&collection(&nodes), &spec).py(py)
}

/// Hands the recorders the last slice's data now (brainpy.state records every step at once;
/// NEST keeps the last slice back until the next Simulate).
#[pyfunction]
#[pyo3(name = "bp_flush_recorders")]
fn flush_recorders(py: Python<'_>) -> PyResult<()> {
    kernel()?.flush_recorders().py(py)
}

/// The kernel's units: (symbol, size in SI base units, exponents of length, mass, time,
/// current, temperature, amount, luminosity), so that Python quantities carry exactly the
/// dimensions the kernel checks against.
#[pyfunction]
#[pyo3(name = "bp_units")]
fn units() -> Vec<(String, f64, [i8; 7])> {
    Unit::ALL
        .iter()
        .filter(|u| !u.symbol().is_empty())
        .map(|u| (u.symbol().to_string(), u.si_factor(), u.dim().0))
        .collect()
}

/// Adds the `bp_*` functions to the extension module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(align_post_proj, m)?)?;
    m.add_function(wrap_pyfunction!(align_pre_proj, m)?)?;
    m.add_function(wrap_pyfunction!(current_proj, m)?)?;
    m.add_function(wrap_pyfunction!(delta_proj, m)?)?;
    m.add_function(wrap_pyfunction!(gap_junction, m)?)?;
    m.add_function(wrap_pyfunction!(connect_comm, m)?)?;
    m.add_function(wrap_pyfunction!(add_receptor, m)?)?;
    m.add_function(wrap_pyfunction!(flush_recorders, m)?)?;
    m.add_function(wrap_pyfunction!(units, m)?)?;
    Ok(())
}
