//! # aeif_psc_exp — adaptive exponential integrate-and-fire neuron, exponential currents
//!
//! The AdEx model of Brette & Gerstner (2005) with current-based synapses whose currents jump
//! by the weight (pA) at a spike and decay exponentially. NEST 3.10's `aeif_psc_exp`, integrated with GSL's RKF45 as NEST does ([`crate::rkf45`], spike
//! handling in [`crate::aeif`]).
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) + g_L Δ_T exp((V − V_th)/Δ_T) + I_syn,ex − I_syn,in − w + I_e + I_stim
//! τ_w dw/dt = a (V − E_L) − w
//! dI_syn,X/dt = −I_syn,X / τ_syn,X      (X = ex, in)
//! V = V_reset while refractory, otherwise min(V_m, V_peak)   (inside the right-hand side)
//! ```
//!
//! At V_m ≥ V_peak (V_th when Δ_T = 0), checked after every integrator sub-step: V_m = V_reset,
//! w += b, refractory for t_ref. After the step, spike input adds w to I_syn_ex (weight > 0)
//! or −w to I_syn_in (weight ≤ 0; I_syn_in is positive and subtracted);
//! step currents act during the next step.
//!
//! ## Parameters
//!
//! | NEST name       | unit | default | meaning                                   |
//! |-----------------|------|---------|-------------------------------------------|
//! | `C_m`           | pF   | 281     | membrane capacitance                      |
//! | `g_L`           | nS   | 30      | leak conductance                          |
//! | `E_L`           | mV   | −70.6   | leak reversal potential                   |
//! | `V_th`          | mV   | −50.4   | spike initiation threshold                |
//! | `Delta_T`       | mV   | 2       | slope factor (0: integrate-and-fire)      |
//! | `V_peak`        | mV   | 0       | spike detection threshold                 |
//! | `V_reset`       | mV   | −60     | reset potential                           |
//! | `t_ref`         | ms   | 0       | absolute refractory period                |
//! | `a`             | nS   | 4       | subthreshold adaptation                   |
//! | `b`             | pA   | 80.5    | spike-triggered adaptation                |
//! | `tau_w`         | ms   | 144     | adaptation time constant                  |
//! | `tau_syn_ex`    | ms   | 0.2     | decay time of the excitatory current      |
//! | `tau_syn_in`    | ms   | 2       | decay time of the inhibitory current      |
//! | `I_e`           | pA   | 0       | constant input current                    |
//! | `gsl_error_tol` |      | 1e−6    | absolute and relative error bound         |
//!
//! Checks (NEST's order, `BadProperty`): V_reset < V_peak; Δ_T ≥ 0 and no overflow of the
//! exponential at V_peak; V_peak ≥ V_th; C_m > 0; t_ref ≥ 0; τ_syn, τ_w > 0; gsl_error_tol > 0;
//! I_syn_ex, I_syn_in ≥ 0 (NEST's message speaks of conductances).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (initial −70.6), `I_syn_ex`, `I_syn_in`, `w` (pA).
//! * Recordables: `I_syn_ex`, `I_syn_in`, `V_m`, `w`.
//!
//! ## Events
//!
//! Sends spikes; receives spikes (pA) and currents (pA) on receptor 0.
//!
//! ## References
//!
//! 1. Brette R, Gerstner W (2005). Adaptive exponential integrate-and-fire model as an effective
//!    description of neuronal activity. J Neurophysiol 94:3637–3642. doi:10.1152/jn.00686.2005
//!
//! ## See also
//!
//! [`crate::aeif_psc_alpha`], [`crate::aeif_cond_exp`], [`crate::iaf_psc_exp`].

use crate::aeif::{check, check_nonnegative, emit_and_count_down, Adex, AdexChecks, AdexCols};
use crate::neuron::{col, failure, gather, scatter, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::rkf45::{evolve_block, Ode, LANES};
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `aeif_psc_exp`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 21] = [
    ParamSpec::param("C_m", Unit::PicoFarad, 281.0, "Capacitance of the membrane"),
    ParamSpec::param("V_th", Unit::MilliVolt, -50.4, "Spike initiation threshold"),
    ParamSpec::param("t_ref", Unit::Millisecond, 0.0, "Duration of refractory period"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 30.0, "Leak conductance"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.6, "Leak reversal potential"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 0.2, "Decay time of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory synaptic current"),
    ParamSpec::param("a", Unit::NanoSiemens, 4.0, "Subthreshold adaptation"),
    ParamSpec::param("b", Unit::PicoAmpere, 80.5, "Spike-triggered adaptation"),
    ParamSpec::param("Delta_T", Unit::MilliVolt, 2.0, "Slope factor"),
    ParamSpec::param("tau_w", Unit::Millisecond, 144.0, "Adaptation time constant"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_peak", Unit::MilliVolt, 0.0, "Spike detection threshold"),
    ParamSpec::param("gsl_error_tol", Unit::Dimensionless, 1e-6, "Error bound of the integrator"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.6, "Membrane potential"),
    ParamSpec::state("I_syn_ex", Unit::PicoAmpere, 0.0, "Excitatory synaptic current"),
    ParamSpec::state("I_syn_in", Unit::PicoAmpere, 0.0, "Inhibitory synaptic current (positive)"),
    ParamSpec::state("w", Unit::PicoAmpere, 0.0, "Adaptation current"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const ADEX: AdexCols = AdexCols::of(&SCHEMA);
const TAU_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_IN: usize = col(&SCHEMA, "tau_syn_in");
const I_EX: usize = col(&SCHEMA, "I_syn_ex");
const I_IN: usize = col(&SCHEMA, "I_syn_in");
/// The ODE state in NEST's order: V_m, I_ex, I_in, w.
const Y: [usize; 4] = [col(&SCHEMA, "V_m"), I_EX, I_IN, col(&SCHEMA, "w")];

/// One neuron's constants.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    adex: Adex,
    tau_ex: f64,
    tau_in: f64,
}

/// A chunk's internal state.
#[derive(Debug, Clone)]
pub struct AeifPscExp {
    r: Vec<i64>,
    i_stim: Vec<f64>,
    h_int: Vec<f64>,
    consts: Vec<Consts>,
    h: f64,
}

/// One neuron's system within a step.
struct Sys<'a> {
    c: &'a Consts,
    r: i64,
    i_stim: f64,
    spikes: u32,
}

impl Ode<4> for Sys<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; 4], f: &mut [f64; 4]) {
        let (c, p) = (self.c, &self.c.adex);
        let refr = self.r > 0;
        let v = p.v(refr, y[0]);
        let i_spike = p.i_spike(v);
        f[0] = if refr {
            0.0
        } else {
            (-p.g_l * (v - p.e_l) + i_spike + y[1] - y[2] - y[3] + p.i_e + self.i_stim) / p.c_m
        };
        f[1] = -y[1] / c.tau_ex;
        f[2] = -y[2] / c.tau_in;
        f[3] = p.dw(v, y[3]);
    }
    fn after_apply(&mut self, _t: f64, y: &mut [f64; 4]) -> std::result::Result<(), String> {
        self.c.adex.after_apply(y, 3, &mut self.r, &mut self.spikes)
    }
}

impl Neuron for AeifPscExp {
    const NAME: &'static str = "aeif_psc_exp";
    const SUMMARY: &'static str =
        "Adaptive exponential integrate-and-fire model with exponential synaptic currents (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["I_syn_ex", "I_syn_in", "V_m", "w"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        AeifPscExp { r: vec![0; n], i_stim: vec![0.0; n], h_int: vec![0.0; n], consts: Vec::new(), h: 0.1 }
    }

    fn check(row: &[f64]) -> Result<()> {
        check(
            row,
            &ADEX,
            &AdexChecks {
                peak_first: false,
                reset_msg: "Ensure that V_reset < V_peak .",
                c_m_msg: "Ensure that C_m > 0",
                taus: &[TAU_EX, TAU_IN],
                tau_msg: "All time constants must be strictly positive.",
            },
        )?;
        check_nonnegative(row, &[(I_EX, "I_syn_ex"), (I_IN, "I_syn_in")])
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| Consts { adex: Adex::of(t, &ADEX, i, h), tau_ex: t.get(TAU_EX, i), tau_in: t.get(TAU_IN, i) })
            .collect();
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_ex, in_in, in_i) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let cols = table.cols_mut();
        let n = self.r.len();
        for base in (0..n).step_by(LANES) {
            let mut block = evolve_block(base, n, self.h, &mut self.h_int, |i| {
                let c = &self.consts[i];
                (Sys { c, r: self.r[i], i_stim: self.i_stim[i], spikes: 0 }, c.adex.tolerance(), gather(cols, &Y, i))
            });
            for item in block.neurons() {
                let (i, sys, y) = item.map_err(|(i, m)| failure(i, ctx.t, m))?;
                self.r[i] = emit_and_count_down(out, i, sys.spikes, sys.r);
                y[1] += in_ex[i];
                y[2] -= in_in[i];
                self.i_stim[i] = in_i[i];
                scatter(cols, &Y, i, y);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;

    #[test]
    fn checks_follow_nest() {
        let nd = nodes::<AeifPscExp>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (ADEX_V_RESET, 1.0, "V_reset < V_peak"),
            (col(&SCHEMA, "Delta_T"), -1.0, "Delta_T must be positive"),
            (col(&SCHEMA, "C_m"), 0.0, "C_m > 0"),
            (col(&SCHEMA, "tau_w"), 0.0, "time constants"),
            (col(&SCHEMA, "gsl_error_tol"), 0.0, "gsl_error_tol"),
            (I_EX, -1.0, "must not be negative"),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.contains(msg), "{}", e.message);
        }
        let mut row = base.clone();
        row[col(&SCHEMA, "V_th")] = -10.0;
        row[col(&SCHEMA, "Delta_T")] = 0.01;
        assert!(nd.validate(&row).unwrap_err().message.contains("overflow"));
    }
    const ADEX_V_RESET: usize = col(&SCHEMA, "V_reset");

    #[test]
    fn blow_up_is_a_failure_not_a_trace() {
        // A huge inhibitory current drives V_m below NEST's bound of -1000 mV.
        let mut nd = nodes::<AeifPscExp>(1);
        let _ = run(&mut nd, 0.1, 20, |t, ch| if t == 0 && ch == CH_IN { -1e9 } else { 0.0 });
        let f = nd.failure().expect("failure reported");
        assert!(f.message.contains("V_m"), "{}", f.message);
    }
}
