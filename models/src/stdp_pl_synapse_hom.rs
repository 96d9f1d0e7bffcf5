//! `stdp_pl_synapse_hom`: STDP with power-law weight dependence and homogeneous (shared)
//! parameters, as NEST's `stdp_pl_synapse_hom` (Morrison et al. 2007), used by NEST's
//! hpc_benchmark.
//!
//! On each presynaptic spike at t (dendritic delay d):
//! - for every postsynaptic spike t_post with t_last − d < t_post ≤ t − d:
//!   w ← w + λ w^μ K⁺ e^{(t_last − t_post − d)/τ₊};
//! - w ← max(0, w − λ α w K⁻(t − d));
//! - deliver w; K⁺ ← K⁺ e^{(t_last − t)/τ₊} + 1; t_last ← t.
//!
//! Common properties (SetDefaults/CopyModel only): `tau_plus` (ms, 20, > 0), `lambda` (0.1),
//! `alpha` (1.0), `mu` (0.4). Per connection: `weight` (1.0), `delay` (1.0 ms), `Kplus` (0, state).
//! References: Morrison A, Aertsen A, Diesmann M (2007) Neural Comput 19:1437,
//! doi:10.1162/neco.2007.19.6.1437. NEST 3.10 `models/stdp_pl_synapse_hom.h`. Transmits spikes.
//! See also: stdp_synapse.

use nestor_kernel::archive::{Archive, PostView};
use nestor_kernel::registry::{SpikeIn, SynapseModel, Transmit};
use nestor_kernel::rng::SynRng;
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;
use nestor_kernel::{Error, Result};

const TAU_PLUS: usize = 0;
const LAMBDA: usize = 1;
const ALPHA: usize = 2;
const MU: usize = 3;

static COMMON: [ParamSpec; 4] = [
    ParamSpec::param("tau_plus", Unit::Millisecond, 20.0, "Time constant of the presynaptic trace"),
    ParamSpec::param("lambda", Unit::Dimensionless, 0.1, "Step size"),
    ParamSpec::param("alpha", Unit::Dimensionless, 1.0, "Asymmetry between depression and facilitation"),
    ParamSpec::param("mu", Unit::Dimensionless, 0.4, "Weight dependence exponent of facilitation"),
];

const KPLUS: usize = 0;
const T_LAST: usize = 1;

static SCHEMA: [ParamSpec; 2] = [
    ParamSpec::state("Kplus", Unit::Dimensionless, 0.0, "Presynaptic trace"),
    ParamSpec::read_only("t_lastspike", Unit::Millisecond, 0.0, "Time of the last presynaptic spike"),
];

/// The `stdp_pl_synapse_hom` model.
pub struct StdpPlSynapseHom;

impl SynapseModel for StdpPlSynapseHom {
    fn name(&self) -> &'static str {
        "stdp_pl_synapse_hom"
    }
    fn doc(&self) -> &'static str {
        "power-law STDP with shared parameters (hpc_benchmark)"
    }
    fn common_schema(&self) -> &'static [ParamSpec] {
        &COMMON
    }
    fn validate_common(&self, c: &[f64]) -> Result<()> {
        if c[TAU_PLUS].is_nan() || c[TAU_PLUS] <= 0.0 {
            return Err(Error::bad_property(format!(
                "stdp_pl_synapse_hom: tau_plus > 0 required, got {}",
                c[TAU_PLUS]
            )));
        }
        Ok(())
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
    fn validate(&self, row: &[f64], _weight: f64) -> Result<()> {
        if row[KPLUS] < 0.0 {
            return Err(Error::bad_property(format!(
                "stdp_pl_synapse_hom: Kplus must be non-negative, got {}",
                row[KPLUS]
            )));
        }
        Ok(())
    }
    fn on_spike(
        &self,
        c: &[f64],
        row: &mut [f64],
        weight: &mut f64,
        spike: &SpikeIn,
        post: &mut PostView<'_>,
        _rng: &mut SynRng,
    ) -> Transmit {
        let (t_spike, d) = (spike.t, spike.delay);
        // NEST multiplies by a precomputed 1/tau_plus; so do we, for identical rounding.
        let tau_plus_inv = 1.0 / c[TAU_PLUS];
        let (lambda, alpha, mu) = (c[LAMBDA], c[ALPHA], c[MU]);
        let (kplus, t_last) = (row[KPLUS], row[T_LAST]);
        let mut w = *weight;
        post.history(t_last - d, t_spike - d, |e| {
            let minus_dt = t_last - (e.t + d);
            w += lambda * w.powf(mu) * (kplus * (minus_dt * tau_plus_inv).exp());
        });
        let kminus = post.k_value(t_spike - d);
        let new_w = w - lambda * alpha * w * kminus;
        w = if new_w > 0.0 { new_w } else { 0.0 };
        *weight = w;
        row[KPLUS] = kplus * ((t_last - t_spike) * tau_plus_inv).exp() + 1.0;
        row[T_LAST] = t_spike;
        Transmit { weight: w, mult: spike.mult }
    }
    /// The same rule for all connections of a row: the presynaptic quantities and the new K⁺
    /// are computed once, each connection reads its target's history in one pass. Every
    /// expression is `on_spike`'s, in its order, so the weights are bitwise the same.
    fn on_spike_row(
        &self,
        c: &[f64],
        row: &mut [f64],
        weights: &mut [f64],
        targets: &[u32],
        spike: &SpikeIn,
        post: &mut Archive,
        out: &mut [f64],
    ) -> bool {
        let (t_spike, d) = (spike.t, spike.delay);
        let tau_plus_inv = 1.0 / c[TAU_PLUS];
        let (lambda, alpha, mu) = (c[LAMBDA], c[ALPHA], c[MU]);
        let (kplus, t_last) = (row[KPLUS], row[T_LAST]);
        let (t1, t2) = (t_last - d, t_spike - d);
        // `lambda * alpha * w * kminus` evaluates left to right: lambda * alpha comes first.
        let lambda_alpha = lambda * alpha;
        // First K⁻ of every target (into `out`): a short loop, so the loads of many targets'
        // histories are in flight at once; the second loop then finds them in the cache.
        for (&t, o) in targets.iter().zip(out.iter_mut()) {
            *o = post.k_before(t as usize, t2);
        }
        for ((weight, &t), o) in weights.iter_mut().zip(targets).zip(out.iter_mut()) {
            let mut w = *weight;
            post.window(t as usize, t1, t2, |e| {
                let minus_dt = t_last - (e.t + d);
                w += lambda * w.powf(mu) * (kplus * (minus_dt * tau_plus_inv).exp());
            });
            let kminus = *o;
            let new_w = w - lambda_alpha * w * kminus;
            w = if new_w > 0.0 { new_w } else { 0.0 };
            *weight = w;
            *o = w;
        }
        row[KPLUS] = kplus * ((t_last - t_spike) * tau_plus_inv).exp() + 1.0;
        row[T_LAST] = t_spike;
        true
    }
}
