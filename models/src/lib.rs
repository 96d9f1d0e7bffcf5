//! # nestor-models
//!
//! NEST-family neuron and synapse models for nestor, one file per model. Each model file is the
//! model's manual: its `//!` block gives the summary, equations, parameter table with NEST's names,
//! units and defaults, state and recordables, references, events and "see also".
//!
//! Main design choice: a model is a factory ([`nestor_kernel::model::Model`]) of *chunks*
//! ([`nestor_kernel::model::Node`]) holding a contiguous range of neurons as structure of arrays.
//! Parameters and status-visible state live in the kernel's schema-driven
//! [`nestor_kernel::schema::ParamTable`]; internal state and the propagators computed in
//! `prepare` live in plain vectors beside it, so `update` is arithmetic over slices, with no
//! allocation. Linear models reproduce NEST's exact integration, including the order of
//! floating-point operations, so traces match NEST to rounding and spikes to the step.
//!
//! The kernel never names a concrete model: the facade crate calls [`register_all`].
//!
//! | model | kind | file |
//! |-------|------|------|
//! | `iaf_psc_alpha` | neuron | [`iaf_psc_alpha`] |
//! | `iaf_psc_exp` | neuron | [`iaf_psc_exp`] |
//! | `iaf_psc_delta` | neuron | [`iaf_psc_delta`] |
//! | `parrot_neuron` | neuron | [`parrot_neuron`] |
//! | `static_synapse` | synapse | [`static_synapse`] |
#![deny(missing_docs)]

pub mod iaf_psc_alpha;
pub mod iaf_psc_delta;
pub mod iaf_psc_exp;
pub mod numerics;
pub mod parrot_neuron;
pub mod static_synapse;

use nestor_kernel::registry::Registry;
use std::sync::Arc;

pub use iaf_psc_alpha::IafPscAlpha;
pub use iaf_psc_delta::IafPscDelta;
pub use iaf_psc_exp::IafPscExp;
pub use parrot_neuron::ParrotNeuron;
pub use static_synapse::StaticSynapse;

/// Registers every model of this crate: the neuron models and the synapse models.
pub fn register_all(reg: &mut Registry) {
    reg.add_model(Arc::new(IafPscAlpha));
    reg.add_model(Arc::new(IafPscExp));
    reg.add_model(Arc::new(IafPscDelta));
    reg.add_model(Arc::new(ParrotNeuron));
    reg.add_synapse(Arc::new(StaticSynapse));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_all_registers_every_model_once() {
        let mut reg = Registry::new();
        register_all(&mut reg);
        for m in ["iaf_psc_alpha", "iaf_psc_exp", "iaf_psc_delta", "parrot_neuron"] {
            let id = reg.model_id(m).unwrap();
            assert_eq!(reg.models[id].factory.name(), m);
            assert!(!reg.models[id].factory.doc().is_empty());
        }
        assert_eq!(reg.models.len(), 4);
        let s = reg.synapse_id("static_synapse").unwrap();
        assert_eq!(reg.synapses[s].weight, 1.0);
        assert_eq!(reg.synapses[s].delay, 1.0);
    }
}
