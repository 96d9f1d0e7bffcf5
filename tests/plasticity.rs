//! Plastic synapses: parameters through the API, bad input, thread invariance.
//! (Weights against NEST are checked by the stdp_* validation protocols.)

use nestor::prelude::*;

fn plastic_net(threads: i64) -> (Vec<(u32, u32, f64)>, usize) {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads, "rng_seed" => 11i64 }).unwrap();
    let n = k.create("iaf_psc_alpha", 300, Some(&dict! { "I_e" => 300.0 })).unwrap();
    let pg = k.create("poisson_generator", 1, Some(&dict! { "rate" => 8000.0 })).unwrap();
    k.connect(&pg, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(10.0)).unwrap();
    let syn = SynSpec::from_dict(
        &dict! { "synapse_model" => "stdp_synapse", "weight" => 20.0, "Wmax" => 60.0, "lambda" => 0.05 },
    )
    .unwrap();
    k.connect(&n, &n, &ConnSpec::new(Rule::FixedIndegree(30)), &syn).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&n, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(150.0).unwrap();
    k.simulate(150.0).unwrap();
    let c =
        k.get_connections(&ConnFilter { synapse_model: Some("stdp_synapse".into()), ..Default::default() }).unwrap();
    let spikes = nestor::events(&k, sr.first().unwrap()).unwrap().0.len();
    (c.iter().map(|c| (c.source, c.target, c.weight)).collect(), spikes)
}

#[test]
fn plastic_network_is_identical_for_1_and_2_threads() {
    let (w1, s1) = plastic_net(1);
    let (w2, s2) = plastic_net(2);
    assert!(s1 > 1000, "network is active: {s1} spikes");
    assert_eq!(s1, s2);
    assert_eq!(w1.len(), 9000);
    assert!(w1.iter().any(|c| c.2 != 20.0), "weights changed");
    assert!(w1.iter().zip(&w2).all(|(a, b)| a.0 == b.0 && a.1 == b.1 && a.2.to_bits() == b.2.to_bits()));
}

#[test]
fn plastic_parameters_through_the_api() {
    let mut k = nestor::kernel();
    let d = k.get_defaults("stdp_synapse").unwrap();
    assert_eq!(d["tau_plus"], Value::Double(20.0));
    assert_eq!(d["Wmax"], Value::Double(100.0));
    k.copy_model("stdp_synapse", "my_stdp", &dict! { "tau_plus" => 15.0, "weight" => 3.0 }).unwrap();
    k.set_defaults("my_stdp", &dict! { "lambda" => 0.1 }).unwrap();
    let a = k.create("iaf_psc_alpha", 2, None).unwrap();
    let b = k.create("iaf_psc_alpha", 2, None).unwrap();
    k.connect(&a, &b, &ConnSpec::new(Rule::OneToOne), &SynSpec::new().model("my_stdp")).unwrap();
    let c = k.get_connections(&ConnFilter { synapse_model: Some("my_stdp".into()), ..Default::default() }).unwrap();
    assert_eq!(c.len(), 2);
    let st = k.connection_status(&c[0]).unwrap();
    assert_eq!(
        (st["tau_plus"].clone(), st["lambda"].clone(), st["weight"].clone()),
        (Value::Double(15.0), Value::Double(0.1), Value::Double(3.0))
    );
    k.set_connection_status(&c[0], &dict! { "Wmax" => 50.0, "weight" => 7.0 }).unwrap();
    let st = k.connection_status(&c[0]).unwrap();
    assert_eq!((st["Wmax"].clone(), st["weight"].clone()), (Value::Double(50.0), Value::Double(7.0)));
    assert_eq!(k.connection_status(&c[1]).unwrap()["Wmax"], Value::Double(100.0));
    // Wmax of the other sign than the weight is refused and changes nothing.
    let e = k.set_connection_status(&c[0], &dict! { "Wmax" => -5.0 }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadProperty);
    assert_eq!(k.connection_status(&c[0]).unwrap()["Wmax"], Value::Double(50.0));
}

#[test]
fn bad_plastic_input() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 3, None).unwrap();
    let stdp = |extra: Dict| {
        let mut d = dict! { "synapse_model" => "stdp_synapse" };
        d.extend(extra);
        SynSpec::from_dict(&d).unwrap()
    };
    let e = k
        .connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &stdp(dict! { "weight" => 5.0, "Wmax" => -10.0 }))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadProperty);
    assert!(e.message.contains("-10") && e.message.contains("same sign"), "{e}");
    let e = k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &stdp(dict! { "tau_plus" => -2.0 })).unwrap_err();
    assert!(e.message.contains("tau_plus") && e.message.contains("-2"), "{e}");
    let e = k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &stdp(dict! { "tau_pluss" => 2.0 })).unwrap_err();
    assert!(e.message.contains("did you mean 'tau_plus'"), "{e}");
    let e = k
        .connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &SynSpec::from_dict(&dict! { "tau_plus" => 2.0 }).unwrap())
        .unwrap_err();
    assert!(e.message.contains("static_synapse") && e.message.contains("tau_plus"), "{e}");
    // A plastic synapse needs a spiking source and a target that archives spikes.
    let pg = k.create("poisson_generator", 1, None).unwrap();
    let e = k.connect(&pg, &a, &ConnSpec::new(Rule::AllToAll), &stdp(Dict::new())).unwrap_err();
    assert_eq!(e.kind, ErrorKind::IllegalConnection);
    assert_eq!(k.num_connections(), 0, "nothing half-connected");
    k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &stdp(Dict::new())).unwrap();
    assert_eq!(k.num_connections(), 9);
}

#[test]
fn tsodyks2_bad_input_and_state() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_exp", 2, None).unwrap();
    let syn = |extra: Dict| {
        let mut d = dict! { "synapse_model" => "tsodyks2_synapse" };
        d.extend(extra);
        SynSpec::from_dict(&d).unwrap()
    };
    for (bad, needle) in [
        (dict! { "U" => 1.5 }, "'U'"),
        (dict! { "u" => -0.1 }, "'u'"),
        (dict! { "tau_rec" => 0.0 }, "tau_rec"),
        (dict! { "tau_fac" => -1.0 }, "tau_fac"),
    ] {
        let e = k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &syn(bad)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.contains(needle), "{e}");
    }
    assert_eq!(k.num_connections(), 0);
    k.connect(&a, &a, &ConnSpec::new(Rule::OneToOne), &syn(dict! { "U" => 0.2 })).unwrap();
    let c = k.get_connections(&ConnFilter::default()).unwrap();
    let st = k.connection_status(&c[0]).unwrap();
    assert_eq!(
        (st["U"].clone(), st["u"].clone(), st["x"].clone()),
        (Value::Double(0.2), Value::Double(0.5), Value::Double(1.0))
    );
}

#[test]
fn hom_synapses_keep_common_properties_in_the_model() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 2, None).unwrap();
    let e = k
        .connect(
            &a,
            &a,
            &ConnSpec::new(Rule::AllToAll),
            &SynSpec::from_dict(&dict! { "synapse_model" => "stdp_pl_synapse_hom", "lambda" => 0.2 }).unwrap(),
        )
        .unwrap_err();
    assert!(e.message.contains("common property"), "{e}");
    assert_eq!(
        k.set_defaults("stdp_pl_synapse_hom", &dict! { "tau_plus" => -1.0 }).unwrap_err().kind,
        ErrorKind::BadProperty
    );
    k.set_defaults("stdp_pl_synapse_hom", &dict! { "lambda" => 0.2 }).unwrap();
    k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().model("stdp_pl_synapse_hom")).unwrap();
    let c = k.get_connections(&ConnFilter::default()).unwrap();
    assert_eq!(k.connection_status(&c[0]).unwrap()["lambda"], Value::Double(0.2));
    let e = k.set_connection_status(&c[0], &dict! { "mu" => 0.5 }).unwrap_err();
    assert!(e.message.contains("SetDefaults"), "{e}");
    assert_eq!(k.get_defaults("stdp_pl_synapse_hom").unwrap()["lambda"], Value::Double(0.2));
}

fn syn(model: &str, extra: Dict) -> SynSpec {
    let mut d = dict! { "synapse_model" => model };
    d.extend(extra);
    SynSpec::from_dict(&d).unwrap()
}

#[test]
fn static_synapse_hom_w_shares_the_model_weight() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 2, None).unwrap();
    let b = k.create("iaf_psc_alpha", 2, None).unwrap();
    // NEST: a per-connection weight is an error; nothing is connected.
    let e = k.connect(&a, &b, &ConnSpec::new(Rule::AllToAll), &syn("static_synapse_hom_w", dict! { "weight" => 2.0 }));
    let e = e.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadProperty);
    assert!(e.message.contains("static_synapse_hom_w") && e.message.contains("weight"), "{e}");
    assert_eq!(k.num_connections(), 0);
    k.copy_model("static_synapse_hom_w", "syn_ex", &dict! { "weight" => 20.0, "delay" => 1.5 }).unwrap();
    k.connect(&a, &b, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().model("syn_ex")).unwrap();
    // Counted right after Connect (brunel-2000.sli prints it before Simulate).
    assert_eq!(k.get_defaults("syn_ex").unwrap()["num_connections"], Value::Int(4));
    let c = k.get_connections(&ConnFilter { synapse_model: Some("syn_ex".into()), ..Default::default() }).unwrap();
    let st = k.connection_status(&c[0]).unwrap();
    assert_eq!((st["weight"].clone(), st["delay"].clone()), (Value::Double(20.0), Value::Double(1.5)));
    let e = k.set_connection_status(&c[0], &dict! { "weight" => 3.0 }).unwrap_err();
    assert!(e.message.contains("SetDefaults"), "{e}");
    // SetDefaults changes every existing connection (NEST's common weight) ...
    k.set_defaults("syn_ex", &dict! { "weight" => 35.0 }).unwrap();
    for ci in &c {
        assert_eq!(k.connection_status(ci).unwrap()["weight"], Value::Double(35.0));
    }
    // ... but not its sign once connections exist, and a refused change leaves all as it was.
    let e = k.set_defaults("syn_ex", &dict! { "weight" => -5.0 }).unwrap_err();
    assert!(e.message.contains("-5"), "{e}");
    assert_eq!(k.get_defaults("syn_ex").unwrap()["weight"], Value::Double(35.0));
    assert_eq!(k.connection_status(&c[1]).unwrap()["weight"], Value::Double(35.0));
    // The new weight reaches the targets.
    let sg = k.create("spike_generator", 1, Some(&dict! { "spike_times" => vec![1.0] })).unwrap();
    let p = k.create("parrot_neuron", 1, None).unwrap();
    k.connect(&sg, &p, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    let t = k.create("iaf_psc_delta", 1, Some(&dict! { "E_L" => 0.0, "V_m" => 0.0, "V_th" => 1000.0 })).unwrap();
    k.connect(&p, &t, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().model("syn_ex")).unwrap();
    k.simulate(3.6).unwrap();
    let v = k.get_status(t.first().unwrap()).unwrap()["V_m"].clone();
    assert!(matches!(v, Value::Double(x) if (x - 35.0 * (-0.1f64 / 10.0).exp()).abs() < 1e-9), "{v:?}");
}

#[test]
fn bad_input_of_the_new_synapse_models() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 3, None).unwrap();
    let cases: Vec<(&str, Dict, &str)> = vec![
        ("stdp_triplet_synapse", dict! { "weight" => 2.0, "Wmax" => -3.0 }, "Wmax -3"),
        ("stdp_triplet_synapse", dict! { "tau_plus_triplet" => -1.0 }, "'tau_plus_triplet' must be > 0 ms, got -1"),
        ("stdp_triplet_synapse", dict! { "Kplus_triplet" => -0.5 }, "Kplus_triplet"),
        ("stdp_nn_symm_synapse", dict! { "weight" => -1.0 }, "same sign"),
        ("stdp_nn_pre_centered_synapse", dict! { "tau_plus" => 0.0 }, "'tau_plus' must be > 0 ms, got 0"),
        ("stdp_nn_restr_synapse", dict! { "Wmax" => -100.0 }, "Wmax -100"),
        ("vogels_sprekeler_synapse", dict! { "weight" => -0.5 }, "same sign"),
        ("vogels_sprekeler_synapse", dict! { "tau" => -20.0 }, "'tau' must be > 0 ms, got -20"),
        ("tsodyks_synapse", dict! { "U" => 1.2 }, "'U' must be in [0,1], got 1.2"),
        ("tsodyks_synapse", dict! { "u" => -0.1 }, "'u' must be in [0,1]"),
        ("tsodyks_synapse", dict! { "tau_psc" => -3.0 }, "tau_psc"),
        ("tsodyks_synapse", dict! { "x" => 0.8, "y" => 0.5 }, "x + y"),
        ("tsodyks_synapse", dict! { "tau_psc" => 800.0 }, "differ"),
        ("quantal_stp_synapse", dict! { "U" => -0.5 }, "'U' must be in [0,1], got -0.5"),
        ("quantal_stp_synapse", dict! { "n" => 2i64, "a" => 3i64 }, "'a'"),
        ("quantal_stp_synapse", dict! { "tau_rec" => 0.0 }, "tau_rec"),
        ("bernoulli_synapse", dict! { "p_transmit" => 1.5 }, "'p_transmit' must be in [0,1], got 1.5"),
    ];
    for (model, extra, needle) in cases {
        let e = k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &syn(model, extra)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty, "{model}: {e}");
        assert!(e.message.contains(needle) && e.message.contains(model), "{model}: '{needle}' not in {e}");
    }
    assert_eq!(k.num_connections(), 0, "nothing half-connected");
    // Common properties of the _hom models: only through the model, and checked there.
    let e = k.set_defaults("stdp_synapse_hom", &dict! { "tau_plus" => -5.0 }).unwrap_err();
    assert!(e.message.contains("tau_plus") && e.message.contains("-5"), "{e}");
    let e = k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &syn("stdp_synapse_hom", dict! { "Wmax" => 5.0 }));
    assert!(e.unwrap_err().message.contains("common property"));
    // A plastic synapse needs a target that archives spikes: not a generator, not a recorder.
    let sg = k.create("spike_generator", 1, None).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    for model in ["stdp_triplet_synapse", "stdp_nn_symm_synapse", "vogels_sprekeler_synapse", "quantal_stp_synapse"] {
        let e = k.connect(&a, &sg, &ConnSpec::new(Rule::AllToAll), &syn(model, Dict::new())).unwrap_err();
        assert_eq!(e.kind, ErrorKind::IllegalConnection, "{model}: {e}");
        // A mixed target list fails as a whole.
        let mixed = NodeCollection::from_ids(&[a.first().unwrap(), sg.first().unwrap()]);
        assert!(k.connect(&a, &mixed, &ConnSpec::new(Rule::AllToAll), &syn(model, Dict::new())).is_err());
    }
    let _ = sr;
    assert_eq!(k.num_connections(), 0, "nothing half-connected");
    // Values in range connect.
    k.connect(
        &a,
        &a,
        &ConnSpec::new(Rule::OneToOne),
        &syn("tsodyks_synapse", dict! { "U" => 0.2, "x" => 0.9, "y" => 0.1 }),
    )
    .unwrap();
    assert_eq!(k.num_connections(), 3);
}

/// A recurrent network with every plastic model: weights and spikes bitwise the same with 1 and
/// 2 threads, and over two Simulate calls.
fn zoo(threads: i64, chunks: &[f64]) -> (Vec<(u32, u32, String, u64)>, usize) {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads, "rng_seed" => 5i64 }).unwrap();
    let n = k.create("iaf_psc_alpha", 200, Some(&dict! { "I_e" => 300.0 })).unwrap();
    let pg = k.create("poisson_generator", 1, Some(&dict! { "rate" => 8000.0 })).unwrap();
    k.connect(&pg, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(10.0)).unwrap();
    k.copy_model("stdp_synapse_hom", "hom", &dict! { "lambda" => 0.05, "Wmax" => 60.0 }).unwrap();
    k.copy_model("static_synapse_hom_w", "homw", &dict! { "weight" => -5.0 }).unwrap();
    let models: Vec<(&str, Dict)> = vec![
        ("hom", dict! { "weight" => 20.0 }),
        ("stdp_pl_synapse_hom", dict! { "weight" => 20.0 }),
        ("homw", Dict::new()),
        ("tsodyks_synapse", dict! { "weight" => 200.0 }),
        ("stdp_triplet_synapse", dict! { "weight" => 20.0, "Wmax" => 60.0, "Aplus" => 0.5, "Aminus" => 0.5 }),
        ("stdp_nn_symm_synapse", dict! { "weight" => 20.0, "Wmax" => 60.0, "lambda" => 0.05 }),
        ("stdp_nn_pre_centered_synapse", dict! { "weight" => 20.0, "Wmax" => 60.0, "lambda" => 0.05 }),
        ("stdp_nn_restr_synapse", dict! { "weight" => 20.0, "Wmax" => 60.0, "lambda" => 0.05 }),
        ("vogels_sprekeler_synapse", dict! { "weight" => -10.0, "Wmax" => -60.0, "eta" => 0.5 }),
        ("quantal_stp_synapse", dict! { "weight" => 10.0, "n" => 4i64, "a" => 4i64 }),
        ("bernoulli_synapse", dict! { "weight" => 20.0, "p_transmit" => 0.4 }),
    ];
    for (m, d) in &models {
        k.connect(&n, &n, &ConnSpec::new(Rule::FixedIndegree(4)), &syn(m, d.clone())).unwrap();
    }
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&n, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    for &t in chunks {
        k.simulate(t).unwrap();
    }
    let c = k.get_connections(&ConnFilter::default()).unwrap();
    let mut w: Vec<(u32, u32, String, u64)> =
        c.iter().map(|c| (c.source, c.target, c.synapse_model.clone(), c.weight.to_bits())).collect();
    w.sort();
    (w, nestor::events(&k, sr.first().unwrap()).unwrap().0.len())
}

#[test]
fn every_plastic_model_is_identical_for_1_and_2_threads() {
    let (w1, s1) = zoo(1, &[200.0]);
    assert!(s1 > 1000, "network is active: {s1} spikes");
    let changed = |m: &str| w1.iter().filter(|c| c.2 == m).any(|c| f64::from_bits(c.3) != 20.0);
    for m in [
        "hom",
        "stdp_pl_synapse_hom",
        "stdp_triplet_synapse",
        "stdp_nn_symm_synapse",
        "stdp_nn_pre_centered_synapse",
        "stdp_nn_restr_synapse",
    ] {
        assert!(changed(m), "{m}: weights changed");
    }
    let (w2, s2) = zoo(2, &[200.0]);
    assert_eq!(s1, s2, "spike count, 1 vs 2 threads");
    assert!(w1 == w2, "weights, 1 vs 2 threads");
    let (w3, s3) = zoo(2, &[70.0, 130.0]);
    assert_eq!(s1, s3, "spike count, two Simulate calls");
    assert!(w1 == w3, "weights, two Simulate calls");
}

#[test]
fn stochastic_synapses_follow_their_law_and_the_seed() {
    // bernoulli_synapse: 400 spikes through 50 connections, p = 0.25.
    let run = |seed: i64| {
        let mut k = nestor::kernel();
        k.set_kernel_status(&dict! { "rng_seed" => seed }).unwrap();
        let times: Vec<f64> = (1..=400).map(|i| i as f64).collect();
        let sg = k.create("spike_generator", 1, Some(&dict! { "spike_times" => times })).unwrap();
        let pre = k.create("parrot_neuron", 1, None).unwrap();
        let post = k.create("parrot_neuron", 50, None).unwrap();
        let sr = k.create("spike_recorder", 1, None).unwrap();
        k.connect(&sg, &pre, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
        k.connect(
            &pre,
            &post,
            &ConnSpec::new(Rule::AllToAll),
            &syn("bernoulli_synapse", dict! { "p_transmit" => 0.25 }),
        )
        .unwrap();
        k.connect(&post, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
        k.simulate(405.0).unwrap();
        nestor::events(&k, sr.first().unwrap()).unwrap().0
    };
    let a = run(1);
    // Binomial(20000, 0.25): mean 5000, sd 61; 5 sd.
    assert!((a.len() as f64 - 5000.0).abs() < 5.0 * 61.3, "{} transmitted", a.len());
    assert_eq!(a, run(1), "same seed, same draws");
    assert_ne!(a, run(2), "another seed, other draws");
}

/// Oracle: NEST 3.10 (PyNEST): a spike_generator connected through a synapse with a weight
/// recorder, and the same spikes relayed by a parrot: only the parrot's are recorded (senders
/// [parrot, parrot], times [2, 3], weights [7, 7]); a poisson_generator's none either.
#[test]
fn weight_recorder_does_not_record_what_devices_send() {
    let mut k = nestor::kernel();
    let wr = k.create("weight_recorder", 1, None).unwrap();
    k.copy_model("static_synapse", "s_wr", &dict! { "weight_recorder" => wr.first().unwrap() as i64 }).unwrap();
    let times = dict! { "spike_times" => vec![1.0, 2.0] };
    let sg = k.create("spike_generator", 1, Some(&times)).unwrap();
    let sg2 = k.create("spike_generator", 1, Some(&times)).unwrap();
    let pa = k.create("parrot_neuron", 1, None).unwrap();
    let n = k.create("iaf_psc_alpha", 1, None).unwrap();
    let pg = k.create("poisson_generator", 1, Some(&dict! { "rate" => 50000.0 })).unwrap();
    let all = ConnSpec::new(Rule::AllToAll);
    k.connect(&sg, &n, &all, &syn("s_wr", dict! { "weight" => 5.0 })).unwrap();
    k.connect(&sg2, &pa, &all, &SynSpec::new()).unwrap();
    k.connect(&pa, &n, &all, &syn("s_wr", dict! { "weight" => 7.0 })).unwrap();
    k.connect(&pg, &n, &all, &syn("s_wr", dict! { "weight" => 1.0 })).unwrap();
    k.simulate(10.0).unwrap();
    let (senders, times, ev) = nestor::events(&k, wr.first().unwrap()).unwrap();
    let pid = pa.first().unwrap() as i64;
    assert_eq!(senders, vec![pid, pid]);
    assert_eq!(times, vec![2.0, 3.0]);
    assert_eq!(ev["weights"], Value::DoubleVec(vec![7.0, 7.0]));
}

#[test]
fn weight_recorder_records_what_crosses_its_synapses() {
    let mut k = nestor::kernel();
    let wr = k.create("weight_recorder", 1, None).unwrap();
    let g = wr.first().unwrap() as i64;
    k.copy_model("stdp_synapse", "stdp_rec", &dict! { "weight_recorder" => g }).unwrap();
    k.copy_model("static_synapse", "st_rec", &dict! { "weight_recorder" => g }).unwrap();
    assert_eq!(k.get_defaults("stdp_rec").unwrap()["weight_recorder"], Value::IntVec(vec![g]));
    let sg = k.create("spike_generator", 1, Some(&dict! { "spike_times" => vec![10.0, 20.0, 30.0] })).unwrap();
    let p = k.create("parrot_neuron", 2, None).unwrap();
    let t = k.create("iaf_psc_exp", 1, None).unwrap();
    let (p0, p1) = (NodeCollection::range(p.first().unwrap(), 1), NodeCollection::range(p.first().unwrap() + 1, 1));
    k.connect(&sg, &p0, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.connect(
        &p0,
        &p1,
        &ConnSpec::new(Rule::AllToAll),
        &syn("stdp_rec", dict! { "receptor_type" => 1i64, "delay" => 2.0 }),
    )
    .unwrap();
    k.connect(&p0, &t, &ConnSpec::new(Rule::AllToAll), &syn("st_rec", dict! { "weight" => 3.0 })).unwrap();
    // Not connected with Connect.
    let e = k.connect(&p0, &wr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::IllegalConnection);
    // Only weight_recorders can be set.
    let e = k.set_defaults("stdp_rec", &dict! { "weight_recorder" => t.first().unwrap() as i64 }).unwrap_err();
    assert!(e.message.contains("iaf_psc_exp"), "{e}");
    k.simulate(50.0).unwrap();
    let (senders, times, ev) = nestor::events(&k, wr.first().unwrap()).unwrap();
    // Oracle: NEST 3.10 with the same network: senders all the parrot, times 11, 21, 31 (twice),
    // targets (parrot, neuron), receptors (1, 0), ports 0, weights 1 (stdp, no pairing) and 3.
    let pid = p.first().unwrap() as i64;
    assert_eq!(senders, vec![pid; 6]);
    assert_eq!(times, vec![11.0, 11.0, 21.0, 21.0, 31.0, 31.0]);
    let tid = t.first().unwrap() as i64;
    assert_eq!(ev["targets"], Value::IntVec(vec![pid + 1, tid, pid + 1, tid, pid + 1, tid]));
    assert_eq!(ev["receptors"], Value::IntVec(vec![1, 0, 1, 0, 1, 0]));
    assert_eq!(ev["ports"], Value::IntVec(vec![0; 6]));
    assert_eq!(ev["weights"], Value::DoubleVec(vec![1.0, 3.0, 1.0, 3.0, 1.0, 3.0]));
    // senders/targets restrict what is recorded.
    k.set_status(wr.first().unwrap(), &dict! { "n_events" => 0i64, "targets" => vec![tid] }).unwrap();
    k.simulate(50.0).unwrap();
    let (s, _, ev) = nestor::events(&k, wr.first().unwrap()).unwrap();
    assert_eq!(s.len(), 0, "no spikes after 30 ms");
    let _ = ev;
}

/// Connections from one source made together share one copy of their presynaptic state (12
/// bytes per plastic connection); the weights must be those of connections that do not share.
fn shared_vs_separate(separate: bool) -> Vec<(u32, u32, u64)> {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "rng_seed" => 3i64 }).unwrap();
    let pg = k.create("poisson_generator", 1, Some(&dict! { "rate" => 30.0 })).unwrap();
    let pre = k.create("parrot_neuron", 20, None).unwrap();
    let post = k.create("iaf_psc_alpha", 6, Some(&dict! { "I_e" => 200.0 })).unwrap();
    let drive = k.create("poisson_generator", 1, Some(&dict! { "rate" => 9000.0 })).unwrap();
    k.connect(&pg, &pre, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.connect(&drive, &post, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(10.0)).unwrap();
    let params = dict! { "weight" => 30.0, "lambda" => 0.05, "Wmax" => 80.0 };
    if separate {
        // One model per target: no two connections can share a row.
        for (j, t) in post.iter().enumerate() {
            let m = format!("stdp_{j}");
            k.copy_model("stdp_synapse", &m, &Dict::new()).unwrap();
            k.connect(&pre, &NodeCollection::range(t, 1), &ConnSpec::new(Rule::AllToAll), &syn(&m, params.clone()))
                .unwrap();
        }
    } else {
        k.connect(&pre, &post, &ConnSpec::new(Rule::AllToAll), &syn("stdp_synapse", params.clone())).unwrap();
    }
    k.simulate(300.0).unwrap();
    let mut w: Vec<(u32, u32, u64)> = k
        .get_connections(&ConnFilter::default())
        .unwrap()
        .iter()
        .filter(|c| c.synapse_model.starts_with("stdp"))
        .map(|c| (c.source, c.target, c.weight.to_bits()))
        .collect();
    w.sort();
    w
}

#[test]
fn shared_presynaptic_state_gives_the_same_weights() {
    let a = shared_vs_separate(false);
    let b = shared_vs_separate(true);
    assert_eq!(a.len(), 120);
    assert!(a.iter().any(|c| f64::from_bits(c.2) != 30.0), "weights changed");
    assert!(a == b, "shared and separate state differ");
}

#[test]
fn setting_one_connection_s_state_leaves_the_others() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 1, None).unwrap();
    let b = k.create("iaf_psc_alpha", 3, None).unwrap();
    k.connect(&a, &b, &ConnSpec::new(Rule::AllToAll), &syn("stdp_synapse", Dict::new())).unwrap();
    let c = k.get_connections(&ConnFilter::default()).unwrap();
    k.set_connection_status(&c[1], &dict! { "Kplus" => 2.5, "Wmax" => 70.0 }).unwrap();
    let kp: Vec<Value> = c.iter().map(|c| k.connection_status(c).unwrap()["Kplus"].clone()).collect();
    assert_eq!(kp, vec![Value::Double(0.0), Value::Double(2.5), Value::Double(0.0)]);
    let wm: Vec<Value> = c.iter().map(|c| k.connection_status(c).unwrap()["Wmax"].clone()).collect();
    assert_eq!(wm, vec![Value::Double(100.0), Value::Double(70.0), Value::Double(100.0)]);
    // A delay change is per connection too.
    k.set_connection_status(&c[2], &dict! { "delay" => 2.0 }).unwrap();
    let d: Vec<Value> = c.iter().map(|c| k.connection_status(c).unwrap()["delay"].clone()).collect();
    assert_eq!(d, vec![Value::Double(1.0), Value::Double(1.0), Value::Double(2.0)]);
    // Rolled-back connections leave the shared rows as they were.
    let bad = k.connect(&a, &b, &ConnSpec::new(Rule::AllToAll), &syn("stdp_synapse", dict! { "tau_plus" => -1.0 }));
    assert!(bad.is_err());
    assert_eq!(k.get_connections(&ConnFilter::default()).unwrap().len(), 3);
}

/// The batched stdp_pl_synapse_hom rule over rows: connections of one source that share a row,
/// a row split into runs (another model's connections between them) and a row copied on write
/// by SetStatus between two Simulate calls give the weights of connections that share nothing.
fn pl_rows(separate: bool) -> Vec<(u32, u32, u64, u64)> {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "rng_seed" => 5i64 }).unwrap();
    let pg = k.create("poisson_generator", 1, Some(&dict! { "rate" => 40.0 })).unwrap();
    let pre = k.create("parrot_neuron", 20, None).unwrap();
    let post = k.create("iaf_psc_alpha", 6, Some(&dict! { "I_e" => 200.0, "tau_minus" => 30.0 })).unwrap();
    let drive = k.create("poisson_generator", 1, Some(&dict! { "rate" => 9000.0 })).unwrap();
    k.connect(&pg, &pre, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.connect(&drive, &post, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(10.0)).unwrap();
    let common = dict! { "alpha" => 0.0513, "lambda" => 0.1, "mu" => 0.4, "tau_plus" => 15.0 };
    let names: Vec<String> = (0..6).map(|j| format!("pl_{j}")).collect();
    for m in &names {
        k.copy_model("stdp_pl_synapse_hom", m, &common).unwrap();
    }
    let all = ConnSpec::new(Rule::AllToAll);
    let spec = |m: &str| SynSpec::new().model(m).weight(45.0).delay(1.5);
    let part = |a: usize| post.slice(a, a + 2, 1).unwrap();
    if separate {
        for (j, t) in post.iter().enumerate() {
            k.connect(&pre, &NodeCollection::range(t, 1), &all, &spec(&names[j])).unwrap();
        }
    } else {
        // pl_0 rows are shared by post 0-1 and 4-5, with pl_1's connections between them.
        k.connect(&pre, &part(0), &all, &spec(&names[0])).unwrap();
        k.connect(&pre, &part(2), &all, &spec(&names[1])).unwrap();
        k.connect(&pre, &part(4), &all, &spec(&names[0])).unwrap();
    }
    k.simulate(150.0).unwrap();
    let conns = k.get_connections(&ConnFilter::default()).unwrap();
    for c in conns.iter().filter(|c| c.synapse_model.starts_with("pl_")) {
        if c.source == pre.first().unwrap() + 3 && c.target == post.first().unwrap() + 4 {
            k.set_connection_status(c, &dict! { "Kplus" => 0.75 }).unwrap();
        }
    }
    k.simulate(150.0).unwrap();
    let mut w: Vec<(u32, u32, u64, u64)> = k
        .get_connections(&ConnFilter::default())
        .unwrap()
        .iter()
        .filter(|c| c.synapse_model.starts_with("pl_"))
        .map(|c| {
            let kp = match k.connection_status(c).unwrap()["Kplus"] {
                Value::Double(x) => x.to_bits(),
                _ => 0,
            };
            (c.source, c.target, c.weight.to_bits(), kp)
        })
        .collect();
    w.sort();
    w
}

#[test]
fn stdp_pl_rows_shared_split_and_copied_give_the_weights_of_separate_connections() {
    let a = pl_rows(false);
    let b = pl_rows(true);
    assert_eq!(a.len(), 120);
    assert!(a.iter().any(|c| f64::from_bits(c.2) != 45.0), "weights changed");
    assert!(a == b, "shared and separate state differ");
}
