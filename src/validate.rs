//! The validation harness: runs the protocols of `validation/protocols/` in nestor and compares
//! them with the references a live NEST 3.10 produced (`validation/reference/`).
//!
//! A protocol is data (nodes, connections, Simulate calls, recorders), so the same file drives
//! NEST (`validation/nest/run_protocols.py`) and nestor (this module). Categories and tolerances
//! are documented in `validation/TOLERANCES.md`:
//! - `exact`: every recorded sample within [`EXACT_TOL`] (relative to max(1, |value|)) and
//!   identical spike steps;
//! - `adaptive`: the same comparison with [`ADAPTIVE_TOL`] (GSL-integrated models);
//! - `stochastic`: per-seed statistics, means compared with a 4-sigma two-sample bound.

use crate::{Dict, Error, Kernel, Result, Value};
use nestor_kernel::spec::{ConnSpec, SynSpec};
use serde_json::Value as J;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Tolerance of the `exact` category (mV for voltages, pA for currents).
pub const EXACT_TOL: f64 = 1e-9;

/// Tolerance of the `adaptive` category (models NEST integrates with GSL's adaptive RKF45): mV,
/// nS, or the unit of the recorded variable, relative to max(1, |value|).
pub const ADAPTIVE_TOL: f64 = 1e-6;

/// Statistics that cannot be compared, with the reason (shown as UNVALIDATED in the report).
pub const KNOWN_DEVIATIONS: &[(&str, &str)] = &[];

/// Recorded events of one recorder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Events {
    /// Sender ids.
    pub senders: Vec<i64>,
    /// Times (ms).
    pub times: Vec<f64>,
    /// Recorded variables.
    pub vars: BTreeMap<String, Vec<f64>>,
}

/// Outcome of one protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Within tolerance.
    Pass,
    /// Outside tolerance (with reason).
    Fail(String),
    /// No NEST reference (with reason).
    Unvalidated(String),
}

/// One row of the validation table.
#[derive(Debug, Clone)]
pub struct Row {
    /// Protocol name (or model name for unvalidated models).
    pub protocol: String,
    /// Models involved.
    pub models: String,
    /// Tolerance category.
    pub category: String,
    /// Largest deviation of a recorded sample.
    pub max_dv: f64,
    /// Spike counts (NEST, nestor).
    pub spikes: (usize, usize),
    /// Largest spike-time difference in steps.
    pub max_step_diff: i64,
    /// Result.
    pub status: Status,
}

fn json_to_value(v: &J) -> Value {
    match v {
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::Str(s.clone()),
        J::Array(a) if a.iter().all(J::is_number) => Value::DoubleVec(a.iter().filter_map(J::as_f64).collect()),
        J::Array(a) => Value::Array(a.iter().map(json_to_value).collect()),
        J::Object(o) => Value::Dict(o.iter().map(|(k, v)| (k.clone(), json_to_value(v))).collect()),
        J::Null => Value::Array(Vec::new()),
    }
}

pub(crate) fn json_dict(v: Option<&J>) -> Dict {
    match v.map(json_to_value) {
        Some(Value::Dict(d)) => d,
        _ => Dict::new(),
    }
}

fn bad(msg: impl Into<String>) -> Error {
    Error::bad_property(msg)
}

/// Runs protocol `p` in nestor (with `seed` replacing the kernel seed if given); returns the
/// events of the recorders named in `record`.
pub fn run_protocol(p: &J, seed: Option<u64>, threads: Option<usize>) -> Result<BTreeMap<String, Events>> {
    Ok(run_protocol_full(p, seed, threads)?.0)
}

/// Final weights of the connections a protocol lists under `weights`: per entry, (source,
/// target, weight) sorted by source and target.
pub type Weights = Vec<Vec<(i64, i64, f64)>>;

/// [`run_protocol`], also returning the final weights of the protocol's `weights` entries.
pub fn run_protocol_full(
    p: &J,
    seed: Option<u64>,
    threads: Option<usize>,
) -> Result<(BTreeMap<String, Events>, Weights)> {
    let mut k: Kernel = crate::kernel();
    let mut ks = json_dict(p.get("kernel"));
    if let Some(s) = seed {
        ks.insert("rng_seed".into(), Value::Int(s as i64));
    }
    if let Some(t) = threads {
        ks.insert("local_num_threads".into(), Value::Int(t as i64));
    }
    k.set_kernel_status(&ks)?;
    for cm in p.get("copy_models").and_then(J::as_array).cloned().unwrap_or_default() {
        if cm.get("weight_recorder").is_some() {
            continue; // made after the nodes, see below
        }
        let from = cm["from"].as_str().ok_or_else(|| bad("copy_models entry without 'from'"))?;
        let to = cm["to"].as_str().ok_or_else(|| bad("copy_models entry without 'to'"))?;
        k.copy_model(from, to, &json_dict(cm.get("params")))?;
    }
    let mut ids: BTreeMap<String, crate::NodeCollection> = BTreeMap::new();
    for n in p.get("nodes").and_then(J::as_array).ok_or_else(|| bad("protocol has no nodes"))? {
        let id = n.get("id").and_then(J::as_str).ok_or_else(|| bad("node without id"))?;
        let model = n.get("model").and_then(J::as_str).ok_or_else(|| bad("node without model"))?;
        let count = n.get("n").and_then(J::as_u64).unwrap_or(1) as usize;
        // As in PyNEST's Create, a list of n values for a population of n > 1 nodes gives one
        // value per node.
        let mut params = json_dict(n.get("params"));
        let per_node: Vec<(String, Vec<Value>)> = if count > 1 {
            params
                .iter()
                .filter_map(|(key, v)| match v {
                    Value::Array(a) if a.len() == count => Some((key.clone(), a.clone())),
                    Value::DoubleVec(a) if a.len() == count => {
                        Some((key.clone(), a.iter().map(|&x| Value::Double(x)).collect()))
                    }
                    Value::IntVec(a) if a.len() == count => {
                        Some((key.clone(), a.iter().map(|&x| Value::Int(x)).collect()))
                    }
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        for (key, _) in &per_node {
            params.remove(key);
        }
        let nc = k.create(model, count, Some(&params))?;
        if !per_node.is_empty() {
            let dicts: Vec<Dict> = (0..count)
                .map(|i| per_node.iter().map(|(key, vals)| (key.clone(), vals[i].clone())).collect())
                .collect();
            k.set_status_all(&nc, &dicts)?;
        }
        ids.insert(id.to_string(), nc);
    }
    // Copies whose weight_recorder names a node of the protocol.
    for cm in p.get("copy_models").and_then(J::as_array).cloned().unwrap_or_default() {
        let Some(wr) = cm.get("weight_recorder").and_then(J::as_str) else { continue };
        let from = cm["from"].as_str().ok_or_else(|| bad("copy_models entry without 'from'"))?;
        let to = cm["to"].as_str().ok_or_else(|| bad("copy_models entry without 'to'"))?;
        let gid = ids.get(wr).and_then(|c| c.first()).ok_or_else(|| bad(format!("unknown weight_recorder {wr}")))?;
        let mut params = json_dict(cm.get("params"));
        params.insert("weight_recorder".into(), Value::Int(gid as i64));
        k.copy_model(from, to, &params)?;
    }
    for c in p.get("connections").and_then(J::as_array).cloned().unwrap_or_default() {
        let pre = ids.get(c.get("pre").and_then(J::as_str).unwrap_or("")).ok_or_else(|| bad("unknown pre"))?.clone();
        let post = ids.get(c.get("post").and_then(J::as_str).unwrap_or("")).ok_or_else(|| bad("unknown post"))?.clone();
        let conn = ConnSpec::from_dict(&json_dict(c.get("conn_spec")))?;
        let syn = SynSpec::from_dict(&json_dict(c.get("syn_spec")))?;
        k.connect(&pre, &post, &conn, &syn)?;
    }
    let mut t_end = 0.0;
    for t in p.get("simulate").and_then(J::as_array).cloned().unwrap_or_default() {
        let t = t.as_f64().ok_or_else(|| bad("simulate entries must be numbers"))?;
        k.simulate(t)?;
        t_end += t;
    }
    let mut weights = Vec::new();
    for w in p.get("weights").and_then(J::as_array).cloned().unwrap_or_default() {
        let node = |key: &str| {
            ids.get(w[key].as_str().unwrap_or("")).cloned().ok_or_else(|| bad(format!("unknown {key} in weights")))
        };
        let filter = crate::ConnFilter {
            source: Some(node("pre")?),
            target: Some(node("post")?),
            synapse_model: w["synapse_model"].as_str().map(str::to_string),
        };
        let mut ws: Vec<(i64, i64, f64)> =
            k.get_connections(&filter)?.iter().map(|c| (c.source as i64, c.target as i64, c.weight)).collect();
        ws.sort_by_key(|w| (w.0, w.1));
        weights.push(ws);
    }
    // As in NEST, the recorders get the last min_delay slice's data with the next Simulate; like
    // run_protocols.py, run a little longer and keep the events up to T.
    let ks = k.kernel_status();
    let delay = |key: &str| ks.get(key).and_then(|v| v.as_f64(key).ok()).unwrap_or(0.0);
    k.simulate(delay("max_delay") + delay("min_delay") + 1.0)?;
    let h = k.resolution();
    let limit = ((t_end / h).round() + 0.5) * h;
    let mut out = BTreeMap::new();
    for r in p.get("record").and_then(J::as_array).cloned().unwrap_or_default() {
        let name = r.as_str().unwrap_or("").to_string();
        let gid = ids.get(&name).and_then(|c| c.first()).ok_or_else(|| bad(format!("unknown recorder {name}")))?;
        let (senders, times, ev) = crate::events(&k, gid)?;
        let mut vars = BTreeMap::new();
        for (key, v) in ev {
            if key != "senders" && key != "times" {
                vars.insert(key, v.as_f64_vec_in(nestor_kernel::Unit::Dimensionless, "events")?);
            }
        }
        // Precise spike times are stamp − offset.
        let keep: Vec<bool> = match vars.get("offsets") {
            Some(o) if o.len() == times.len() => times.iter().zip(o).map(|(t, d)| t - d <= limit).collect(),
            _ => times.iter().map(|&t| t <= limit).collect(),
        };
        let n = keep.len();
        let pick_f = |v: Vec<f64>| -> Vec<f64> {
            if v.len() == n {
                v.into_iter().zip(&keep).filter(|(_, &k)| k).map(|(x, _)| x).collect()
            } else {
                v
            }
        };
        let senders: Vec<i64> = senders.into_iter().zip(&keep).filter(|(_, &k)| k).map(|(x, _)| x).collect();
        let times = pick_f(times);
        let vars = vars.into_iter().map(|(key, v)| (key, pick_f(v))).collect();
        out.insert(name, Events { senders, times, vars });
    }
    Ok((out, weights))
}

/// Compares final weights with the reference: relative difference ≤ [`EXACT_TOL`].
fn compare_weights(r: &J, got: &Weights) -> (f64, Vec<String>) {
    let mut worst: f64 = 0.0;
    let mut problems = Vec::new();
    let Some(theirs) = r["kernel_status"]["weights"].as_array() else {
        if got.iter().any(|w| !w.is_empty()) {
            problems.push("the reference has no weights".to_string());
        }
        return (worst, problems);
    };
    for (i, (t, m)) in theirs.iter().zip(got).enumerate() {
        let t = t.as_array().cloned().unwrap_or_default();
        if t.len() != m.len() {
            problems.push(format!("weights[{i}]: NEST has {} connections, nestor {}", t.len(), m.len()));
            continue;
        }
        for (a, b) in t.iter().zip(m) {
            let (s, tg, w) =
                (a[0].as_i64().unwrap_or(-1), a[1].as_i64().unwrap_or(-1), a[2].as_f64().unwrap_or(f64::NAN));
            if (s, tg) != (b.0, b.1) {
                problems.push(format!("weights[{i}]: connection {s}->{tg} vs {}->{}", b.0, b.1));
                continue;
            }
            let d = (w - b.2).abs() / w.abs().max(1e-3);
            let d = if w == b.2 { 0.0 } else { d };
            worst = worst.max(if d.is_nan() { f64::INFINITY } else { d });
        }
    }
    if worst > EXACT_TOL {
        problems.push(format!("max relative weight difference {worst:.3e} > {EXACT_TOL:e}"));
    }
    (worst, problems)
}

fn ref_events(r: &J, name: &str) -> Events {
    let e = &r["events"][name];
    let nums = |k: &str| -> Vec<f64> {
        e.get(k).and_then(J::as_array).map(|a| a.iter().filter_map(J::as_f64).collect()).unwrap_or_default()
    };
    let mut vars = BTreeMap::new();
    if let Some(o) = e.as_object() {
        for k in o.keys() {
            if k != "senders" && k != "times" {
                vars.insert(k.clone(), nums(k));
            }
        }
    }
    Events { senders: nums("senders").iter().map(|&x| x as i64).collect(), times: nums("times"), vars }
}

/// Sorted (time, sender) order of a recorder's events.
fn order(e: &Events) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..e.senders.len()).collect();
    // weight_recorder events of one spike differ by target.
    let target = |i: usize| e.vars.get("targets").and_then(|t| t.get(i)).copied().unwrap_or(0.0);
    idx.sort_by(|&a, &b| {
        e.times[a].total_cmp(&e.times[b]).then(e.senders[a].cmp(&e.senders[b])).then(target(a).total_cmp(&target(b)))
    });
    idx
}

/// Compares nestor's events with NEST's for an exact protocol.
fn compare_exact(p: &J, r: &J, got: &BTreeMap<String, Events>, h: f64) -> (f64, (usize, usize), i64, Status) {
    let band = if p["category"].as_str() == Some("adaptive") { ADAPTIVE_TOL } else { EXACT_TOL };
    let tol = r.get("_tolerance").and_then(J::as_f64).unwrap_or(band).max(band);
    let mut max_dv: f64 = 0.0;
    let mut spikes = (0, 0);
    let mut max_step = 0i64;
    let mut problems = Vec::new();
    let mut first_bad = None;
    for (name, mine) in got {
        let theirs = ref_events(r, name);
        let is_spikes = theirs.vars.is_empty() && mine.vars.is_empty();
        if is_spikes {
            spikes.0 += theirs.senders.len();
            spikes.1 += mine.senders.len();
        }
        if theirs.senders.len() != mine.senders.len() {
            problems.push(format!("{name}: NEST has {} events, nestor {}", theirs.senders.len(), mine.senders.len()));
        }
        let (a, b) = (order(&theirs), order(mine));
        for (&i, &j) in a.iter().zip(&b) {
            let ds = ((theirs.times[i] - mine.times[j]) / h).round() as i64;
            max_step = max_step.max(ds.abs());
            if theirs.senders[i] != mine.senders[j] && problems.len() < 8 {
                problems.push(format!(
                    "{name}: sender {} vs {} at t={}",
                    theirs.senders[i], mine.senders[j], theirs.times[i]
                ));
            }
            for (var, tv) in &theirs.vars {
                // A weight_recorder's `ports` is NEST's thread-local connection index, which
                // depends on NEST's thread count; nestor records 0 (see devices/src/recorders.rs).
                if var == "ports" {
                    continue;
                }
                let Some(mv) = mine.vars.get(var) else {
                    problems.push(format!("{name}: nestor did not record {var}"));
                    break;
                };
                let d = (tv[i] - mv[j]).abs() / tv[i].abs().max(1.0);
                if (d.is_nan() || d > tol) && first_bad.is_none() {
                    first_bad = Some(format!(
                        "first difference: {name}.{var} at t={} sender {}: NEST {} nestor {}",
                        theirs.times[i], theirs.senders[i], tv[i], mv[j]
                    ));
                }
                if d.is_nan() || d > max_dv {
                    max_dv = if d.is_nan() { f64::INFINITY } else { d };
                }
            }
        }
    }
    if max_step > 0 {
        problems.push(format!("event times differ by up to {max_step} steps"));
    }
    if max_dv > tol {
        problems.push(format!("max |dV| {max_dv:.3e} > {tol:e}"));
        problems.extend(first_bad);
    }
    let st = if problems.is_empty() { Status::Pass } else { Status::Fail(problems.join("; ")) };
    (max_dv, spikes, max_step, st)
}

fn mean_std(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    let v = if x.len() > 1 { x.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    (m, v.sqrt())
}

/// Per-seed statistics of a stochastic protocol, as `validation/README.md` defines them.
fn stochastic_stats(
    p: &J,
    ev: &BTreeMap<String, Events>,
    node_ids: &BTreeMap<String, Vec<i64>>,
    t_end: f64,
) -> BTreeMap<String, f64> {
    let s = &p["stochastic"];
    let mut out = BTreeMap::new();
    match s["stat"].as_str() {
        Some("spike_train") => {
            let rec = s["recorder"].as_str().unwrap_or("");
            let pop = node_ids.get(s["population"].as_str().unwrap_or("")).cloned().unwrap_or_default();
            let e = ev.get(rec).cloned().unwrap_or_default();
            let mut per: BTreeMap<i64, Vec<f64>> = pop.iter().map(|&g| (g, Vec::new())).collect();
            for (s, t) in e.senders.iter().zip(&e.times) {
                if *t <= t_end {
                    if let Some(v) = per.get_mut(s) {
                        v.push(*t);
                    }
                }
            }
            let counts: Vec<f64> = per.values().map(|v| v.len() as f64).collect();
            let (mc, sc) = mean_std(&counts);
            out.insert("mean_count".into(), mc);
            out.insert("var_count".into(), sc * sc);
            out.insert("rate_hz".into(), mc / (t_end / 1000.0));
            out.insert("fano".into(), sc * sc / mc);
            let mut isis = Vec::new();
            for v in per.values_mut() {
                v.sort_by(f64::total_cmp);
                isis.extend(v.windows(2).map(|w| w[1] - w[0]));
            }
            let n = isis.len() as f64;
            let m = isis.iter().sum::<f64>() / n;
            let sd = (isis.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n).sqrt();
            out.insert("cv_isi".into(), sd / m);
            // "bin_ms": B adds bin<k>, the mean count per neuron in (k·B, (k+1)·B].
            if let Some(b) = s.get("bin_ms").and_then(J::as_f64).filter(|b| *b > 0.0) {
                let nb = (t_end / b).round() as usize;
                let mut bins = vec![0.0; nb];
                for v in per.values() {
                    for &t in v {
                        let k = (t / b).ceil() as usize;
                        if (1..=nb).contains(&k) {
                            bins[k - 1] += 1.0;
                        }
                    }
                }
                for (k, c) in bins.iter().enumerate() {
                    out.insert(format!("bin{k}"), c / per.len().max(1) as f64);
                }
            }
        }
        Some("signal_moments") => {
            for sig in s["signals"].as_array().cloned().unwrap_or_default() {
                let rec = sig["recorder"].as_str().unwrap_or("");
                let q = sig["quantity"].as_str().unwrap_or("");
                let key = sig["key"].as_str().unwrap_or(q);
                let tmin = sig.get("t_min").and_then(J::as_f64).unwrap_or(0.0);
                let e = ev.get(rec).cloned().unwrap_or_default();
                let vals: Vec<f64> = e
                    .times
                    .iter()
                    .zip(e.vars.get(q).cloned().unwrap_or_default())
                    .filter(|(t, _)| **t > tmin && **t <= t_end)
                    .map(|(_, v)| v)
                    .collect();
                let n = vals.len() as f64;
                let m = vals.iter().sum::<f64>() / n;
                let var = vals.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n;
                out.insert(format!("{key}_mean"), m);
                out.insert(format!("{key}_var"), var);
                out.insert(format!("{key}_n"), n);
                if sig.get("fano").and_then(J::as_bool).unwrap_or(false) {
                    out.insert(format!("{key}_fano"), if m != 0.0 { var / m } else { f64::NAN });
                }
            }
        }
        _ => {}
    }
    out
}

/// The node and synapse models a protocol uses.
fn protocol_models(p: &J) -> BTreeSet<String> {
    let mut m: BTreeSet<String> = p["nodes"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["model"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    for c in p["connections"].as_array().cloned().unwrap_or_default() {
        if let Some(s) = c["syn_spec"]["synapse_model"].as_str() {
            m.insert(s.to_string());
        }
    }
    // A model copied with CopyModel validates the model it was copied from.
    for cm in p["copy_models"].as_array().cloned().unwrap_or_default() {
        if let (Some(from), Some(to)) = (cm["from"].as_str(), cm["to"].as_str()) {
            if m.remove(to) {
                m.insert(from.to_string());
            }
        }
    }
    m
}

/// Runs one protocol and compares it with its reference.
pub fn check(p: &J, r: &J) -> Row {
    check_with(p, r, None)
}

/// Events of every recorder of a result file in the reference layout.
fn file_events(c: &J) -> BTreeMap<String, Events> {
    c["events"].as_object().map(|o| o.keys().map(|k| (k.clone(), ref_events(c, k))).collect()).unwrap_or_default()
}

/// Final weights of a result file in the reference layout.
fn file_weights(c: &J) -> Weights {
    c["kernel_status"]["weights"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| {
                    w.as_array()
                        .map(|x| {
                            x.iter()
                                .map(|t| {
                                    (
                                        t[0].as_i64().unwrap_or(-1),
                                        t[1].as_i64().unwrap_or(-1),
                                        t[2].as_f64().unwrap_or(f64::NAN),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Compares a protocol's reference with `candidate` (a result file that `run_protocols.py` wrote
/// under another simulator, e.g. nestor's Python package) or, without one, with a fresh run of
/// the protocol in nestor.
pub fn check_with(p: &J, r: &J, candidate: Option<&J>) -> Row {
    let name = p["name"].as_str().unwrap_or("?").to_string();
    let category = p["category"].as_str().unwrap_or("exact").to_string();
    let models = protocol_models(p);
    let models = models.into_iter().collect::<Vec<_>>().join(", ");
    let h = p["kernel"]["resolution"].as_f64().unwrap_or(0.1);
    let mut row = Row {
        protocol: name,
        models,
        category: category.clone(),
        max_dv: 0.0,
        spikes: (0, 0),
        max_step_diff: 0,
        status: Status::Pass,
    };
    if category == "stochastic" {
        let seeds: Vec<u64> =
            p["stochastic"]["seeds"].as_array().map(|a| a.iter().filter_map(J::as_u64).collect()).unwrap_or_default();
        let node_ids: BTreeMap<String, Vec<i64>> = r["node_ids"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        (k.clone(), v.as_array().map(|a| a.iter().filter_map(J::as_i64).collect()).unwrap_or_default())
                    })
                    .collect()
            })
            .unwrap_or_default();
        let t_end: f64 = p["simulate"].as_array().map(|a| a.iter().filter_map(J::as_f64).sum()).unwrap_or(0.0);
        let mut per: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        // A result file carries the mean and std over the same seeds.
        let cand_stats: Option<BTreeMap<String, (f64, f64)>> = candidate.map(|c| {
            c["stats"]
                .as_object()
                .map(|o| {
                    o.iter().filter_map(|(k, v)| Some((k.clone(), (v["mean"].as_f64()?, v["std"].as_f64()?)))).collect()
                })
                .unwrap_or_default()
        });
        for s in seeds.iter().filter(|_| candidate.is_none()) {
            match run_protocol(p, Some(*s), None) {
                Ok(ev) => {
                    for (k, v) in stochastic_stats(p, &ev, &node_ids, t_end) {
                        per.entry(k).or_default().push(v);
                    }
                }
                Err(e) => {
                    row.status = Status::Fail(format!("nestor error: {e}"));
                    return row;
                }
            }
        }
        let mut problems = Vec::new();
        let mut skipped = Vec::new();
        let n = seeds.len() as f64;
        for (stat, refv) in r["stats"].as_object().cloned().unwrap_or_default() {
            if stat.ends_with("_n") {
                continue;
            }
            if let Some((_, why)) = KNOWN_DEVIATIONS.iter().find(|(pfx, _)| stat.starts_with(pfx)) {
                skipped.push(format!("{stat}: {why}"));
                continue;
            }
            let (Some(m_ref), Some(s_ref)) = (refv["mean"].as_f64(), refv["std"].as_f64()) else { continue };
            let ms = match &cand_stats {
                Some(cs) => cs.get(&stat).copied(),
                None => per.get(&stat).map(|vals| mean_std(vals)),
            };
            let Some((m, s)) = ms else {
                problems.push(format!("{stat}: not computed"));
                continue;
            };
            let bound = 4.0 * ((s_ref * s_ref + s * s) / n).sqrt();
            let d = (m - m_ref).abs();
            row.max_dv = row.max_dv.max(d / bound.max(1e-300));
            if d > bound || d.is_nan() {
                problems.push(format!("{stat}: nestor {m:.4} vs NEST {m_ref:.4} (bound {bound:.4})"));
            }
        }
        row.status = if !problems.is_empty() {
            Status::Fail(problems.join("; "))
        } else if !skipped.is_empty() {
            Status::Unvalidated(skipped.join("; "))
        } else {
            Status::Pass
        };
        return row;
    }
    let got = match candidate {
        Some(c) => Ok((file_events(c), file_weights(c))),
        None => run_protocol_full(p, None, None),
    };
    match got {
        Ok((ev, weights)) => {
            let (dv, spikes, steps, st) = compare_exact(p, r, &ev, h);
            let (dw, wproblems) = compare_weights(r, &weights);
            row.max_dv = dv.max(dw);
            row.spikes = spikes;
            row.max_step_diff = steps;
            row.status = match (st, wproblems.is_empty()) {
                (Status::Pass, true) => Status::Pass,
                (Status::Pass, false) => Status::Fail(wproblems.join("; ")),
                (Status::Fail(w), _) => Status::Fail([vec![w], wproblems].concat().join("; ")),
                (other, _) => other,
            };
        }
        Err(e) => row.status = Status::Fail(format!("nestor error: {e}")),
    }
    row
}

fn read_json(path: &Path) -> Result<J> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(crate::ErrorKind::IoError, format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::new(crate::ErrorKind::IoError, format!("{}: invalid JSON: {e}", path.display())))
}

/// Runs every protocol of `dir/protocols` against `reference_dir` (default `dir/reference`).
/// Models of the registry that no protocol uses appear as UNVALIDATED rows.
pub fn run_all(dir: &Path, reference_dir: Option<&Path>, filter: Option<&str>) -> Result<Vec<Row>> {
    let refdir = reference_dir.map(Path::to_path_buf).unwrap_or_else(|| dir.join("reference"));
    let mut files: Vec<_> = std::fs::read_dir(dir.join("protocols"))
        .map_err(|e| Error::new(crate::ErrorKind::IoError, format!("cannot list {}/protocols: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    let mut covered = BTreeSet::new();
    for f in files {
        let p = read_json(&f)?;
        let name = p["name"].as_str().unwrap_or("").to_string();
        if filter.is_some_and(|flt| !name.contains(flt)) {
            continue;
        }
        covered.extend(protocol_models(&p));
        let rpath = refdir.join(format!("{name}.json"));
        if !rpath.exists() {
            if let Some(r) = load_user_reference(&refdir, &name, &p)? {
                rows.push(check(&p, &r));
                continue;
            }
            if reference_dir.is_some() {
                // Regression mode: only the protocols the user has output for are compared.
                continue;
            }
            rows.push(Row {
                protocol: name,
                models: String::new(),
                category: p["category"].as_str().unwrap_or("").into(),
                max_dv: 0.0,
                spikes: (0, 0),
                max_step_diff: 0,
                status: Status::Unvalidated(format!("no reference {}", rpath.display())),
            });
            continue;
        }
        let r = read_json(&rpath)?;
        rows.push(check(&p, &r));
    }
    // The BrainPy family's second reference: brainpy.state itself.
    if reference_dir.is_none() {
        let bdir = dir.join("brainpy").join("reference");
        let mut bfiles: Vec<_> = std::fs::read_dir(&bdir)
            .map(|rd| {
                rd.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect()
            })
            .unwrap_or_default();
        bfiles.sort();
        for f in bfiles {
            let p = read_json(&f)?;
            let name = p["name"].as_str().unwrap_or("").to_string();
            if filter.is_some_and(|flt| !name.contains(flt)) {
                continue;
            }
            let c = crate::brainpy::compare_protocol(&p)?;
            covered.extend(c.models.iter().cloned());
            rows.push(Row {
                protocol: c.name,
                models: c.models.join(", "),
                category: if c.stochastic { "brainpy-stochastic" } else { "brainpy" }.into(),
                max_dv: c.max_dv,
                spikes: c.spikes,
                max_step_diff: 0,
                status: match c.failure {
                    None => Status::Pass,
                    Some(w) => Status::Fail(w),
                },
            });
        }
    }
    // Coverage rows belong to a full validation run, not to a regression run against user output.
    if filter.is_none() && reference_dir.is_none() {
        let reg = crate::registry();
        for m in reg.models.iter().map(|m| m.name.clone()).chain(reg.synapses.iter().map(|s| s.name.clone())) {
            // NEST's `_hpc` variants are their base models under another name (Registry::add_synapse).
            let base = m.strip_suffix("_hpc").unwrap_or(&m);
            if !covered.contains(base) && base != "static_synapse" {
                rows.push(Row {
                    protocol: format!("(model {m})"),
                    models: m.clone(),
                    category: "-".into(),
                    max_dv: 0.0,
                    spikes: (0, 0),
                    max_step_diff: 0,
                    status: Status::Unvalidated("no protocol uses this model".into()),
                });
            }
        }
    }
    Ok(rows)
}

/// Compares the result files in `candidate_dir` (written by `validation/nest/run_protocols.py`
/// run under another simulator, e.g. `python -m nestor`) with the references of `dir`: every
/// protocol that has a result file gets a row.
pub fn compare_results(dir: &Path, candidate_dir: &Path, filter: Option<&str>) -> Result<Vec<Row>> {
    let mut files: Vec<_> = std::fs::read_dir(dir.join("protocols"))
        .map_err(|e| Error::new(crate::ErrorKind::IoError, format!("cannot list {}/protocols: {e}", dir.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for f in files {
        let p = read_json(&f)?;
        let name = p["name"].as_str().unwrap_or("").to_string();
        if filter.is_some_and(|flt| !name.contains(flt)) {
            continue;
        }
        let cpath = candidate_dir.join(format!("{name}.json"));
        let rpath = dir.join("reference").join(format!("{name}.json"));
        if !cpath.exists() || !rpath.exists() {
            continue;
        }
        rows.push(check_with(&p, &read_json(&rpath)?, Some(&read_json(&cpath)?)));
    }
    Ok(rows)
}

/// Events of one recorder as JSON in the reference layout.
fn events_json(senders: &[i64], times: &[f64], vars: &BTreeMap<String, Vec<f64>>, t_end: f64, h: f64) -> J {
    let keep: Vec<usize> = (0..times.len()).filter(|&i| times[i] <= t_end + 0.5 * h).collect();
    let mut o = serde_json::Map::new();
    o.insert("senders".into(), keep.iter().map(|&i| J::from(senders[i])).collect());
    o.insert("times".into(), keep.iter().map(|&i| J::from(times[i])).collect());
    for (k, v) in vars {
        o.insert(k.clone(), keep.iter().map(|&i| J::from(v[i])).collect());
    }
    J::Object(o)
}

/// Reads a NEST ASCII recorder file (`record_to: "ascii"`): `#` comment lines, a header line
/// naming the columns (`sender time_ms V_m ...` or `sender time_step offset ...`), then one event
/// per line. Returns the columns and the smallest number of decimals printed in value columns.
/// Columns of a NEST ASCII file: senders, times (ms), variables, smallest number of decimals.
type AsciiColumns = (Vec<i64>, Vec<f64>, BTreeMap<String, Vec<f64>>, usize);

fn read_nest_ascii(path: &Path, h: f64) -> Result<AsciiColumns> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(crate::ErrorKind::IoError, format!("cannot read {}: {e}", path.display())))?;
    let mut header: Option<Vec<String>> = None;
    let (mut senders, mut times) = (Vec::new(), Vec::new());
    let mut cols: Vec<Vec<f64>> = Vec::new();
    let mut decimals = usize::MAX;
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(hd) = &header else {
            if fields.first() != Some(&"sender") {
                return Err(bad(format!(
                    "{}:{}: expected a header line starting with 'sender'",
                    path.display(),
                    ln + 1
                )));
            }
            header = Some(fields.iter().map(|s| s.to_string()).collect());
            cols = vec![Vec::new(); fields.len().saturating_sub(2)];
            continue;
        };
        if fields.len() != hd.len() {
            return Err(bad(format!(
                "{}:{}: {} fields, header has {}",
                path.display(),
                ln + 1,
                fields.len(),
                hd.len()
            )));
        }
        let num = |s: &str| -> Result<f64> {
            s.parse::<f64>().map_err(|_| bad(format!("{}:{}: '{s}' is not a number", path.display(), ln + 1)))
        };
        senders.push(num(fields[0])? as i64);
        times.push(if hd[1] == "time_step" { num(fields[1])? * h } else { num(fields[1])? });
        for (j, f) in fields[2..].iter().enumerate() {
            cols[j].push(num(f)?);
            decimals = decimals.min(f.split('.').nth(1).map_or(0, str::len));
        }
    }
    let hd = header.unwrap_or_default();
    let mut vars = BTreeMap::new();
    for (name, c) in hd.iter().skip(2).zip(cols) {
        if name != "offset" {
            vars.insert(name.clone(), c);
        }
    }
    Ok((senders, times, vars, decimals))
}

/// A user's own NEST output for protocol `name` in `dir`, in the reference layout: NEST ASCII
/// files `<name>-<recorder id>-*.dat` (the label NEST was given is `<name>-<recorder id>`) or an
/// HDF5 file `<name>.h5` in nestor's layout with one group per recorder id. Events after the
/// protocol's total time are dropped. `None` when the folder has nothing for this protocol.
pub fn load_user_reference(dir: &Path, name: &str, p: &J) -> Result<Option<J>> {
    let h = p["kernel"]["resolution"].as_f64().unwrap_or(0.1);
    let t_end: f64 = p["simulate"].as_array().map(|a| a.iter().filter_map(J::as_f64).sum()).unwrap_or(0.0);
    let records: Vec<String> = p["record"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let mut events = serde_json::Map::new();
    let mut decimals = usize::MAX;
    let h5 = dir.join(format!("{name}.h5"));
    if h5.exists() {
        let f = hdf5::File::open(&h5)
            .map_err(|e| Error::new(crate::ErrorKind::IoError, format!("{}: {e}", h5.display())))?;
        for rid in &records {
            let g = f.group(rid).map_err(|e| bad(format!("{}: no group '{rid}': {e}", h5.display())))?;
            let read = |n: &str| -> Result<Vec<f64>> {
                g.dataset(n)
                    .and_then(|d| d.read_raw::<f64>())
                    .map_err(|e| bad(format!("{}: {rid}/{n}: {e}", h5.display())))
            };
            let senders: Vec<i64> = read("senders")?.iter().map(|&x| x as i64).collect();
            let times = read("times")?;
            let mut vars = BTreeMap::new();
            for n in g.member_names().unwrap_or_default() {
                if n != "senders" && n != "times" {
                    vars.insert(n.clone(), read(&n)?);
                }
            }
            events.insert(rid.clone(), events_json(&senders, &times, &vars, t_end, h));
        }
    } else {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(None) };
        let files: Vec<std::path::PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        for rid in &records {
            let prefix = format!("{name}-{rid}-");
            let mut mine: Vec<&std::path::PathBuf> = files
                .iter()
                .filter(|f| {
                    let n = f.file_name().and_then(|x| x.to_str()).unwrap_or("");
                    n.starts_with(&prefix) && n.ends_with(".dat")
                })
                .collect();
            if mine.is_empty() {
                if events.is_empty() {
                    return Ok(None);
                }
                return Err(bad(format!("{}: no NEST ASCII file {prefix}*.dat for recorder '{rid}'", dir.display())));
            }
            mine.sort();
            let (mut s, mut t, mut v) = (Vec::new(), Vec::new(), BTreeMap::<String, Vec<f64>>::new());
            // One file per virtual process: concatenate.
            for f in mine {
                let (s1, t1, v1, d) = read_nest_ascii(f, h)?;
                decimals = decimals.min(d);
                s.extend(s1);
                t.extend(t1);
                for (k, x) in v1 {
                    v.entry(k).or_default().extend(x);
                }
            }
            events.insert(rid.clone(), events_json(&s, &t, &v, t_end, h));
        }
    }
    if events.is_empty() {
        return Ok(None);
    }
    let mut r = serde_json::Map::new();
    r.insert("events".into(), J::Object(events));
    if decimals != usize::MAX {
        // Values printed with d decimals are exact to half a unit in the last place.
        r.insert("_tolerance".into(), J::from(0.5 * 10f64.powi(-(decimals as i32)) * 1.0001));
    }
    Ok(Some(J::Object(r)))
}

/// The report as a Markdown table.
pub fn report(rows: &[Row]) -> String {
    let mut s = String::from("| protocol | models | category | max deviation | spikes NEST/nestor | max Δstep | result |\n|---|---|---|---|---|---|---|\n");
    for r in rows {
        let res = match &r.status {
            Status::Pass => "PASS".to_string(),
            Status::Fail(w) => format!("FAIL: {w}"),
            Status::Unvalidated(w) => format!("UNVALIDATED: {w}"),
        };
        let dev = if r.category.ends_with("stochastic") {
            format!("{:.2} σ-bound", r.max_dv)
        } else {
            format!("{:.2e}", r.max_dv)
        };
        s += &format!(
            "| {} | {} | {} | {} | {}/{} | {} | {} |\n",
            r.protocol, r.models, r.category, dev, r.spikes.0, r.spikes.1, r.max_step_diff, res
        );
    }
    s
}
