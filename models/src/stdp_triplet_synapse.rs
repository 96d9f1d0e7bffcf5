//! `stdp_triplet_synapse`: triplet STDP (Pfister & Gerstner 2006) with all-to-all pairing, as
//! NEST's `stdp_triplet_synapse`.
//!
//! Presynaptic traces K⁺ (τ₊) and K⁺ₓ (τ_x = tau_plus_triplet); postsynaptic traces K⁻ (the
//! target's `tau_minus`) and K⁻_y (the target's `tau_minus_triplet`). On a presynaptic spike at
//! t (dendritic delay d):
//! - for every postsynaptic spike t_post with t_last − d < t_post ≤ t − d, with K⁻_y just before
//!   it (k_y): |w| ← min(|Wmax|, |w| + K⁺ e^{(t_last − t_post − d)/τ₊} (A₊ + A₊₃ k_y));
//! - K⁺ₓ ← K⁺ₓ e^{(t_last − t)/τ_x}; |w| ← max(0, |w| − K⁻(t − d) (A₋ + A₋₃ K⁺ₓ)); K⁺ₓ ← K⁺ₓ + 1;
//! - K⁺ ← K⁺ e^{(t_last − t)/τ₊} + 1; the spike is delivered with w (sign of Wmax); t_last ← t.
//!
//! | name | unit | default | meaning |
//! |---|---|---|---|
//! | weight | — | 1.0 | synaptic weight (same sign as Wmax) |
//! | delay | ms | 1.0 | dendritic delay |
//! | tau_plus | ms | 16.8 | time constant of K⁺, > 0 |
//! | tau_plus_triplet | ms | 101.0 | time constant of K⁺ₓ, > 0 |
//! | Aplus | — | 5e-10 | pair potentiation amplitude |
//! | Aminus | — | 7e-3 | pair depression amplitude |
//! | Aplus_triplet | — | 6.2e-3 | triplet potentiation amplitude |
//! | Aminus_triplet | — | 2.3e-4 | triplet depression amplitude |
//! | Wmax | — | 100.0 | maximum |weight| (its sign is the weight's) |
//! | Kplus | — | 0.0 | presynaptic pair trace (state, ≥ 0) |
//! | Kplus_triplet | — | 0.0 | presynaptic triplet trace (state, ≥ 0) |
//!
//! References: Pfister J-P, Gerstner W (2006) J Neurosci 26:9673,
//! doi:10.1523/JNEUROSCI.1425-06.2006. NEST 3.10 `models/stdp_triplet_synapse.h`.
//! Transmits spikes. See also: stdp_synapse.

use crate::stdp_rules::{non_negative, positive, same_sign};
use nestor_kernel::archive::PostView;
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::Result;

const TAU_PLUS: usize = 0;
const TAU_X: usize = 1;
const A_PLUS: usize = 2;
const A_MINUS: usize = 3;
const A_PLUS3: usize = 4;
const A_MINUS3: usize = 5;
const WMAX: usize = 6;
const KPLUS: usize = 7;
const KPLUS3: usize = 8;
const T_LAST: usize = 9;

static SCHEMA: [ParamSpec; 10] = [
    ParamSpec::param("tau_plus", Unit::Millisecond, 16.8, "Time constant of the presynaptic pair trace"),
    ParamSpec::param("tau_plus_triplet", Unit::Millisecond, 101.0, "Time constant of the presynaptic triplet trace"),
    ParamSpec::param("Aplus", Unit::Dimensionless, 5e-10, "Pair potentiation amplitude"),
    ParamSpec::param("Aminus", Unit::Dimensionless, 7e-3, "Pair depression amplitude"),
    ParamSpec::param("Aplus_triplet", Unit::Dimensionless, 6.2e-3, "Triplet potentiation amplitude"),
    ParamSpec::param("Aminus_triplet", Unit::Dimensionless, 2.3e-4, "Triplet depression amplitude"),
    ParamSpec::param("Wmax", Unit::Dimensionless, 100.0, "Maximum absolute weight"),
    ParamSpec::state("Kplus", Unit::Dimensionless, 0.0, "Presynaptic pair trace"),
    ParamSpec::state("Kplus_triplet", Unit::Dimensionless, 0.0, "Presynaptic triplet trace"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `stdp_triplet_synapse` model.
pub struct StdpTripletSynapse;

impl SynapseModel for StdpTripletSynapse {
    fn name(&self) -> &'static str {
        "stdp_triplet_synapse"
    }
    fn doc(&self) -> &'static str {
        "triplet STDP with all-to-all pairing (Pfister & Gerstner 2006)"
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
        non_negative(m, "Kplus", row[KPLUS])?;
        non_negative(m, "Kplus_triplet", row[KPLUS3])?;
        positive(m, "tau_plus", row[TAU_PLUS], " ms")?;
        positive(m, "tau_plus_triplet", row[TAU_X], " ms")
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
        let (tau_plus, tau_x, wmax) = (row[TAU_PLUS], row[TAU_X], row[WMAX]);
        let (a_plus, a_minus, a_plus3, a_minus3) = (row[A_PLUS], row[A_MINUS], row[A_PLUS3], row[A_MINUS3]);
        let (kplus, t_last) = (row[KPLUS], row[T_LAST]);
        let mut w = *weight;
        post.history(t_last - d, t_spike - d, |e| {
            let minus_dt = t_last - (e.t + d);
            let ky = e.kminus_triplet - 1.0;
            let k = kplus * (minus_dt / tau_plus).exp();
            let new_w = w.abs() + k * (a_plus + a_plus3 * ky);
            w = (if new_w < wmax.abs() { new_w } else { wmax }).copysign(wmax);
        });
        let kx = row[KPLUS3] * ((t_last - t_spike) / tau_x).exp();
        let kminus = post.k_value(t_spike - d);
        let new_w = w.abs() - kminus * (a_minus + a_minus3 * kx);
        w = (if new_w > 0.0 { new_w } else { 0.0 }).copysign(wmax);
        row[KPLUS3] = kx + 1.0;
        row[KPLUS] = kplus * ((t_last - t_spike) / tau_plus).exp() + 1.0;
        row[T_LAST] = t_spike;
        *weight = w;
        Transmit { weight: w, mult: spike.mult }
    }
}
