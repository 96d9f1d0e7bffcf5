//! # iaf_bw_2001 — conductance-based leaky integrate-and-fire neuron with AMPA, GABA and approximate NMDA synapses (Brunel & Wang 2001)
//!
//! A leaky integrate-and-fire neuron with exponentially decaying AMPA and GABA conductances and
//! an NMDA conductance with a voltage-dependent magnesium block, after Wang (1999) and Brunel &
//! Wang (2001). The NMDA gating variable of the original model (a saturating rise driven by a
//! second variable) is approximated as NEST does: each presynaptic spike increases the sender's
//! NMDA gating by `k_0 + k_1·s_pre`, computed in the *sender* and sent with the spike; the
//! receiver adds `weight · jump` to its single decaying `s_NMDA`. Integrated with adaptive
//! RKF45 ([`crate::rkf45::evolve_step`], absolute tolerance `gsl_error_tol`, relative 0) and
//! NEST's order of operations, as NEST 3.10's `iaf_bw_2001`.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) − I_AMPA − I_GABA − I_NMDA + I_stim
//! I_AMPA = (V − E_ex) s_AMPA          ds_AMPA/dt = −s_AMPA/τ_AMPA
//! I_GABA = (V − E_in) s_GABA          ds_GABA/dt = −s_GABA/τ_GABA
//! I_NMDA = (V − E_ex) s_NMDA / (1 + [Mg²⁺] e^{−0.062 V}/3.57)
//!                                     ds_NMDA/dt = −s_NMDA/τ_decay,NMDA
//! spike arrival: s_AMPA += w·m (receptor 1), s_GABA += w·m (receptor 2),
//!                s_NMDA += w·m·jump (receptor 3, jump sent by the presynaptic iaf_bw_2001)
//! own spike at t: s_pre ← s_pre·e^{−(t − t_last)/τ_decay,NMDA}; jump = k_0 + k_1·s_pre;
//!                 s_pre += jump
//! k_0 = (α τ_rise)^{τ_rise/τ_decay} · γ(1 − τ_rise/τ_decay, α τ_rise),  k_1 = expm1(−α τ_rise)
//! ```
//!
//! γ is the lower incomplete gamma function ([`lower_incomplete_gamma`]). One step: integrate
//! over h; add the step's spike input; if refractory, count down and clamp V at V_reset,
//! otherwise a spike at V ≥ V_th resets V to V_reset and starts t_ref (whole steps); currents
//! received in a step act during the next. The recorded currents are those of the integrator's
//! last evaluation, at the end of the step before spike input (as NEST's recordables).
//!
//! ## Parameters
//!
//! | NEST name        | unit | default | meaning                                    |
//! |------------------|------|---------|--------------------------------------------|
//! | `E_L`            | mV   | −70     | leak reversal potential                    |
//! | `E_ex`           | mV   | 0       | excitatory reversal potential              |
//! | `E_in`           | mV   | −70     | inhibitory reversal potential              |
//! | `V_th`           | mV   | −55     | spike threshold                            |
//! | `V_reset`        | mV   | −60     | reset potential                            |
//! | `C_m`            | pF   | 500     | membrane capacitance                       |
//! | `g_L`            | nS   | 25      | leak conductance                           |
//! | `t_ref`          | ms   | 2       | refractory period                          |
//! | `tau_AMPA`       | ms   | 2       | AMPA decay time                            |
//! | `tau_GABA`       | ms   | 5       | GABA decay time                            |
//! | `tau_decay_NMDA` | ms   | 100     | NMDA decay time                            |
//! | `tau_rise_NMDA`  | ms   | 2       | NMDA rise time                             |
//! | `alpha`          | 1/ms | 0.5     | NMDA rise coupling                         |
//! | `conc_Mg2`       | mM   | 1       | extracellular magnesium concentration      |
//! | `gsl_error_tol`  | 1    | 1e-3    | absolute error bound of the RKF45 control  |
//!
//! Checks (NEST's, in NEST's order, each a `BadProperty`): `V_reset < V_th`; `C_m > 0`;
//! `t_ref ≥ 0`; all four time constants > 0; `alpha > 0`; `conc_Mg2 > 0`; `gsl_error_tol > 0`.
//! At Simulate, k_0 needs `tau_rise_NMDA < tau_decay_NMDA` (NEST's incomplete gamma function
//! throws otherwise); nestor refuses it as a `BadProperty`.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, −70), `s_AMPA`, `s_GABA`, `s_NMDA` (nS, since the conductances are in
//!   the weights; 0), and read-only `I_NMDA`, `I_AMPA`, `I_GABA` (pA).
//! * Recordables (NEST's order): `I_AMPA`, `I_GABA`, `I_NMDA`, `V_m`, `s_AMPA`, `s_GABA`,
//!   `s_NMDA`. `receptor_types`: AMPA 1, GABA 2, NMDA 3.
//!
//! ## Events
//!
//! * Sends: spikes carrying the NMDA jump (NEST puts it in the spike's offset, so NEST's
//!   spike_recorder must use `time_in_steps`; nestor's recorders report the step).
//! * Receives: spikes on receptors 1 (AMPA), 2 (GABA), 3 (NMDA, weight·multiplicity·jump); the
//!   weights are conductances (nS). Currents on receptor 0 (pA). Other receptors:
//!   `UnknownReceptorType`. NEST refuses NMDA connections from other models
//!   (`IllegalConnection`); nestor's routing does not see the sender's model, and spikes of
//!   other senders carry a jump of 0, so they have no effect there.
//!
//! ## References
//!
//! 1. Wang X-J (1999). Synaptic basis of cortical persistent activity: the importance of NMDA
//!    receptors to working memory. J Neurosci 19:9587–9603. doi:10.1523/JNEUROSCI.19-21-09587.1999
//! 2. Brunel N, Wang X-J (2001). Effects of neuromodulation in a cortical network model of object
//!    working memory dominated by recurrent inhibition. J Comput Neurosci 11:63–85.
//!    doi:10.1023/A:1011204814320
//! 3. Wang X-J (2002). Probabilistic decision making by slow reverberation in cortical circuits.
//!    Neuron 36:955–968. doi:10.1016/S0896-6273(02)01092-9
//!
//! ## See also
//!
//! [`crate::iaf_bw_2001_exact`], [`crate::iaf_cond_exp`].

use crate::neuron::{col, failure, gather, scatter, unknown_receptor, Neuron, Receptors};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_step, Ode, Tolerance};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::kernel::step_to_ms;
use nestor_kernel::model::{Decode, Emitter, EventKind, Failure, Inputs, LocalEvent, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The status schema of `iaf_bw_2001`: NEST names, units and defaults, in NEST's order.
pub static SCHEMA: [ParamSpec; 24] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Leak reversal potential"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -70.0, "Inhibitory reversal potential"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential of the membrane"),
    ParamSpec::param("C_m", Unit::PicoFarad, 500.0, "Capacitance of the membrane"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 25.0, "Leak conductance"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of the refractory period"),
    ParamSpec::param("tau_AMPA", Unit::Millisecond, 2.0, "Decay time of the AMPA conductance"),
    ParamSpec::param("tau_GABA", Unit::Millisecond, 5.0, "Decay time of the GABA conductance"),
    ParamSpec::param("tau_decay_NMDA", Unit::Millisecond, 100.0, "Decay time of the NMDA conductance"),
    ParamSpec::param("tau_rise_NMDA", Unit::Millisecond, 2.0, "Rise time of the NMDA conductance"),
    ParamSpec::param("alpha", Unit::PerMillisecond, 0.5, "Rise-time coupling strength of the NMDA synapse"),
    ParamSpec::param("conc_Mg2", Unit::MilliMolar, 1.0, "Extracellular magnesium concentration"),
    ParamSpec::param("gsl_error_tol", Unit::Dimensionless, 1e-3, "Absolute error bound of the RKF45 control"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("s_AMPA", Unit::NanoSiemens, 0.0, "AMPA gating variable (weights are conductances)"),
    ParamSpec::state("s_GABA", Unit::NanoSiemens, 0.0, "GABA gating variable (weights are conductances)"),
    ParamSpec::state("s_NMDA", Unit::NanoSiemens, 0.0, "NMDA gating variable (weights are conductances)"),
    ParamSpec::read_only("I_NMDA", Unit::PicoAmpere, 0.0, "NMDA current"),
    ParamSpec::read_only("I_AMPA", Unit::PicoAmpere, 0.0, "AMPA current"),
    ParamSpec::read_only("I_GABA", Unit::PicoAmpere, 0.0, "GABA current"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const E_L: usize = col(&SCHEMA, "E_L");
const E_EX: usize = col(&SCHEMA, "E_ex");
const E_IN: usize = col(&SCHEMA, "E_in");
const V_TH: usize = col(&SCHEMA, "V_th");
const V_RESET: usize = col(&SCHEMA, "V_reset");
const C_M: usize = col(&SCHEMA, "C_m");
const G_L: usize = col(&SCHEMA, "g_L");
const T_REF: usize = col(&SCHEMA, "t_ref");
const TAU_AMPA: usize = col(&SCHEMA, "tau_AMPA");
const TAU_GABA: usize = col(&SCHEMA, "tau_GABA");
const TAU_DECAY_NMDA: usize = col(&SCHEMA, "tau_decay_NMDA");
const TAU_RISE_NMDA: usize = col(&SCHEMA, "tau_rise_NMDA");
const ALPHA: usize = col(&SCHEMA, "alpha");
const CONC_MG2: usize = col(&SCHEMA, "conc_Mg2");
const GSL_ERROR_TOL: usize = col(&SCHEMA, "gsl_error_tol");
const I_NMDA: usize = col(&SCHEMA, "I_NMDA");
const I_AMPA: usize = col(&SCHEMA, "I_AMPA");
const I_GABA: usize = col(&SCHEMA, "I_GABA");
/// The ODE state in NEST's order: V_m, s_AMPA, s_GABA, s_NMDA.
const Y: [usize; 4] = [col(&SCHEMA, "V_m"), col(&SCHEMA, "s_AMPA"), col(&SCHEMA, "s_GABA"), col(&SCHEMA, "s_NMDA")];

/// Receptor types (NEST's `receptor_types`).
pub const AMPA: i64 = 1;
/// GABA receptor.
pub const GABA: i64 = 2;
/// NMDA receptor.
pub const NMDA: i64 = 3;

/// Input channels: receptor k (1..=3) is channel k − 1; currents come last.
const CH_CURRENT: usize = 3;

/// The lower incomplete gamma function γ(a, x) = ∫₀ˣ t^{a−1} e^{−t} dt for a > 0, x ≥ 0, by its
/// series x^a e^{−x} Σ_{n≥0} x^n / (a (a+1) ⋯ (a+n)), whose terms are all positive (no
/// cancellation; converges for every x, needing about x + 40 terms). `None` outside the domain
/// or when the result is not finite.
pub fn lower_incomplete_gamma(a: f64, x: f64) -> Option<f64> {
    if !(a > 0.0 && x >= 0.0 && a.is_finite() && x.is_finite()) {
        return None;
    }
    if x == 0.0 {
        return Some(0.0);
    }
    // Sum the series scaled by its prefactor computed in logs (x^a e^{−x} may underflow while
    // the sum overflows).
    let mut term = 1.0 / a;
    let mut sum = term;
    let mut n = 1.0;
    let mut scale = 0.0_f64; // log of factors taken out of term and sum
    while n < 1e7 {
        term *= x / (a + n);
        sum += term;
        if term < sum * f64::EPSILON * 0.25 {
            break;
        }
        if sum > 1e250 {
            sum *= 1e-250;
            term *= 1e-250;
            scale += 250.0 * std::f64::consts::LN_10;
        }
        n += 1.0;
    }
    let r = (a * x.ln() - x + scale).exp() * sum;
    r.is_finite().then_some(r)
}

/// One neuron's parameters in the form `update` uses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    e_l: f64,
    e_ex: f64,
    e_in: f64,
    v_th: f64,
    v_reset: f64,
    c_m: f64,
    g_l: f64,
    tau_ampa: f64,
    tau_gaba: f64,
    tau_decay_nmda: f64,
    conc_mg2: f64,
    tol: f64,
    ref_counts: i64,
    k_0: f64,
    k_1: f64,
}

/// The synaptic currents (AMPA, GABA, NMDA) at state y, in NEST's order of operations.
#[inline(always)]
fn currents(c: &Consts, y: &[f64; 4]) -> (f64, f64, f64) {
    let i_ampa = (y[0] - c.e_ex) * y[1];
    let i_gaba = (y[0] - c.e_in) * y[2];
    let i_nmda = (y[0] - c.e_ex) / (1.0 + c.conc_mg2 * (-0.062 * y[0]).exp() / 3.57) * y[3];
    (i_ampa, i_gaba, i_nmda)
}

/// The right-hand side of the model for one neuron.
struct Dynamics<'a> {
    c: &'a Consts,
    i_stim: f64,
}

impl Ode<4> for Dynamics<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; 4], f: &mut [f64; 4]) {
        let c = self.c;
        let (i_ampa, i_gaba, i_nmda) = currents(c, y);
        let i_syn = i_ampa + i_gaba + i_nmda;
        f[0] = (-c.g_l * (y[0] - c.e_l) - i_syn + self.i_stim) / c.c_m;
        f[1] = -y[1] / c.tau_ampa;
        f[3] = -y[3] / c.tau_decay_nmda;
        f[2] = -y[2] / c.tau_gaba;
    }
}

/// A chunk's internal state; the table holds V_m, the gating variables and the currents.
#[derive(Debug, Clone)]
pub struct IafBw2001 {
    /// Remaining refractory steps.
    r: Vec<i64>,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps (NEST's `integration_step_`), ms.
    h_int: Vec<f64>,
    /// The neuron's own (unweighted) NMDA gating, advanced at its spikes.
    s_nmda_pre: Vec<f64>,
    /// Time of the last own spike (ms), −1 before the first.
    t_last: Vec<f64>,
    consts: Vec<Consts>,
    h: f64,
}

impl Neuron for IafBw2001 {
    const NAME: &'static str = "iaf_bw_2001";
    const SUMMARY: &'static str =
        "Conductance-based leaky integrate-and-fire model with AMPA, GABA and approximate NMDA synapses (Brunel & Wang 2001; adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["I_AMPA", "I_GABA", "I_NMDA", "V_m", "s_AMPA", "s_GABA", "s_NMDA"];
    // Routing is custom (receptors 1..=3 for spikes, 0 for currents).
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafBw2001 {
            r: vec![0; n],
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            s_nmda_pre: vec![0.0; n],
            t_last: vec![-1.0; n],
            consts: Vec::new(),
            h: 0.1,
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        check_bw(
            row,
            &SCHEMA,
            [
                V_RESET,
                V_TH,
                C_M,
                T_REF,
                TAU_AMPA,
                TAU_GABA,
                TAU_DECAY_NMDA,
                TAU_RISE_NMDA,
                ALPHA,
                CONC_MG2,
                GSL_ERROR_TOL,
            ],
        )
    }

    fn custom_channels(&self) -> Option<usize> {
        Some(4)
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Option<Result<Route>> {
        Some(match (kind.is_spike(), receptor) {
            (true, AMPA | GABA) => Ok(Route::weighted((receptor - 1) as u16)),
            (true, NMDA) => Ok(Route::with((NMDA - 1) as u16, Decode::Payload)),
            (false, 0) => Ok(Route::weighted(CH_CURRENT as u16)),
            _ => Err(unknown_receptor(Self::NAME, receptor)),
        })
    }

    fn get_derived(&self, _table: &ParamTable, _i: usize, d: &mut Dict) {
        d.insert("receptor_types".into(), receptor_types());
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        let mut consts = Vec::with_capacity(t.len());
        for i in 0..t.len() {
            let mut c = consts_of(t, i, h);
            let (alpha, tau_r, tau_d) = (t.get(ALPHA, i), t.get(TAU_RISE_NMDA, i), t.get(TAU_DECAY_NMDA, i));
            let alpha_tau = alpha * tau_r;
            let tau_rise_tau_dec = tau_r / tau_d;
            c.k_1 = (-alpha * tau_r).exp_m1();
            let g = lower_incomplete_gamma(1.0 - tau_rise_tau_dec, alpha_tau).ok_or_else(|| {
                Error::bad_property(format!(
                    "iaf_bw_2001 needs tau_rise_NMDA < tau_decay_NMDA for its NMDA jump (the lower incomplete gamma \
                     function of 1 - tau_rise_NMDA/tau_decay_NMDA) (got tau_rise_NMDA = {tau_r} ms, tau_decay_NMDA = {tau_d} ms)."
                ))
            })?;
            c.k_0 = alpha_tau.powf(tau_rise_tau_dec) * g;
            consts.push(c);
        }
        self.consts = consts;
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_ampa, in_gaba, in_nmda) = (inputs.channel(0), inputs.channel(1), inputs.channel(2));
        let in_i = inputs.channel(CH_CURRENT);
        let h = self.h;
        let cols = table.cols_mut();
        for i in 0..self.r.len() {
            let c = &self.consts[i];
            let mut y = gather(cols, &Y, i);
            let mut sys = Dynamics { c, i_stim: self.i_stim[i] };
            evolve_step(&mut sys, Tolerance::y(c.tol, 0.0), h, &mut self.h_int[i], &mut y)
                .map_err(|m| failure(i, ctx.t, m))?;
            // NEST records the currents of the integrator's last evaluation: the end of the step.
            let (i_ampa, i_gaba, i_nmda) = currents(c, &y);
            cols[I_AMPA][i] = i_ampa;
            cols[I_GABA][i] = i_gaba;
            cols[I_NMDA][i] = i_nmda;
            y[1] += in_ampa[i];
            y[2] += in_gaba[i];
            y[3] += in_nmda[i];
            if self.r[i] > 0 {
                self.r[i] -= 1;
                y[0] = c.v_reset;
            } else if y[0] >= c.v_th {
                self.r[i] = c.ref_counts;
                y[0] = c.v_reset;
                let t_spike = step_to_ms(ctx.t + 1, h);
                let t_last = std::mem::replace(&mut self.t_last[i], t_spike);
                self.s_nmda_pre[i] *= (-(t_spike - t_last) / c.tau_decay_nmda).exp();
                let jump = c.k_0 + c.k_1 * self.s_nmda_pre[i];
                self.s_nmda_pre[i] += jump;
                out.emit(LocalEvent { local: i as u32, mult: 1, a: 1.0, b: jump });
            }
            self.i_stim[i] = in_i[i];
            scatter(cols, &Y, i, &y);
        }
        Ok(())
    }
}

/// NEST's `receptor_types` of the Brunel–Wang models.
pub(crate) fn receptor_types() -> Value {
    let mut r = Dict::new();
    r.insert("AMPA".into(), Value::Int(AMPA));
    r.insert("GABA".into(), Value::Int(GABA));
    r.insert("NMDA".into(), Value::Int(NMDA));
    Value::Dict(r)
}

/// NEST's checks of the Brunel–Wang models' parameters, in NEST's order; `k` holds the columns
/// of V_reset, V_th, C_m, t_ref, the four time constants (in the schema's order), alpha,
/// conc_Mg2 and gsl_error_tol in `schema`.
pub(crate) fn check_bw(row: &[f64], schema: &[ParamSpec], k: [usize; 11]) -> Result<()> {
    let [v_reset, v_th, c_m, t_ref, t1, t2, t3, t4, alpha, conc, tol] = k;
    let bad = |msg: &str, got: String| Err(Error::bad_property(format!("{msg} (got {got})")));
    if row[v_reset] >= row[v_th] {
        return bad(
            "Reset potential must be smaller than threshold.",
            format!("V_reset = {} mV, V_th = {} mV", row[v_reset], row[v_th]),
        );
    }
    if row[c_m] <= 0.0 {
        return bad("Capacitance must be strictly positive.", format!("C_m = {} pF", row[c_m]));
    }
    if row[t_ref] < 0.0 {
        return bad("Refractory time cannot be negative.", format!("t_ref = {} ms", row[t_ref]));
    }
    let taus = [t1, t2, t3, t4];
    if taus.iter().any(|&c| row[c] <= 0.0) {
        let got: Vec<String> = taus.iter().map(|&c| format!("{} = {} ms", schema[c].name, row[c])).collect();
        return bad("All time constants must be strictly positive.", got.join(", "));
    }
    if row[alpha] <= 0.0 {
        return bad("alpha > 0 required.", format!("alpha = {} 1/ms", row[alpha]));
    }
    if row[conc] <= 0.0 {
        return bad("Mg2 concentration must be strictly positive.", format!("conc_Mg2 = {} mM", row[conc]));
    }
    if row[tol] <= 0.0 {
        return bad("The gsl_error_tol must be strictly positive.", format!("gsl_error_tol = {}", row[tol]));
    }
    Ok(())
}

/// The parameters of neuron `i` of a Brunel–Wang table (columns as in [`SCHEMA`]); k_0 and k_1
/// are left at 0.
fn consts_of(t: &ParamTable, i: usize, h: f64) -> Consts {
    Consts {
        e_l: t.get(E_L, i),
        e_ex: t.get(E_EX, i),
        e_in: t.get(E_IN, i),
        v_th: t.get(V_TH, i),
        v_reset: t.get(V_RESET, i),
        c_m: t.get(C_M, i),
        g_l: t.get(G_L, i),
        tau_ampa: t.get(TAU_AMPA, i),
        tau_gaba: t.get(TAU_GABA, i),
        tau_decay_nmda: t.get(TAU_DECAY_NMDA, i),
        conc_mg2: t.get(CONC_MG2, i),
        tol: t.get(GSL_ERROR_TOL, i),
        ref_counts: ms_to_steps(t.get(T_REF, i), h),
        k_0: 0.0,
        k_1: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::Env;

    const R_I_AMPA: usize = 0;
    const R_V: usize = 3;
    const R_S_AMPA: usize = 4;
    const R_S_NMDA: usize = 6;

    #[test]
    fn lower_incomplete_gamma_closed_forms() {
        // Oracles: γ(1, x) = 1 − e^{−x}; γ(1/2, x) = √π erf(√x) (erf(1) = 0.8427007929497149,
        // Abramowitz & Stegun 7.1); γ(a, ∞) = Γ(a) (Γ(3) = 2).
        for x in [0.0, 1e-3, 0.5, 1.0, 7.0, 40.0] {
            let g = lower_incomplete_gamma(1.0, x).unwrap();
            assert!((g - (-(-x).exp_m1())).abs() <= 1e-15 * g.max(1e-300) * 4.0, "{x}: {g}");
        }
        let g = lower_incomplete_gamma(0.5, 1.0).unwrap();
        assert!((g - std::f64::consts::PI.sqrt() * 0.842_700_792_949_714_9).abs() < 1e-15, "{g}");
        assert!((lower_incomplete_gamma(3.0, 800.0).unwrap() - 2.0).abs() < 1e-13);
        assert_eq!(lower_incomplete_gamma(0.0, 1.0), None);
        assert_eq!(lower_incomplete_gamma(-0.5, 1.0), None);
    }

    #[test]
    fn nmda_jump_approaches_the_saturating_model() {
        // Oracle: NEST's defaults give k_1 = expm1(−1) and, by construction, a jump that makes
        // s_pre converge to the fixed point of s ← s e^{−T/τ_d} + k_0 + k_1 s e^{−T/τ_d} for
        // regular firing; the jump of the first spike is k_0 (s_pre = 0), which lies in (0, 1).
        let mut nd = nodes::<IafBw2001>(1);
        nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let mut ev = Vec::new();
        let data = vec![0.0; 4];
        nd.table_mut().set(Y[0], 0, -50.0);
        nd.update(&StepCtx { t: 0, h: 0.1 }, &Inputs::new(&data, 1, 1, 0), &mut Emitter::new(&mut ev));
        assert_eq!(ev.len(), 1);
        let k0 = ev[0].b;
        // (α τ_r)^{τ_r/τ_d} γ(1 − τ_r/τ_d, α τ_r) with α τ_r = 1, a = 0.98.
        let expected = lower_incomplete_gamma(0.98, 1.0).unwrap();
        assert_eq!(k0, expected);
        assert!(k0 > 0.6 && k0 < 0.7, "{k0}");
    }

    #[test]
    fn receptors_and_payload_decode() {
        let nd = nodes::<IafBw2001>(1);
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap(), Route::weighted(0));
        assert_eq!(nd.route(2, EventKind::Spike, 1.0).unwrap(), Route::weighted(1));
        assert_eq!(nd.route(3, EventKind::Spike, 1.0).unwrap(), Route::with(2, Decode::Payload));
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap(), Route::weighted(CH_CURRENT as u16));
        for (r, k) in [(0, EventKind::Spike), (4, EventKind::Spike), (1, EventKind::Current)] {
            assert_eq!(nd.route(r, k, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        }
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("receptor_types"), Some(&receptor_types()));
    }

    #[test]
    fn ampa_input_decays_and_depolarises() {
        // Oracle: s_AMPA(t) = w e^{−t/τ_AMPA} (RKF45, absolute error 1e-3 per step); the recorded
        // I_AMPA is (V − E_ex)·s_AMPA before the step's input.
        let mut nd = nodes::<IafBw2001>(1);
        let (rec, spikes) = run(&mut nd, 0.1, 100, |t, ch| if t == 0 && ch == 0 { 5.0 } else { 0.0 });
        assert!(spikes.is_empty());
        for (k, x) in rec.iter().enumerate() {
            let exact = 5.0 * (-(k as f64) * 0.1 / 2.0).exp();
            assert!((x[R_S_AMPA] - exact).abs() < 1e-6, "k {k}: {} vs {exact}", x[R_S_AMPA]);
        }
        assert_eq!(rec[0][R_I_AMPA], 0.0);
        assert!(rec[1][R_I_AMPA] < 0.0, "inward current");
        assert!(rec[99][R_V] > -70.0);
        assert_eq!(rec[99][R_S_NMDA], 0.0);
    }

    #[test]
    fn checks_use_nest_messages_with_values() {
        let nd = nodes::<IafBw2001>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_RESET, -50.0, "Reset potential must be smaller than threshold."),
            (C_M, 0.0, "Capacitance must be strictly positive."),
            (T_REF, -1.0, "Refractory time cannot be negative."),
            (TAU_AMPA, 0.0, "All time constants must be strictly positive."),
            (TAU_RISE_NMDA, -2.0, "All time constants must be strictly positive."),
            (ALPHA, 0.0, "alpha > 0 required."),
            (CONC_MG2, -1.0, "Mg2 concentration must be strictly positive."),
            (GSL_ERROR_TOL, 0.0, "The gsl_error_tol must be strictly positive."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{}", e.message);
            assert!(e.message.contains(&format!("= {x}")), "{}", e.message);
        }
        assert!(nd.validate(&base).is_ok());
        // tau_rise_NMDA ≥ tau_decay_NMDA passes the checks but has no NMDA jump: refused at
        // Simulate.
        let mut nd = nodes::<IafBw2001>(1);
        nd.table_mut().set(TAU_RISE_NMDA, 0, 100.0);
        let e = nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.contains("tau_rise_NMDA < tau_decay_NMDA"), "{}", e.message);
    }
}
