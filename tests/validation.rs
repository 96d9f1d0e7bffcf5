//! Runs every validation protocol against the stored NEST 3.10 references (the same as
//! `nestor validate`), and checks that the harness does fail on a wrong model.

use nestor::validate::{check, run_all, Status};
use std::path::Path;

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/validation"))
}

#[test]
fn every_protocol_matches_nest() {
    let rows = run_all(dir(), None, None).expect("validation folder readable");
    let protocols = rows.iter().filter(|r| !r.protocol.starts_with("(model")).count();
    assert!(protocols >= 30, "expected the full protocol set, found {protocols}");
    let fails: Vec<String> = rows
        .iter()
        .filter_map(|r| match &r.status {
            Status::Fail(w) => Some(format!("{}: {w}", r.protocol)),
            _ => None,
        })
        .collect();
    assert!(fails.is_empty(), "failing protocols:\n{}", fails.join("\n"));
}

fn load(name: &str) -> (serde_json::Value, serde_json::Value) {
    let p = std::fs::read_to_string(dir().join(format!("protocols/{name}.json"))).unwrap();
    let r = std::fs::read_to_string(dir().join(format!("reference/{name}.json"))).unwrap();
    (serde_json::from_str(&p).unwrap(), serde_json::from_str(&r).unwrap())
}

#[test]
fn the_harness_fails_on_a_wrong_parameter() {
    let (mut p, r) = load("iaf_psc_alpha_dc376");
    assert_eq!(check(&p, &r).status, Status::Pass);
    // 1 % more membrane capacitance: a plausible porting mistake.
    p["nodes"][0]["params"]["C_m"] = serde_json::json!(252.5);
    assert!(matches!(check(&p, &r).status, Status::Fail(_)));
}

#[test]
fn the_harness_fails_on_a_shifted_spike_time() {
    let (mut p, r) = load("parrot_spike_generator");
    assert_eq!(check(&p, &r).status, Status::Pass);
    let nodes = p["nodes"].as_array_mut().unwrap();
    let sg = nodes.iter_mut().find(|n| n["model"] == "spike_generator").unwrap();
    let times = sg["params"]["spike_times"].as_array_mut().unwrap();
    let t0 = times[0].as_f64().unwrap();
    times[0] = serde_json::json!(t0 + 0.1);
    assert!(matches!(check(&p, &r).status, Status::Fail(_)));
}
