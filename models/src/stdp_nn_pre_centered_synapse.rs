//! `stdp_nn_pre_centered_synapse`: STDP with power-law weight dependence and presynaptic-centred
//! nearest-neighbour pairing (Izhikevich & Desai 2003; Morrison et al. 2008, Fig. 7B), as NEST's
//! `stdp_nn_pre_centered_synapse`.
//!
//! Each presynaptic spike pairs with the nearest postsynaptic spike before it; each
//! postsynaptic spike pairs with all presynaptic spikes since the previous postsynaptic spike
//! (through the trace K⁺, reset to 0 after it is used). On a presynaptic spike at t (dendritic
//! delay d), with the previous one at t_last:
//! - if any postsynaptic spike lies in (t_last − d, t − d], the first one, t_post:
//!   w ← min(Wmax, Wmax·(w/Wmax + λ (1 − w/Wmax)^μ₊ K⁺ e^{(t_last − t_post − d)/τ₊})), then K⁺ ← 0;
//! - depression with the latest postsynaptic spike t_p before t − d:
//!   w ← max(0, Wmax·(w/Wmax − α λ (w/Wmax)^μ₋ e^{(t_p − t + d)/τ₋}));
//! - K⁺ ← K⁺ e^{(t_last − t)/τ₊} + 1; the spike is delivered with w; t_last ← t.
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
//! | Kplus | — | 0.0 | presynaptic trace (state, ≥ 0) |
//! | t_lastspike | ms | 0.0 | time of the last presynaptic spike (read only) |
//!
//! The postsynaptic trace uses the target neuron's `tau_minus` (default 20 ms).
//! References: Morrison A, Diesmann M, Gerstner W (2008) Biol Cybern 98:459,
//! doi:10.1007/s00422-008-0233-1. NEST 3.10 `models/stdp_nn_pre_centered_synapse.h`. Transmits spikes.
//! See also: stdp_synapse, stdp_nn_symm_synapse, stdp_nn_pre_centered_synapse,
//! stdp_nn_restr_synapse.

use crate::stdp_rules::{guetig_depress, guetig_facilitate, non_negative, positive, same_sign};
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
const KPLUS: usize = 6;
const T_LAST: usize = 7;

static SCHEMA: [ParamSpec; 8] = [
    ParamSpec::param("tau_plus", Unit::Millisecond, 20.0, "Time constant of the presynaptic trace"),
    ParamSpec::param("lambda", Unit::Dimensionless, 0.01, "Step size"),
    ParamSpec::param("alpha", Unit::Dimensionless, 1.0, "Asymmetry between depression and facilitation"),
    ParamSpec::param("mu_plus", Unit::Dimensionless, 1.0, "Weight dependence exponent, facilitation"),
    ParamSpec::param("mu_minus", Unit::Dimensionless, 1.0, "Weight dependence exponent, depression"),
    ParamSpec::param("Wmax", Unit::Dimensionless, 100.0, "Maximum allowed weight"),
    ParamSpec::state("Kplus", Unit::Dimensionless, 0.0, "Presynaptic trace"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `stdp_nn_pre_centered_synapse` model.
pub struct StdpNnPreCenteredSynapse;

impl SynapseModel for StdpNnPreCenteredSynapse {
    fn name(&self) -> &'static str {
        "stdp_nn_pre_centered_synapse"
    }
    fn doc(&self) -> &'static str {
        "STDP with presynaptic-centred nearest-neighbour pairing"
    }
    fn schema(&self) -> &'static [ParamSpec] {
        &SCHEMA
    }
    fn is_plastic(&self) -> bool {
        true
    }
    fn validate(&self, row: &[f64], weight: f64) -> Result<()> {
        let m = self.name();
        same_sign(m, weight, row[WMAX])?;
        non_negative(m, "Kplus", row[KPLUS])?;
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
        let kplus = row[KPLUS];
        let mut first = None;
        post.history(t_last - d, t_spike - d, |e| {
            if first.is_none() {
                first = Some(e.t);
            }
        });
        let mut kplus_new = kplus;
        if let Some(tp) = first {
            let minus_dt = t_last - (tp + d);
            w = guetig_facilitate(w, kplus * (minus_dt / tau_plus).exp(), lambda, mu_plus, wmax);
            kplus_new = 0.0;
        }
        let (_, nn, _) = post.k_values(t_spike - d);
        w = guetig_depress(w, nn, lambda, alpha, mu_minus, wmax);
        row[KPLUS] = kplus_new * ((t_last - t_spike) / tau_plus).exp() + 1.0;
        row[T_LAST] = t_spike;
        *weight = w;
        Transmit { weight: w, mult: spike.mult }
    }
}
