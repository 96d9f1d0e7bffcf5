//! # Statistical comparison of the random BrainPy-style inputs with brainpy.state
//!
//! `WienerProcessInput`, `OUProcessInput`, `PoissonSpike`, `PoissonEncoder` and `PoissonInput`
//! draw from nestor's own random streams, so their sample paths cannot equal brainpy's. The
//! protocols `validation/brainpy/reference/bp_stat_*.json` (written by
//! `validation/brainpy/make_statistics.py`) hold brainpy.state's statistics of many independent
//! nodes; this module runs the same input in nestor, computes the same per-node statistics and
//! requires, for each, |nestor − brainpy| ≤ k_se·sqrt(se_brainpy² + se_nestor²), where se is the
//! spread of the per-node values over the nodes divided by sqrt(nodes) (valid however correlated
//! one node's samples are in time) and k_se = 4 (TOLERANCES.md). A statistic whose standard
//! errors are both 0 (the current after an input's `duration`) must be equal.

use crate::brainpy::Comparison;
use crate::validate::json_dict;
use nestor_kernel::value::Value;
use nestor_kernel::{ConnSpec, Error, Kernel, NodeCollection, Result, Rule, SynSpec};
use serde_json::Value as J;
use std::collections::BTreeMap;

/// A statistic over nodes: the mean of the per-node values and its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    /// Mean over nodes.
    pub mean: f64,
    /// Standard deviation over nodes / sqrt(nodes).
    pub se: f64,
}

fn node_stat(x: &[f64]) -> Stat {
    let n = x.len() as f64;
    if x.is_empty() {
        return Stat { mean: f64::NAN, se: f64::NAN };
    }
    let m = x.iter().sum::<f64>() / n;
    let var = if x.len() > 1 { x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
    Stat { mean: m, se: (var / n).sqrt() }
}

/// Statistics of a sampled trace `xs[sample][node]` at `times` (ms), as `trace_stats` of
/// make_statistics.py: per-node time mean, variance about the grand mean, autocorrelation at
/// `lag` samples inside `window`; the largest |x| from `after` on.
pub fn trace_stats(
    xs: &[Vec<f64>],
    times: &[f64],
    window: (f64, f64),
    after: f64,
    lag: usize,
) -> BTreeMap<String, Stat> {
    let rows: Vec<&Vec<f64>> =
        xs.iter().zip(times).filter(|(_, &t)| t >= window.0 && t < window.1).map(|(x, _)| x).collect();
    let n = xs.first().map_or(0, |r| r.len());
    let cnt = rows.len() as f64;
    let grand = rows.iter().flat_map(|r| r.iter()).sum::<f64>() / (cnt * n as f64);
    let (mut m, mut var, mut acf) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        m[i] = rows.iter().map(|r| r[i]).sum::<f64>() / cnt;
        var[i] = rows.iter().map(|r| (r[i] - grand).powi(2)).sum::<f64>() / cnt;
        let pairs = rows.len().saturating_sub(lag);
        let c = (0..pairs).map(|t| (rows[t][i] - grand) * (rows[t + lag][i] - grand)).sum::<f64>() / pairs as f64;
        acf[i] = c / var[i];
    }
    let max_after = xs
        .iter()
        .zip(times)
        .filter(|(_, &t)| t >= after)
        .flat_map(|(r, _)| r.iter().map(|v| v.abs()))
        .fold(0.0f64, f64::max);
    let mut out = BTreeMap::new();
    out.insert("mean".into(), node_stat(&m));
    out.insert("var".into(), node_stat(&var));
    out.insert(format!("acf_lag{lag}"), node_stat(&acf));
    out.insert("max_abs_after".into(), Stat { mean: max_after, se: 0.0 });
    out
}

/// Spike statistics of `spk[step][node]`, as `spike_stats` of make_statistics.py: the count per
/// node in each phase (start, end steps) and the Fano factor of its counts in windows of
/// `window` steps.
pub fn spike_stats(spk: &[Vec<bool>], phases: &[(usize, usize)], window: usize) -> BTreeMap<String, Stat> {
    let n = spk.first().map_or(0, |r| r.len());
    let mut out = BTreeMap::new();
    for (k, &(s0, s1)) in phases.iter().enumerate() {
        let s1 = s1.min(spk.len());
        let nw = s1.saturating_sub(s0) / window.max(1);
        let (mut count, mut fano) = (vec![0.0; n], vec![0.0; n]);
        for i in 0..n {
            count[i] = (s0..s1).filter(|&s| spk[s][i]).count() as f64;
            let c: Vec<f64> = (0..nw)
                .map(|w| (s0 + w * window..s0 + (w + 1) * window).filter(|&s| spk[s][i]).count() as f64)
                .collect();
            let st = node_stat(&c);
            // node_stat's se² · len is the sample variance (ddof 1).
            fano[i] = st.se.powi(2) * c.len() as f64 / st.mean;
        }
        out.insert(format!("count_{k}"), node_stat(&count));
        out.insert(format!("fano_{k}"), node_stat(&fano));
    }
    out
}

/// Per-step count statistics of `counts[step][node]`: per-node mean and variance (ddof 1).
pub fn count_stats(counts: &[Vec<f64>]) -> BTreeMap<String, Stat> {
    let n = counts.first().map_or(0, |r| r.len());
    let (mut m, mut v) = (vec![0.0; n], vec![0.0; n]);
    for i in 0..n {
        let col: Vec<f64> = counts.iter().map(|r| r[i]).collect();
        let st = node_stat(&col);
        m[i] = st.mean;
        v[i] = st.se.powi(2) * col.len() as f64;
    }
    let mut out = BTreeMap::new();
    out.insert("mean".into(), node_stat(&m));
    out.insert("var".into(), node_stat(&v));
    out
}

/// Samples of `var` of `nodes` every `interval` ms: `x[sample][node]` and the sample times.
fn sample(k: &mut Kernel, nodes: &NodeCollection, var: &str, interval: f64) -> Result<NodeCollection> {
    let mm = k.create("multimeter", 1, Some(&nestor_kernel::dict! { "interval" => interval }))?;
    k.set_status(
        mm.first().unwrap_or(0),
        &nestor_kernel::dict! { "record_from" => Value::Array(vec![Value::Str(var.into())]) },
    )?;
    k.connect(&mm, nodes, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    Ok(mm)
}

fn samples(
    k: &Kernel,
    mm: &NodeCollection,
    var: &str,
    nodes: &NodeCollection,
    interval: f64,
) -> Result<(Vec<Vec<f64>>, Vec<f64>)> {
    let (senders, times, ev) = crate::events(k, mm.first().unwrap_or(0))?;
    let vals =
        ev.get(var).map(|v| v.as_f64_vec_in(nestor_kernel::Unit::Dimensionless, var)).transpose()?.unwrap_or_default();
    let first = nodes.first().unwrap_or(0) as i64;
    let count = times.iter().map(|t| (t / interval).round() as usize).max().unwrap_or(0);
    let mut x = vec![vec![f64::NAN; nodes.len()]; count];
    for ((s, t), v) in senders.iter().zip(&times).zip(&vals) {
        let (row, col) = ((t / interval).round() as usize, (s - first) as usize);
        if row >= 1 && col < nodes.len() {
            x[row - 1][col] = *v;
        }
    }
    let ts = (1..=count).map(|r| r as f64 * interval).collect();
    Ok((x, ts))
}

/// nestor's statistics for a statistical protocol.
pub fn run_statistics(proto: &J) -> Result<BTreeMap<String, Stat>> {
    let bad = |what: &str| Error::bad_parameter(format!("brainpy statistics protocol: {what}"));
    let dt = proto["dt"].as_f64().ok_or_else(|| bad("missing dt"))?;
    let steps = proto["steps"].as_u64().ok_or_else(|| bad("missing steps"))? as usize;
    let n = proto["n"].as_u64().ok_or_else(|| bad("missing n"))? as usize;
    let model = proto["model"].as_str().ok_or_else(|| bad("missing model"))?;
    let mut k = crate::kernel();
    k.set_kernel_status(&nestor_kernel::dict! { "resolution" => dt })?;
    let gen = k.create(model, n, Some(&json_dict(Some(&proto["params"]))))?;
    let num = |key: &str| proto[key].as_f64().ok_or_else(|| bad(&format!("missing {key}")));
    match proto["record"].as_str() {
        Some("trace") => {
            let interval = num("interval")?;
            let mm = sample(&mut k, &gen, "I", interval)?;
            k.simulate(steps as f64 * dt)?;
            k.flush_recorders()?;
            let (x, t) = samples(&k, &mm, "I", &gen, interval)?;
            let w = &proto["window"];
            let window = (w[0].as_f64().unwrap_or(0.0), w[1].as_f64().unwrap_or(f64::INFINITY));
            let lag = proto["lag"].as_u64().ok_or_else(|| bad("missing lag"))? as usize;
            Ok(trace_stats(&x, &t, window, num("after")?, lag))
        }
        Some("spikes") => {
            let sr = k.create("spike_recorder", 1, None)?;
            k.connect(&gen, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
            let phases: Vec<(usize, usize)> =
                serde_json::from_value(proto["phases"].clone()).map_err(|e| bad(&format!("phases: {e}")))?;
            match proto["phase_freqs"].as_array() {
                // PoissonEncoder: the rate is set between runs, as brainpy passes it to update.
                Some(fs) => {
                    for (&(s0, s1), f) in phases.iter().zip(fs) {
                        let f = f.as_f64().ok_or_else(|| bad("phase_freqs"))?;
                        let d = nestor_kernel::dict! { "freqs" => f };
                        k.set_status_all(&gen, &vec![d; n])?;
                        k.simulate((s1 - s0) as f64 * dt)?;
                        k.flush_recorders()?;
                    }
                }
                None => k.simulate(steps as f64 * dt)?,
            }
            k.flush_recorders()?;
            let (senders, times, _) = crate::events(&k, sr.first().unwrap_or(0))?;
            let first = gen.first().unwrap_or(0) as i64;
            let mut spk = vec![vec![false; n]; steps];
            for (s, t) in senders.iter().zip(&times) {
                // The spike stamped s·dt is the draw for brainpy's step s − 1 of the same run
                // length (nestor's first update draws for the step after it).
                let step = ((t / dt).round() as usize).saturating_sub(1);
                if let Some(cell) = spk.get_mut(step).and_then(|row| row.get_mut((s - first) as usize)) {
                    *cell = true;
                }
            }
            let window = proto["window_steps"].as_u64().ok_or_else(|| bad("missing window_steps"))? as usize;
            Ok(spike_stats(&spk, &phases, window))
        }
        Some("counts") => {
            // brainpy adds count·weight to the target variable; a LIF without leak or threshold
            // in reach (tau 1e12 ms, V_th 1e12 mV) integrates the counts of weight 1 mV, so the
            // per-step increase of V is the count.
            let params = nestor_kernel::dict! {
                "V_rest" => 0.0, "V_reset" => 0.0, "V_th" => 1e12, "tau" => 1e12, "V" => 0.0
            };
            let tgt = k.create("LIF", n, Some(&params))?;
            let mut syn = SynSpec::new().weight(1.0).delay(dt);
            syn.receptor_type = Some(1);
            k.connect(&gen, &tgt, &ConnSpec::new(Rule::OneToOne), &syn)?;
            let mm = sample(&mut k, &tgt, "V", dt)?;
            k.simulate((steps + 1) as f64 * dt)?;
            k.flush_recorders()?;
            let (v, _) = samples(&k, &mm, "V", &tgt, dt)?;
            let mut prev = vec![0.0; n];
            let mut counts = Vec::with_capacity(steps);
            // Step 0 receives nothing (the generator's first value arrives at step 1).
            for row in v.iter().take(steps + 1) {
                counts.push(row.iter().zip(&prev).map(|(a, b)| (a - b).round()).collect::<Vec<f64>>());
                prev.clone_from(row);
            }
            counts.remove(0);
            Ok(count_stats(&counts))
        }
        other => Err(bad(&format!("unknown record {other:?}"))),
    }
}

/// Compares nestor's statistics with the protocol's brainpy.state statistics. `max_dv` of the
/// result is the largest |nestor − brainpy| as a fraction of its bound.
pub fn compare_statistics(proto: &J) -> Result<Comparison> {
    let name = proto["name"].as_str().unwrap_or("?").to_string();
    let k_se = proto["k_se"].as_f64().unwrap_or(4.0);
    let ours = run_statistics(proto)?;
    let theirs = proto["reference"].as_object().ok_or_else(|| Error::bad_parameter(format!("{name}: no reference")))?;
    let (mut worst, mut failure, mut notes) = (0.0f64, None, Vec::new());
    for (key, r) in theirs {
        let b = Stat { mean: r["mean"].as_f64().unwrap_or(f64::NAN), se: r["se"].as_f64().unwrap_or(f64::NAN) };
        let Some(o) = ours.get(key) else {
            failure.get_or_insert(format!("nestor has no statistic {key}"));
            continue;
        };
        let bound = k_se * (b.se.powi(2) + o.se.powi(2)).sqrt();
        let d = (o.mean - b.mean).abs();
        // Both standard errors 0: an exact statistic (0 after the input's duration).
        let frac = if bound > 0.0 {
            d / bound
        } else if d <= 1e-12 {
            0.0
        } else {
            f64::INFINITY
        };
        let frac = if frac.is_nan() { f64::INFINITY } else { frac };
        notes.push(format!(
            "{key}: brainpy {:.5} ± {:.2e}, nestor {:.5} ± {:.2e} ({frac:.2} of bound)",
            b.mean, b.se, o.mean, o.se
        ));
        if frac > 1.0 && failure.is_none() {
            failure = Some(format!(
                "{key}: nestor {:.6} vs brainpy {:.6}, |diff| {d:.3e} > {k_se}·sqrt(se_b² + se_n²) = {bound:.3e}",
                o.mean, b.mean
            ));
        }
        worst = worst.max(frac);
    }
    let models = vec![proto["model"].as_str().unwrap_or("?").to_string()];
    Ok(Comparison { name, models, max_dv: worst, spikes: (0, 0), failure, stochastic: true, notes })
}
