//! The BrainPy family on nestor's kernel: projection semantics, exactness of AlignPost, thread
//! invariance, mixing with NEST models, and bad input.

use nestor::brainpy::{align_post_proj, align_pre_proj, current_proj, delta_proj, ei_coba, Comm, EiParams, Out, Syn};
use nestor::prelude::*;

fn spikes(k: &Kernel, sr: &NodeCollection) -> Vec<(i64, f64)> {
    let (s, t, _) = nestor::events(k, sr.first().unwrap()).unwrap();
    let mut v: Vec<(i64, f64)> = s.into_iter().zip(t).collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v
}

fn trace(k: &Kernel, mm: &NodeCollection) -> Vec<f64> {
    let (_, _, ev) = nestor::events(k, mm.first().unwrap()).unwrap();
    ev.get("V").unwrap().as_f64_vec_in(Unit::Dimensionless, "V").unwrap()
}

/// A small driven network: 20 LIF presynaptic neurons with different drives onto 5 LIF
/// postsynaptic neurons, Expon(5 ms) + COBA(0 mV), all-to-all 40 mS.
fn small_net(align_post: bool, threads: i64) -> (Vec<f64>, Vec<(i64, f64)>) {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads }).unwrap();
    let pre = k.create("LIF", 20, Some(&dict! { "tau" => 10.0 })).unwrap();
    let drives: Vec<Dict> = (0..20).map(|i| dict! { "I_ext" => 1.5 + 0.1 * i as f64 }).collect();
    k.set_status_all(&pre, &drives).unwrap();
    let post = k.create(
        "LIF",
        5,
        Some(&dict! { "V_rest" => -60.0, "V_th" => -50.0, "V_reset" => -60.0, "tau" => 20.0, "V" => -60.0, "I_ext" => 0.5 }),
    )
    .unwrap();
    let comm = Comm::all_to_all(40.0, true);
    if align_post {
        align_post_proj(&mut k, &pre, &post, &comm, &Syn::expon(5.0), &Out::coba(0.0)).unwrap();
    } else {
        // The same synapse, one state per presynaptic neuron (align-pre): exact for a linear
        // synapse only if AlignPost's merging is exact.
        align_pre_proj(&mut k, &pre, &post, None, &Syn::expon(5.0), &comm, &Out::coba(0.0)).unwrap();
    }
    let mm = k.create("multimeter", 1, Some(&dict! { "interval" => 0.1 })).unwrap();
    k.set_status(mm.first().unwrap(), &dict! { "record_from" => Value::Array(vec![Value::Str("V".into())]) }).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&mm, &post, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.connect(&post, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(300.0).unwrap();
    (trace(&k, &mm), spikes(&k, &sr))
}

#[test]
fn align_post_equals_state_per_presynaptic_neuron() {
    let (v_post, s_post) = small_net(true, 1);
    let (v_pre, s_pre) = small_net(false, 1);
    assert!(!s_post.is_empty(), "the test network must spike");
    assert_eq!(s_post, s_pre, "spikes differ between AlignPost and per-neuron synapse state");
    let max = v_post.iter().zip(&v_pre).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    // Summing weights before the linear kinetics only reorders floating-point additions.
    assert!(max < 1e-10, "max |dV| = {max}");
}

#[test]
fn ei_network_is_thread_invariant_and_fires_like_brainpy() {
    let run = |threads: i64| {
        let mut k = nestor::kernel();
        k.set_kernel_status(&dict! { "local_num_threads" => threads }).unwrap();
        let pop = ei_coba(&mut k, &EiParams::default()).unwrap();
        let sr = k.create("spike_recorder", 1, None).unwrap();
        k.connect(&pop, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
        k.simulate(200.0).unwrap();
        spikes(&k, &sr)
    };
    let a = run(1);
    let b = run(2);
    assert_eq!(a, b, "1 and 2 threads differ");
    // brainpy.state's run of this network (validation/brainpy/ei_coba.py): 50.71-50.72 Hz over
    // 1 s for seeds 0, 1, 2. Over the first 200 ms the input-driven rate is the same.
    let rate = a.len() as f64 / 4000.0 / 0.2;
    assert!((45.0..56.0).contains(&rate), "rate {rate} Hz");
}

#[test]
fn brainpy_and_nest_populations_connect() {
    // A NEST neuron drives a BrainPy population through an AlignPost projection, and the
    // BrainPy population drives a NEST neuron with ordinary static synapses.
    let mut k = nestor::kernel();
    let nest = k.create("iaf_psc_alpha", 1, Some(&dict! { "I_e" => 500.0 })).unwrap();
    let bp = k.create("LIF", 3, Some(&dict! { "V_th" => 1.0, "I_ext" => 0.5 })).unwrap();
    align_post_proj(&mut k, &nest, &bp, &Comm::all_to_all(100.0, true), &Syn::expon(5.0), &Out::coba(70.0)).unwrap();
    let back = k.create("iaf_psc_delta", 1, None).unwrap();
    k.connect(&bp, &back, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(20.0).delay(1.0)).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&bp, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.connect(&back, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(200.0).unwrap();
    let s = spikes(&k, &sr);
    let bp_first = bp.first().unwrap() as i64;
    assert!(s.iter().any(|(g, _)| *g >= bp_first && *g < bp_first + 3), "BrainPy neurons must fire: {s:?}");
    assert!(s.iter().any(|(g, _)| *g == back.first().unwrap() as i64), "the NEST neuron must fire: {s:?}");
}

#[test]
fn delta_projection_adds_to_v() {
    let mut k = nestor::kernel();
    let pre = k.create("LIF", 1, Some(&dict! { "I_ext" => 3.0 })).unwrap();
    let post = k.create("LIF", 1, Some(&dict! { "V_th" => 100.0 })).unwrap();
    delta_proj(&mut k, &pre, &post, &Comm::one_to_one(1.5)).unwrap();
    let mm = k.create("multimeter", 1, Some(&dict! { "interval" => 0.1 })).unwrap();
    k.set_status(mm.first().unwrap(), &dict! { "record_from" => Value::Array(vec![Value::Str("V".into())]) }).unwrap();
    k.connect(&mm, &post, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(50.0).unwrap();
    let v = trace(&k, &mm);
    // The post neuron only decays from 0 and jumps by 1.5 mV at each presynaptic spike.
    let jumps = v.windows(2).filter(|w| w[1] - w[0] > 1.0).count();
    assert!(jumps >= 3, "expected jumps of 1.5 mV in {v:?}");
}

#[test]
fn bad_input_is_refused_with_explanations() {
    use uom::si::electrical_conductance::millisiemens;
    use uom::si::f64::ElectricalConductance;
    let mut k = nestor::kernel();
    let a = k.create("LIF", 4, None).unwrap();
    let b = k.create("LIF", 3, None).unwrap();
    let ms = ElectricalConductance::new::<millisiemens>(0.6);

    // The seed's mS weights into a current-based output: CUBA with a dimensionless scale wants
    // currents, a delta projection wants mV.
    let cuba1 = Out::cuba_scale(Value::Double(1.0));
    let e = align_post_proj(
        &mut k,
        &a,
        &b,
        &Comm::all_to_all(0.0, true).with_weight_quantity(ms),
        &Syn::expon(5.0),
        &cuba1,
    )
    .unwrap_err();
    assert!(e.message.contains("wrong dimension") && e.message.contains("current"), "{}", e.message);
    let e = delta_proj(&mut k, &a, &b, &Comm::all_to_all(0.0, true).with_weight_quantity(ms)).unwrap_err();
    assert!(e.message.contains("wrong dimension") && e.message.contains("voltage"), "{}", e.message);
    // With mS and COBA the same weight is accepted.
    align_post_proj(
        &mut k,
        &a,
        &b,
        &Comm::all_to_all(0.0, true).with_weight_quantity(ms),
        &Syn::expon(5.0),
        &Out::coba(0.0),
    )
    .unwrap();

    // AlignPost with a non-linear synapse.
    let e = align_post_proj(&mut k, &a, &b, &Comm::all_to_all(1.0, true), &Syn::ampa(), &Out::coba(0.0)).unwrap_err();
    assert!(e.message.contains("AMPA") && e.message.contains("non-linear"), "{}", e.message);

    // Mismatched population sizes for one-to-one.
    let e = align_post_proj(&mut k, &a, &b, &Comm::one_to_one(1.0), &Syn::expon(5.0), &Out::coba(0.0)).unwrap_err();
    assert!(e.message.contains("equal size"), "{}", e.message);

    // Negative time constants: neuron, synapse, STP.
    let e = k.create("LIF", 1, Some(&dict! { "tau" => -5.0 })).unwrap_err();
    assert!(e.message.contains("tau") && e.message.contains("-5"), "{}", e.message);
    let e =
        align_post_proj(&mut k, &a, &b, &Comm::all_to_all(1.0, true), &Syn::expon(-1.0), &Out::coba(0.0)).unwrap_err();
    assert!(e.message.contains("tau must be positive"), "{}", e.message);
    let e = align_pre_proj(
        &mut k,
        &a,
        &b,
        Some(&nestor::brainpy::Stp::std(-200.0, 0.1)),
        &Syn::ampa(),
        &Comm::all_to_all(1.0, true),
        &Out::coba(0.0),
    )
    .unwrap_err();
    assert!(e.message.contains("tau must be positive"), "{}", e.message);

    // Unknown spk_reset, unknown surrogate.
    assert!(k.create("LIF", 1, Some(&dict! { "spk_reset" => "medium" })).is_err());
    assert!(k.create("LIF", 1, Some(&dict! { "spk_fun" => "NoSuchGrad" })).is_err());

    // The kernel is still usable and nothing was half-connected by the refused calls.
    let n_before = k.num_connections();
    k.simulate(10.0).unwrap();
    assert_eq!(k.num_connections(), n_before);
    assert_eq!(n_before, 12, "only the accepted COBA projection (4 x 3) exists");
}

#[test]
fn inputs_drive_neurons_with_brainpy_timing() {
    // ConstantInput through receptor 0 equals I_ext delayed by one step (the generator's value
    // for step k arrives at step k; brainpy's x at step 0 has no earlier update to come from).
    let mut k = nestor::kernel();
    let a = k.create("LIF", 1, Some(&dict! { "I_ext" => 2.0 })).unwrap();
    let b = k.create("LIF", 1, None).unwrap();
    let inp = k.create("ConstantInput", 1, Some(&dict! { "value" => 2.0 })).unwrap();
    let mut syn = SynSpec::new().delay(0.1);
    syn.receptor_type = Some(0);
    k.connect(&inp, &b, &ConnSpec::new(Rule::OneToOne), &syn).unwrap();
    let mm = k.create("multimeter", 1, Some(&dict! { "interval" => 0.1 })).unwrap();
    k.set_status(mm.first().unwrap(), &dict! { "record_from" => Value::Array(vec![Value::Str("V".into())]) }).unwrap();
    k.connect(&mm, &a.join(&b), &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(20.0).unwrap();
    let (s, _, ev) = nestor::events(&k, mm.first().unwrap()).unwrap();
    let v = ev.get("V").unwrap().as_f64_vec_in(Unit::Dimensionless, "V").unwrap();
    let va: Vec<f64> = s.iter().zip(&v).filter(|(g, _)| **g == a.first().unwrap() as i64).map(|x| *x.1).collect();
    let vb: Vec<f64> = s.iter().zip(&v).filter(|(g, _)| **g == b.first().unwrap() as i64).map(|x| *x.1).collect();
    assert_eq!(vb[0], 0.0);
    for i in 1..vb.len() {
        assert!((vb[i] - va[i - 1]).abs() < 1e-12, "step {i}: {} vs {}", vb[i], va[i - 1]);
    }

    // SpikeTime spikes at round(t/dt) steps; LeakyRateReadout integrates them.
    let mut k = nestor::kernel();
    let st = k
        .create(
            "SpikeTime",
            2,
            Some(
                &dict! { "indices" => Value::IntVec(vec![0, 1, 0]), "times" => Value::DoubleVec(vec![1.0, 2.04, 3.0]) },
            ),
        )
        .unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&st, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    let ro = k.create("LeakyRateReadout", 1, Some(&dict! { "tau" => 5.0 })).unwrap();
    k.connect(&st, &ro, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(2.0).delay(0.1)).unwrap();
    k.simulate(5.0).unwrap();
    let sp = spikes(&k, &sr);
    let first = st.first().unwrap() as i64;
    let got: Vec<(i64, i64)> = sp.iter().map(|(g, t)| (g - first, (t / 0.1).round() as i64)).collect();
    assert_eq!(got, vec![(0, 10), (0, 30), (1, 20)]);
    let r = k.get_status(ro.first().unwrap()).unwrap().get("r").unwrap().as_f64("r").unwrap();
    // three spikes of weight 2 added in the updates of steps 10, 20 and 30, then decayed in
    // every later update up to step 49.
    let d = (-0.1f64 / 5.0).exp();
    let want = 2.0 * (d.powi(39) + d.powi(29) + d.powi(19));
    assert!((r - want).abs() < 1e-12, "r = {r}, want {want}");

    // PoissonSpike: 2000 nodes at 40 Hz for 500 ms.
    let mut k = nestor::kernel();
    let ps = k.create("PoissonSpike", 2000, Some(&dict! { "freqs" => 40.0 })).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&ps, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(500.0).unwrap();
    let n = spikes(&k, &sr).len() as f64;
    // Expected 2000·5000·(1 − e^−0.004) = 39920, sd ≈ 200.
    assert!((n - 39920.0).abs() < 1000.0, "{n} spikes");
}

#[test]
fn nest_models_take_weights_with_units() {
    use uom::si::electric_current::nanoampere;
    use uom::si::f64::ElectricCurrent;
    let mut k = nestor::kernel();
    let sg = k.create("spike_generator", 1, Some(&dict! { "spike_times" => Value::DoubleVec(vec![1.0]) })).unwrap();
    let n = k.create("iaf_psc_alpha", 1, None).unwrap();
    let mut syn = SynSpec::new();
    syn.weight = Some(ParamValue::Quantity(ElectricCurrent::new::<nanoampere>(0.5).into()));
    k.connect(&sg, &n, &ConnSpec::new(Rule::AllToAll), &syn).unwrap();
    let c = k.get_connections(&ConnFilter::default()).unwrap();
    let w = k.connection_status(&c[0]).unwrap().get("weight").unwrap().as_f64("weight").unwrap();
    assert!((w - 500.0).abs() < 1e-9, "0.5 nA is 500 pA, got {w}");
    let mut bad = SynSpec::new();
    bad.weight = Some(ParamValue::Quantity(Quantity::new(1.0, Unit::MilliVolt)));
    let e = k.connect(&sg, &n, &ConnSpec::new(Rule::AllToAll), &bad).unwrap_err();
    assert!(e.message.contains("wrong dimension"), "{}", e.message);
}

#[test]
fn current_projection_sends_a_prefetched_variable() {
    use uom::si::electrical_conductance::millisiemens;
    use uom::si::f64::ElectricalConductance;
    // One LIF held at V = 2 mV (tau huge, no input) drives another through CurrentProj(V) with
    // CUBA (dimensionless scale): the post neuron gets w·V_pre = 0.5 mS · 2 mV = 1 uA = 1e-3 mA
    // from step 0 on, so with R = 1 ohm, tau = 10 ms its V after one step of 0.1 ms is
    // (1e-3 mV)(1 − e^(−0.01)).
    let mut k = nestor::kernel();
    let a = k.create("LIF", 1, Some(&dict! { "tau" => 1e12, "V" => 2.0, "V_th" => 100.0 })).unwrap();
    let b = k.create("LIF", 1, Some(&dict! { "tau" => 10.0, "V_th" => 100.0 })).unwrap();
    let w = ElectricalConductance::new::<millisiemens>(0.5);
    let out = Out::cuba_scale(Value::Double(1.0));
    current_proj(&mut k, &a, &b, "V", &Comm::one_to_one(0.0).with_weight_quantity(w), &out).unwrap();
    let mm = k.create("multimeter", 1, Some(&dict! { "interval" => 0.1 })).unwrap();
    k.set_status(mm.first().unwrap(), &dict! { "record_from" => Value::Array(vec![Value::Str("V".into())]) }).unwrap();
    k.connect(&mm, &b, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(1.0).unwrap();
    let v = trace(&k, &mm);
    let expected = 1e-3 * (1.0 - (-0.01f64).exp());
    assert!((v[0] - expected).abs() < 1e-15, "first step: {} vs {expected}", v[0]);
    // Steady drive: V approaches 1e-3 mV monotonically.
    assert!(v.windows(2).all(|p| p[1] > p[0]) && v[v.len() - 1] < 1e-3);

    // Bad input: no such variable; a COBA of V needs weights in mS/mV, which has no unit.
    let e = current_proj(&mut k, &a, &b, "W", &Comm::one_to_one(1.0), &out).unwrap_err();
    assert!(e.message.contains("no variable 'W'"), "{}", e.message);
    let e = current_proj(&mut k, &a, &b, "V", &Comm::one_to_one(1.0), &Out::coba(0.0)).unwrap_err();
    assert!(e.message.contains("needs weights of dimension"), "{}", e.message);
    // mS weights are refused where the CUBA scale is a voltage (weights would be mS/V).
    let e =
        current_proj(&mut k, &a, &b, "V", &Comm::one_to_one(0.0).with_weight_quantity(w), &Out::cuba()).unwrap_err();
    assert!(e.message.contains("dimension"), "{}", e.message);
}
