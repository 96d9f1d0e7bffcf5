//! Compares iaf_psc_alpha, iaf_psc_exp and iaf_psc_delta with NEST 3.10 traces.
//!
//! Oracle: NEST 3.10 (PyPI wheel), through `tests/nest/generate_reference.py`, which records V_m
//! (and the synaptic currents) after every step of several parameter variants driven by spike
//! and dc generators, including tau_syn == tau_m, tau_syn within 1e-10 of tau_m, non-integer
//! t_ref, V_min, refractory_input and shifted E_L. This test replays the same inputs through
//! each chunk's `route` and `update` and requires identical spike steps and traces within 1e-9
//! (mV or pA); in practice they agree bit for bit. Each scenario runs twice: all variants in one
//! chunk (per-node parameters) and each variant in a chunk of its own (shared parameters).

use nestor_kernel::model::{Emitter, Env, EventKind, Inputs, Instance, LocalEvent, Model, StepCtx};
use serde_json::Value as Json;

/// Replays the scenario for the variants `vars` (indices into the file's variants) in one chunk;
/// returns the largest deviation from NEST.
fn replay(model: &dyn Model, r: &Json, file: &str, variants: &[usize]) -> f64 {
    let h = r["h"].as_f64().unwrap();
    let steps = r["steps"].as_i64().unwrap();
    let n = variants.len();
    let Instance::Node(mut nd) = model.instantiate(n) else { panic!("not a node model") };

    // Parameters, by NEST name, through the schema.
    for (i, &var) in variants.iter().enumerate() {
        let mut row = nd.table().row(i);
        for (k, v) in r["params"][var].as_object().unwrap() {
            let idx = nd.table().specs().iter().position(|s| s.name == k);
            let idx = idx.unwrap_or_else(|| panic!("no {k}"));
            row[idx] = match v {
                Json::Bool(b) => f64::from(u8::from(*b)),
                v => v.as_f64().unwrap(),
            };
        }
        nd.validate(&row).unwrap();
        nd.table_mut().set_row(i, &row);
    }
    let env = Env { resolution: h, now: 0, min_delay: 10, max_delay: 10 };
    nd.prepare(&env).unwrap();

    // Inputs per step, routed as the kernel would route them.
    let nch = nd.channels();
    let mut per_step: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); steps as usize + 1];
    for inp in r["inputs"].as_array().unwrap() {
        let t = inp[0].as_i64().unwrap();
        let kind = if inp[1] == "spike" { EventKind::Spike } else { EventKind::Current };
        let receptor = inp[2].as_i64().unwrap();
        let value = inp[3].as_f64().unwrap();
        let var = inp[4].as_u64().unwrap() as usize;
        let route = nd.route(receptor, kind, value).unwrap();
        if let Some(i) = variants.iter().position(|&v| v == var) {
            if t <= steps {
                per_step[t as usize].push((route.channel as usize, i, value));
            }
        }
    }

    let vars: Vec<&str> = r["record"].as_object().unwrap().keys().map(|s| s.as_str()).collect();
    let var_idx: Vec<usize> = vars.iter().map(|v| nd.recordables().iter().position(|x| x == v).unwrap()).collect();
    let mut data = vec![0.0; nch * n];
    let mut ev: Vec<LocalEvent> = Vec::new();
    let mut spikes: Vec<(usize, i64)> = Vec::new();
    let mut max_err = 0.0_f64;
    for t in 0..steps {
        data.iter_mut().for_each(|x| *x = 0.0);
        for &(ch, i, v) in &per_step[t as usize] {
            data[ch * n + i] += v;
        }
        ev.clear();
        nd.update(&StepCtx { t, h }, &Inputs::new(&data, n, 1, 0), &mut Emitter::new(&mut ev));
        spikes.extend(ev.iter().map(|e| (variants[e.local as usize], t + 1)));
        for (v, &vi) in vars.iter().zip(&var_idx) {
            for (i, &var) in variants.iter().enumerate() {
                let nest = r["record"][v][var][t as usize].as_f64().unwrap();
                let ours = nd.read(vi, i);
                let err = (nest - ours).abs();
                max_err = max_err.max(err);
                assert!(err < 1e-9, "{file}: {v} of variant {var} at step {}: NEST {nest}, nestor {ours}", t + 1);
            }
        }
    }
    spikes.sort();
    let nest_spikes: Vec<(usize, i64)> = r["spikes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s[0].as_u64().unwrap() as usize, s[1].as_i64().unwrap()))
        .filter(|(var, _)| variants.contains(var))
        .collect();
    assert_eq!(spikes, nest_spikes, "{file}: spike steps of variants {variants:?} differ");
    max_err
}

fn check(model: &dyn Model, file: &str) {
    let path = format!("{}/tests/nest/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let r: Json = serde_json::from_str(&text).unwrap();
    let nvar = r["params"].as_array().unwrap().len();
    assert!(!r["spikes"].as_array().unwrap().is_empty());
    let all: Vec<usize> = (0..nvar).collect();
    let mut max_err = replay(model, &r, file, &all);
    for v in 0..nvar {
        max_err = max_err.max(replay(model, &r, file, &[v]));
    }
    eprintln!("{file}: spike steps identical, max |error| {max_err:e}");
}

#[test]
fn iaf_psc_alpha_matches_nest() {
    check(&nestor_models::IafPscAlpha, "iaf_psc_alpha.json");
}

#[test]
fn iaf_psc_exp_matches_nest() {
    check(&nestor_models::IafPscExp, "iaf_psc_exp.json");
}

#[test]
fn iaf_psc_delta_matches_nest() {
    check(&nestor_models::IafPscDelta, "iaf_psc_delta.json");
}
