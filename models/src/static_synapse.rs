//! # static_synapse — synapse type for static connections
//!
//! A connection without plasticity: it stores target, weight, delay and receptor type and
//! transmits every event of its source unchanged, scaled by its weight (NEST model
//! `static_synapse`, NEST 3.10).
//!
//! ## Parameters
//!
//! | NEST name       | unit                | default | meaning                                  |
//! |-----------------|---------------------|---------|------------------------------------------|
//! | `weight`        | target's input unit | 1.0     | pA for current-based, mV for delta, …    |
//! | `delay`         | ms                  | 1.0     | transmission delay, a whole number of steps ≥ 1 |
//! | `receptor_type` | integer             | 0       | receptor (port) of the target            |
//!
//! Weights, delays and receptor types are stored by the kernel in its target-side connection
//! tables; this type only names the model and gives its defaults.
//!
//! ## Events
//!
//! Transmits spikes, currents and the per-target random draws of generators (everything a
//! source sends), as NEST's static_synapse transmits SpikeEvent, CurrentEvent and friends.
//!
//! ## See also
//!
//! [`crate::parrot_neuron`]; NEST's `tsodyks_synapse` and `stdp_synapse` (not yet in nestor).

use nestor_kernel::registry::SynapseModel;

/// The `static_synapse` model.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaticSynapse;

impl SynapseModel for StaticSynapse {
    fn name(&self) -> &'static str {
        "static_synapse"
    }
    fn doc(&self) -> &'static str {
        "Synapse type for static connections"
    }
    fn default_weight(&self) -> f64 {
        1.0
    }
    fn default_delay(&self) -> f64 {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_nest_s() {
        // Oracle: nest.GetDefaults('static_synapse') in NEST 3.10: weight 1.0, delay 1.0.
        let s = StaticSynapse;
        assert_eq!(s.name(), "static_synapse");
        assert_eq!(s.default_weight(), 1.0);
        assert_eq!(s.default_delay(), 1.0);
    }
}
