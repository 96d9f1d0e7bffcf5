//! # aeif_psc_delta — adaptive exponential integrate-and-fire neuron, delta-shaped input
//!
//! The AdEx model of Brette & Gerstner (2005) whose synaptic input makes the membrane potential
//! jump by the weight (mV). NEST 3.10's `aeif_psc_delta`, integrated with GSL's RKF45 as NEST
//! does ([`crate::rkf45`], threshold handling in [`crate::aeif`]).
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) + g_L Δ_T exp((V − V_th)/Δ_T) − w + I_e + I_stim
//! τ_w dw/dt = a (V − E_L) − w
//! V = V_reset while refractory, otherwise min(V_m, V_peak)   (inside the right-hand side)
//! ```
//!
//! As NEST: after the first integrator sub-step of a step, the spike input of that step is
//! added to V_m (when not refractory) and the threshold V_peak (V_th if Δ_T = 0) is checked; at
//! a spike V_m = V_reset, w += b, refractory for t_ref. Input arriving while refractory is
//! dropped unless `refractory_input` is true, in which case it is kept, damped by
//! exp(−r·h/τ_m) with r the remaining refractory steps and τ_m = C_m/g_L, and added when the
//! period ends. (NEST 3.10 computes that factor with an unsigned negation and gets +∞, so its
//! V_m becomes NaN after the first refractory period with input; nestor uses the documented
//! damping instead.) Step currents act during the next step.
//!
//! ## Parameters
//!
//! | NEST name          | unit | default | meaning                                    |
//! |--------------------|------|---------|--------------------------------------------|
//! | `C_m`              | pF   | 281     | membrane capacitance                       |
//! | `g_L`              | nS   | 30      | leak conductance                           |
//! | `E_L`              | mV   | −70.6   | leak reversal potential                    |
//! | `V_th`             | mV   | −50.4   | spike initiation threshold                 |
//! | `Delta_T`          | mV   | 2       | slope factor (0: integrate-and-fire)       |
//! | `V_peak`           | mV   | 0       | spike detection threshold                  |
//! | `V_reset`          | mV   | −60     | reset potential                            |
//! | `t_ref`            | ms   | 0       | absolute refractory period                 |
//! | `a`                | nS   | 4       | subthreshold adaptation                    |
//! | `b`                | pA   | 80.5    | spike-triggered adaptation                 |
//! | `tau_w`            | ms   | 144     | adaptation time constant                   |
//! | `I_e`              | pA   | 0       | constant input current                     |
//! | `gsl_error_tol`    |      | 1e−6    | absolute and relative error bound          |
//! | `refractory_input` | bool | false   | keep input arriving while refractory       |
//!
//! Checks (NEST's order, `BadProperty`): V_reset < V_peak; Δ_T ≥ 0 and no overflow of the
//! exponential at V_peak; V_peak ≥ V_th; C_m > 0; t_ref ≥ 0; τ_w > 0; gsl_error_tol > 0.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (initial −70.6), `w` (pA).
//! * Recordables: `V_m`, `w`.
//!
//! ## Events
//!
//! Sends spikes; receives spikes (mV, either sign) and currents (pA) on receptor 0.
//!
//! ## References
//!
//! 1. Brette R, Gerstner W (2005). Adaptive exponential integrate-and-fire model as an effective
//!    description of neuronal activity. J Neurophysiol 94:3637–3642. doi:10.1152/jn.00686.2005
//!
//! ## See also
//!
//! [`crate::aeif_psc_exp`], [`crate::iaf_psc_delta`].

use crate::aeif::{check, emit_and_count_down, Adex, AdexChecks, AdexCols};
use crate::neuron::{col, failure, gather, scatter, Neuron, Receptors, CH_SINGLE_CURRENT, CH_SPIKE};
use crate::rkf45::{evolve_block, Ode, LANES};
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `aeif_psc_delta`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 18] = [
    ParamSpec::param("C_m", Unit::PicoFarad, 281.0, "Capacitance of the membrane"),
    ParamSpec::param("V_th", Unit::MilliVolt, -50.4, "Spike initiation threshold"),
    ParamSpec::param("t_ref", Unit::Millisecond, 0.0, "Duration of refractory period"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 30.0, "Leak conductance"),
    ParamSpec::param("E_L", Unit::MilliVolt, -70.6, "Leak reversal potential"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential"),
    ParamSpec::param("a", Unit::NanoSiemens, 4.0, "Subthreshold adaptation"),
    ParamSpec::param("b", Unit::PicoAmpere, 80.5, "Spike-triggered adaptation"),
    ParamSpec::param("Delta_T", Unit::MilliVolt, 2.0, "Slope factor"),
    ParamSpec::param("tau_w", Unit::Millisecond, 144.0, "Adaptation time constant"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_peak", Unit::MilliVolt, 0.0, "Spike detection threshold"),
    ParamSpec::param("gsl_error_tol", Unit::Dimensionless, 1e-6, "Error bound of the integrator"),
    ParamSpec::param("refractory_input", Unit::Bool, 0.0, "Keep input arriving while refractory"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.6, "Membrane potential"),
    ParamSpec::state("w", Unit::PicoAmpere, 0.0, "Adaptation current"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const ADEX: AdexCols = AdexCols::of(&SCHEMA);
const REFR_INPUT: usize = col(&SCHEMA, "refractory_input");
/// The ODE state in NEST's order: V_m, w.
const Y: [usize; 2] = [col(&SCHEMA, "V_m"), col(&SCHEMA, "w")];

/// One neuron's constants; NEST multiplies by precomputed inverses here.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    adex: Adex,
    delta_t_inv: f64,
    c_m_inv: f64,
    tau_w_inv: f64,
    /// C_m / g_L, ms.
    tau_m: f64,
    refractory_input: bool,
}

/// A chunk's internal state.
#[derive(Debug, Clone)]
pub struct AeifPscDelta {
    r: Vec<i64>,
    i_stim: Vec<f64>,
    h_int: Vec<f64>,
    /// Input kept while refractory (`refractory_input`), mV.
    refr_spikes: Vec<f64>,
    consts: Vec<Consts>,
    h: f64,
}

/// One neuron's system within a step.
struct Sys<'a> {
    c: &'a Consts,
    r: i64,
    i_stim: f64,
    /// This step's spike input, taken by the first sub-step.
    spike_in: f64,
    refr_spikes: f64,
    h: f64,
    spikes: u32,
}

impl Ode<2> for Sys<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; 2], f: &mut [f64; 2]) {
        let (c, p) = (self.c, &self.c.adex);
        let refr = self.r > 0;
        let v = p.v(refr, y[0]);
        let i_spike = if p.delta_t == 0.0 { 0.0 } else { p.g_l * p.delta_t * ((v - p.v_th) * c.delta_t_inv).exp() };
        f[0] = if refr { 0.0 } else { (-p.g_l * (v - p.e_l) + i_spike - y[1] + p.i_e + self.i_stim) * c.c_m_inv };
        f[1] = (p.a * (v - p.e_l) - y[1]) * c.tau_w_inv;
    }
    fn after_apply(&mut self, _t: f64, y: &mut [f64; 2]) -> std::result::Result<(), String> {
        let p = &self.c.adex;
        if y[0] < -1e3 || y[1] < -1e6 || y[1] > 1e6 {
            return Err(format!("V_m = {} mV, w = {} pA (NEST's bounds: V_m >= -1000 mV, |w| <= 1e6 pA)", y[0], y[1]));
        }
        let input = std::mem::take(&mut self.spike_in);
        if self.r == 0 {
            y[0] += input;
            if self.c.refractory_input && self.refr_spikes != 0.0 {
                y[0] += self.refr_spikes;
                self.refr_spikes = 0.0;
            }
            if y[0] >= p.v_peak_eff {
                y[0] = p.v_reset;
                y[1] += p.b;
                self.r = if p.ref_counts > 0 { p.ref_counts + 1 } else { 0 };
                self.spikes += 1;
            }
        } else {
            y[0] = p.v_reset;
            if self.c.refractory_input {
                self.refr_spikes += input * (-(self.r as f64) * self.h / self.c.tau_m).exp();
            }
        }
        Ok(())
    }
}

impl Neuron for AeifPscDelta {
    const NAME: &'static str = "aeif_psc_delta";
    const SUMMARY: &'static str =
        "Adaptive exponential integrate-and-fire model with delta-shaped input (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m", "w"];
    const RECEPTORS: Receptors = Receptors::Single;
    const WEIGHT_UNIT: Unit = Unit::MilliVolt;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        AeifPscDelta {
            r: vec![0; n],
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            refr_spikes: vec![0.0; n],
            consts: Vec::new(),
            h: 0.1,
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        check(
            row,
            &ADEX,
            &AdexChecks {
                peak_first: false,
                reset_msg: "Ensure that V_reset < V_peak .",
                c_m_msg: "Ensure that C_m > 0",
                taus: &[],
                tau_msg: "tau_w must be strictly positive.",
            },
        )
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| {
                let adex = Adex::of(t, &ADEX, i, h);
                Consts {
                    adex,
                    delta_t_inv: 1.0 / adex.delta_t,
                    c_m_inv: 1.0 / adex.c_m,
                    tau_w_inv: 1.0 / adex.tau_w,
                    tau_m: adex.c_m / adex.g_l,
                    refractory_input: t.get(REFR_INPUT, i) != 0.0,
                }
            })
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
        let (in_spikes, in_i) = (inputs.channel(CH_SPIKE), inputs.channel(CH_SINGLE_CURRENT));
        let cols = table.cols_mut();
        let n = self.r.len();
        for base in (0..n).step_by(LANES) {
            let mut block = evolve_block(base, n, self.h, &mut self.h_int, |i| {
                let c = &self.consts[i];
                (
                    Sys {
                        c,
                        r: self.r[i],
                        i_stim: self.i_stim[i],
                        spike_in: in_spikes[i],
                        refr_spikes: self.refr_spikes[i],
                        h: self.h,
                        spikes: 0,
                    },
                    c.adex.tolerance(),
                    gather(cols, &Y, i),
                )
            });
            for item in block.neurons() {
                let (i, sys, y) = item.map_err(|(i, m)| failure(i, ctx.t, m))?;
                self.refr_spikes[i] = sys.refr_spikes;
                self.r[i] = emit_and_count_down(out, i, sys.spikes, sys.r);
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

    #[test]
    fn input_jumps_v_and_refractory_input_is_damped() {
        // Oracle: a jump of 1 mV at rest; with refractory_input, input during the refractory
        // period arrives damped by exp(-r h / tau_m) when it ends.
        let mut nd = nodes::<AeifPscDelta>(1);
        let (rec, _) = run(&mut nd, 0.1, 2, |t, ch| if t == 0 && ch == CH_SPIKE { 1.0 } else { 0.0 });
        assert!((rec[0][0] - (-69.6)).abs() < 1e-3, "{}", rec[0][0]);
        let mut nd = nodes::<AeifPscDelta>(1);
        nd.table_mut().set(REFR_INPUT, 0, 1.0);
        nd.table_mut().set(col(&SCHEMA, "t_ref"), 0, 1.0);
        // Spike at step 0 (100 mV), 2 mV during the refractory period, step 3.
        let (rec, spikes) = run(&mut nd, 0.1, 20, |t, ch| match (t, ch) {
            (0, CH_SPIKE) => 100.0,
            (3, CH_SPIKE) => 2.0,
            _ => 0.0,
        });
        assert_eq!(spikes, vec![1]);
        assert!(rec.iter().all(|r| r[0].is_finite()));
        assert_eq!(rec[5][0], -60.0);
        assert!(rec[12][0] > -60.0 + 1.5, "{}", rec[12][0]);
    }
}
