//! `bernoulli_synapse`: a static synapse that transmits each spike with probability p_transmit,
//! as NEST's `bernoulli_synapse`.
//!
//! Each presynaptic spike is delivered (with the connection's weight) with probability
//! p_transmit and dropped otherwise; a spike of multiplicity m is m independent trials (NEST
//! requires m = 1). The draws come from the connection's own stream for this spike (keyed by
//! seed, connection and time step, never by thread), so they differ from NEST's draw by draw
//! but not in law.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | synaptic weight |
//! | delay | ms | 1.0 | delay |
//! | p_transmit | — | 1.0 | transmission probability, in [0, 1] |
//!
//! References: Lefort S, Tomm C, Sarria J-C F, Petersen CCH (2009) Neuron 61:301,
//! doi:10.1016/j.neuron.2008.12.020. NEST 3.10 `models/bernoulli_synapse.h`.
//! Transmits spikes. See also: static_synapse, quantal_stp_synapse.

use crate::stdp_rules::unit_interval;
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::Result;

const P: usize = 0;

static SCHEMA: [ParamSpec; 1] =
    [ParamSpec::param("p_transmit", Unit::Dimensionless, 1.0, "Probability of transmitting a spike")];

/// The `bernoulli_synapse` model.
pub struct BernoulliSynapse;

impl SynapseModel for BernoulliSynapse {
    fn name(&self) -> &'static str {
        "bernoulli_synapse"
    }
    fn doc(&self) -> &'static str {
        "static synapse with stochastic transmission"
    }
    fn schema(&self) -> &'static [ParamSpec] {
        &SCHEMA
    }
    fn is_plastic(&self) -> bool {
        true
    }
    fn needs_post_history(&self) -> bool {
        false
    }
    fn needs_rng(&self) -> bool {
        true
    }
    fn validate(&self, row: &[f64], _weight: f64) -> Result<()> {
        unit_interval(self.name(), "p_transmit", row[P])
    }
    fn on_spike(
        &self,
        _common: &[f64],
        row: &mut [f64],
        weight: &mut f64,
        spike: &SpikeIn,
        _post: &mut PostView<'_>,
        rng: &mut SynRng,
    ) -> Transmit {
        let p = row[P];
        let mult = (0..spike.mult).filter(|_| rng.uniform() < p).count() as u32;
        Transmit { weight: *weight, mult }
    }
}
