//! # gif_psc_exp — generalized integrate-and-fire neuron with escape noise and exponential current synapses
//!
//! The generalized integrate-and-fire model of Mensi et al. (2012) and Pozzorini et al. (2015):
//! a leaky membrane with a spike-triggered current (stc) and a moving threshold (spike-frequency
//! adaptation, sfa), each a sum of exponentially decaying components that jump at every spike,
//! and stochastic spiking through an exponential escape rate. Excitatory and inhibitory inputs
//! are exponentially decaying currents. NEST 3.10's `gif_psc_exp`: the membrane is integrated
//! exactly on the time grid with NEST's propagators and order of operations; the spikes are
//! drawn from nestor's per-neuron random streams by NEST's rule (one uniform draw per free step,
//! see [`crate::gif`]), so a run matches NEST's statistically, not spike by spike.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) − η(t) + I_syn_ex + I_syn_in + I_e + I_stim
//! η(t)   = Σ_k η_k,  dη_k/dt = −η_k/τ_stc,k,  η_k += q_stc,k at a spike       (I_stc, pA)
//! E_sfa  = V_T* + Σ_k γ_k,  dγ_k/dt = −γ_k/τ_sfa,k,  γ_k += q_sfa,k at a spike (mV)
//! λ(t)   = λ_0 · exp((V − E_sfa)/ΔV)                       probability of a spike in a step:
//!                                                            1 − e^{−λh}
//! dI_syn,X/dt = −I_syn,X/τ_syn,X      (a spike of weight w: I_syn,X += w; X = ex for w ≥ 0)
//! ```
//!
//! One step h (τ_m = C_m/g_L), after the adaptation sums of [`crate::gif`]:
//!
//! ```text
//! I_syn,X ← I_syn,X·e^{−h/τ_syn,X} + (spike weights of this step)
//! not refractory:
//!   V ← P30·(I_stim + I_e − I_stc) + P33·V + P31·E_L + I_syn_ex·P21_ex + I_syn_in·P21_in
//!   escape draw (crate::gif): a spike starts t_ref (rounded up to steps) of refractoriness
//! refractory: one step less, V ← V_reset
//! I_stim ← step current received in this step (acts during the next step)
//! P33 = e^{−h/τ_m},  P30 = −(1/C_m)·expm1(−h/τ_m)·τ_m,  P31 = −expm1(−h/τ_m)
//! ```
//!
//! P21_X is NEST's exact current-to-voltage propagator ([`crate::numerics::IafPropagator::exp`],
//! including NEST's handling of τ_syn ≈ τ_m). As in NEST, V uses the synaptic currents *after*
//! this step's decay and input (`gif_psc_exp_multisynapse` uses them before).
//!
//! ## Parameters
//!
//! | NEST name    | unit      | default | meaning                                           |
//! |--------------|-----------|---------|---------------------------------------------------|
//! | `I_e`        | pA        | 0       | constant input current                            |
//! | `E_L`        | mV        | −70     | leak reversal potential                           |
//! | `g_L`        | nS        | 4       | leak conductance                                  |
//! | `C_m`        | pF        | 80      | membrane capacitance                              |
//! | `V_reset`    | mV        | −55     | reset potential, held while refractory            |
//! | `Delta_V`    | mV        | 0.5     | stochasticity level of the escape rate            |
//! | `V_T_star`   | mV        | −35     | base threshold                                    |
//! | `lambda_0`   | 1/s       | 1       | escape rate at the threshold                      |
//! | `t_ref`      | ms        | 4       | refractory period                                 |
//! | `tau_syn_ex` | ms        | 2       | decay time of the excitatory current              |
//! | `tau_syn_in` | ms        | 2       | decay time of the inhibitory current              |
//! | `tau_sfa`    | ms (list) | []      | time constants of the threshold's components      |
//! | `q_sfa`      | mV (list) | []      | jumps of those components at a spike              |
//! | `tau_stc`    | ms (list) | []      | time constants of the spike-triggered currents    |
//! | `q_stc`      | pA (list) | []      | jumps of those currents at a spike                |
//!
//! NEST's documentation gives `q_stc` in nA; the model adds it to currents in pA, so the values
//! act as pA (in NEST as in nestor).
//!
//! ## Checks
//!
//! In NEST's order, each a `BadProperty` with NEST's message (and the values): equal lengths of
//! `tau_sfa`/`q_sfa` and of `tau_stc`/`q_stc` ("'tau_sfa' and 'q_sfa' need to have the same
//! dimensions.\nSize of tau_sfa: n\nSize of q_sfa: m", likewise for stc); `g_L > 0`
//! ("Membrane conductance must be strictly positive."); `Delta_V > 0` ("Delta_V must be strictly
//! positive."); `C_m > 0` ("Capacitance must be strictly positive."); `t_ref ≥ 0` ("Refractory
//! time must not be negative."); `lambda_0 ≥ 0` ("lambda_0 must not be negative."); every
//! `tau_sfa`, `tau_stc` > 0 ("All time constants must be strictly positive."); `tau_syn_ex > 0`
//! and `tau_syn_in > 0` ("Synapse time constants must be strictly positive."). At most 128
//! entries per list (a nestor limit).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −70), read-only `E_sfa` (mV) and `I_stc` (pA), the values of the
//!   last step (0 before the first).
//! * Recordables (NEST's order): `E_sfa`, `I_stc`, `I_syn_ex`, `I_syn_in` (negative), `V_m`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (pA; weight ≥ 0 excitatory, negative inhibitory, summed
//!   with its sign), currents on receptor 0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Mensi S, Naud R, Pozzorini C, Avermann M, Petersen CC, Gerstner W (2012). Parameter
//!    extraction and classification of three cortical neuron types reveals two distinct
//!    adaptation mechanisms. J Neurophysiol 107:1756–1775. doi:10.1152/jn.00408.2011
//! 2. Pozzorini C, Mensi S, Hagens O, Naud R, Koch C, Gerstner W (2015). Automated
//!    high-throughput characterization of single neurons by means of simplified spiking models.
//!    PLoS Comput Biol 11:e1004275. doi:10.1371/journal.pcbi.1004275
//!
//! ## See also
//!
//! [`crate::gif`], [`crate::gif_cond_exp`], [`crate::gif_psc_exp_multisynapse`],
//! [`crate::pp_psc_delta`].

use crate::gif::{schema, Adaptation, C_M, E_L, E_SFA_I_STC, G_L, I_E, LISTS};
use crate::neuron::{col, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::{expm1, IafPropagator};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The status table of `gif_psc_exp`: NEST names, units and defaults, in NEST's order.
pub static SCHEMA: [ParamSpec; 16] = schema(
    &[
        ParamSpec::param("tau_syn_ex", Unit::Millisecond, 2.0, "Decay time of the excitatory synaptic current"),
        ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory synaptic current"),
    ],
    &[ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"), E_SFA_I_STC[0], E_SFA_I_STC[1]],
);

const TAU_SYN_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_SYN_IN: usize = col(&SCHEMA, "tau_syn_in");
const V_M: usize = col(&SCHEMA, "V_m");
const E_SFA: usize = col(&SCHEMA, "E_sfa");
const I_STC: usize = col(&SCHEMA, "I_stc");

/// One neuron's propagators and constants from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    p11_ex: f64,
    p11_in: f64,
    p21_ex: f64,
    p21_in: f64,
    p33: f64,
    p30: f64,
    p31: f64,
    e_l: f64,
    i_e: f64,
}

/// A chunk of `gif_psc_exp` neurons: internal state beside the status table.
pub struct GifPscExp {
    ad: Adaptation,
    /// Synaptic currents, pA (I_syn_in ≤ 0).
    i_ex: Vec<f64>,
    i_in: Vec<f64>,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    consts: Vec<Consts>,
}

/// NEST's check of two synaptic time constants (`gif_psc_exp`, `gif_cond_exp`).
pub(crate) fn check_syn_taus(tau_ex: f64, tau_in: f64) -> Result<()> {
    if tau_ex <= 0.0 || tau_in <= 0.0 {
        return Err(Error::bad_property(format!(
            "Synapse time constants must be strictly positive. (got tau_syn_ex = {tau_ex} ms, tau_syn_in = {tau_in} ms)"
        )));
    }
    Ok(())
}

impl Neuron for GifPscExp {
    const NAME: &'static str = "gif_psc_exp";
    const SUMMARY: &'static str =
        "Generalized integrate-and-fire neuron with escape noise, spike-triggered current, adaptive threshold and exponential current synapses (stochastic)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["E_sfa", "I_stc", "I_syn_ex", "I_syn_in", "V_m"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        GifPscExp {
            ad: Adaptation::new(n),
            i_ex: vec![0.0; n],
            i_in: vec![0.0; n],
            i_stim: vec![0.0; n],
            consts: vec![Consts::default(); n],
        }
    }

    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.ad.seed(seed, first_id);
    }

    fn extra_keys() -> &'static [&'static str] {
        &LISTS
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        self.ad.get_extra(i, d);
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        let lists = self.ad.new_lists(i, entries)?;
        Adaptation::check(row, &lists)?;
        check_syn_taus(row[TAU_SYN_EX], row[TAU_SYN_IN])?;
        self.ad.commit(i, lists);
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.ad.prepare(t, h);
        for i in 0..t.len() {
            let (c_m, tau_ex, tau_in) = (t.get(C_M, i), t.get(TAU_SYN_EX, i), t.get(TAU_SYN_IN, i));
            let tau_m = c_m / t.get(G_L, i);
            self.consts[i] = Consts {
                p11_ex: (-h / tau_ex).exp(),
                p11_in: (-h / tau_in).exp(),
                p21_ex: IafPropagator::new(tau_ex, tau_m, c_m).exp(h),
                p21_in: IafPropagator::new(tau_in, tau_m, c_m).exp(h),
                p33: (-h / tau_m).exp(),
                p30: -1.0 / c_m * expm1(-h / tau_m) * tau_m,
                p31: -expm1(-h / tau_m),
                e_l: t.get(E_L, i),
                i_e: t.get(I_E, i),
            };
        }
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        _ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_ex, in_in, in_i) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let cols = table.cols_mut();
        for i in 0..self.i_ex.len() {
            let c = self.consts[i];
            let (stc, sfa) = self.ad.begin(i);
            self.i_ex[i] *= c.p11_ex;
            self.i_in[i] *= c.p11_in;
            self.i_ex[i] += in_ex[i];
            self.i_in[i] += in_in[i];
            let mut v = cols[V_M][i];
            if self.ad.free(i) {
                v = c.p30 * (self.i_stim[i] + c.i_e - stc)
                    + c.p33 * v
                    + c.p31 * c.e_l
                    + self.i_ex[i] * c.p21_ex
                    + self.i_in[i] * c.p21_in;
            }
            if self.ad.fire(i, &mut v, sfa) {
                out.spike(i);
            }
            self.i_stim[i] = in_i[i];
            cols[V_M][i] = v;
            cols[E_SFA][i] = sfa;
            cols[I_STC][i] = stc;
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, var: usize, i: usize) -> f64 {
        match Self::RECORDABLES[var] {
            "I_syn_ex" => self.i_ex[i],
            _ => self.i_in[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Route};

    const NAME: &str = "gif_psc_exp";

    #[test]
    fn checks_follow_nest() {
        let mut nd = nodes::<GifPscExp>(1);
        for (d, msg) in [
            (
                vec![("tau_sfa", Value::DoubleVec(vec![10.0])), ("C_m", Value::Double(0.0))],
                "'tau_sfa' and 'q_sfa' need to have the same dimensions.\nSize of tau_sfa: 1\nSize of q_sfa: 0",
            ),
            (
                vec![("q_stc", Value::DoubleVec(vec![10.0, 1.0]))],
                "'tau_stc' and 'q_stc' need to have the same dimensions.\nSize of tau_stc: 0\nSize of q_stc: 2",
            ),
            (
                vec![("g_L", Value::Double(0.0)), ("C_m", Value::Double(0.0))],
                "Membrane conductance must be strictly positive.",
            ),
            (vec![("Delta_V", Value::Double(0.0))], "Delta_V must be strictly positive."),
            (vec![("C_m", Value::Double(-1.0))], "Capacitance must be strictly positive."),
            (vec![("t_ref", Value::Double(-0.1))], "Refractory time must not be negative."),
            (vec![("lambda_0", Value::Double(-1.0))], "lambda_0 must not be negative."),
            (
                vec![("tau_stc", Value::DoubleVec(vec![0.0])), ("q_stc", Value::DoubleVec(vec![1.0]))],
                "All time constants must be strictly positive.",
            ),
            (vec![("tau_syn_in", Value::Double(0.0))], "Synapse time constants must be strictly positive."),
        ] {
            let e = set_status(&mut nd, &d, NAME).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{} vs {msg}", e.message);
        }
        let e = set_status(&mut nd, &[("E_sfa", Value::Double(1.0))], NAME).unwrap_err();
        assert!(e.message.contains("E_sfa"), "{}", e.message);
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("tau_sfa"), Some(&Value::DoubleVec(vec![])));
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
        assert_eq!(nd.route(1, EventKind::Spike, 3.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn psp_matches_closed_form_without_spiking() {
        // Oracle: with λ_0 = 0 there are no spikes (and no draws); an exponential current w
        // e^{−t/τ_s} gives V − E_L = w τ_s τ_m/(C (τ_m − τ_s)) (e^{−t/τ_m} − e^{−t/τ_s}). The
        // membrane of a step sees the current after that step's input, so a spike received in
        // step 0 acts from the start of step 0: V after step k is the PSP at (k + 1) h.
        let mut nd = nodes::<GifPscExp>(1);
        set_status(&mut nd, &[("lambda_0", Value::Double(0.0))], NAME).unwrap();
        let (w, ts, tm, c) = (100.0, 2.0, 20.0, 80.0);
        let (rec, spikes) = run(&mut nd, 0.1, 300, |t, ch| if t == 0 && ch == CH_EX { w } else { 0.0 });
        assert!(spikes.is_empty());
        for (k, r) in rec.iter().enumerate() {
            let s = (k + 1) as f64 * 0.1;
            let psp = w * ts * tm / (c * (tm - ts)) * ((-s / tm).exp() - (-s / ts).exp());
            assert!((r[4] - (-70.0 + psp)).abs() < 1e-12, "k {k}: {} vs {}", r[4], -70.0 + psp);
            assert!((r[2] - w * (-(k as f64) * 0.1 / ts).exp()).abs() < 1e-10);
            assert_eq!((r[0], r[1]), (-35.0, 0.0));
        }
    }

    #[test]
    fn hard_threshold_fires_deterministically_with_adaptation() {
        // Oracle: with ΔV = 1e-6 mV the escape probability is 0 below E_sfa and exactly 1 just
        // above it, so the neuron fires at the first step where V > E_sfa; V is held at V_reset
        // for t_ref = 4 ms (40 steps); the stc adds q_stc·e^{−kh/τ} to the leak.
        let mut nd = nodes::<GifPscExp>(1);
        set_status(
            &mut nd,
            &[
                ("Delta_V", Value::Double(1e-6)),
                ("I_e", Value::Double(200.0)),
                ("V_T_star", Value::Double(-50.0)),
                ("tau_sfa", Value::DoubleVec(vec![100.0])),
                ("q_sfa", Value::DoubleVec(vec![5.0])),
                ("tau_stc", Value::DoubleVec(vec![30.0])),
                ("q_stc", Value::DoubleVec(vec![20.0])),
            ],
            NAME,
        )
        .unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 3000, |_, _| 0.0);
        assert!(spikes.len() >= 3, "{spikes:?}");
        let first = spikes[0] as usize;
        // The spike step's V is above E_sfa = −50; the step before is below.
        assert!(rec[first - 1][4] > -50.0 && rec[first - 2][4] <= -50.0);
        for row in &rec[first..first + 40] {
            assert_eq!(row[4], -55.0, "held at V_reset");
        }
        assert!(rec[first + 40][4] > -55.0);
        // E_sfa and I_stc of the step after the spike: q, then decayed once per step.
        assert_eq!(rec[first][0], -50.0 + 5.0);
        assert_eq!(rec[first][1], 20.0);
        assert_eq!(rec[first + 1][1], 20.0 * (-0.1f64 / 30.0).exp());
        // Adaptation lengthens the intervals.
        assert!(spikes[2] - spikes[1] > spikes[1] - spikes[0]);
    }
}
