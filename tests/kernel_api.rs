//! The kernel's public API: models, connection rules, synapse parameters, connections,
//! kernel status, ResetKernel.

use nestor::prelude::*;
use std::collections::HashSet;

fn conns(k: &mut Kernel, f: ConnFilter) -> Vec<nestor::core::ConnectionInfo> {
    k.get_connections(&f).unwrap()
}

#[test]
fn copy_model_and_defaults() {
    let mut k = nestor::kernel();
    k.copy_model("iaf_psc_alpha", "fast_neuron", &dict! { "tau_m" => 5.0 }).unwrap();
    let d = k.get_defaults("fast_neuron").unwrap();
    assert_eq!(d["tau_m"], Value::Double(5.0));
    assert_eq!(k.get_defaults("iaf_psc_alpha").unwrap()["tau_m"], Value::Double(10.0));
    let n = k.create("fast_neuron", 3, None).unwrap();
    assert_eq!(k.get_status(n.get(2).unwrap()).unwrap()["tau_m"], Value::Double(5.0));
    assert_eq!(k.get_status(n.get(0).unwrap()).unwrap()["model"], Value::Str("fast_neuron".into()));
    k.set_defaults("fast_neuron", &dict! { "C_m" => 100.0 }).unwrap();
    let m = k.create("fast_neuron", 1, None).unwrap();
    assert_eq!(k.get_status(m.first().unwrap()).unwrap()["C_m"], Value::Double(100.0));
    // Defaults are validated like a node.
    assert_eq!(k.set_defaults("fast_neuron", &dict! { "C_m" => -1.0 }).unwrap_err().kind, ErrorKind::BadProperty);
    assert_eq!(
        k.copy_model("iaf_psc_alpha", "fast_neuron", &Dict::new()).unwrap_err().kind,
        ErrorKind::KernelException
    );
    // Devices and synapses too.
    k.set_defaults("poisson_generator", &dict! { "rate" => 15.0 }).unwrap();
    assert_eq!(k.get_defaults("poisson_generator").unwrap()["rate"], Value::Double(15.0));
    k.copy_model("static_synapse", "exc", &dict! { "weight" => 2.5, "delay" => 1.5 }).unwrap();
    let d = k.get_defaults("exc").unwrap();
    assert_eq!((d["weight"].clone(), d["delay"].clone()), (Value::Double(2.5), Value::Double(1.5)));
    k.connect(&n, &m, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().model("exc")).unwrap();
    let c = conns(&mut k, ConnFilter { synapse_model: Some("exc".into()), ..Default::default() });
    assert_eq!(c.len(), 3);
    assert!(c.iter().all(|c| c.weight == 2.5 && (c.delay - 1.5).abs() < 1e-12 && c.synapse_model == "exc"));
    // ResetKernel forgets copies and defaults.
    k.reset().unwrap();
    assert_eq!(k.get_defaults("fast_neuron").unwrap_err().kind, ErrorKind::UnknownModelName);
    assert_eq!(k.get_defaults("poisson_generator").unwrap()["rate"], Value::Double(0.0));
    assert_eq!(k.network_size(), 0);
}

#[test]
fn connection_rules_respect_their_constraints() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 40, None).unwrap();
    let b = k.create("iaf_psc_alpha", 30, None).unwrap();
    let pairs = |k: &mut Kernel, pre: &NodeCollection, post: &NodeCollection| -> Vec<(u32, u32)> {
        conns(k, ConnFilter { source: Some(pre.clone()), target: Some(post.clone()), ..Default::default() })
            .iter()
            .map(|c| (c.source, c.target))
            .collect()
    };
    k.connect(&a, &b, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    assert_eq!(pairs(&mut k, &a, &b).len(), 1200);

    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 40, None).unwrap();
    let spec = ConnSpec {
        rule: Rule::FixedIndegree(10),
        allow_autapses: false,
        allow_multapses: false,
        make_symmetric: false,
    };
    k.connect(&a, &a, &spec, &SynSpec::new()).unwrap();
    let p = pairs(&mut k, &a, &a);
    assert_eq!(p.len(), 400);
    assert!(p.iter().all(|(s, t)| s != t), "autapse made");
    assert_eq!(p.iter().collect::<HashSet<_>>().len(), 400, "multapse made");
    for t in a.iter() {
        assert_eq!(p.iter().filter(|x| x.1 == t).count(), 10);
    }

    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 40, None).unwrap();
    let spec = ConnSpec {
        rule: Rule::FixedOutdegree(7),
        allow_autapses: false,
        allow_multapses: false,
        make_symmetric: false,
    };
    k.connect(&a, &a, &spec, &SynSpec::new()).unwrap();
    let p = pairs(&mut k, &a, &a);
    assert_eq!(p.len(), 280);
    for s in a.iter() {
        assert_eq!(p.iter().filter(|x| x.0 == s).count(), 7);
    }
    assert!(p.iter().all(|(s, t)| s != t));

    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 40, None).unwrap();
    let spec = ConnSpec {
        rule: Rule::FixedTotalNumber(500),
        allow_autapses: true,
        allow_multapses: false,
        make_symmetric: false,
    };
    k.connect(&a, &a, &spec, &SynSpec::new()).unwrap();
    let p = pairs(&mut k, &a, &a);
    assert_eq!(p.len(), 500);
    assert_eq!(p.iter().collect::<HashSet<_>>().len(), 500);

    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 200, None).unwrap();
    k.connect(&a, &a, &ConnSpec::new(Rule::PairwiseBernoulli(0.1)), &SynSpec::new()).unwrap();
    let n = pairs(&mut k, &a, &a).len() as f64;
    // Binomial(40000, 0.1): mean 4000, sd 60.
    assert!((n - 4000.0).abs() < 300.0, "{n} connections");

    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 5, None).unwrap();
    let b = k.create("iaf_psc_alpha", 5, None).unwrap();
    k.connect(&a, &b, &ConnSpec::new(Rule::OneToOne), &SynSpec::new()).unwrap();
    assert_eq!(pairs(&mut k, &a, &b), (0..5).map(|i| (1 + i, 6 + i)).collect::<Vec<_>>());
    assert_eq!(k.kernel_status()["num_connections"], Value::Int(5));
}

#[test]
fn weights_and_delays_from_arrays_and_distributions() {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "rng_seed" => 42i64 }).unwrap();
    let a = k.create("iaf_psc_alpha", 4, None).unwrap();
    let b = k.create("iaf_psc_alpha", 4, None).unwrap();
    let syn = SynSpec {
        weight: Some(ParamValue::Array(vec![1.0, 2.0, 3.0, 4.0])),
        delay: Some(ParamValue::Array(vec![1.0, 1.2, 1.4, 1.6])),
        ..SynSpec::new()
    };
    k.connect(&a, &b, &ConnSpec::new(Rule::OneToOne), &syn).unwrap();
    let c = conns(&mut k, ConnFilter::default());
    assert_eq!(c.iter().map(|c| c.weight).collect::<Vec<_>>(), vec![1.0, 2.0, 3.0, 4.0]);
    assert!(c.iter().zip([1.0, 1.2, 1.4, 1.6]).all(|(c, d)| (c.delay - d).abs() < 1e-12));
    // Too short an array is an error, and nothing is connected.
    let short = SynSpec { weight: Some(ParamValue::Array(vec![1.0])), ..SynSpec::new() };
    assert_eq!(k.connect(&a, &b, &ConnSpec::new(Rule::AllToAll), &short).unwrap_err().kind, ErrorKind::BadProperty);
    assert_eq!(k.num_connections(), 4);

    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 100, None).unwrap();
    let d = |m: &str, extra: Dict| {
        let mut x = dict! { "distribution" => m };
        x.extend(extra);
        SynSpec::from_dict(&dict! { "weight" => Value::Dict(x.clone()), "delay" => Value::Dict(dict! { "distribution" => "uniform", "low" => 0.5, "high" => 2.5 }) }).unwrap()
    };
    let specs = [
        ("uniform", d("uniform", dict! { "low" => 1.0, "high" => 3.0 }), 2.0),
        ("normal", d("normal", dict! { "mu" => 5.0, "sigma" => 1.0 }), 5.0),
        (
            "normal_clipped",
            d("normal_clipped", dict! { "mu" => 0.0, "sigma" => 1.0, "low" => 0.0, "high" => 10.0 }),
            0.798,
        ),
        ("lognormal", d("lognormal", dict! { "mu" => 0.0, "sigma" => 0.5 }), (0.125f64).exp()),
        ("exponential", d("exponential", dict! { "beta" => 2.0 }), 2.0),
    ];
    for (name, syn, mean) in specs {
        let before = k.num_connections();
        k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &syn).unwrap();
        let c = conns(&mut k, ConnFilter::default());
        let new: Vec<_> = c.iter().filter(|_| true).collect();
        let _ = before;
        let ws: Vec<f64> = new.iter().rev().take(10_000).map(|c| c.weight).collect();
        let m = ws.iter().sum::<f64>() / ws.len() as f64;
        assert!((m - mean).abs() < 0.05 * mean.max(1.0), "{name}: mean {m}, expected {mean}");
        if name == "normal_clipped" {
            assert!(ws.iter().all(|w| (0.0..=10.0).contains(w)));
        }
        // Delays are rounded to the grid and stay in range.
        assert!(new.iter().all(|c| c.delay >= 0.5 - 1e-9 && c.delay <= 2.5 + 1e-9));
        k = nestor::kernel();
        let _ = k.create("iaf_psc_alpha", 100, None).unwrap();
    }
}

#[test]
fn connection_status_changes_take_effect() {
    let mut k = nestor::kernel();
    let sg = k.create("spike_generator", 1, Some(&dict! { "spike_times" => vec![10.0] })).unwrap();
    let n = k.create("iaf_psc_delta", 1, None).unwrap();
    let vm = k.create("voltmeter", 1, Some(&dict! { "interval" => 0.1 })).unwrap();
    k.connect(&sg, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(1.0).delay(1.0)).unwrap();
    k.connect(&vm, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    let c = conns(&mut k, ConnFilter { source: Some(sg.clone()), ..Default::default() });
    assert_eq!(c.len(), 1);
    let st = k.connection_status(&c[0]).unwrap();
    assert_eq!(st["weight"], Value::Double(1.0));
    k.set_connection_status(&c[0], &dict! { "weight" => 3.0, "delay" => 2.0 }).unwrap();
    assert_eq!(k.connection_status(&c[0]).unwrap()["weight"], Value::Double(3.0));
    assert_eq!(k.set_connection_status(&c[0], &dict! { "delay" => 0.01 }).unwrap_err().kind, ErrorKind::BadDelay);
    k.simulate(20.0).unwrap();
    let (_, t, ev) = nestor::events(&k, vm.first().unwrap()).unwrap();
    let Some(Value::DoubleVec(v)) = ev.get("V_m") else { panic!() };
    // The spike at 10 ms arrives after the new 2 ms delay with the new 3 mV weight.
    let i = t.iter().position(|&x| (x - 12.0).abs() < 1e-9).unwrap();
    assert!((v[i] - v[i - 1] - 3.0).abs() < 1e-9, "jump {}", v[i] - v[i - 1]);
    assert!((v[i - 1] - v[i - 10]).abs() < 1e-12, "nothing arrives at 11 ms");
}

#[test]
fn kernel_status_follows_nest() {
    let mut k = nestor::kernel();
    let s = k.kernel_status();
    assert_eq!(s["resolution"], Value::Double(0.1));
    assert_eq!(s["min_delay"], Value::Double(0.1));
    assert_eq!(s["max_delay"], Value::Double(0.1));
    assert_eq!(s["rng_seed"], Value::Int(143202461));
    k.set_kernel_status(&dict! { "resolution" => 0.05, "rng_seed" => 5i64, "local_num_threads" => 2i64 }).unwrap();
    let a = k.create("iaf_psc_alpha", 10, None).unwrap();
    k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().delay(2.3)).unwrap();
    k.simulate(10.0).unwrap();
    let s = k.kernel_status();
    assert_eq!(s["min_delay"], Value::Double(2.3000000000000003)); // as NEST prints it
    assert_eq!(s["network_size"], Value::Int(10));
    assert_eq!(s["num_connections"], Value::Int(100));
    assert_eq!(s["biological_time"], Value::Double(10.0));
    assert_eq!(s["local_num_threads"], Value::Int(2));
    assert_eq!(
        k.set_kernel_status(&dict! { "local_num_threads" => 1i64 }).unwrap_err().kind,
        ErrorKind::KernelException
    );
    assert_eq!(k.set_kernel_status(&dict! { "rng_seeed" => 1i64 }).unwrap_err().kind, ErrorKind::BadProperty);
    assert_eq!(k.set_kernel_status(&dict! { "biological_time" => 1.0 }).unwrap_err().kind, ErrorKind::BadProperty);
}

#[test]
fn dict_miss_is_error_is_kept_until_reset() {
    let mut k = nestor::kernel();
    assert_eq!(k.kernel_status()["dict_miss_is_error"], Value::Bool(true));
    assert!(k.dict_miss_is_error());
    k.set_kernel_status(&dict! { "dict_miss_is_error" => false }).unwrap();
    assert!(!k.dict_miss_is_error());
    assert_eq!(k.kernel_status()["dict_miss_is_error"], Value::Bool(false));
    // A bad value changes nothing.
    assert!(k.set_kernel_status(&dict! { "dict_miss_is_error" => 2.5 }).is_err());
    assert!(!k.dict_miss_is_error());
    k.reset().unwrap();
    assert!(k.dict_miss_is_error());
}
