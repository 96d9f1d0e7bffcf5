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
//! The facilitation's factor w^μ·e^{…/τ₊} is [`crate::fastmath::pow_exp`] (vectorized, one
//! rounding where NEST's `pow(w, μ) * exp(…)` from the C library rounds three times, within
//! 2 ulp of it), and the decay of K⁻ is [`crate::fastmath::exp`] (within 1 ulp of the C
//! library's; for all targets at once, vectorized, when a step's spikes reach them): a weight
//! can differ from NEST's in its last bits (the validation protocol's weights stay within 1e-9
//! relative); everything else is NEST's expression in NEST's order.
//!
//! Common properties (SetDefaults/CopyModel only): `tau_plus` (ms, 20, > 0), `lambda` (0.1),
//! `alpha` (1.0), `mu` (0.4). Per connection: `weight` (1.0), `delay` (1.0 ms), `Kplus` (0, state).
//! References: Morrison A, Aertsen A, Diesmann M (2007) Neural Comput 19:1437,
//! doi:10.1162/neco.2007.19.6.1437. NEST 3.10 `models/stdp_pl_synapse_hom.h`. Transmits spikes.
//! See also: stdp_synapse.

use crate::fastmath;
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
            w += lambda * (kplus * fastmath::pow_exp(w, mu, minus_dt * tau_plus_inv));
        });
        let kminus = post.k_value_with(t_spike - d, fastmath::exp);
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
        // K⁻ at t2 of all targets at once when the rows of a step's spikes share it.
        post.k_prepare(t2, targets.len(), fastmath::exp_into);
        // In blocks whose history lines stay in L1. First the block's history lines are
        // prefetched (their cache misses overlap); then each target's K⁻ and window of
        // postsynaptic spikes, mostly from that line alone; then the
        // facilitations in rounds (round r: the connections with more than r spikes in
        // their window), without data-dependent branches, the round's powers and exponentials
        // vectorized; then the depressions. Connections are independent, so only each one's own
        // order of updates matters.
        const BLOCK: usize = 64;
        let mut kminus = [0.0f64; BLOCK];
        let mut first = [0u32; BLOCK];
        let mut count = [0u32; BLOCK];
        let mut list = [0usize; BLOCK];
        let (mut arg, mut fac, mut wv) = ([0.0f64; BLOCK], [0.0f64; BLOCK], [0.0f64; BLOCK]);
        for ((weights, targets), out) in weights.chunks_mut(BLOCK).zip(targets.chunks(BLOCK)).zip(out.chunks_mut(BLOCK))
        {
            for &t in targets {
                post.touch(t as usize);
            }
            // The connections with spikes in their window are listed for the first round.
            let mut n = 0;
            for (j, &t) in targets.iter().enumerate() {
                let t = t as usize;
                kminus[j] = post.k_before(t, t2, fastmath::exp);
                (first[j], count[j]) = post.window_range(t, t1, t2);
                list[n] = j;
                n += usize::from(count[j] > 0);
            }
            let mut r = 0;
            while n > 0 {
                // Gathered into short arrays: the powers and exponentials of a round are then
                // computed together, vectorized.
                for (k, &j) in list[..n].iter().enumerate() {
                    let minus_dt = t_last - (post.spike_t(targets[j] as usize, first[j] + r) + d);
                    arg[k] = minus_dt * tau_plus_inv;
                    wv[k] = weights[j];
                }
                // Whole vectors only: the lanes past n get harmless values (the scalar tail of a
                // short round would cost more than the lanes it skips).
                let nv = n.next_multiple_of(4).min(BLOCK);
                arg[n..nv].fill(0.0);
                wv[n..nv].fill(1.0);
                fastmath::pow_exp_into(&wv[..nv], mu, &arg[..nv], &mut fac[..nv]);
                let mut next = 0;
                for k in 0..n {
                    let j = list[k];
                    weights[j] = wv[k] + lambda * (kplus * fac[k]);
                    list[next] = j;
                    next += usize::from(count[j] > r + 1);
                }
                n = next;
                r += 1;
            }
            for ((weight, o), &k) in weights.iter_mut().zip(out.iter_mut()).zip(&kminus) {
                let w = *weight;
                let new_w = w - lambda_alpha * w * k;
                let w = if new_w > 0.0 { new_w } else { 0.0 };
                *weight = w;
                *o = w;
            }
        }
        row[KPLUS] = kplus * ((t_last - t_spike) * tau_plus_inv).exp() + 1.0;
        row[T_LAST] = t_spike;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nestor_kernel::kernel::step_to_ms;

    /// A small deterministic generator (the test needs no statistics, only variety).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// The row rule must give bitwise what the per-connection rule (NEST's order of operations)
    /// gives: weights, delivered weights, K⁺, t_last and which history entries were read. Rows
    /// longer than a block, repeated targets, windows holding 0 to many postsynaptic spikes,
    /// spikes inside the last delay, targets that never spiked.
    #[test]
    fn row_rule_equals_the_per_connection_rule() {
        let model = StdpPlSynapseHom;
        let common = [15.0, 0.1, 0.0513, 0.4];
        let h = 0.1;
        let mut rng = Lcg(7);
        for case in 0..200 {
            let n = 1 + rng.below(60) as usize;
            let mut a = Archive::new(n);
            a.horizon = 3.0;
            a.n_incoming.iter_mut().for_each(|c| *c = 1000);
            let rate = 1 + rng.below(40);
            for step in 1..2000i64 {
                for i in 0..n {
                    if i % 7 != 3 && rng.below(1000) < rate {
                        a.spike(i, step_to_ms(step, h));
                    }
                }
            }
            let mut b = a.clone();
            let t_spike = step_to_ms(2 + rng.below(1998) as i64, h).min(199.9);
            let delay = step_to_ms(1 + rng.below(30) as i64, h);
            // Rows of several sources spiking at the same time: K⁻ looked up per target, or
            // computed by the archive for all neurons at once once enough connections asked.
            for source in 0..1 + rng.below(3) {
                let m = 1 + rng.below(100) as usize;
                let targets: Vec<u32> = (0..m).map(|_| rng.below(n as u64) as u32).collect();
                let weights: Vec<f64> = (0..m).map(|_| 0.5 + rng.below(1000) as f64 * 0.1).collect();
                let t_last = t_spike - step_to_ms(1 + rng.below(600) as i64, h);
                let spike = SpikeIn { t: t_spike, delay, mult: 1 };
                let row0 = [rng.below(50) as f64 * 0.1, t_last.max(0.0)];

                let (mut row_a, mut w_a, mut out) = (row0, weights.clone(), vec![0.0; m]);
                assert!(model.on_spike_row(&common, &mut row_a, &mut w_a, &targets, &spike, &mut a, &mut out));

                let mut w_b = weights.clone();
                let mut row_b = row0;
                for (k, &t) in targets.iter().enumerate() {
                    let mut row = row0;
                    let mut syn_rng = SynRng::new(0, 0, 0, 0);
                    let tr =
                        model.on_spike(&common, &mut row, &mut w_b[k], &spike, &mut b.view(t as usize), &mut syn_rng);
                    assert_eq!(tr.weight.to_bits(), out[k].to_bits(), "case {case} row {source}: delivered weight {k}");
                    row_b = row;
                }
                for k in 0..m {
                    let (wa, wb) = (w_a[k], w_b[k]);
                    assert_eq!(wa.to_bits(), wb.to_bits(), "case {case} row {source}: weight {k}: {wa} vs {wb}");
                }
                assert_eq!(row_a.map(f64::to_bits), row_b.map(f64::to_bits), "case {case}: K+ and t_last");
            }
            for i in 0..n {
                assert_eq!(a.spikes(i), b.spikes(i), "case {case}: history of neuron {i}");
                assert_eq!(a.reads(i), b.reads(i), "case {case}: reads of neuron {i}'s spikes");
            }
        }
    }
}
