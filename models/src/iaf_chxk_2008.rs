//! `iaf_chxk_2008`: conductance-based leaky integrate-and-fire neuron with alpha-shaped synaptic
//! conductances and an after-hyperpolarisation (AHP) conductance started at the interpolated
//! threshold crossing (Casti et al. 2008), integrated with adaptive RKF45 as in NEST 3.10.
//!
//! The model has no reset and no refractory period: a spike is emitted when V_m *crosses* V_th
//! from below during a step; the AHP conductance then pulls the membrane back down.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) − g_ex (V − E_ex) − g_in (V − E_in) − g_ahp (V − E_ahp) + I_stim + I_e
//! dg_x' = −dg_x / τ_x
//! g_x'  = dg_x − g_x / τ_x      (x = ex with τ_syn_ex, in with τ_syn_in, ahp with τ_ahp)
//! ```
//!
//! A spike of weight w (nS) adds `w·e/τ_syn` to dg_ex (w > 0) or `|w|·e/τ_syn` to dg_in (w ≤ 0)
//! at the end of the step it arrives in, so a single spike gives the alpha conductance
//! `w (t/τ) e^{1−t/τ}` peaking at w after τ. Step currents act from the step after their arrival
//! (`I_stim`), as in every NEST GSL model.
//!
//! **Threshold crossing and AHP (NEST's interpolation).** With `V_prev` the potential at the
//! start of the step and `V` at its end, a spike is emitted when `V_prev < V_th ≤ V`. The time
//! from the crossing to the end of the step is found by linear interpolation,
//! `δ = h (V − V_th)/(V − V_prev)`, and the AHP alpha function that started at the crossing is
//! evolved analytically to the end of the step:
//! `dg_ahp += g_ahp·e/τ_ahp · exp(−δ/τ_ahp)`, `g_ahp(state) += (that increment)·δ`.
//! With `ahp_bug` true (the original Fortran code) the AHP state is *replaced* by these values,
//! discarding the AHP of earlier spikes. NEST sends the spike with offset δ (precise spike time
//! `t_step_end − δ`); nestor sends δ as the spike's payload `b` (where NEST carries the offset)
//! and records the spike at the end of its step (see "Events").
//!
//! ## Parameters
//!
//! | NEST name | unit | default | meaning |
//! |-----------|------|---------|---------|
//! | `V_th`       | mV | −45   | spike threshold (crossed from below) |
//! | `g_L`        | nS | 100   | leak conductance |
//! | `C_m`        | pF | 1000  | membrane capacitance |
//! | `E_ex`       | mV | 20    | excitatory reversal potential |
//! | `E_in`       | mV | −90   | inhibitory reversal potential |
//! | `E_L`        | mV | −60   | leak reversal potential |
//! | `tau_syn_ex` | ms | 1     | rise time of the excitatory alpha conductance |
//! | `tau_syn_in` | ms | 1     | rise time of the inhibitory alpha conductance |
//! | `I_e`        | pA | 0     | constant input current |
//! | `tau_ahp`    | ms | 0.5   | rise time of the AHP alpha conductance |
//! | `E_ahp`      | mV | −95   | AHP reversal potential |
//! | `g_ahp`      | nS | 443.8 | peak AHP conductance of one spike |
//! | `ahp_bug`    | bool | false | true: a new spike discards the AHP of earlier ones (original code) |
//!
//! Checks (NEST's order, each a `BadProperty`): `C_m > 0` ("Capacitance must be strictly
//! positive."), `tau_syn_ex, tau_syn_in, tau_ahp > 0` ("All time constants must be strictly
//! positive."). V_th, E_* and g_* are not checked.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial E_L = −60). The conductances (g_ex, g_in, g_ahp and their
//!   derivatives) start at 0 and are not status entries, as in NEST.
//! * Recordables (NEST's list): `I_ahp`, `I_syn_ex`, `I_syn_in` (pA: `g_x (V_m − E_x)`), `V_m`,
//!   `g_ahp`, `g_ex`, `g_in`.
//!
//! ## Events
//!
//! * Sends: spikes (payload `b` = δ, NEST's precise offset). NEST's spike_recorder reports the
//!   precise time `stamp − δ`; nestor's recorders report the step's end `stamp` (nestor has no
//!   precise spike times), so the validation compares spike steps (`time_in_steps` in NEST).
//! * Receives: spikes on receptor 0 (weight·multiplicity in nS; positive → excitatory, otherwise
//!   inhibitory with the sign flipped), currents on receptor 0 (pA). Other receptors:
//!   `UnknownReceptorType`.
//!
//! ## Numerics
//!
//! RKF45 with NEST's control (`eps_abs` 1e-3, `eps_rel` 0) via [`crate::rkf45::evolve_step`];
//! a non-finite state or an integration step driven to zero is a [`Failure`] (NEST's
//! `GSLSolverFailure`). Validation category `adaptive` (`validation/TOLERANCES.md`).
//!
//! ## References
//!
//! 1. Casti A, Hayot F, Xiao Y, Kaplan E (2008). A simple model of retina-LGN transmission.
//!    J Comput Neurosci 24:235–252. doi:10.1007/s10827-007-0053-7
//!
//! ## See also
//!
//! [`crate::iaf_cond_alpha`], [`crate::rkf45`], [`crate::neuron`].

use crate::neuron::{col, failure, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::rkf45::{evolve_step, Ode, Tolerance};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, LocalEvent, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `iaf_chxk_2008`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 16] = [
    ParamSpec::param("V_th", Unit::MilliVolt, -45.0, "Spike threshold (crossed from below)"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 100.0, "Leak conductance"),
    ParamSpec::param("C_m", Unit::PicoFarad, 1000.0, "Capacitance of the membrane"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 20.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -90.0, "Inhibitory reversal potential"),
    ParamSpec::param("E_L", Unit::MilliVolt, -60.0, "Leak reversal potential"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 1.0, "Rise time of the excitatory alpha conductance"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 1.0, "Rise time of the inhibitory alpha conductance"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("tau_ahp", Unit::Millisecond, 0.5, "Rise time of the AHP alpha conductance"),
    ParamSpec::param("E_ahp", Unit::MilliVolt, -95.0, "AHP reversal potential"),
    ParamSpec::param("g_ahp", Unit::NanoSiemens, 443.8, "Peak AHP conductance of one spike"),
    ParamSpec::param("ahp_bug", Unit::Bool, 0.0, "A new spike discards earlier AHP (original implementation)"),
    ParamSpec::state("V_m", Unit::MilliVolt, -60.0, "Membrane potential"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const V_TH: usize = col(&SCHEMA, "V_th");
const G_L: usize = col(&SCHEMA, "g_L");
const C_M: usize = col(&SCHEMA, "C_m");
const E_EX: usize = col(&SCHEMA, "E_ex");
const E_IN: usize = col(&SCHEMA, "E_in");
const E_L: usize = col(&SCHEMA, "E_L");
const TAU_SYN_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_SYN_IN: usize = col(&SCHEMA, "tau_syn_in");
const I_E: usize = col(&SCHEMA, "I_e");
const TAU_AHP: usize = col(&SCHEMA, "tau_ahp");
const E_AHP: usize = col(&SCHEMA, "E_ahp");
const G_AHP: usize = col(&SCHEMA, "g_ahp");
const AHP_BUG: usize = col(&SCHEMA, "ahp_bug");
const V_M: usize = col(&SCHEMA, "V_m");

/// Indices of NEST's state vector: V_m, dg_ex, g_ex, dg_in, g_in, dg_ahp, g_ahp.
const Y_V: usize = 0;
const Y_DG_EX: usize = 1;
const Y_G_EX: usize = 2;
const Y_DG_IN: usize = 3;
const Y_G_IN: usize = 4;
const Y_DG_AHP: usize = 5;
const Y_G_AHP: usize = 6;

/// Recordables in NEST's order (byte order of the names).
const RECORDABLES: [&str; 7] = ["I_ahp", "I_syn_ex", "I_syn_in", "V_m", "g_ahp", "g_ex", "g_in"];

/// One node's parameters in the form `update` uses, set by `prepare`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    v_th: f64,
    g_l: f64,
    c_m: f64,
    e_ex: f64,
    e_in: f64,
    e_l: f64,
    tau_ex: f64,
    tau_in: f64,
    i_e: f64,
    tau_ahp: f64,
    e_ahp: f64,
    ahp_bug: bool,
    /// e/τ_syn,ex: dg_ex jump per nS of weight (NEST's `PSConInit_E`).
    ps_con_init_e: f64,
    /// e/τ_syn,in (`PSConInit_I`).
    ps_con_init_i: f64,
    /// g_ahp·e/τ_ahp: dg_ahp jump of a spike at the end of its step (`PSConInit_AHP`).
    ps_con_init_ahp: f64,
}

/// A chunk's internal state: the table holds V_m; the conductances live here.
#[derive(Debug, Clone)]
pub struct IafChxk2008 {
    /// dg_ex, g_ex, dg_in, g_in, dg_ahp, g_ahp per neuron (nS/ms, nS).
    g: Vec<[f64; 6]>,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps (NEST's `IntegrationStep_`), ms.
    h_int: Vec<f64>,
    consts: Vec<Consts>,
    /// Simulation step (ms, on NEST's tic grid).
    h: f64,
}

/// The right-hand side of NEST's `iaf_chxk_2008_dynamics`.
struct Dynamics<'a> {
    c: &'a Consts,
    i_stim: f64,
}

impl Ode<7> for Dynamics<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; 7], f: &mut [f64; 7]) {
        let c = self.c;
        let v = y[Y_V];
        let i_syn_exc = y[Y_G_EX] * (v - c.e_ex);
        let i_syn_inh = y[Y_G_IN] * (v - c.e_in);
        let i_ahp = y[Y_G_AHP] * (v - c.e_ahp);
        let i_leak = c.g_l * (v - c.e_l);
        f[Y_V] = (-i_leak - i_syn_exc - i_syn_inh - i_ahp + self.i_stim + c.i_e) / c.c_m;
        f[Y_DG_EX] = -y[Y_DG_EX] / c.tau_ex;
        f[Y_G_EX] = y[Y_DG_EX] - (y[Y_G_EX] / c.tau_ex);
        f[Y_DG_IN] = -y[Y_DG_IN] / c.tau_in;
        f[Y_G_IN] = y[Y_DG_IN] - (y[Y_G_IN] / c.tau_in);
        f[Y_DG_AHP] = -y[Y_DG_AHP] / c.tau_ahp;
        f[Y_G_AHP] = y[Y_DG_AHP] - (y[Y_G_AHP] / c.tau_ahp);
    }
}

impl Neuron for IafChxk2008 {
    const NAME: &'static str = "iaf_chxk_2008";
    const SUMMARY: &'static str = "Conductance-based leaky integrate-and-fire model with alpha synapses and an after-hyperpolarisation timed by the interpolated threshold crossing (Casti et al. 2008; adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &RECORDABLES;
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;
    /// The recordable `g_ahp` is the AHP conductance; the status entry of that name is the
    /// parameter (peak conductance of one spike), as in NEST.
    const READ_NOT_TABLE: &'static [&'static str] = &["g_ahp"];

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafChxk2008 { g: vec![[0.0; 6]; n], i_stim: vec![0.0; n], h_int: vec![0.0; n], consts: Vec::new(), h: 0.1 }
    }

    fn check(row: &[f64]) -> Result<()> {
        if row[C_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "Capacitance must be strictly positive. (got C_m = {} pF)",
                row[C_M]
            )));
        }
        let taus = [TAU_SYN_EX, TAU_SYN_IN, TAU_AHP];
        if taus.iter().any(|&k| row[k] <= 0.0) {
            let got: Vec<String> = taus.iter().map(|&k| format!("{} = {} ms", SCHEMA[k].name, row[k])).collect();
            return Err(Error::bad_property(format!(
                "All time constants must be strictly positive. (got {})",
                got.join(", ")
            )));
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        let e = std::f64::consts::E;
        self.consts = (0..t.len())
            .map(|i| {
                let (tau_ex, tau_in, tau_ahp) = (t.get(TAU_SYN_EX, i), t.get(TAU_SYN_IN, i), t.get(TAU_AHP, i));
                Consts {
                    v_th: t.get(V_TH, i),
                    g_l: t.get(G_L, i),
                    c_m: t.get(C_M, i),
                    e_ex: t.get(E_EX, i),
                    e_in: t.get(E_IN, i),
                    e_l: t.get(E_L, i),
                    tau_ex,
                    tau_in,
                    i_e: t.get(I_E, i),
                    tau_ahp,
                    e_ahp: t.get(E_AHP, i),
                    ahp_bug: t.get(AHP_BUG, i) != 0.0,
                    ps_con_init_e: 1.0 * e / tau_ex,
                    ps_con_init_i: 1.0 * e / tau_in,
                    ps_con_init_ahp: t.get(G_AHP, i) * e / tau_ahp,
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
        let (in_ex, in_in, in_i) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let vm = table.col_mut(V_M);
        for i in 0..self.g.len() {
            let c = &self.consts[i];
            let g = &mut self.g[i];
            let v_prev = vm[i];
            let mut y = [v_prev, g[0], g[1], g[2], g[3], g[4], g[5]];
            let mut sys = Dynamics { c, i_stim: self.i_stim[i] };
            evolve_step(&mut sys, Tolerance::NEST, self.h, &mut self.h_int[i], &mut y)
                .map_err(|m| failure(i, ctx.t, m))?;
            if v_prev < c.v_th && y[Y_V] >= c.v_th {
                // Time from the interpolated crossing to the end of the step.
                let dt = self.h * (y[Y_V] - c.v_th) / (y[Y_V] - v_prev);
                let delta_dg = c.ps_con_init_ahp * (-dt / c.tau_ahp).exp();
                let delta_g = delta_dg * dt;
                if c.ahp_bug {
                    y[Y_G_AHP] = delta_g;
                    y[Y_DG_AHP] = delta_dg;
                } else {
                    y[Y_G_AHP] += delta_g;
                    y[Y_DG_AHP] += delta_dg;
                }
                out.emit(LocalEvent { local: i as u32, mult: 1, a: 1.0, b: dt });
            }
            y[Y_DG_EX] += in_ex[i] * c.ps_con_init_e;
            y[Y_DG_IN] += -in_in[i] * c.ps_con_init_i;
            self.i_stim[i] = in_i[i];
            vm[i] = y[Y_V];
            *g = [y[1], y[2], y[3], y[4], y[5], y[6]];
        }
        Ok(())
    }

    fn read(&self, table: &ParamTable, var: usize, i: usize) -> f64 {
        let g = &self.g[i];
        let v = table.get(V_M, i);
        match RECORDABLES[var] {
            "I_ahp" => g[5] * (v - table.get(E_AHP, i)),
            "I_syn_ex" => g[1] * (v - table.get(E_EX, i)),
            "I_syn_in" => g[3] * (v - table.get(E_IN, i)),
            "g_ahp" => g[5],
            "g_ex" => g[1],
            "g_in" => g[3],
            _ => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Route};
    use nestor_kernel::value::Value;

    const R_IAHP: usize = 0;
    const R_ISYN_EX: usize = 1;
    const R_V: usize = 3;
    const R_GAHP: usize = 4;
    const R_GEX: usize = 5;
    const R_GIN: usize = 6;

    #[test]
    fn recordables_and_routing_follow_nest() {
        let nd = nodes::<IafChxk2008>(1);
        assert_eq!(*nd.recordables(), RECORDABLES);
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
        assert_eq!(nd.route(0, EventKind::Spike, 3.0).unwrap(), Route::weighted(CH_EX as u16));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn alpha_conductances_peak_at_the_weight_after_tau() {
        // Oracle: g(s) = w (s/τ) e^{1 − s/τ} peaks at s = τ with value w (RKF45, abs. error 1e-3).
        let mut nd = nodes::<IafChxk2008>(1);
        let (rec, spikes) = run(&mut nd, 0.1, 40, |t, ch| match (t, ch) {
            (0, CH_EX) => 5.0,
            (0, CH_IN) => -2.0,
            _ => 0.0,
        });
        assert!(spikes.is_empty());
        for (k, x) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            assert!((x[R_GEX] - 5.0 * s * (1.0 - s).exp()).abs() < 1e-3, "k {k}: {}", x[R_GEX]);
            assert!((x[R_GIN] - 2.0 * s * (1.0 - s).exp()).abs() < 1e-3, "k {k}");
            assert!((x[R_ISYN_EX] - x[R_GEX] * (x[R_V] - 20.0)).abs() < 1e-12);
        }
        assert!((rec[10][R_GEX] - 5.0).abs() < 1e-3);
    }

    #[test]
    fn ahp_starts_at_the_interpolated_crossing() {
        // Oracle: NEST's rule. With V_prev < V_th ≤ V the offset is δ = h (V − V_th)/(V − V_prev);
        // g_ahp after the spike step is g_ahp·e/τ_ahp·exp(−δ/τ_ahp)·δ (the alpha function
        // started δ before the step's end, to first order in its derivative), and no reset.
        let mut nd = nodes::<IafChxk2008>(1);
        nd.table_mut().set(I_E, 0, 5000.0);
        let (rec, spikes) = run(&mut nd, 0.1, 200, |_, _| 0.0);
        assert!(spikes.len() >= 2, "{spikes:?}");
        let s = spikes[0] as usize - 1; // index of the spike step's record
        let (v_prev, v) = (rec[s - 1][R_V], rec[s][R_V]);
        assert!(v_prev < -45.0 && v >= -45.0);
        assert_eq!(rec[s - 1][R_GAHP], 0.0);
        let dt = 0.1 * (v + 45.0) / (v - v_prev);
        let e = std::f64::consts::E;
        let g = 443.8 * e / 0.5 * (-dt / 0.5).exp() * dt;
        assert_eq!(rec[s][R_GAHP], g);
        assert!((rec[s][R_IAHP] - g * (v + 95.0)).abs() < 1e-9);
        // The AHP repolarises the neuron below threshold before the next crossing.
        assert!(rec[s + 5][R_V] < -45.0);
    }

    #[test]
    fn ahp_bug_discards_earlier_ahp() {
        // Oracle: NEST's rule. With ahp_bug the AHP state after a spike is the new spike's
        // increment alone; without it the increment adds to what is left of the earlier AHP.
        let e = std::f64::consts::E;
        for bug in [false, true] {
            let mut nd = nodes::<IafChxk2008>(1);
            nd.table_mut().set(I_E, 0, 5000.0);
            nd.table_mut().set(TAU_AHP, 0, 1.0);
            nd.table_mut().set(AHP_BUG, 0, if bug { 1.0 } else { 0.0 });
            let (rec, spikes) = run(&mut nd, 0.1, 400, |_, _| 0.0);
            assert!(spikes.len() >= 2, "{spikes:?}");
            let s2 = spikes[1] as usize - 1;
            let (v_prev, v) = (rec[s2 - 1][R_V], rec[s2][R_V]);
            let dt = 0.1 * (v + 45.0) / (v - v_prev);
            let fresh = 443.8 * e / 1.0 * (-dt / 1.0).exp() * dt;
            assert!(rec[s2 - 1][R_GAHP] > 1e-3);
            if bug {
                assert_eq!(rec[s2][R_GAHP], fresh);
            } else {
                assert!(rec[s2][R_GAHP] > fresh + 1e-3, "{} {fresh}", rec[s2][R_GAHP]);
            }
        }
    }

    #[test]
    fn spikes_only_on_crossing_from_below() {
        // Oracle: NEST spikes iff V_prev < V_th ≤ V; a neuron held above threshold does not fire.
        let mut nd = nodes::<IafChxk2008>(1);
        nd.table_mut().set(V_M, 0, -30.0);
        nd.table_mut().set(I_E, 0, 10000.0); // fixed point −60 + 100 = 40 mV > V_th
        let (_, spikes) = run(&mut nd, 0.1, 50, |_, _| 0.0);
        assert!(spikes.is_empty(), "{spikes:?}");
    }

    #[test]
    fn checks_follow_nest() {
        let nd = nodes::<IafChxk2008>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (C_M, 0.0, "Capacitance must be strictly positive."),
            (TAU_SYN_EX, 0.0, "All time constants must be strictly positive."),
            (TAU_SYN_IN, -1.0, "All time constants must be strictly positive."),
            (TAU_AHP, 0.0, "All time constants must be strictly positive."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{}", e.message);
        }
        assert!(nd.validate(&base).is_ok());
        let mut nd = nodes::<IafChxk2008>(1);
        let e = set_status(&mut nd, &[("C_m", Value::Double(-1.0))], "iaf_chxk_2008").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert_eq!(nd.table().get(C_M, 0), 1000.0);
        set_status(&mut nd, &[("ahp_bug", Value::Bool(true)), ("V_m", Value::Double(-50.0))], "iaf_chxk_2008").unwrap();
        assert_eq!(nd.table().get(AHP_BUG, 0), 1.0);
    }

    #[test]
    fn blow_up_is_a_failure() {
        // A huge negative time constant ratio cannot be set; an absurd drive makes the state
        // non-finite: reported as a Failure, never silently.
        let mut nd = nodes::<IafChxk2008>(1);
        nd.table_mut().set(I_E, 0, 1e308);
        nd.table_mut().set(C_M, 0, 1e-300);
        let _ = run(&mut nd, 0.1, 3, |_, _| 0.0);
        assert!(nd.failure().is_some());
    }
}
