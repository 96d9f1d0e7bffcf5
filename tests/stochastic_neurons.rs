//! The stochastic point neurons (pp_psc_delta, the gif family and the population model
//! gif_pop_psc_exp) draw from per-neuron streams
//! keyed by the seed and the node id: their spikes are bitwise the same for 1 and 2 threads
//! (populations of 200 are split into two chunks) and for one Simulate call vs several, and
//! they change with the seed.

use nestor::prelude::*;

fn models() -> Vec<(&'static str, Dict)> {
    let adapt = |d: Dict| {
        let mut d = d;
        d.insert("tau_sfa".into(), Value::DoubleVec(vec![20.0, 200.0]));
        d.insert("q_sfa".into(), Value::DoubleVec(vec![2.0, 1.0]));
        d
    };
    let stc = |d: Dict| {
        let mut d = adapt(d);
        d.insert("tau_stc".into(), Value::DoubleVec(vec![30.0]));
        d.insert("q_stc".into(), Value::DoubleVec(vec![10.0]));
        d
    };
    vec![
        ("pp_psc_delta", adapt(dict! { "I_e" => 375.0 })),
        ("pp_psc_delta", dict! { "I_e" => 250.0, "c_1" => 200.0, "c_2" => 0.0, "dead_time" => 0.0 }),
        (
            "pp_psc_delta",
            dict! { "c_2" => 200.0, "c_3" => 0.0, "dead_time" => 5.0, "dead_time_random" => true, "dead_time_shape" => 3i64 },
        ),
        ("gif_psc_exp", stc(dict! { "I_e" => 150.0 })),
        ("gif_cond_exp", stc(dict! { "I_e" => 150.0 })),
        ("gif_psc_exp_multisynapse", stc(dict! { "I_e" => 150.0 })),
        ("gif_cond_exp_multisynapse", stc(dict! { "I_e" => 150.0 })),
        // 200 populations of 20 neurons; a short history keeps the test fast.
        ("gif_pop_psc_exp", dict! { "I_e" => 300.0, "N" => 20i64, "len_kernel" => 100i64 }),
    ]
}

/// Spikes of 200 neurons of `model` (plus Poisson input, to exercise delivery too) in (time,
/// sender) order, bit for bit.
fn run(model: &str, params: &Dict, threads: i64, seed: i64, chunks: &[f64]) -> Vec<(u64, i64)> {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads, "rng_seed" => seed }).unwrap();
    let n = k.create(model, 200, Some(params)).unwrap();
    let pg = k.create("poisson_generator", 1, Some(&dict! { "rate" => 2000.0 })).unwrap();
    let receptor = if model.ends_with("multisynapse") { 1 } else { 0 };
    // mV for pp_psc_delta, nS for the conductance models, pA for the current models.
    let w = if model.starts_with("gif") && !model.contains("cond") { 20.0 } else { 0.5 };
    let mut syn = SynSpec::new().weight(w);
    syn.receptor_type = Some(receptor);
    k.connect(&pg, &n, &ConnSpec::new(Rule::AllToAll), &syn).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&n, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    for &t in chunks {
        k.simulate(t).unwrap();
    }
    let (s, t, _) = nestor::events(&k, sr.first().unwrap()).unwrap();
    let mut ev: Vec<(u64, i64)> = t.iter().map(|x| x.to_bits()).zip(s).collect();
    ev.sort();
    ev
}

#[test]
fn stochastic_neurons_are_thread_invariant_and_follow_the_seed() {
    for (m, p) in models() {
        let one = run(m, &p, 1, 3, &[300.0]);
        assert!(one.len() > 500, "{m}: the population fires ({} spikes)", one.len());
        let two = run(m, &p, 2, 3, &[300.0]);
        assert!(one == two, "{m}: 1 vs 2 threads differ ({} vs {} spikes)", one.len(), two.len());
        let split = run(m, &p, 2, 3, &[0.1, 99.9, 200.0]);
        assert!(one == split, "{m}: one Simulate vs three differ");
        let other = run(m, &p, 1, 4, &[300.0]);
        assert!(one != other, "{m}: seeds 3 and 4 gave the same spikes");
    }
}
