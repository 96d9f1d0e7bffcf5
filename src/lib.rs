//! # nestor
//!
//! A fast NEST-compatible spiking-network simulator. This facade crate puts the kernel, the
//! NEST-family models and the devices together and is what Rust users depend on:
//!
//! ```no_run
//! use nestor::prelude::*;
//! let mut k = nestor::kernel();
//! let n = k.create("iaf_psc_alpha", 1, Some(&dict! { "I_e" => 376.0 })).unwrap();
//! let vm = k.create("voltmeter", 1, Some(&dict! { "interval" => 0.1 })).unwrap();
//! k.connect(&vm, &n, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
//! k.simulate(1000.0).unwrap();
//! let events = k.get_status(vm.first().unwrap()).unwrap();
//! ```
//!
//! Parameters accept bare numbers in NEST's units or `uom` quantities, which are converted and
//! dimension-checked.
#![deny(missing_docs)]

pub mod brainpy;
pub mod brainpy_stats;
pub mod networks;
pub mod validate;

pub use nestor_kernel as core;
pub use nestor_kernel::{
    dict, ConnFilter, ConnSpec, Dict, Error, ErrorKind, Kernel, NodeCollection, Result, Rule, SynSpec, Value,
};

/// Everything a typical program needs.
pub mod prelude {
    pub use nestor_kernel::spec::{Distribution, ParamValue};
    pub use nestor_kernel::{
        dict, ConnFilter, ConnSpec, Dict, Error, ErrorKind, Kernel, NodeCollection, Quantity, Result, Rule, SynSpec,
        Unit, Value,
    };
}

/// The registry of every model nestor has (NEST-family neurons and synapses, devices).
pub fn registry() -> nestor_kernel::registry::Registry {
    let mut r = nestor_kernel::registry::Registry::new();
    nestor_models::register_all(&mut r);
    nestor_devices::register_all(&mut r);
    r
}

/// A kernel with all models and the `hdf5`, `ascii` and `screen` recording backends.
pub fn kernel() -> Kernel {
    let mut k = Kernel::new(registry());
    k.add_backend(Box::new(nestor_devices::hdf5_backend::Hdf5Backend::new()));
    k.add_backend(Box::new(nestor_devices::ascii_backend::AsciiBackend::new()));
    k.add_backend(Box::new(nestor_devices::screen_backend::ScreenBackend::new()));
    k
}

/// Reads the events of a recorder from its status dictionary: (senders, times in ms, variables).
pub fn events(k: &Kernel, recorder: u32) -> Result<(Vec<i64>, Vec<f64>, Dict)> {
    let st = k.get_status(recorder)?;
    let Some(Value::Dict(ev)) = st.get("events") else {
        return Err(Error::bad_property(format!("node {recorder} is not a recorder")));
    };
    let senders = match ev.get("senders") {
        Some(v) => v.as_i64_vec("senders")?,
        None => Vec::new(),
    };
    let times = match ev.get("times") {
        Some(v) => v.as_f64_vec_in(nestor_kernel::Unit::Millisecond, "times")?,
        None => Vec::new(),
    };
    Ok((senders, times, ev.clone()))
}
