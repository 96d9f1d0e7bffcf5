//! Every kind of bad input gives a typed error naming the offending value, changes nothing and
//! leaves the kernel usable.

use nestor::prelude::*;
use uom::si::electric_potential::millivolt;
use uom::si::f64::ElectricPotential;

fn usable(k: &mut Kernel) {
    let n = k.create("iaf_psc_alpha", 2, Some(&dict! { "I_e" => 376.0 })).expect("create after error");
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&n, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    k.simulate(100.0).expect("simulate after error");
    let (_, t, _) = nestor::events(k, sr.first().unwrap()).unwrap();
    assert_eq!(t.len(), 2, "both neurons spike once in 100 ms");
}

fn err(r: Result<impl std::fmt::Debug>, kind: ErrorKind, needle: &str) -> Error {
    let e = r.expect_err("an error was expected");
    assert_eq!(e.kind, kind, "{e}");
    assert!(e.message.contains(needle), "'{needle}' not in: {e}");
    e
}

#[test]
fn unknown_model_suggests_a_close_match() {
    let mut k = nestor::kernel();
    let e = err(k.create("iaf_psc_alfa", 1, None), ErrorKind::UnknownModelName, "iaf_psc_alfa");
    assert!(e.message.contains("did you mean 'iaf_psc_alpha'"), "{e}");
    assert_eq!(k.network_size(), 0);
    usable(&mut k);
}

#[test]
fn unknown_parameter() {
    let mut k = nestor::kernel();
    let e = err(k.create("iaf_psc_alpha", 1, Some(&dict! { "tau_mem" => 10.0 })), ErrorKind::BadProperty, "tau_mem");
    assert!(e.message.contains("tau_m"), "{e}");
    let n = k.create("iaf_psc_alpha", 1, None).unwrap();
    err(k.set_status(n.first().unwrap(), &dict! { "Vm" => 1.0 }), ErrorKind::BadProperty, "Vm");
    usable(&mut k);
}

#[test]
fn wrong_unit_dimension() {
    let mut k = nestor::kernel();
    let e = err(
        k.create("iaf_psc_alpha", 1, Some(&dict! { "I_e" => ElectricPotential::new::<millivolt>(5.0) })),
        ErrorKind::BadProperty,
        "I_e",
    );
    assert!(e.message.contains("current") && e.message.contains("voltage"), "{e}");
    // The right dimension in another unit is converted.
    let n =
        k.create("iaf_psc_alpha", 1, Some(&dict! { "V_th" => ElectricPotential::new::<millivolt>(-50.0) })).unwrap();
    assert_eq!(k.get_status(n.first().unwrap()).unwrap()["V_th"], Value::Double(-50.0));
    usable(&mut k);
}

#[test]
fn model_constraints() {
    let mut k = nestor::kernel();
    err(k.create("iaf_psc_alpha", 1, Some(&dict! { "C_m" => 0.0 })), ErrorKind::BadProperty, "0");
    err(k.create("iaf_psc_exp", 1, Some(&dict! { "C_m" => -3.0 })), ErrorKind::BadProperty, "-3");
    err(k.create("iaf_psc_delta", 1, Some(&dict! { "tau_m" => 0.0 })), ErrorKind::BadProperty, "0");
    err(k.create("iaf_psc_alpha", 1, Some(&dict! { "tau_m" => -1.0 })), ErrorKind::BadProperty, "-1");
    err(
        k.create("iaf_psc_alpha", 1, Some(&dict! { "V_reset" => -50.0, "V_th" => -55.0 })),
        ErrorKind::BadProperty,
        "-50",
    );
    let n = k.create("iaf_psc_alpha", 3, None).unwrap();
    // A failed SetStatus on a collection changes none of its nodes.
    let before = k.get_status(2).unwrap();
    err(k.set_status_all(&n, &[dict! { "V_reset" => -40.0 }]), ErrorKind::BadProperty, "-40");
    assert_eq!(k.get_status(2).unwrap(), before);
    usable(&mut k);
}

#[test]
fn delay_below_resolution() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 2, None).unwrap();
    let e = err(
        k.connect(&a, &a, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().delay(0.05)),
        ErrorKind::BadDelay,
        "0.05",
    );
    assert!(e.message.contains("resolution"));
    assert_eq!(k.num_connections(), 0);
    usable(&mut k);
}

#[test]
fn indegree_above_sources_without_multapses() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 10, None).unwrap();
    let spec =
        ConnSpec { rule: Rule::FixedIndegree(20), allow_autapses: true, allow_multapses: false, make_symmetric: false };
    err(k.connect(&a, &a, &spec, &SynSpec::new()), ErrorKind::BadProperty, "20");
    assert_eq!(k.num_connections(), 0);
    usable(&mut k);
}

#[test]
fn probability_outside_unit_interval() {
    let mut k = nestor::kernel();
    let a = k.create("iaf_psc_alpha", 10, None).unwrap();
    err(
        k.connect(&a, &a, &ConnSpec::new(Rule::PairwiseBernoulli(1.5)), &SynSpec::new()),
        ErrorKind::BadParameter,
        "1.5",
    );
    err(ConnSpec::from_dict(&dict! { "rule" => "pairwise_bernoulli", "p" => -0.1 }), ErrorKind::BadParameter, "-0.1");
    usable(&mut k);
}

#[test]
fn negative_rate() {
    let mut k = nestor::kernel();
    err(k.create("poisson_generator", 1, Some(&dict! { "rate" => -5.0 })), ErrorKind::BadProperty, "-5");
    usable(&mut k);
}

#[test]
fn recorder_in_the_wrong_direction() {
    let mut k = nestor::kernel();
    let n = k.create("iaf_psc_alpha", 1, None).unwrap();
    let vm = k.create("voltmeter", 1, None).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    err(k.connect(&n, &vm, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()), ErrorKind::IllegalConnection, "voltmeter");
    err(
        k.connect(&sr, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()),
        ErrorKind::IllegalConnection,
        "spike_recorder",
    );
    assert_eq!(k.num_connections(), 0);
    usable(&mut k);
}

#[test]
fn resolution_after_nodes_exist() {
    let mut k = nestor::kernel();
    k.create("iaf_psc_alpha", 1, None).unwrap();
    err(k.set_kernel_status(&dict! { "resolution" => 0.05 }), ErrorKind::KernelException, "0.05");
    assert_eq!(k.resolution(), 0.1);
    usable(&mut k);
}

#[test]
fn node_that_does_not_exist() {
    let mut k = nestor::kernel();
    let n = k.create("iaf_psc_alpha", 3, None).unwrap();
    err(k.get_status(17), ErrorKind::UnknownNode, "17");
    err(k.set_status(0, &dict! { "V_m" => 1.0 }), ErrorKind::UnknownNode, "0");
    let ghost = NodeCollection::range(2, 5);
    err(k.connect(&n, &ghost, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()), ErrorKind::UnknownNode, "6");
    usable(&mut k);
}

#[test]
fn hdf5_path_that_cannot_be_written() {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "data_path" => "/nonexistent/dir/for/nestor" }).unwrap();
    let n = k.create("iaf_psc_alpha", 1, Some(&dict! { "I_e" => 376.0 })).unwrap();
    let sr = k.create("spike_recorder", 1, Some(&dict! { "record_to" => "hdf5" })).unwrap();
    k.connect(&n, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    err(k.simulate(10.0), ErrorKind::IoError, "/nonexistent/dir/for/nestor");
    assert_eq!(k.time(), 0.0, "no step was taken");
    // Recording to memory instead works.
    k.set_status(sr.first().unwrap(), &dict! { "record_to" => "memory" }).unwrap();
    k.simulate(100.0).unwrap();
    assert_eq!(nestor::events(&k, sr.first().unwrap()).unwrap().1.len(), 1);
    err(k.set_status(sr.first().unwrap(), &dict! { "record_to" => "hdf" }), ErrorKind::BadProperty, "hdf");
}

#[test]
fn simulate_time_not_on_grid() {
    let mut k = nestor::kernel();
    err(k.simulate(1.05), ErrorKind::BadParameter, "1.05");
    err(k.simulate(-1.0), ErrorKind::BadParameter, "-1");
    usable(&mut k);
}
