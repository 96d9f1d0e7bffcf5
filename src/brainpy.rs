//! # BrainPy-style projections on the nestor kernel
//!
//! The Rust surface of the BrainPy family (models in `nestor_models::brainpy`), shaped like
//! brainpy.state's API:
//!
//! ```no_run
//! use nestor::brainpy::{align_post_proj, Comm, Out, Syn};
//! use nestor::prelude::*;
//! let mut k = nestor::kernel();
//! let n = k.create("LIFRef", 4000, None).unwrap();
//! let (e, i) = (n.slice(0, 3200, 1).unwrap(), n.slice(3200, 4000, 1).unwrap());
//! align_post_proj(&mut k, &e, &n, &Comm::fixed_prob(0.02, 0.6), &Syn::expon(5.0), &Out::coba(0.0)).unwrap();
//! align_post_proj(&mut k, &i, &n, &Comm::fixed_prob(0.02, 6.7), &Syn::expon(10.0), &Out::coba(-80.0)).unwrap();
//! ```
//!
//! * [`align_post_proj`] — brainpy's `AlignPostProj(comm, syn, out, post)`: one synapse state per
//!   postsynaptic neuron (linear synapses only); equal (syn, out) pairs onto one population share
//!   the state, as brainpy merges them.
//! * [`align_pre_proj`] — `align_pre_projection(spikes, stp, syn, comm, out, post)`: STP and
//!   synapse state per presynaptic neuron; every step the post neurons receive Σ w·g.
//! * [`delta_proj`] — `DeltaProj(comm, post)`: spikes add Σ w to the postsynaptic V.
//! * [`current_proj`] — `CurrentProj(pre.prefetch('V'), comm, out, post)`: every step the post
//!   neurons receive Σ w·(a presynaptic variable at the start of the step) through `out`.
//! * [`gap_junction`] — symmetric or asymmetric gap junctions (brainpy's
//!   `SymmetryGapJunction`/`AsymmetryGapJunction`).
//!
//! Timing: brainpy's projections see the spikes of the previous step, a nestor delay of one
//! resolution step; an extra brainpy delay `D` (`Comm::with_delay`) becomes `dt + D`. Weights are
//! numbers in the receptor's unit (mS for COBA/MgBlock and for CUBA with its default scale of 1 V,
//! mV for delta projections, dimensionless factors of the presynaptic `g` for align-pre) or
//! quantities, checked against that unit when connecting.

use crate::validate::json_dict;
pub use nestor_kernel::projection::{
    align_post_proj, align_pre_proj, connect_comm, current_proj, delta_proj, desc, gap_junction, Comm, Conn, Desc,
};
use nestor_kernel::value::{Dict, Value};
use nestor_kernel::{ConnSpec, Error, Kernel, NodeCollection, Result, Rule, SynSpec};

/// Synapse descriptions.
pub struct Syn;
impl Syn {
    /// `Expon(tau)` (ms).
    pub fn expon(tau: f64) -> Desc {
        desc("Expon", &[("tau", Value::Double(tau))])
    }
    /// `DualExpon(tau_decay, tau_rise)` (ms), normalized.
    pub fn dual_expon(tau_decay: f64, tau_rise: f64) -> Desc {
        desc("DualExpon", &[("tau_decay", Value::Double(tau_decay)), ("tau_rise", Value::Double(tau_rise))])
    }
    /// `Alpha(tau)` (ms).
    pub fn alpha(tau: f64) -> Desc {
        desc("Alpha", &[("tau", Value::Double(tau))])
    }
    /// `AMPA()` with brainpy's defaults.
    pub fn ampa() -> Desc {
        desc("AMPA", &[])
    }
    /// `GABAa()` with brainpy's defaults.
    pub fn gaba_a() -> Desc {
        desc("GABAa", &[])
    }
    /// `BioNMDA()` with brainpy's defaults.
    pub fn bio_nmda() -> Desc {
        desc("BioNMDA", &[])
    }
    /// Any synapse model with parameters.
    pub fn with(model: &str, params: &[(&str, Value)]) -> Desc {
        desc(model, params)
    }
}

/// Output descriptions.
pub struct Out;
impl Out {
    /// `COBA(E)` (mV).
    pub fn coba(e: f64) -> Desc {
        desc("COBA", &[("E", Value::Double(e))])
    }
    /// `CUBA()` with brainpy's default scale of 1 V.
    pub fn cuba() -> Desc {
        desc("CUBA", &[])
    }
    /// `CUBA(scale)` with a scale quantity (or a plain number: dimensionless).
    pub fn cuba_scale(scale: Value) -> Desc {
        desc("CUBA", &[("scale", scale)])
    }
    /// `MgBlock(E)` (mV) with brainpy's other defaults.
    pub fn mg_block(e: f64) -> Desc {
        desc("MgBlock", &[("E", Value::Double(e))])
    }
}

/// Short-term plasticity descriptions.
pub struct Stp;
impl Stp {
    /// `STP(U, tau_f, tau_d)`.
    pub fn stp(u: f64, tau_f: f64, tau_d: f64) -> Desc {
        desc("STP", &[("U", Value::Double(u)), ("tau_f", Value::Double(tau_f)), ("tau_d", Value::Double(tau_d))])
    }
    /// `STD(tau, U)`.
    pub fn std(tau: f64, u: f64) -> Desc {
        desc("STD", &[("tau", Value::Double(tau)), ("U", Value::Double(u))])
    }
}

/// Parameters of the seed's E/I network (brainpy.state's COBA example).
#[derive(Debug, Clone)]
pub struct EiParams {
    /// Excitatory neurons (3200).
    pub n_exc: usize,
    /// Inhibitory neurons (800).
    pub n_inh: usize,
    /// Connection probability (0.02).
    pub p: f64,
    /// Excitatory weight, mS (0.6).
    pub w_exc: f64,
    /// Inhibitory weight, mS (6.7).
    pub w_inh: f64,
    /// Constant input current, mA (20).
    pub input: f64,
    /// Seed of the initial potentials.
    pub seed: u64,
}

impl Default for EiParams {
    fn default() -> Self {
        EiParams { n_exc: 3200, n_inh: 800, p: 0.02, w_exc: 0.6, w_inh: 6.7, input: 20.0, seed: 42 }
    }
}

/// Builds the seed's E/I network: `LIFRef` (V_rest −60 mV, V_th −50 mV, V_reset −60 mV,
/// tau 20 ms, tau_ref 5 ms, V ~ Normal(−55, 2) mV), `Expon` 5/10 ms with `COBA` 0/−80 mV, fixed
/// probability connectivity, constant input. Returns the population.
pub fn ei_coba(k: &mut Kernel, p: &EiParams) -> Result<NodeCollection> {
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};
    let n = p.n_exc + p.n_inh;
    let params = nestor_kernel::dict! {
        "V_rest" => -60.0, "V_th" => -50.0, "V_reset" => -60.0, "tau" => 20.0, "tau_ref" => 5.0,
        "I_ext" => p.input
    };
    let pop = k.create("LIFRef", n, Some(&params))?;
    let mut rng = rand_pcg::Pcg64::seed_from_u64(p.seed);
    let normal = Normal::new(-55.0, 2.0).map_err(|e| Error::bad_parameter(e.to_string()))?;
    let dicts: Vec<Dict> = (0..n).map(|_| nestor_kernel::dict! { "V" => normal.sample(&mut rng) }).collect();
    k.set_status_all(&pop, &dicts)?;
    let e = pop.slice(0, p.n_exc, 1)?;
    let i = pop.slice(p.n_exc, n, 1)?;
    align_post_proj(k, &e, &pop, &Comm::fixed_prob(p.p, p.w_exc), &Syn::expon(5.0), &Out::coba(0.0))?;
    align_post_proj(k, &i, &pop, &Comm::fixed_prob(p.p, p.w_inh), &Syn::expon(10.0), &Out::coba(-80.0))?;
    Ok(pop)
}

/// The result of running a brainpy reference protocol (see `validation/brainpy/`).
#[derive(Debug, Clone, Default)]
pub struct ProtocolRun {
    /// V of the recorded population after every step: `v[step][neuron]`.
    pub v: Vec<Vec<f64>>,
    /// (step, neuron) of every spike of the recorded population.
    pub spikes: Vec<(usize, usize)>,
}

/// Runs a brainpy reference protocol (the JSON written by
/// `validation/brainpy/make_references.py`) with nestor and returns the recorded trace.
pub fn run_protocol(proto: &serde_json::Value) -> Result<ProtocolRun> {
    let bad = |what: &str| Error::bad_parameter(format!("brainpy protocol: {what}"));
    let dt = proto["dt"].as_f64().ok_or_else(|| bad("missing dt"))?;
    let steps = proto["steps"].as_u64().ok_or_else(|| bad("missing steps"))? as usize;
    let mut k = crate::kernel();
    k.set_kernel_status(&nestor_kernel::dict! { "resolution" => dt })?;
    let mut pops = Vec::new();
    for p in proto["populations"].as_array().ok_or_else(|| bad("missing populations"))? {
        let model = p["model"].as_str().ok_or_else(|| bad("population without model"))?;
        let n = p["n"].as_u64().ok_or_else(|| bad("population without n"))? as usize;
        let mut params = json_dict(Some(&p["params"]));
        for (key, v) in json_dict(Some(&p["init"])) {
            params.insert(key, v);
        }
        if let Some(x) = p["I_ext"].as_f64() {
            params.insert("I_ext".into(), Value::Double(x));
        }
        if let Some(r) = p["spk_reset"].as_str() {
            params.insert("spk_reset".into(), Value::Str(r.into()));
        }
        let pop = k.create(model, n, Some(&params))?;
        // brainpy.state inputs feeding this population's x (receptor 0, one per neuron).
        for ip in p["inputs"].as_array().cloned().unwrap_or_default() {
            let m = ip["model"].as_str().ok_or_else(|| bad("input without model"))?;
            let gen = k.create(m, n, Some(&json_dict(Some(&ip["params"]))))?;
            let mut syn = SynSpec::new().delay(dt);
            syn.receptor_type = Some(0);
            k.connect(&gen, &pop, &ConnSpec::new(Rule::OneToOne), &syn)?;
        }
        pops.push(pop);
    }
    let pop = |i: &serde_json::Value| -> Result<NodeCollection> {
        pops.get(i.as_u64().unwrap_or(u64::MAX) as usize).cloned().ok_or_else(|| bad("projection names no population"))
    };
    for pr in proto["projections"].as_array().cloned().unwrap_or_default() {
        let (pre, post) = (pop(&pr["pre"])?, pop(&pr["post"])?);
        if pr["type"] == "readout" {
            // LeakyRateReadout: brainpy's weight matrix w[pre][post] as one connection per entry.
            let w: Vec<Vec<f64>> =
                serde_json::from_value(pr["weights"].clone()).map_err(|e| bad(&format!("readout weights: {e}")))?;
            connect_comm(&mut k, &pre, &post, &Comm::dense(&w), 0)?;
            continue;
        }
        let comm = Comm::all_to_all(pr["weight"].as_f64().ok_or_else(|| bad("projection without weight"))?, true);
        let d = |key: &str| -> Result<Desc> { Ok(Desc(json_dict(Some(&pr[key])))) };
        match pr["type"].as_str() {
            Some("align_post") => {
                align_post_proj(&mut k, &pre, &post, &comm, &d("syn")?, &d("out")?)?;
            }
            Some("align_pre") => {
                let stp = if pr["stp"].is_object() { Some(d("stp")?) } else { None };
                align_pre_proj(&mut k, &pre, &post, stp.as_ref(), &d("syn")?, &comm, &d("out")?)?;
            }
            Some("delta") => delta_proj(&mut k, &pre, &post, &comm)?,
            Some("current") => {
                let prefetch = pr["prefetch"].as_str().unwrap_or("V");
                current_proj(&mut k, &pre, &post, prefetch, &comm, &d("out")?)?;
            }
            Some("gap") => {
                let pairs: Vec<(usize, usize)> =
                    serde_json::from_value(pr["pairs"].clone()).map_err(|e| bad(&format!("gap pairs: {e}")))?;
                let gc = Comm { conn: Conn::Pairs(pairs), weight: comm.weight.clone(), delay: 0.0 };
                let back = pr["back_weight"].as_f64().map(nestor_kernel::spec::ParamValue::Scalar);
                gap_junction(&mut k, &pre, &post, &gc, back.as_ref())?;
            }
            other => return Err(bad(&format!("unknown projection type {other:?}"))),
        }
    }
    let rec = pop(&proto["record"])?;
    // The recorded variable: V, or r of a LeakyRateReadout (which has no spikes to record).
    let var = proto["record_var"].as_str().unwrap_or("V");
    let mm = k.create("multimeter", 1, Some(&nestor_kernel::dict! { "interval" => dt }))?;
    k.set_status(
        mm.first().unwrap_or(0),
        &nestor_kernel::dict! { "record_from" => Value::Array(vec![Value::Str(var.into())]) },
    )?;
    let sr = k.create("spike_recorder", 1, None)?;
    k.connect(&mm, &rec, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    if var == "V" {
        k.connect(&rec, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    }
    k.simulate(steps as f64 * dt)?;
    k.flush_recorders()?;
    let first = rec.first().unwrap_or(0);
    let n = rec.len();
    let (senders, times, ev) = crate::events(&k, mm.first().unwrap_or(0))?;
    let vs =
        ev.get(var).map(|v| v.as_f64_vec_in(nestor_kernel::Unit::Dimensionless, var)).transpose()?.unwrap_or_default();
    let mut v = vec![vec![f64::NAN; n]; steps];
    for ((s, t), x) in senders.iter().zip(&times).zip(&vs) {
        // The sample at (k + 1)·dt is the state after brainpy's step k.
        let step = (t / dt).round() as usize;
        if step >= 1 && step <= steps {
            v[step - 1][(*s as u32 - first) as usize] = *x;
        }
    }
    let (ss, st, _) = crate::events(&k, sr.first().unwrap_or(0))?;
    let spikes =
        ss.iter().zip(&st).map(|(s, t)| ((t / dt).round() as usize - 1, (*s as u32 - first) as usize)).collect();
    Ok(ProtocolRun { v, spikes })
}

/// Absolute tolerance on V after every step against brainpy.state (model V unit).
pub const V_TOL: f64 = 1e-9;
/// Default relative part of the tolerance (a protocol may carry its own `rtol`).
pub const V_RTOL: f64 = 1e-12;

/// The comparison of one brainpy reference protocol with nestor's run.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Protocol name.
    pub name: String,
    /// Neuron models of the protocol.
    pub models: Vec<String>,
    /// Largest |ΔV| over all steps and neurons.
    pub max_dv: f64,
    /// Spike counts (brainpy, nestor).
    pub spikes: (usize, usize),
    /// `None` when within tolerance, else why not.
    pub failure: Option<String>,
    /// A statistical protocol (`crate::brainpy_stats`): `max_dv` is then the largest deviation
    /// as a fraction of its bound.
    pub stochastic: bool,
    /// Per-statistic figures of a statistical protocol.
    pub notes: Vec<String>,
}

/// Runs a brainpy reference protocol and compares it with its stored brainpy.state trace:
/// identical spikes (step, neuron) and |ΔV| ≤ V_TOL + rtol·|V| at every step. Statistical
/// protocols (`"kind": "statistics"`) go to `crate::brainpy_stats::compare_statistics`.
pub fn compare_protocol(proto: &serde_json::Value) -> Result<Comparison> {
    if proto["kind"] == "statistics" {
        return crate::brainpy_stats::compare_statistics(proto);
    }
    let name = proto["name"].as_str().unwrap_or("?").to_string();
    let mut models: Vec<String> = Vec::new();
    for p in proto["populations"].as_array().cloned().unwrap_or_default() {
        models.extend(p["model"].as_str().map(String::from));
        for ip in p["inputs"].as_array().cloned().unwrap_or_default() {
            models.extend(ip["model"].as_str().map(String::from));
        }
    }
    let run = run_protocol(proto)?;
    let ref_v: Vec<Vec<f64>> = serde_json::from_value(proto["reference"]["V"].clone())
        .map_err(|e| Error::bad_parameter(format!("{name}: reference V: {e}")))?;
    let mut ref_s: Vec<(usize, usize)> = serde_json::from_value(proto["reference"]["spikes"].clone())
        .map_err(|e| Error::bad_parameter(format!("{name}: reference spikes: {e}")))?;
    let rtol = proto["rtol"].as_f64().unwrap_or(V_RTOL);
    let (mut max_dv, mut worst, mut first_bad) = (0.0f64, 0.0f64, None);
    for (step, (a, b)) in run.v.iter().zip(&ref_v).enumerate() {
        for (x, y) in a.iter().zip(b) {
            let d = (x - y).abs();
            let r = if d.is_nan() { f64::INFINITY } else { d / (V_TOL + rtol * y.abs()) };
            if r > 1.0 && first_bad.is_none() {
                first_bad = Some((step, *x, *y));
            }
            max_dv = max_dv.max(if d.is_nan() { f64::INFINITY } else { d });
            worst = worst.max(r);
        }
    }
    let mut spikes = run.spikes.clone();
    spikes.sort();
    ref_s.sort();
    let mut failure = None;
    if spikes != ref_s {
        let i = spikes.iter().zip(&ref_s).position(|(a, b)| a != b).unwrap_or(spikes.len().min(ref_s.len()));
        failure = Some(format!("spikes differ from #{i}: nestor {:?} vs brainpy {:?}", spikes.get(i), ref_s.get(i)));
    } else if worst > 1.0 || ref_v.len() != run.v.len() {
        failure = Some(format!(
            "max |dV| = {max_dv:e} exceeds {V_TOL:e} + {rtol:e}·|V|; first at (step, nestor, brainpy) {first_bad:?}"
        ));
    }
    Ok(Comparison {
        name,
        models,
        max_dv,
        spikes: (ref_s.len(), spikes.len()),
        failure,
        stochastic: false,
        notes: Vec::new(),
    })
}
