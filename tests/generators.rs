//! The rate-modulated Poisson generators' status rules, as NEST 3.10 states them (their spike
//! statistics and rate traces are checked against NEST in validation/:
//! sinusoidal_poisson_generator_*, inhomogeneous_poisson_generator_parrot).

use nestor::prelude::*;

fn message(r: std::result::Result<impl std::fmt::Debug, nestor::Error>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => {
            assert_eq!(e.kind, nestor::ErrorKind::BadProperty, "{e}");
            e.message
        }
    }
}

#[test]
fn individual_spike_trains_is_a_model_default_only() {
    let mut k = nestor::kernel();
    let m = message(k.create("sinusoidal_poisson_generator", 1, Some(&dict! { "individual_spike_trains" => false })));
    assert!(m.contains("can only be set as a model default using SetDefaults or upon CopyModel"), "{m}");
    let g = k.create("sinusoidal_poisson_generator", 1, None).unwrap();
    let m = message(k.set_status(g.first().unwrap(), &dict! { "individual_spike_trains" => false }));
    assert!(m.contains("individual_spike_trains"), "{m}");
    k.copy_model("sinusoidal_poisson_generator", "shared", &dict! { "individual_spike_trains" => false }).unwrap();
    let s = k.create("shared", 1, None).unwrap();
    let st = k.get_status(s.first().unwrap()).unwrap();
    assert_eq!(st.get("individual_spike_trains"), Some(&Value::Bool(false)));
    k.set_defaults("sinusoidal_poisson_generator", &dict! { "individual_spike_trains" => false }).unwrap();
}

#[test]
fn inhomogeneous_rate_schedule_follows_nests_rules() {
    let mut k = nestor::kernel();
    let g = k.create("inhomogeneous_poisson_generator", 1, None).unwrap().first().unwrap();
    let set = |k: &mut Kernel, t: Vec<f64>, v: Vec<f64>| {
        k.set_status(g, &dict! { "rate_times" => Value::DoubleVec(t), "rate_values" => Value::DoubleVec(v) })
    };
    assert!(message(k.set_status(g, &dict! { "rate_times" => Value::DoubleVec(vec![1.0]) }))
        .contains("must be reset together"));
    assert!(message(set(&mut k, vec![1.0, 2.0], vec![5.0])).contains("the same size"));
    assert!(message(set(&mut k, vec![2.0, 1.0], vec![5.0, 6.0])).contains("strictly increasing"));
    assert!(message(set(&mut k, vec![1.05], vec![5.0])).contains("not representable"));
    set(&mut k, vec![1.0, 2.5], vec![5.0, 6.0]).unwrap();
    // The flag changes only with new times once times are set.
    assert!(message(k.set_status(g, &dict! { "allow_offgrid_times" => true })).contains("Option can only be set"));
    k.set_status(
        g,
        &dict! { "allow_offgrid_times" => true, "rate_times" => Value::DoubleVec(vec![1.05, 3.0]),
        "rate_values" => Value::DoubleVec(vec![7.0, 8.0]) },
    )
    .unwrap();
    // An off-grid time moves to the end of its step.
    let st = k.get_status(g).unwrap();
    let Some(Value::DoubleVec(t)) = st.get("rate_times") else { panic!("{st:?}") };
    assert!((t[0] - 1.1).abs() < 1e-12 && (t[1] - 3.0).abs() < 1e-12, "{t:?}");
    k.simulate(10.0).unwrap();
    assert!(message(set(&mut k, vec![5.0], vec![1.0])).contains("strictly in the future"));
    set(&mut k, vec![10.5], vec![1.0]).unwrap();
}

#[test]
fn pulsepacket_parameters_follow_nest() {
    let mut k = nestor::kernel();
    let g = k.create("pulsepacket_generator", 1, None).unwrap().first().unwrap();
    assert!(message(k.set_status(g, &dict! { "activity" => -1i64 })).contains("The activity cannot be negative"));
    assert!(message(k.set_status(g, &dict! { "sdev" => -0.5 })).contains("The standard deviation cannot be negative"));
    k.set_status(g, &dict! { "pulse_times" => Value::DoubleVec(vec![30.0, 10.0]), "activity" => 2i64 }).unwrap();
    let st = k.get_status(g).unwrap();
    // NEST sorts the pulse times.
    assert_eq!(st.get("pulse_times"), Some(&Value::DoubleVec(vec![10.0, 30.0])));
    assert_eq!(st.get("activity"), Some(&Value::Int(2)));
}
