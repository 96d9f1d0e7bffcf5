//! `stdp_nn_symm_synapse`: STDP with power-law weight dependence and symmetric nearest-neighbour
//! spike pairing (Morrison et al. 2008, Fig. 7A), as NEST's `stdp_nn_symm_synapse`.
//!
//! Each presynaptic spike pairs with the nearest postsynaptic spike before it, and each
//! postsynaptic spike with the nearest presynaptic spike before it. On a presynaptic spike at t
//! (dendritic delay d), with the previous one at t_last:
//! - for every postsynaptic spike t_post with t_last − d < t_post ≤ t − d (its nearest
//!   presynaptic spike is t_last): w ← min(Wmax, Wmax·(w/Wmax + λ (1 − w/Wmax)^μ₊ e^{(t_last − t_post − d)/τ₊}));
//! - depression with the latest postsynaptic spike t_p before t − d:
//!   w ← max(0, Wmax·(w/Wmax − α λ (w/Wmax)^μ₋ e^{(t_p − t + d)/τ₋})) (nothing if there is none);
//! - the spike is delivered with the new w; t_last ← t.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | synaptic weight (same sign as Wmax) |
//! | delay | ms | 1.0 | dendritic delay |
//! | tau_plus | ms | 20.0 | time constant of the presynaptic trace, > 0 |
//! | lambda | — | 0.01 | step size |
//! | alpha | — | 1.0 | asymmetry between depression and facilitation |
//! | mu_plus | — | 1.0 | weight dependence exponent, facilitation |
//! | mu_minus | — | 1.0 | weight dependence exponent, depression |
//! | Wmax | — | 100.0 | maximum weight |
//! | t_lastspike | ms | 0.0 | time of the last presynaptic spike (read only) |
//!
//! The postsynaptic trace uses the target neuron's `tau_minus` (default 20 ms).
//! References: Morrison A, Diesmann M, Gerstner W (2008) Biol Cybern 98:459,
//! doi:10.1007/s00422-008-0233-1. NEST 3.10 `models/stdp_nn_symm_synapse.h`. Transmits spikes.
//! See also: stdp_synapse, stdp_nn_symm_synapse, stdp_nn_pre_centered_synapse,
//! stdp_nn_restr_synapse.

use crate::stdp_rules::{guetig_depress, guetig_facilitate, positive, same_sign};
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::Result;

const TAU_PLUS: usize = 0;
const LAMBDA: usize = 1;
const ALPHA: usize = 2;
const MU_PLUS: usize = 3;
const MU_MINUS: usize = 4;
const WMAX: usize = 5;
const T_LAST: usize = 6;

static SCHEMA: [ParamSpec; 7] = [
    ParamSpec::param("tau_plus", Unit::Millisecond, 20.0, "Time constant of the presynaptic trace"),
    ParamSpec::param("lambda", Unit::Dimensionless, 0.01, "Step size"),
    ParamSpec::param("alpha", Unit::Dimensionless, 1.0, "Asymmetry between depression and facilitation"),
    ParamSpec::param("mu_plus", Unit::Dimensionless, 1.0, "Weight dependence exponent, facilitation"),
    ParamSpec::param("mu_minus", Unit::Dimensionless, 1.0, "Weight dependence exponent, depression"),
    ParamSpec::param("Wmax", Unit::Dimensionless, 100.0, "Maximum allowed weight"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `stdp_nn_symm_synapse` model.
pub struct StdpNnSymmSynapse;

impl SynapseModel for StdpNnSymmSynapse {
    fn name(&self) -> &'static str {
        "stdp_nn_symm_synapse"
    }
    fn doc(&self) -> &'static str {
        "STDP with symmetric nearest-neighbour pairing"
    }
    fn schema(&self) -> &'static [ParamSpec] {
        &SCHEMA
    }
    fn is_plastic(&self) -> bool {
        true
    }
    fn shares_state(&self) -> bool {
        true
    }
    fn validate(&self, row: &[f64], weight: f64) -> Result<()> {
        let m = self.name();
        same_sign(m, weight, row[WMAX])?;
        positive(m, "tau_plus", row[TAU_PLUS], " ms")
    }
    fn on_spike(
        &self,
        _common: &[f64],
        row: &mut [f64],
        weight: &mut f64,
        spike: &SpikeIn,
        post: &mut PostView<'_>,
        _rng: &mut SynRng,
    ) -> Transmit {
        let (t_spike, d) = (spike.t, spike.delay);
        let (tau_plus, lambda, alpha) = (row[TAU_PLUS], row[LAMBDA], row[ALPHA]);
        let (mu_plus, mu_minus, wmax) = (row[MU_PLUS], row[MU_MINUS], row[WMAX]);
        let t_last = row[T_LAST];
        let mut w = *weight;
        post.history(t_last - d, t_spike - d, |e| {
            let minus_dt = t_last - (e.t + d);
            w = guetig_facilitate(w, (minus_dt / tau_plus).exp(), lambda, mu_plus, wmax);
        });
        let (_, nn, _) = post.k_values(t_spike - d);
        w = guetig_depress(w, nn, lambda, alpha, mu_minus, wmax);
        row[T_LAST] = t_spike;
        *weight = w;
        Transmit { weight: w, mult: spike.mult }
    }
}
