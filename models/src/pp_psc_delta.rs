//! # pp_psc_delta — point-process neuron with leaky integration of delta-shaped PSCs
//!
//! A stochastic ("escape noise") neuron: a leaky membrane that jumps at every incoming spike, and
//! a spike generator whose instantaneous rate is a rectified linear-plus-exponential function of
//! the membrane potential minus a multi-timescale adaptive threshold. After a spike the neuron is
//! dead (cannot fire) for a fixed or gamma-distributed time and its potential may be reset.
//! NEST 3.10's `pp_psc_delta` (Cardanobile & Rotter 2010; Jolivet et al. 2006): the membrane is
//! integrated exactly on the time grid with NEST's propagators and order of operations, the
//! random draws follow NEST's rules (which draw happens when), from nestor's own per-neuron
//! random stream (keyed by the kernel's seed and the node id, so results do not depend on the
//! number of threads; the numbers themselves differ from NEST's).
//!
//! ## Equations
//!
//! V_m is the potential relative to rest (there is no `E_L`; rest is 0 mV).
//!
//! ```text
//! dV_m/dt = −V_m/τ_m + (I_e + I_stim)/C_m          V_m += w at a spike of weight w (mV)
//! E_sfa(t) = Σ_k e_k(t),   de_k/dt = −e_k/τ_sfa,k,  e_k += q_sfa,k at each spike
//! rate(t)  = c_1·V' + c_2·exp(c_3·V'),   V' = V_m − E_sfa          (Hz; no spike if rate ≤ 0)
//! ```
//!
//! One step h (ms):
//!
//! ```text
//! V_m ← P30·(I_stim + I_e) + P33·V_m + (spike weights of this step)
//!       P33 = e^{−h/τ_m},  P30 = (1/C_m)·(1 − P33)·τ_m
//! e_k ← e_k·e^{−h/τ_sfa,k};   E_sfa ← Σ_k e_k                  (decay first, then the sum)
//! not dead:  rate = c_1·(V_m − E_sfa) + c_2·exp(c_3·(V_m − E_sfa))
//!            if rate > 0:
//!              dead_time > 0:  one uniform draw u; n = 1 if u ≤ 1 − e^{−rate·h/1000}, else 0
//!              dead_time = 0:  n = Poisson(rate·h/1000)   (a spike of multiplicity n)
//!            if n > 0: dead for dead_time (rounded up to whole steps), or, with
//!                      dead_time_random, for Gamma(dead_time_shape)·dead_time/dead_time_shape
//!                      (one gamma draw, then rounded up to steps);  e_k += q_sfa,k·n;
//!                      spike of multiplicity n;  V_m ← 0 if with_reset
//! dead:      one dead step less (V_m keeps integrating)
//! I_stim ← step current received in this step (acts during the next step)
//! ```
//!
//! 1 − e^{−x} is computed as −expm1(−x) with NEST's `expm1` ([`crate::numerics::expm1`]). No
//! random number is drawn while dead or when the rate is not positive.
//!
//! ## Parameters
//!
//! | NEST name          | unit      | default | meaning                                                   |
//! |--------------------|-----------|---------|-----------------------------------------------------------|
//! | `I_e`              | pA        | 0       | constant input current                                    |
//! | `C_m`              | pF        | 250     | membrane capacitance                                      |
//! | `tau_m`            | ms        | 10      | membrane time constant                                    |
//! | `dead_time`        | ms        | 1       | dead time after a spike (mean dead time if random)        |
//! | `dead_time_random` | bool      | false   | draw each dead time from a gamma distribution             |
//! | `dead_time_shape`  | integer   | 1       | shape of that gamma distribution                          |
//! | `with_reset`       | bool      | true    | reset V_m to 0 after a spike                              |
//! | `c_1`              | Hz/mV     | 0       | slope of the linear part of the rate                      |
//! | `c_2`              | Hz        | 1.238   | prefactor of the exponential part of the rate             |
//! | `c_3`              | 1/mV      | 0.25    | coefficient of the exponential part                       |
//! | `t_ref_remaining`  | ms        | 0       | dead time left when the neuron first runs                 |
//! | `tau_sfa`          | ms (list) | []      | time constants of the adaptive threshold's components     |
//! | `q_sfa`            | mV (list) | []      | jumps of those components at a spike                      |
//!
//! `c_1` carries no unit in nestor (a number in Hz/mV). `tau_sfa` and `q_sfa` may also be given
//! as single numbers (NEST's older interface): each is then *appended* to its list, and from then
//! on GetStatus shows the first entry of each list as a number (0 when empty), as in NEST. Both
//! must be given together in that form (NEST would append an undefined value for the missing
//! one); a number for one and a list for the other is refused, as NEST refuses it.
//!
//! A `dead_time` that is not 0 but shorter than the resolution is set to the resolution when a
//! simulation starts (the parameter changes, as in NEST). `t_ref_remaining` acts once, at the
//! neuron's first Simulate.
//!
//! ## Checks
//!
//! In NEST's order, each a `BadProperty` with NEST's message (and the values): `tau_sfa` and
//! `q_sfa` of the same length ("'tau_sfa' and 'q_sfa' need to have the same dimension.\nSize of
//! tau_sfa: n\nSize of q_sfa: m"); `C_m > 0` ("Capacitance must be strictly positive.");
//! `dead_time ≥ 0` ("Absolute refractory time must not be negative."); `dead_time_shape ≥ 1`
//! ("Shape of the dead time gamma distribution must not be smaller than 1."); `tau_m > 0` and
//! every `tau_sfa > 0` ("All time constants must be strictly positive."); `t_ref_remaining ≥ 0`
//! ("Remaining refractory time can not be negative."); `c_3 ≥ 0` ("c_3 must be positive.").
//! At most 128 adaptation components (a nestor limit).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial 0), `E_sfa` (mV, initial 0; settable, but recomputed from the
//!   components at the next step, as in NEST).
//! * Recordables (NEST's order): `E_sfa`, `V_m`.
//!
//! A SetStatus between two runs rebuilds the adaptation components' decay factors from
//! `tau_sfa` at the next run and keeps the components' values (new components start at 0).
//! NEST instead appends a second set of decay factors and components after every SetStatus and
//! then reads `q_sfa` beyond its end at the next spike (undefined values); nestor does what the
//! model describes. With one SetStatus before the first run both agree.
//!
//! ## Events
//!
//! * Sends: spikes (multiplicity n > 1 only with `dead_time` = 0).
//! * Receives: spikes on receptor 0 (weight in mV, any sign, added to V_m), currents on receptor
//!   0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Cardanobile S, Rotter S (2010). Multiplicatively interacting point processes and
//!    applications to neural modeling. J Comput Neurosci 28:267–284.
//!    doi:10.1007/s10827-009-0204-0
//! 2. Jolivet R, Rauch A, Lüscher H-R, Gerstner W (2006). Predicting spike timing of neocortical
//!    pyramidal neurons by simple threshold models. J Comput Neurosci 21:35–49.
//!    doi:10.1007/s10827-006-7074-5
//! 3. Pozzorini C, Naud R, Mensi S, Gerstner W (2013). Temporal whitening by power-law adaptation
//!    in neocortical neurons. Nat Neurosci 16:942–948. doi:10.1038/nn.3431
//! 4. Gerstner W, Kistler WM, Naud R, Paninski L (2014). Neuronal Dynamics. Cambridge University
//!    Press.
//!
//! ## See also
//!
//! [`crate::iaf_psc_delta`], [`crate::gif_psc_exp`], [`crate::neuron::neuron_streams`].

use crate::multisynapse::{as_list, PortLists};
use crate::neuron::{col, neuron_streams, Neuron, Receptors, CH_SINGLE_CURRENT, CH_SPIKE};
use crate::numerics::{expm1, ms_to_steps};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};
use rand::RngExt;
use rand_distr::Distribution;
use rand_pcg::Pcg64Mcg;

/// The status table of `pp_psc_delta`: NEST names, units and defaults, in NEST's order.
pub static SCHEMA: [ParamSpec; 15] = [
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("dead_time", Unit::Millisecond, 1.0, "Duration of the dead time after a spike"),
    ParamSpec::param("dead_time_random", Unit::Bool, 0.0, "Draw each dead time from a gamma distribution"),
    ParamSpec::param("dead_time_shape", Unit::Integer, 1.0, "Shape parameter of the dead time's gamma distribution"),
    ParamSpec::param("with_reset", Unit::Bool, 1.0, "Reset the membrane potential to 0 after a spike"),
    ParamSpec::param("c_1", Unit::Dimensionless, 0.0, "Slope of the linear part of the transfer function (Hz/mV)"),
    ParamSpec::param("c_2", Unit::Hertz, 1.238, "Prefactor of the exponential part of the transfer function"),
    ParamSpec::param("c_3", Unit::PerMillivolt, 0.25, "Coefficient of the exponential part of the transfer function"),
    ParamSpec::param("t_ref_remaining", Unit::Millisecond, 0.0, "Dead time remaining when the neuron first runs"),
    ParamSpec::state("V_m", Unit::MilliVolt, 0.0, "Membrane potential relative to rest"),
    ParamSpec::state("E_sfa", Unit::MilliVolt, 0.0, "Adaptive threshold (sum of its components)"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const I_E: usize = col(&SCHEMA, "I_e");
const C_M: usize = col(&SCHEMA, "C_m");
const TAU_M: usize = col(&SCHEMA, "tau_m");
const DEAD_TIME: usize = col(&SCHEMA, "dead_time");
const DEAD_TIME_RANDOM: usize = col(&SCHEMA, "dead_time_random");
const DEAD_TIME_SHAPE: usize = col(&SCHEMA, "dead_time_shape");
const WITH_RESET: usize = col(&SCHEMA, "with_reset");
const C_1: usize = col(&SCHEMA, "c_1");
const C_2: usize = col(&SCHEMA, "c_2");
const C_3: usize = col(&SCHEMA, "c_3");
const T_REF_REMAINING: usize = col(&SCHEMA, "t_ref_remaining");
const V_M: usize = col(&SCHEMA, "V_m");
const E_SFA: usize = col(&SCHEMA, "E_sfa");

const NAME: &str = "pp_psc_delta";

/// The adaptation lists (`tau_sfa` 0, `q_sfa` 1) and their internal companions.
const TAU_SFA: usize = 0;
const Q_SFA: usize = 1;
/// Internal per-component lists: the decay factor e^{−h/τ_sfa,k} (0) and the component (1).
const Q33: usize = 0;
const ELEM: usize = 1;

/// One neuron's constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    p33: f64,
    p30: f64,
    i_e: f64,
    c_1: f64,
    c_2: f64,
    c_3: f64,
    /// dead_time after `prepare`'s adjustment, ms.
    dead_time: f64,
    /// Fixed dead time in steps.
    dead_counts: i64,
    /// Gamma shape and rate shape/dead_time when the dead time is random.
    random: Option<(f64, f64)>,
    with_reset: bool,
}

/// A chunk of `pp_psc_delta` neurons: internal state beside the status table.
pub struct PpPscDelta {
    /// tau_sfa (0), q_sfa (1).
    sfa: PortLists,
    /// Per adaptation component: decay factor (0), value (1).
    elems: PortLists,
    /// tau_sfa/q_sfa are shown as lists (false once set as numbers, as NEST's `multi_param_`).
    multi: Vec<bool>,
    /// The components match the parameters (NEST's `initialized_`, cleared by every SetStatus).
    initialized: Vec<bool>,
    /// Step current of the previous step, pA.
    y0: Vec<f64>,
    /// Remaining dead steps.
    r: Vec<i64>,
    /// `t_ref_remaining` has been applied (NEST's `init_state_`, at the first run).
    started: bool,
    rng: Vec<Pcg64Mcg>,
    consts: Vec<Consts>,
    h: f64,
}

fn bad(msg: &str, got: String) -> Error {
    Error::bad_property(format!("{msg} (got {got})"))
}

/// NEST's checks of `pp_psc_delta` on a new row and new adaptation lists, in NEST's order.
fn check(row: &[f64], tau_sfa: &[f64], q_sfa: &[f64]) -> Result<()> {
    if tau_sfa.len() != q_sfa.len() {
        return Err(Error::bad_property(format!(
            "'tau_sfa' and 'q_sfa' need to have the same dimension.\nSize of tau_sfa: {}\nSize of q_sfa: {}",
            tau_sfa.len(),
            q_sfa.len()
        )));
    }
    if row[C_M] <= 0.0 {
        return Err(bad("Capacitance must be strictly positive.", format!("C_m = {} pF", row[C_M])));
    }
    if row[DEAD_TIME] < 0.0 {
        return Err(bad(
            "Absolute refractory time must not be negative.",
            format!("dead_time = {} ms", row[DEAD_TIME]),
        ));
    }
    if row[DEAD_TIME_SHAPE] < 1.0 {
        return Err(bad(
            "Shape of the dead time gamma distribution must not be smaller than 1.",
            format!("dead_time_shape = {}", row[DEAD_TIME_SHAPE]),
        ));
    }
    if row[TAU_M] <= 0.0 {
        return Err(bad("All time constants must be strictly positive.", format!("tau_m = {} ms", row[TAU_M])));
    }
    if let Some((k, t)) = tau_sfa.iter().enumerate().find(|(_, &t)| t <= 0.0) {
        return Err(bad("All time constants must be strictly positive.", format!("tau_sfa[{k}] = {t} ms")));
    }
    if row[T_REF_REMAINING] < 0.0 {
        return Err(bad(
            "Remaining refractory time can not be negative.",
            format!("t_ref_remaining = {} ms", row[T_REF_REMAINING]),
        ));
    }
    if row[C_3] < 0.0 {
        return Err(bad("c_3 must be positive.", format!("c_3 = {} 1/mV", row[C_3])));
    }
    Ok(())
}

impl PpPscDelta {
    /// The new `tau_sfa` and `q_sfa` of neuron `i` after `entries`, and whether they were given
    /// as numbers (NEST's `multi_param_` false).
    fn new_lists(&self, i: usize, entries: &[(&str, &Value)]) -> Result<(Vec<f64>, Vec<f64>, bool)> {
        let find = |key: &str| entries.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let (tau, q) = (find("tau_sfa"), find("q_sfa"));
        let scalar = |v: Option<&Value>| matches!(v, Some(Value::Double(_) | Value::Int(_)));
        let mut tau_sfa = self.sfa.get(TAU_SFA, i).to_vec();
        let mut q_sfa = self.sfa.get(Q_SFA, i).to_vec();
        if scalar(tau) || scalar(q) {
            // NEST's interface with single numbers: each is appended to its list.
            let (Some(tau), Some(q)) = (tau, q) else {
                return Err(Error::bad_property(
                    "pp_psc_delta: 'tau_sfa' and 'q_sfa' given as numbers must be given together (each is appended to its list)",
                ));
            };
            if !(scalar(Some(tau)) && scalar(Some(q))) {
                return Err(Error::argument_type(
                    "pp_psc_delta: 'tau_sfa' and 'q_sfa' must both be lists or both be numbers",
                ));
            }
            tau_sfa.push(tau.as_f64_in(Unit::Millisecond, "tau_sfa")?);
            q_sfa.push(q.as_f64_in(Unit::MilliVolt, "q_sfa")?);
            for (key, l) in [("tau_sfa", &tau_sfa), ("q_sfa", &q_sfa)] {
                as_list(key, &Value::DoubleVec(l.clone()))?;
            }
            return Ok((tau_sfa, q_sfa, true));
        }
        if let Some(v) = tau {
            tau_sfa = as_list("tau_sfa", v)?;
        }
        if let Some(v) = q {
            q_sfa = as_list("q_sfa", v)?;
        }
        Ok((tau_sfa, q_sfa, false))
    }

    /// One step of neuron `i` (NEST's update for one lag). Returns the spike multiplicity.
    #[inline(always)]
    fn step(&mut self, i: usize, v: &mut f64, e_sfa: &mut f64, spike_in: f64, current_in: f64) -> u32 {
        let c = self.consts[i];
        let h = self.h;
        *v = c.p30 * (self.y0[i] + c.i_e) + c.p33 * *v + spike_in;
        let mut q = 0.0;
        let (q33, el) = self.elems.pair_mut(Q33, ELEM, i);
        for (x, p) in el.iter_mut().zip(q33) {
            *x *= p;
            q += *x;
        }
        *e_sfa = q;
        let mut n_spikes = 0u64;
        if self.r[i] == 0 {
            let v_eff = *v - q;
            let rate = c.c_1 * v_eff + c.c_2 * (c.c_3 * v_eff).exp();
            if rate > 0.0 {
                let rng = &mut self.rng[i];
                if c.dead_time > 0.0 {
                    if rng.random::<f64>() <= -expm1(-rate * h * 1e-3) {
                        n_spikes = 1;
                    }
                } else {
                    n_spikes = nestor_kernel::conn::poisson(rng, rate * h * 1e-3);
                }
                if n_spikes > 0 {
                    self.r[i] = match c.random {
                        Some((shape, dt_rate)) => {
                            let g = rand_distr::Gamma::new(shape, 1.0).map_or(0.0, |d| d.sample(rng));
                            ms_to_steps(g / dt_rate, h)
                        }
                        None => c.dead_counts,
                    };
                    let q_sfa = self.sfa.get(Q_SFA, i);
                    for (x, q) in self.elems.get_mut(ELEM, i).iter_mut().zip(q_sfa) {
                        *x += q * n_spikes as f64;
                    }
                    if c.with_reset {
                        *v = 0.0;
                    }
                }
            }
        } else {
            self.r[i] -= 1;
        }
        self.y0[i] = current_in;
        n_spikes.min(u32::MAX as u64) as u32
    }
}

impl Neuron for PpPscDelta {
    const NAME: &'static str = NAME;
    const SUMMARY: &'static str =
        "Point-process (escape-noise) neuron with delta-shaped PSCs, dead time and multi-timescale adaptation (stochastic)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["E_sfa", "V_m"];
    const RECEPTORS: Receptors = Receptors::Single;
    const WEIGHT_UNIT: Unit = Unit::MilliVolt;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        PpPscDelta {
            sfa: PortLists::new(n, &[&[], &[]]),
            elems: PortLists::new(n, &[&[], &[]]),
            multi: vec![true; n],
            initialized: vec![false; n],
            y0: vec![0.0; n],
            r: vec![0; n],
            started: false,
            rng: neuron_streams(0, 0, n),
            consts: vec![Consts::default(); n],
            h: 0.1,
        }
    }

    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.rng = neuron_streams(seed, first_id, self.r.len());
    }

    fn extra_keys() -> &'static [&'static str] {
        &["tau_sfa", "q_sfa"]
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        for (l, key) in [(TAU_SFA, "tau_sfa"), (Q_SFA, "q_sfa")] {
            let list = self.sfa.get(l, i);
            let v = if self.multi[i] {
                Value::DoubleVec(list.to_vec())
            } else {
                list.first().map_or(Value::Int(0), |&x| Value::Double(x))
            };
            d.insert(key.into(), v);
        }
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        let (tau_sfa, q_sfa, as_numbers) = self.new_lists(i, entries)?;
        check(row, &tau_sfa, &q_sfa)?;
        self.sfa.set(i, &[tau_sfa, q_sfa]);
        if as_numbers {
            self.multi[i] = false;
        }
        // NEST's State_::set: the components are rebuilt at the next run.
        self.initialized[i] = false;
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        for i in 0..t.len() {
            if !self.started {
                self.r[i] = ms_to_steps(t.get(T_REF_REMAINING, i), h);
            }
            let (tau_m, c_m) = (t.get(TAU_M, i), t.get(C_M, i));
            let p33 = (-h / tau_m).exp();
            let mut dead_time = t.get(DEAD_TIME, i);
            if dead_time != 0.0 && dead_time < h {
                dead_time = h;
                t.set(DEAD_TIME, i, h);
            }
            if !self.initialized[i] {
                let tau_sfa = self.sfa.get(TAU_SFA, i).to_vec();
                self.elems.resize(i, tau_sfa.len(), &[0.0, 0.0]);
                for (k, tau) in tau_sfa.iter().enumerate() {
                    self.elems.get_mut(Q33, i)[k] = (-h / tau).exp();
                }
                self.initialized[i] = true;
            }
            let shape = t.get(DEAD_TIME_SHAPE, i);
            let random = t.get(DEAD_TIME_RANDOM, i) != 0.0;
            self.consts[i] = Consts {
                p33,
                p30: 1.0 / c_m * (1.0 - p33) * tau_m,
                i_e: t.get(I_E, i),
                c_1: t.get(C_1, i),
                c_2: t.get(C_2, i),
                c_3: t.get(C_3, i),
                dead_time,
                dead_counts: if random { 0 } else { ms_to_steps(dead_time, h) },
                random: random.then_some((shape, shape / dead_time)),
                with_reset: t.get(WITH_RESET, i) != 0.0,
            };
        }
        self.started = true;
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        _ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_s, in_i) = (inputs.channel(CH_SPIKE), inputs.channel(CH_SINGLE_CURRENT));
        let cols = table.cols_mut();
        for i in 0..self.r.len() {
            let (mut v, mut e_sfa) = (cols[V_M][i], cols[E_SFA][i]);
            let n = self.step(i, &mut v, &mut e_sfa, in_s[i], in_i[i]);
            if n > 0 {
                out.spikes(i, n, 1.0);
            }
            cols[V_M][i] = v;
            cols[E_SFA][i] = e_sfa;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Node, Route};

    fn status(nd: &mut Box<dyn Node>, d: &[(&str, Value)]) -> Result<()> {
        set_status(nd, d, NAME)
    }

    #[test]
    fn checks_follow_nest() {
        let mut nd = nodes::<PpPscDelta>(1);
        for (d, msg) in [
            (
                vec![("tau_sfa", Value::DoubleVec(vec![10.0, 20.0])), ("q_sfa", Value::DoubleVec(vec![1.0]))],
                "'tau_sfa' and 'q_sfa' need to have the same dimension.\nSize of tau_sfa: 2\nSize of q_sfa: 1",
            ),
            (vec![("C_m", Value::Double(0.0))], "Capacitance must be strictly positive."),
            (vec![("dead_time", Value::Double(-1.0))], "Absolute refractory time must not be negative."),
            (
                vec![("dead_time_shape", Value::Int(0))],
                "Shape of the dead time gamma distribution must not be smaller than 1.",
            ),
            (vec![("tau_m", Value::Double(0.0))], "All time constants must be strictly positive."),
            (
                vec![("tau_sfa", Value::DoubleVec(vec![10.0, -1.0])), ("q_sfa", Value::DoubleVec(vec![1.0, 1.0]))],
                "All time constants must be strictly positive.",
            ),
            (vec![("t_ref_remaining", Value::Double(-0.1))], "Remaining refractory time can not be negative."),
            (vec![("c_3", Value::Double(-0.1))], "c_3 must be positive."),
            // NEST's order: the list sizes before C_m.
            (
                vec![("C_m", Value::Double(-1.0)), ("tau_sfa", Value::DoubleVec(vec![1.0]))],
                "'tau_sfa' and 'q_sfa' need to have the same dimension.",
            ),
        ] {
            let e = status(&mut nd, &d).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty, "{}", e.message);
            assert!(e.message.starts_with(msg), "{} vs {msg}", e.message);
        }
        // Nothing was committed.
        let mut st = Dict::new();
        nd.get_extra(0, &mut st);
        assert_eq!(st.get("tau_sfa"), Some(&Value::DoubleVec(vec![])));
        assert_eq!(nd.table().get(C_M, 0), 250.0);
    }

    #[test]
    fn sfa_as_numbers_appends_and_shows_numbers() {
        let mut nd = nodes::<PpPscDelta>(1);
        status(&mut nd, &[("tau_sfa", Value::Double(34.0)), ("q_sfa", Value::Double(7.0))]).unwrap();
        status(&mut nd, &[("tau_sfa", Value::Double(100.0)), ("q_sfa", Value::Double(2.0))]).unwrap();
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("tau_sfa"), Some(&Value::Double(34.0)));
        assert_eq!(d.get("q_sfa"), Some(&Value::Double(7.0)));
        assert!(status(&mut nd, &[("tau_sfa", Value::Double(1.0))]).is_err());
        assert!(status(&mut nd, &[("tau_sfa", Value::Double(1.0)), ("q_sfa", Value::DoubleVec(vec![1.0]))]).is_err());
        let mut nd = nodes::<PpPscDelta>(1);
        status(
            &mut nd,
            &[("tau_sfa", Value::DoubleVec(vec![34.0, 100.0])), ("q_sfa", Value::DoubleVec(vec![7.0, 2.0]))],
        )
        .unwrap();
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("q_sfa"), Some(&Value::DoubleVec(vec![7.0, 2.0])));
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_SPIKE as u16));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn membrane_is_exact_without_spiking() {
        // Oracle: with c_1 = c_2 = 0 the rate is 0 (no spikes, no draws) and V_m is the exact
        // solution of τ dV/dt = −V + R I plus the delta jumps: V(t) = R I (1 − e^{−t/τ}) + w e^{−(t−t_w)/τ}.
        let mut nd = nodes::<PpPscDelta>(1);
        status(&mut nd, &[("c_1", Value::Double(0.0)), ("c_2", Value::Double(0.0)), ("I_e", Value::Double(100.0))])
            .unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 300, |t, ch| if t == 50 && ch == CH_SPIKE { 2.0 } else { 0.0 });
        assert!(spikes.is_empty());
        for (k, r) in rec.iter().enumerate() {
            let t = (k + 1) as f64 * 0.1;
            let mut v = 100.0 * 10.0 / 250.0 * (1.0 - (-t / 10.0).exp());
            if k >= 50 {
                v += 2.0 * (-((k - 50) as f64) * 0.1 / 10.0).exp();
            }
            assert!((r[1] - v).abs() < 1e-12, "k {k}: {} vs {v}", r[1]);
            assert_eq!(r[0], 0.0);
        }
    }

    #[test]
    fn deterministic_threshold_with_dead_time_and_adaptation() {
        // Oracle: a very steep exponential rate (c_3 = 1e5 /mV) fires with probability 1 as soon
        // as V_m exceeds E_sfa by a few 1e-4 mV, and never below: a hard threshold. With
        // dead_time 2 ms and one adaptation component of q = 1 mV, τ = 50 ms, the first
        // spike comes at the first step (V_m > 0 = E_sfa), then no spike for 20 steps, and E_sfa
        // after a spike is q·e^{−h/τ}-decayed once per step.
        let mut nd = nodes::<PpPscDelta>(1);
        status(
            &mut nd,
            &[
                ("c_2", Value::Double(1.0)),
                ("c_3", Value::Double(1e5)),
                ("dead_time", Value::Double(2.0)),
                ("I_e", Value::Double(500.0)),
                ("tau_sfa", Value::DoubleVec(vec![50.0])),
                ("q_sfa", Value::DoubleVec(vec![1.0])),
                ("t_ref_remaining", Value::Double(0.5)),
            ],
        )
        .unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 400, |_, _| 0.0);
        // t_ref_remaining 0.5 ms: dead for the first 5 steps, the spike in step 5 (stamp 6).
        assert_eq!(spikes[0], 6);
        for w in spikes.windows(2) {
            assert!(w[1] - w[0] > 20, "dead time respected: {spikes:?}");
        }
        assert!(spikes.len() > 3);
        let s = spikes[0] as usize; // record index s-1 is the spike step
        assert_eq!(rec[s - 1][1], 0.0, "reset");
        assert!((rec[s][0] - (-0.1f64 / 50.0).exp()).abs() < 1e-15);
    }

    #[test]
    fn poisson_spikes_without_dead_time() {
        // Oracle: with dead_time 0 and a constant rate (c_3 = 0) the count per step is Poisson
        // with mean rate·h: over 20000 steps at 2000 Hz and h = 0.1 the total is 4000 ± 4·63.
        let mut nd = nodes::<PpPscDelta>(1);
        status(
            &mut nd,
            &[("dead_time", Value::Double(0.0)), ("c_2", Value::Double(2000.0)), ("c_3", Value::Double(0.0))],
        )
        .unwrap();
        nd.prepare(&nestor_kernel::model::Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let mut ev = Vec::new();
        let data = vec![0.0; 2];
        for t in 0..20000 {
            nd.update(&StepCtx { t, h: 0.1 }, &Inputs::new(&data, 1, 1, 0), &mut Emitter::new(&mut ev));
        }
        let total: u64 = ev.iter().map(|e| e.mult as u64).sum();
        assert!((total as f64 - 4000.0).abs() < 4.0 * 4000f64.sqrt(), "{total}");
        assert!(ev.iter().any(|e| e.mult > 1), "multiplicities above 1 occur");
    }

    #[test]
    fn short_dead_time_becomes_the_resolution() {
        let mut nd = nodes::<PpPscDelta>(1);
        status(&mut nd, &[("dead_time", Value::Double(0.01))]).unwrap();
        run(&mut nd, 0.1, 1, |_, _| 0.0);
        assert_eq!(nd.table().get(DEAD_TIME, 0), 0.1);
    }
}
