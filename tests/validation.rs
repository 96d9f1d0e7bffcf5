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

#[test]
fn regression_mode_reads_nest_ascii_output() {
    // Real NEST 3.10 ASCII recorder files (validation/nest/ascii_example.py).
    let ascii = dir().join("reference/nest_ascii");
    let rows = run_all(dir(), Some(&ascii), None).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.protocol.as_str()).collect();
    for p in ["iaf_psc_alpha_dc376", "iaf_psc_exp_spike_input", "parrot_spike_generator"] {
        assert!(names.contains(&p), "{p} not compared: {names:?}");
    }
    for r in &rows {
        assert_eq!(r.status, Status::Pass, "{}", r.protocol);
    }
    // A corrupted copy (one voltage changed in the 6th decimal) must fail.
    let tmp = std::env::temp_dir().join(format!("nestor-ascii-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for e in std::fs::read_dir(&ascii).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().into_string().unwrap();
        if !name.starts_with("iaf_psc_alpha_dc376") {
            continue;
        }
        let mut text = std::fs::read_to_string(e.path()).unwrap();
        if name.contains("-vm-") {
            let line = text.lines().nth(500).unwrap().to_string();
            let mut f: Vec<String> = line.split('\t').map(str::to_string).collect();
            let v: f64 = f[2].parse().unwrap();
            f[2] = format!("{:.17}", v + 1e-6);
            text = text.replacen(&line, &f.join("\t"), 1);
        }
        std::fs::write(tmp.join(&name), text).unwrap();
    }
    let rows = run_all(dir(), Some(&tmp), Some("iaf_psc_alpha_dc376")).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(matches!(rows[0].status, Status::Fail(_)), "{:?}", rows[0].status);
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn regression_mode_reads_hdf5_in_nestors_layout() {
    use nestor::prelude::*;
    let (p, _) = load("iaf_psc_alpha_dc376");
    let tmp = std::env::temp_dir().join(format!("nestor-h5ref-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "data_path" => tmp.to_str().unwrap(), "overwrite_files" => true }).unwrap();
    let n = k.create("iaf_psc_alpha", 1, Some(&dict! { "I_e" => 376.0 })).unwrap();
    let vm =
        k.create("voltmeter", 1, Some(&dict! { "interval" => 0.1, "record_to" => "hdf5", "label" => "vm" })).unwrap();
    let sr = k.create("spike_recorder", 1, Some(&dict! { "record_to" => "hdf5", "label" => "sr" })).unwrap();
    k.connect(&vm, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.connect(&n, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(1000.0).unwrap();
    // The last min_delay slice would otherwise wait for a next Simulate, as in NEST.
    k.flush_recorders().unwrap();
    k.close_backends().unwrap();
    std::fs::rename(tmp.join("nestor.h5"), tmp.join("iaf_psc_alpha_dc376.h5")).unwrap();
    let r = nestor::validate::load_user_reference(&tmp, "iaf_psc_alpha_dc376", &p).unwrap().expect("reference found");
    assert_eq!(r["events"]["sr"]["times"].as_array().unwrap().len(), 16);
    assert_eq!(check(&p, &r).status, Status::Pass);
    std::fs::remove_dir_all(&tmp).ok();
}
