//! # nestor-devices
//!
//! Stimulation devices (generators) and recording devices of nestor, with NEST's names,
//! parameters and timing rules, and the HDF5 recording backend.
//!
//! Generators are ordinary populations for the kernel: they send their events through
//! connections with delays. Generators that draw per target (poisson, noise) emit one event per
//! step and let each target connection draw from its own stream, which keeps results identical
//! for any number of threads.
#![deny(missing_docs)]
// Checks such as `!(x >= 0.0)` are written that way on purpose: they must also reject NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod activity;
pub mod ascii_backend;
pub mod brainpy_inputs;
pub mod current_generators;
pub mod hdf5_backend;
pub mod modulated_poisson;
pub mod pulsepacket_generator;
pub mod random_generators;
pub mod recorders;
pub mod screen_backend;
pub mod spike_generator;

use nestor_kernel::registry::Registry;
use std::sync::Arc;

/// Registers every device model.
pub fn register_all(reg: &mut Registry) {
    reg.add_model(Arc::new(current_generators::DcGenerator));
    reg.add_model(Arc::new(current_generators::AcGenerator));
    reg.add_model(Arc::new(current_generators::StepCurrentGenerator));
    reg.add_model(Arc::new(random_generators::NoiseGenerator));
    reg.add_model(Arc::new(random_generators::PoissonGenerator));
    reg.add_model(Arc::new(modulated_poisson::SinusoidalPoissonGenerator));
    reg.add_model(Arc::new(modulated_poisson::InhomogeneousPoissonGenerator));
    reg.add_model(Arc::new(pulsepacket_generator::PulsepacketGenerator));
    reg.add_model(Arc::new(spike_generator::SpikeGenerator));
    reg.add_model(Arc::new(recorders::SPIKE_RECORDER));
    reg.add_model(Arc::new(recorders::SPIN_DETECTOR));
    reg.add_model(Arc::new(recorders::VOLTMETER));
    reg.add_model(Arc::new(recorders::MULTIMETER));
    for m in brainpy_inputs::ALL {
        reg.add_model(Arc::new(m));
    }
    reg.add_model(Arc::new(recorders::WEIGHT_RECORDER));
}
