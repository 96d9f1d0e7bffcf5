//! The BrainPy family against brainpy.state itself: every protocol in
//! `validation/brainpy/reference/` (written by `validation/brainpy/make_references.py` with
//! brainpy 2.8.2 / brainpy_state 0.1.0 in float64) is rebuilt with nestor's Rust API and must
//! give the same spikes (step and neuron) and membrane traces within the tolerance of
//! `validation/TOLERANCES.md` (BrainPy section).

use std::path::PathBuf;

/// Absolute tolerance on V after every step, in the model's V unit (mV, or dimensionless for
/// FitzHugh–Nagumo and Hindmarsh–Rose): the two simulators round differently (brainunit scales
/// units, nestor folds them; φ(z) by series vs expm1), never by more than a few ulp per step.
const V_TOL: f64 = 1e-9;
/// Relative part of the tolerance (ExpIF's clamped exponential drives V to ~1e9 at a spike).
const V_RTOL: f64 = 1e-12;

fn reference_dir() -> PathBuf {
    std::env::var_os("NESTOR_BP_REF")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("validation/brainpy/reference"))
}

#[test]
fn brainpy_family_matches_brainpy_state() {
    let dir = reference_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 25, "expected the brainpy reference protocols in {}", dir.display());
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let proto: serde_json::Value = serde_json::from_str(&text).unwrap();
        let name = proto["name"].as_str().unwrap_or("?").to_string();
        let run = match nestor::brainpy::run_protocol(&proto) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let ref_v: Vec<Vec<f64>> = serde_json::from_value(proto["reference"]["V"].clone()).unwrap();
        let ref_s: Vec<(usize, usize)> = serde_json::from_value(proto["reference"]["spikes"].clone()).unwrap();
        let rtol = proto["rtol"].as_f64().unwrap_or(V_RTOL);
        let mut max_dv: f64 = 0.0;
        let mut worst: f64 = 0.0;
        let mut first_bad = None;
        for (step, (a, b)) in run.v.iter().zip(&ref_v).enumerate() {
            for (x, y) in a.iter().zip(b) {
                if first_bad.is_none() && (x - y).abs() > V_TOL + rtol * y.abs() {
                    first_bad = Some((step, *x, *y));
                }
                max_dv = max_dv.max((x - y).abs());
                worst = worst.max((x - y).abs() / (V_TOL + rtol * y.abs()));
            }
        }
        if worst.is_nan() {
            worst = f64::INFINITY;
        }
        if max_dv.is_nan() {
            max_dv = f64::INFINITY;
        }
        let mut spikes = run.spikes.clone();
        spikes.sort();
        let mut rs = ref_s.clone();
        rs.sort();
        println!("{name:40} spikes {:4} (brainpy {:4})  max |dV| {max_dv:.3e}", spikes.len(), rs.len());
        if spikes != rs {
            let first = spikes.iter().zip(&rs).position(|(a, b)| a != b).unwrap_or(spikes.len().min(rs.len()));
            failures.push(format!(
                "{name}: spikes differ from #{first}: nestor {:?} vs brainpy {:?}",
                spikes.get(first),
                rs.get(first)
            ));
        }
        if worst > 1.0 {
            failures.push(format!(
                "{name}: max |dV| = {max_dv:e} exceeds {V_TOL:e} + {rtol:e}·|V|; first at step {:?} (nestor, brainpy)",
                first_bad
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} protocols differ:\n{}", failures.len(), files.len(), failures.join("\n"));
}
