//! The BrainPy family against brainpy.state itself: every protocol in
//! `validation/brainpy/reference/` (written by `validation/brainpy/make_references.py` with
//! brainpy 2.8.2 / brainpy_state 0.1.0 in float64) is rebuilt with nestor's Rust API and must
//! give the same spikes (step and neuron) and membrane traces within the tolerance of
//! `validation/TOLERANCES.md` (category `brainpy`).

use std::path::PathBuf;

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
    assert!(files.len() >= 30, "expected the brainpy reference protocols in {}", dir.display());
    let mut failures = Vec::new();
    for f in &files {
        let proto: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        match nestor::brainpy::compare_protocol(&proto) {
            Ok(c) => {
                println!("{:40} spikes {:4} (brainpy {:4})  max |dV| {:.3e}", c.name, c.spikes.1, c.spikes.0, c.max_dv);
                if let Some(w) = c.failure {
                    failures.push(format!("{}: {w}", c.name));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} protocols differ:\n{}", failures.len(), files.len(), failures.join("\n"));
}

#[test]
fn a_wrong_parameter_fails_the_comparison() {
    let f = reference_dir().join("bp_LIF_drive.json");
    let mut proto: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
    proto["populations"][0]["params"] = serde_json::json!({ "tau": 5.001 });
    let c = nestor::brainpy::compare_protocol(&proto).unwrap();
    assert!(c.failure.is_some(), "a 0.02 % change of tau must be detected");
}
