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
