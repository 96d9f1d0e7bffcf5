//! GetDefaults of every model against NEST 3.10's GetDefaults (validation/reference/defaults/).

use nestor::Value;
use std::path::Path;

#[test]
fn defaults_match_nest() {
    let k = nestor::kernel();
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/validation/reference/defaults"));
    let mut checked = 0;
    let mut problems = Vec::new();
    // The BrainPy family has brainpy.state's defaults, not NEST's; its drive protocols in
    // validation/brainpy/ run every neuron at its defaults against brainpy.state.
    let nest_models =
        k.registry().models.iter().filter(|m| !m.factory.doc().contains("(brainpy.state)")).map(|m| m.name.clone());
    for m in nest_models.chain(k.registry().synapses.iter().map(|s| s.name.clone())) {
        // NEST's `_hpc` variants have the defaults of their base model.
        let file =
            if dir.join(format!("{m}.json")).exists() { m.clone() } else { m.trim_end_matches("_hpc").to_string() };
        let path = dir.join(format!("{file}.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{m}: no NEST defaults file"));
            continue;
        };
        let nest: serde_json::Value = serde_json::from_str(&text).unwrap();
        let ours = k.get_defaults(&m).unwrap();
        for (key, v) in &ours {
            // Model numbers are each simulator's own registration order.
            if key == "model_id" || key == "synapse_modelid" {
                continue;
            }
            let Some(theirs) = nest.get(key) else { continue };
            let a = match v {
                Value::Double(x) => Some(*x),
                Value::Int(i) => Some(*i as f64),
                Value::Bool(b) => Some(f64::from(u8::from(*b))),
                _ => None,
            };
            let b = match theirs {
                serde_json::Value::Number(n) => n.as_f64(),
                serde_json::Value::Bool(b) => Some(f64::from(u8::from(*b))),
                serde_json::Value::String(s) if s == "inf" => Some(f64::INFINITY),
                serde_json::Value::String(s) if s == "-inf" => Some(f64::NEG_INFINITY),
                _ => None,
            };
            if let (Some(a), Some(b)) = (a, b) {
                checked += 1;
                if !(a == b || (a - b).abs() <= 1e-12 * b.abs().max(1.0)) {
                    problems.push(format!("{m}.{key}: nestor {a} vs NEST {b}"));
                }
            }
        }
        for rk in ["recordables", "record_from"] {
            if let (Some(Value::Array(a)), Some(serde_json::Value::Array(b))) = (ours.get(rk), nest.get(rk)) {
                let a: Vec<String> = a.iter().map(|x| x.to_string()).collect();
                let b: Vec<String> = b.iter().filter_map(|x| x.as_str().map(str::to_string)).collect();
                if a != b {
                    problems.push(format!("{m}.{rk}: nestor {a:?} vs NEST {b:?}"));
                }
            }
        }
    }
    assert!(checked > 80, "only {checked} values compared");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
