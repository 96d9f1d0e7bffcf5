//! The BrainPy family against brainpy.state itself: every protocol in
//! `validation/brainpy/reference/` (written by `validation/brainpy/make_references.py` with
//! brainpy 2.8.2 / brainpy_state 0.1.0 in float64) is rebuilt with nestor's Rust API and must
//! give the same spikes (step and neuron) and membrane traces within the tolerance of
//! `validation/TOLERANCES.md` (category `brainpy`). The random inputs' protocols
//! (`bp_stat_*.json`, written by `validation/brainpy/make_statistics.py`) compare statistics
//! instead (category `brainpy-stochastic`).

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
                if c.stochastic {
                    println!("{:40} statistics within {:.2} of their bound", c.name, c.max_dv);
                } else {
                    println!(
                        "{:40} spikes {:4} (brainpy {:4})  max |dV| {:.3e}",
                        c.name, c.spikes.1, c.spikes.0, c.max_dv
                    );
                }
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

fn load(name: &str) -> serde_json::Value {
    let f = reference_dir().join(name);
    serde_json::from_str(&std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()))).unwrap()
}

#[test]
fn statistical_checks_print_their_figures() {
    // The figures of the statistical protocols (run with --nocapture); pass/fail is asserted by
    // brainpy_family_matches_brainpy_state.
    for name in [
        "WienerProcessInput",
        "OUProcessInput",
        "PoissonSpike",
        "PoissonEncoder",
        "PoissonInput_binomial",
        "PoissonInput_normal",
    ] {
        let c = nestor::brainpy::compare_protocol(&load(&format!("bp_stat_{name}.json"))).unwrap();
        assert!(c.stochastic);
        println!("{}: {:.2} of bound\n  {}", c.name, c.max_dv, c.notes.join("\n  "));
    }
}

/// Each deliberate error of a random input must fail the statistical comparison.
#[test]
fn wrong_random_inputs_fail_the_statistics() {
    let cases: [(&str, &str, f64, &str); 6] = [
        // a rate 10 % too high
        ("bp_stat_PoissonSpike.json", "freqs", 44.0, "rate +10 %"),
        // the rate read in kHz·1e-3 instead of Hz (1000 times too small)
        ("bp_stat_PoissonSpike.json", "freqs", 0.04, "rate unit"),
        // sigma·dt instead of sigma·sqrt(dt): the same as sigma·sqrt(0.1)
        ("bp_stat_WienerProcessInput.json", "sigma", 2.0 * 0.1f64.sqrt(), "sqrt(dt) scaling"),
        // tau 10 % too long (variance and autocorrelation)
        ("bp_stat_OUProcessInput.json", "tau", 11.0, "OU tau +10 %"),
        // one source more per target (mean count +10 %)
        ("bp_stat_PoissonInput_binomial.json", "num_input", 11.0, "num_input +10 %"),
        // the second phase's rate 10 % too high
        ("bp_stat_PoissonEncoder.json", "phase_freqs", 88.0, "encoder rate +10 %"),
    ];
    for (file, key, value, what) in cases {
        let mut p = load(file);
        if key == "phase_freqs" {
            p["phase_freqs"][1] = serde_json::json!(value);
        } else {
            p["params"][key] = serde_json::json!(value);
        }
        let c = nestor::brainpy::compare_protocol(&p).unwrap();
        println!("{what}: {:.1} of bound\n  {}", c.max_dv, c.notes.join("\n  "));
        assert!(c.failure.is_some(), "{what} must fail {file}: {}", c.notes.join("; "));
    }
}

#[test]
fn a_poisson_count_law_fails_the_poissoninput_statistics() {
    // nestor's former PoissonInput drew a Poisson count of mean n·p per step and target, as
    // poisson_generator does through the same per-target path. With that law the counts keep
    // brainpy's mean but not its variance n·p·(1 − p) (+ 1/12), and the check must fail.
    for file in ["bp_stat_PoissonInput_binomial.json", "bp_stat_PoissonInput_normal.json"] {
        let mut p = load(file);
        let n = p["params"]["num_input"].as_f64().unwrap();
        let f = p["params"]["freq"].as_f64().unwrap();
        let dt = p["dt"].as_f64().unwrap();
        let mean = n * -(-f * dt / 1000.0).exp_m1();
        p["model"] = serde_json::json!("poisson_generator");
        p["params"] = serde_json::json!({ "rate": mean / (dt / 1000.0) });
        let c = nestor::brainpy::compare_protocol(&p).unwrap();
        println!("{file} with Poisson counts:\n  {}", c.notes.join("\n  "));
        let fail = c.failure.unwrap_or_default();
        assert!(fail.starts_with("var:"), "{file}: the variance must fail, got {fail:?}");
    }
}
