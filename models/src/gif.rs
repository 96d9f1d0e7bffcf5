//! What NEST's four generalized integrate-and-fire models with escape noise share
//! (`gif_psc_exp`, `gif_cond_exp`, `gif_psc_exp_multisynapse`, `gif_cond_exp_multisynapse`;
//! Mensi et al. 2012, Pozzorini et al. 2015): the common head of the status table, the
//! spike-triggered current (stc) and spike-frequency adaptation (sfa) lists, NEST's common
//! parameter checks, and the grid-based mechanism every step runs around the model's membrane:
//!
//! ```text
//! I_stc ← Σ_k η_k;      η_k ← η_k·e^{−h/τ_stc,k}          (the sum is taken before the decay)
//! E_sfa ← V_T* + Σ_k γ_k;  γ_k ← γ_k·e^{−h/τ_sfa,k}
//! [the model's membrane and synapses advance by h, using I_stc]
//! not refractory:  λ = λ_0·exp((V_m − E_sfa)/ΔV)                           (1/ms)
//!                  if λ > 0: one uniform draw u ∈ [0, 1); spike if u < 1 − e^{−λh}:
//!                            η_k += q_stc,k;  γ_k += q_sfa,k;  refractory for t_ref
//! refractory:      one step less; V_m ← V_reset
//! ```
//!
//! 1 − e^{−λh} is computed as −expm1(−λh) with NEST's `expm1` ([`crate::numerics::expm1`]).
//! V_m is not reset in the spike step itself: it is set to V_reset in each of the following
//! t_ref steps (and starts the first free step from there). The recorded `E_sfa` and `I_stc` are
//! the values of the step, before a spike's increments.
//!
//! Each neuron draws from its own random stream (keyed by the kernel's seed and its node id,
//! [`crate::neuron::neuron_streams`]): results do not depend on the number of threads, and the
//! numbers differ from NEST's, so the firing is compared with NEST statistically.
//!
//! The lists (`tau_sfa`, `q_sfa`, `tau_stc`, `q_stc`) are status entries outside the numeric
//! table; NEST checks them before the scalar parameters, so every check runs in the models'
//! `set_extra`, in NEST's order, on the new row and the new lists, and a refused change leaves
//! the neuron as it was. The components γ_k and η_k are resized when a simulation starts:
//! existing ones keep their value, new ones start at 0 (as NEST's `resize`).

use crate::multisynapse::{given, put, PortLists};
use crate::neuron::{col, neuron_streams};
use crate::numerics::{expm1, ms_to_steps};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// The head every GIF status table starts with, in NEST's order.
pub const HEAD: [ParamSpec; 9] = [
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Leak reversal potential"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 4.0, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 80.0, "Capacitance of the membrane"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -55.0, "Reset potential (held while refractory)"),
    ParamSpec::param("Delta_V", Unit::MilliVolt, 0.5, "Stochasticity level of the escape rate"),
    ParamSpec::param("V_T_star", Unit::MilliVolt, -35.0, "Base threshold"),
    ParamSpec::param("lambda_0", Unit::Hertz, 1.0, "Escape rate at the threshold"),
    ParamSpec::param("t_ref", Unit::Millisecond, 4.0, "Duration of the refractory period"),
];

/// The status entries of the archiving node every GIF model ends with.
const TAIL: [ParamSpec; 2] = [
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

/// `I_e`.
pub const I_E: usize = col(&HEAD, "I_e");
/// `E_L`.
pub const E_L: usize = col(&HEAD, "E_L");
/// `g_L`.
pub const G_L: usize = col(&HEAD, "g_L");
/// `C_m`.
pub const C_M: usize = col(&HEAD, "C_m");
const V_RESET: usize = col(&HEAD, "V_reset");
const DELTA_V: usize = col(&HEAD, "Delta_V");
const V_T_STAR: usize = col(&HEAD, "V_T_star");
const LAMBDA_0: usize = col(&HEAD, "lambda_0");
const T_REF: usize = col(&HEAD, "t_ref");

/// The state entries `E_sfa` and `I_stc` (read-only: NEST shows them but does not set them).
pub const E_SFA_I_STC: [ParamSpec; 2] = [
    ParamSpec::read_only("E_sfa", Unit::MilliVolt, 0.0, "Adaptive threshold of the last step"),
    ParamSpec::read_only("I_stc", Unit::PicoAmpere, 0.0, "Spike-triggered current of the last step"),
];

/// A GIF status table: [`HEAD`], the model's own parameters `params`, its state `state`, and
/// the archiving node's trace time constants (`N` is the total, checked at compile time).
pub const fn schema<const N: usize>(params: &[ParamSpec], state: &[ParamSpec]) -> [ParamSpec; N] {
    let mut out = [TAIL[0]; N];
    let mut k = 0;
    let parts: [&[ParamSpec]; 4] = [&HEAD, params, state, &TAIL];
    let mut p = 0;
    while p < parts.len() {
        let mut j = 0;
        while j < parts[p].len() {
            out[k] = parts[p][j];
            k += 1;
            j += 1;
        }
        p += 1;
    }
    assert!(k == N, "schema length");
    out
}

/// The adaptation lists, in NEST's order of GetStatus.
pub const LISTS: [&str; 4] = ["tau_sfa", "q_sfa", "tau_stc", "q_stc"];
const TAU_SFA: usize = 0;
const Q_SFA: usize = 1;
const TAU_STC: usize = 2;
const Q_STC: usize = 3;

/// One neuron's escape constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Escape {
    v_t_star: f64,
    delta_v: f64,
    /// λ_0 in 1/ms (the status shows 1/s).
    lambda_0: f64,
    v_reset: f64,
    ref_counts: i64,
}

/// New values of the four adaptation lists of one neuron.
pub type Lists = [Vec<f64>; 4];

/// What every GIF chunk holds beside its membrane: the adaptation lists and components, the
/// refractory counters and the random streams.
pub struct Adaptation {
    /// tau_sfa (0), q_sfa (1).
    sfa: PortLists,
    /// tau_stc (0), q_stc (1).
    stc: PortLists,
    /// Per sfa component: e^{−h/τ_sfa,k} (0), γ_k (1).
    sfa_el: PortLists,
    /// Per stc component: e^{−h/τ_stc,k} (0), η_k (1).
    stc_el: PortLists,
    /// Remaining refractory steps.
    r: Vec<i64>,
    rng: Vec<Pcg64Mcg>,
    esc: Vec<Escape>,
    h: f64,
}

fn bad(msg: &str, got: String) -> Error {
    Error::bad_property(format!("{msg} (got {got})"))
}

impl Adaptation {
    /// `n` neurons at NEST's defaults (empty lists, not refractory).
    pub fn new(n: usize) -> Self {
        let empty = || PortLists::new(n, &[&[], &[]]);
        Adaptation {
            sfa: empty(),
            stc: empty(),
            sfa_el: empty(),
            stc_el: empty(),
            r: vec![0; n],
            rng: neuron_streams(0, 0, n),
            esc: vec![Escape::default(); n],
            h: 0.1,
        }
    }

    /// The neurons' random streams for the kernel's `seed`, the first neuron being node `first_id`.
    pub fn seed(&mut self, seed: u64, first_id: u32) {
        self.rng = neuron_streams(seed, first_id, self.r.len());
    }

    /// Adds neuron `i`'s adaptation lists to `d`.
    pub fn get_extra(&self, i: usize, d: &mut Dict) {
        put(d, LISTS[TAU_SFA], &self.sfa, 0, i);
        put(d, LISTS[Q_SFA], &self.sfa, 1, i);
        put(d, LISTS[TAU_STC], &self.stc, 0, i);
        put(d, LISTS[Q_STC], &self.stc, 1, i);
    }

    /// Neuron `i`'s adaptation lists after `entries` (the given ones replace the current ones).
    pub fn new_lists(&self, i: usize, entries: &[(&str, &Value)]) -> Result<Lists> {
        let g = given(entries, &LISTS)?;
        let cur = [self.sfa.get(0, i), self.sfa.get(1, i), self.stc.get(0, i), self.stc.get(1, i)];
        let mut out: Lists = Default::default();
        for (k, (v, c)) in g.into_iter().zip(cur).enumerate() {
            out[k] = v.unwrap_or_else(|| c.to_vec());
        }
        Ok(out)
    }

    /// NEST's checks every GIF model makes, in NEST's order, on the new `row` (a table that
    /// starts with [`HEAD`]) and the new lists.
    pub fn check(row: &[f64], l: &Lists) -> Result<()> {
        for (tau, q) in [(TAU_SFA, Q_SFA), (TAU_STC, Q_STC)] {
            if l[tau].len() != l[q].len() {
                return Err(Error::bad_property(format!(
                    "'{0}' and '{1}' need to have the same dimensions.\nSize of {0}: {2}\nSize of {1}: {3}",
                    LISTS[tau],
                    LISTS[q],
                    l[tau].len(),
                    l[q].len()
                )));
            }
        }
        if row[G_L] <= 0.0 {
            return Err(bad("Membrane conductance must be strictly positive.", format!("g_L = {} nS", row[G_L])));
        }
        if row[DELTA_V] <= 0.0 {
            return Err(bad("Delta_V must be strictly positive.", format!("Delta_V = {} mV", row[DELTA_V])));
        }
        if row[C_M] <= 0.0 {
            return Err(bad("Capacitance must be strictly positive.", format!("C_m = {} pF", row[C_M])));
        }
        if row[T_REF] < 0.0 {
            return Err(bad("Refractory time must not be negative.", format!("t_ref = {} ms", row[T_REF])));
        }
        if row[LAMBDA_0] < 0.0 {
            return Err(bad("lambda_0 must not be negative.", format!("lambda_0 = {} 1/s", row[LAMBDA_0])));
        }
        for tau in [TAU_SFA, TAU_STC] {
            if let Some((k, t)) = l[tau].iter().enumerate().find(|(_, &t)| t <= 0.0) {
                return Err(bad(
                    "All time constants must be strictly positive.",
                    format!("{}[{k}] = {t} ms", LISTS[tau]),
                ));
            }
        }
        Ok(())
    }

    /// Stores checked lists for neuron `i`.
    pub fn commit(&mut self, i: usize, l: Lists) {
        let [tau_sfa, q_sfa, tau_stc, q_stc] = l;
        self.sfa.set(i, &[tau_sfa, q_sfa]);
        self.stc.set(i, &[tau_stc, q_stc]);
    }

    /// NEST's pre-run computations at resolution `h` (ms): the decay factors, the components
    /// sized to the lists (kept values, new ones 0), the refractory count and escape constants.
    pub fn prepare(&mut self, t: &ParamTable, h: f64) {
        self.h = h;
        for i in 0..t.len() {
            for (lists, el) in [(&self.sfa, &mut self.sfa_el), (&self.stc, &mut self.stc_el)] {
                let taus = lists.get(0, i);
                el.resize(i, taus.len(), &[0.0, 0.0]);
                for (k, tau) in taus.iter().enumerate() {
                    el.get_mut(0, i)[k] = (-h / tau).exp();
                }
            }
            self.esc[i] = Escape {
                v_t_star: t.get(V_T_STAR, i),
                delta_v: t.get(DELTA_V, i),
                lambda_0: t.get(LAMBDA_0, i) / 1000.0,
                v_reset: t.get(V_RESET, i),
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
            };
        }
    }

    /// The start of neuron `i`'s step: (I_stc, E_sfa), the sums of the components, which then
    /// decay by one step.
    #[inline(always)]
    pub fn begin(&mut self, i: usize) -> (f64, f64) {
        let mut stc = 0.0;
        let (p, el) = self.stc_el.pair_mut(0, 1, i);
        for (x, p) in el.iter_mut().zip(p) {
            stc += *x;
            *x *= p;
        }
        let mut sfa = self.esc[i].v_t_star;
        let (p, el) = self.sfa_el.pair_mut(0, 1, i);
        for (x, p) in el.iter_mut().zip(p) {
            sfa += *x;
            *x *= p;
        }
        (stc, sfa)
    }

    /// Whether neuron `i` is outside its refractory period (its membrane integrates).
    #[inline(always)]
    pub fn free(&self, i: usize) -> bool {
        self.r[i] == 0
    }

    /// Whether neuron `i` is refractory (for the right-hand sides of the conductance models).
    #[inline(always)]
    pub fn refractory(&self, i: usize) -> bool {
        self.r[i] > 0
    }

    /// V_reset of neuron `i`, mV.
    #[inline(always)]
    pub fn v_reset(&self, i: usize) -> f64 {
        self.esc[i].v_reset
    }

    /// The end of neuron `i`'s step, `v` being its new membrane potential and `sfa` this step's
    /// E_sfa: the escape draw when free (true on a spike, with the jumps of the components and
    /// the refractory count), otherwise one refractory step less and V_m ← V_reset.
    #[inline(always)]
    pub fn fire(&mut self, i: usize, v: &mut f64, sfa: f64) -> bool {
        let e = self.esc[i];
        if self.r[i] != 0 {
            self.r[i] -= 1;
            *v = e.v_reset;
            return false;
        }
        let lambda = e.lambda_0 * ((*v - sfa) / e.delta_v).exp();
        // No draw unless λ > 0 (as NEST); a NaN probability never fires.
        let spike = lambda > 0.0 && self.rng[i].random::<f64>() < -expm1(-lambda * self.h);
        if !spike {
            return false;
        }
        for (lists, el) in [(&self.stc, &mut self.stc_el), (&self.sfa, &mut self.sfa_el)] {
            let q = lists.get(1, i);
            for (x, dq) in el.get_mut(1, i).iter_mut().zip(q) {
                *x += dq;
            }
        }
        self.r[i] = e.ref_counts;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: [ParamSpec; 12] = schema(&[], &[ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "")]);

    #[test]
    fn schema_concatenates_in_nest_order() {
        let names: Vec<&str> = ROW.iter().map(|s| s.name).collect();
        let head = ["I_e", "E_L", "g_L", "C_m", "V_reset", "Delta_V", "V_T_star", "lambda_0", "t_ref"];
        assert_eq!(names[..9], head);
        assert_eq!(names[9..], ["V_m", "tau_minus", "tau_minus_triplet"]);
    }

    #[test]
    fn components_sum_before_decay_and_jump_at_spikes() {
        // Oracle: NEST's order — the sum of a step uses the components before their decay;
        // a spike adds q after the sum of its step.
        let mut a = Adaptation::new(1);
        a.commit(0, [vec![10.0], vec![2.0], vec![5.0, 50.0], vec![1.0, 3.0]]);
        let t = ParamTable::new(&ROW, 1);
        a.prepare(&t, 0.1);
        assert_eq!(a.begin(0), (0.0, -35.0));
        // A spike for sure: λ_0 e^{(V − E_sfa)/ΔV} overflows to ∞, 1 − e^{−∞} = 1.
        a.esc[0].lambda_0 = 1.0;
        let mut v = 0.0;
        assert!(a.fire(0, &mut v, -35.0));
        assert_eq!(a.r[0], 40);
        let (stc, sfa) = a.begin(0);
        assert_eq!(stc, 4.0);
        assert_eq!(sfa, -35.0 + 2.0);
        let (stc, sfa) = a.begin(0);
        assert_eq!(stc, (1.0 * (-0.1f64 / 5.0).exp()) + 3.0 * (-0.1f64 / 50.0).exp());
        assert_eq!(sfa, -35.0 + 2.0 * (-0.1f64 / 10.0).exp());
        // Refractory: V ← V_reset, one step less, no draw.
        let mut v = 10.0;
        assert!(!a.fire(0, &mut v, -35.0));
        assert_eq!((v, a.r[0]), (-55.0, 39));
    }

    #[test]
    fn zero_rate_never_fires() {
        let mut a = Adaptation::new(1);
        let t = ParamTable::new(&ROW, 1);
        a.prepare(&t, 0.1);
        a.esc[0].lambda_0 = 0.0;
        for _ in 0..1000 {
            let mut v = 1e6;
            assert!(!a.fire(0, &mut v, -35.0));
        }
    }
}
