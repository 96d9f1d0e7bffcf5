//! # izhikevich — Izhikevich (2003) neuron, forward Euler on the simulation grid
//!
//! The two-variable quadratic model of Izhikevich (2003): a membrane potential V with a
//! quadratic right-hand side and a recovery variable U, reset to (c, U + d) when V reaches
//! V_th. NEST 3.10's `izhikevich`, integrated as NEST does with one explicit Euler step per
//! simulation step (no GSL); there is no refractory period.
//!
//! ## Equations
//!
//! ```text
//! dV/dt = 0.04 V² + 5 V + 140 − U + I_e + I_stim
//! dU/dt = a (b V − U)
//! V ≥ V_th:  V ← c,  U ← U + d,  spike
//! ```
//!
//! One simulation step of length h, with `consistent_integration = true` (the default; both
//! updates use the values at the start of the step, and the summed spike weights of the step
//! are added to V as a jump in mV):
//!
//! ```text
//! V' = V + (h·(0.04 V² + 5 V + 140 − U + I_stim + I_e) + ΣW)
//! U' = U + h·a·(b V − U)
//! ```
//!
//! With `consistent_integration = false` the scheme published with the model: V takes two half
//! steps of h/2, the second from the V of the first, and the spike input enters the bracket as
//! a current (so a weight is effectively scaled by h); U is then updated with the new V. NEST
//! suggests h = 1 ms for this scheme and only logs a note otherwise (nestor: no message).
//!
//! ```text
//! V ← V + h·0.5·(0.04 V² + 5 V + 140 − U + I_stim + I_e + ΣW)     (twice)
//! U ← U + h·a·(b V − U)
//! ```
//!
//! Then V is bounded below by V_min, and V ≥ V_th triggers the reset and a spike stamped at the
//! end of the step. Step currents received in a step act during the next step (`I_stim`).
//! There is no capacitance: currents enter dV/dt directly (NEST's "R = 1").
//!
//! ## Parameters
//!
//! | NEST name                | unit | default   | meaning                                     |
//! |--------------------------|------|-----------|---------------------------------------------|
//! | `a`                      |      | 0.02      | time scale of the recovery variable (1/ms)  |
//! | `b`                      |      | 0.2       | sensitivity of U to V                        |
//! | `c`                      | mV   | −65       | after-spike reset value of V_m              |
//! | `d`                      | mV   | 8         | after-spike increment of U_m                |
//! | `I_e`                    | pA   | 0         | constant input current                      |
//! | `V_th`                   | mV   | 30        | spike threshold                             |
//! | `V_min`                  | mV   | −1.797e308| lower bound of V_m (−DBL_MAX: none)         |
//! | `consistent_integration` | bool | true      | forward Euler (true) or the 2003 scheme     |
//!
//! Checks: none (NEST accepts every value).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initial −65), `U_m` (mV, initial −13 = 0.2·(−65), fixed numbers in NEST,
//!   independent of b and c).
//! * Recordables (NEST's list): `U_m`, `V_m`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0 (weight·multiplicity in mV, any sign, added to V_m),
//!   currents on receptor 0 (pA). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Izhikevich EM (2003). Simple model of spiking neurons. IEEE Transactions on Neural
//!    Networks 14:1569–1572. doi:10.1109/TNN.2003.820440
//!
//! ## See also
//!
//! [`crate::iaf_psc_delta`], [`crate::aeif_psc_delta`], brainpy.state's `Izhikevich`
//! ([`crate::brainpy`]).

use crate::neuron::{col, Neuron, Receptors, CH_SINGLE_CURRENT, CH_SPIKE};
use nestor_kernel::error::Result;
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;

/// The status schema of `izhikevich`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 12] = [
    ParamSpec::param("a", Unit::Dimensionless, 0.02, "Time scale of the recovery variable (1/ms)"),
    ParamSpec::param("b", Unit::Dimensionless, 0.2, "Sensitivity of the recovery variable to V_m"),
    ParamSpec::param("c", Unit::MilliVolt, -65.0, "After-spike reset value of V_m"),
    ParamSpec::param("d", Unit::MilliVolt, 8.0, "After-spike increment of U_m"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_th", Unit::MilliVolt, 30.0, "Spike threshold"),
    ParamSpec::param("V_min", Unit::MilliVolt, -f64::MAX, "Lower bound of the membrane potential"),
    ParamSpec::param(
        "consistent_integration",
        Unit::Bool,
        1.0,
        "Forward Euler (true) or the scheme published with the model (false)",
    ),
    ParamSpec::state("V_m", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("U_m", Unit::MilliVolt, -13.0, "Membrane potential recovery variable"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const A: usize = col(&SCHEMA, "a");
const B: usize = col(&SCHEMA, "b");
const C: usize = col(&SCHEMA, "c");
const D: usize = col(&SCHEMA, "d");
const I_E: usize = col(&SCHEMA, "I_e");
const V_TH: usize = col(&SCHEMA, "V_th");
const V_MIN: usize = col(&SCHEMA, "V_min");
const CONSISTENT: usize = col(&SCHEMA, "consistent_integration");
const V_M: usize = col(&SCHEMA, "V_m");
const U_M: usize = col(&SCHEMA, "U_m");

/// A chunk's internal state: the table holds everything but the step current.
#[derive(Debug, Clone)]
pub struct Izhikevich {
    /// Step current received in the previous step, pA.
    i_stim: Vec<f64>,
    /// Simulation step (ms, on NEST's tic grid).
    h: f64,
}

/// What one neuron's step needs besides its state.
#[derive(Debug, Clone, Copy)]
struct StepIn {
    a: f64,
    b: f64,
    /// Step current of the previous step, pA.
    i_stim: f64,
    /// Constant current, pA.
    i_e: f64,
    /// Summed spike weights of the step, mV.
    w: f64,
    /// Simulation step, ms.
    h: f64,
}

/// One Euler step of NEST's default scheme from (v, u): both right-hand sides at the start of
/// the step, the spike input added to V as a jump (NEST's order of operations).
#[inline(always)]
fn step_consistent(v: f64, u: f64, p: &StepIn) -> (f64, f64) {
    let v_new = v + (p.h * (0.04 * v * v + 5.0 * v + 140.0 - u + p.i_stim + p.i_e) + p.w);
    let u_new = u + p.h * p.a * (p.b * v - u);
    (v_new, u_new)
}

/// The step of Izhikevich (2003): two half steps for V with the spike input as a current, then
/// U with the new V.
#[inline(always)]
fn step_published(v: f64, u: f64, p: &StepIn) -> (f64, f64) {
    let mut v = v;
    v += p.h * 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + p.i_stim + p.i_e + p.w);
    v += p.h * 0.5 * (0.04 * v * v + 5.0 * v + 140.0 - u + p.i_stim + p.i_e + p.w);
    let u_new = u + p.h * p.a * (p.b * v - u);
    (v, u_new)
}

impl Neuron for Izhikevich {
    const NAME: &'static str = "izhikevich";
    const SUMMARY: &'static str = "Izhikevich (2003) neuron model (forward Euler on the simulation grid)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["U_m", "V_m"];
    const RECEPTORS: Receptors = Receptors::Single;
    const WEIGHT_UNIT: Unit = Unit::MilliVolt;

    fn new(table: &mut ParamTable) -> Self {
        Izhikevich { i_stim: vec![0.0; table.len()], h: 0.1 }
    }

    fn prepare(&mut self, _table: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        _ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_spk, in_i) = (inputs.channel(CH_SPIKE), inputs.channel(CH_SINGLE_CURRENT));
        let h = self.h;
        let cols = table.cols_mut();
        for i in 0..self.i_stim.len() {
            let p = StepIn { a: cols[A][i], b: cols[B][i], i_stim: self.i_stim[i], i_e: cols[I_E][i], w: in_spk[i], h };
            let (v, u) = (cols[V_M][i], cols[U_M][i]);
            let (mut v, mut u) =
                if cols[CONSISTENT][i] != 0.0 { step_consistent(v, u, &p) } else { step_published(v, u, &p) };
            let v_min = cols[V_MIN][i];
            v = if v < v_min { v_min } else { v };
            if v >= cols[V_TH][i] {
                v = cols[C][i];
                u += cols[D][i];
                out.spike(i);
            }
            cols[V_M][i] = v;
            cols[U_M][i] = u;
            self.i_stim[i] = in_i[i];
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::EventKind;

    /// Recordable columns in `run`'s output.
    const REC_U: usize = 0;
    const REC_V: usize = 1;

    #[test]
    fn defaults_follow_nest() {
        // Oracle: nest.GetDefaults('izhikevich') in NEST 3.10.
        let nd = nodes::<Izhikevich>(1);
        let t = nd.table();
        assert_eq!(t.get(V_M, 0), -65.0);
        assert_eq!(t.get(U_M, 0), -13.0);
        assert_eq!(t.get(V_MIN, 0), -1.7976931348623157e308);
        assert_eq!(t.get(CONSISTENT, 0), 1.0);
        assert_eq!(&nd.recordables()[..], &["U_m", "V_m"]);
    }

    #[test]
    fn first_step_is_forward_euler() {
        // Oracle: at V = −65, U = −13: 0.04·4225 − 325 + 140 + 13 = −3 (mV/ms), so one step of
        // 0.1 ms gives V = −65.3 + 0.1·I_e; dU/dt = 0.02·(0.2·(−65) + 13) = 0.
        for i_e in [0.0, 10.0] {
            let mut nd = nodes::<Izhikevich>(1);
            nd.table_mut().set(I_E, 0, i_e);
            let (rec, _) = run(&mut nd, 0.1, 1, |_, _| 0.0);
            assert!((rec[0][REC_V] - (-65.3 + 0.1 * i_e)).abs() < 1e-12, "{}", rec[0][REC_V]);
            assert_eq!(rec[0][REC_U], -13.0);
        }
    }

    #[test]
    fn resting_fixed_point_is_kept() {
        // Oracle: with I = 0 and U = bV, 0.04V² + 4.8V + 140 = 0 has the stable root V = −70
        // (U = −14); every term is exact in binary floating point there.
        let mut nd = nodes::<Izhikevich>(1);
        nd.table_mut().set(V_M, 0, -70.0);
        nd.table_mut().set(U_M, 0, -14.0);
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |_, _| 0.0);
        assert!(spikes.is_empty());
        assert!(rec.iter().all(|r| r[REC_V] == -70.0 && r[REC_U] == -14.0));
    }

    #[test]
    fn spike_weights_are_voltage_jumps() {
        // Oracle: NEST adds the summed weights of a step to V after the Euler step, whatever
        // their sign; in the published scheme they enter as a current (scaled by h).
        let mut nd = nodes::<Izhikevich>(1);
        nd.table_mut().set(V_M, 0, -70.0);
        nd.table_mut().set(U_M, 0, -14.0);
        let (rec, _) = run(&mut nd, 0.1, 1, |_, ch| if ch == CH_SPIKE { -2.5 } else { 0.0 });
        assert_eq!(rec[0][REC_V], -72.5);
        let mut nd = nodes::<Izhikevich>(1);
        nd.table_mut().set(V_M, 0, -70.0);
        nd.table_mut().set(U_M, 0, -14.0);
        nd.table_mut().set(CONSISTENT, 0, 0.0);
        let (rec, _) = run(&mut nd, 0.1, 1, |_, ch| if ch == CH_SPIKE { -2.0 } else { 0.0 });
        // First half step: −70 + 0.05·(−2) = −70.1; second: −70.1 + 0.05·(f(−70.1) + 14 − 2).
        let v1 = -70.0 + 0.05 * -2.0;
        let v2 = v1 + 0.05 * (0.04 * v1 * v1 + 5.0 * v1 + 140.0 + 14.0 - 2.0);
        assert!((rec[0][REC_V] - v2).abs() < 1e-12);
        // U uses the new V: 0.1·0.02·(0.2·v2 + 14).
        assert!((rec[0][REC_U] - (-14.0 + 0.002 * (0.2 * v2 + 14.0))).abs() < 1e-12);
    }

    #[test]
    fn threshold_resets_v_and_increments_u() {
        // Oracle: at V_m = 30 = V_th the Euler step stays above threshold; NEST sets V = c and
        // adds d to the updated U: U' = −13 + 0.1·0.02·(0.2·30 + 13) + 8.
        let mut nd = nodes::<Izhikevich>(1);
        nd.table_mut().set(V_M, 0, 30.0);
        let (rec, spikes) = run(&mut nd, 0.1, 2, |_, _| 0.0);
        assert_eq!(spikes, vec![1]);
        assert_eq!(rec[0][REC_V], -65.0);
        assert!((rec[0][REC_U] - (-13.0 + 0.1 * 0.02 * (0.2 * 30.0 + 13.0) + 8.0)).abs() < 1e-12);
    }

    #[test]
    fn v_min_bounds_the_membrane_potential() {
        // Oracle: from V = −100 the Euler step gives −94.7 (< V_min = −80), so V = V_min.
        let mut nd = nodes::<Izhikevich>(1);
        nd.table_mut().set(V_M, 0, -100.0);
        nd.table_mut().set(V_MIN, 0, -80.0);
        let (rec, _) = run(&mut nd, 0.1, 1, |_, _| 0.0);
        assert_eq!(rec[0][REC_V], -80.0);
    }

    #[test]
    fn step_current_acts_one_step_later() {
        // Oracle: NEST stores a step current and uses it in the following step.
        let mut nd = nodes::<Izhikevich>(1);
        nd.table_mut().set(V_M, 0, -70.0);
        nd.table_mut().set(U_M, 0, -14.0);
        let (rec, _) = run(&mut nd, 0.1, 2, |t, ch| if t == 0 && ch == CH_SINGLE_CURRENT { 10.0 } else { 0.0 });
        assert_eq!(rec[0][REC_V], -70.0);
        assert!((rec[1][REC_V] - -69.0).abs() < 1e-12);
    }

    #[test]
    fn regular_spiking_with_dc_and_only_receptor_zero() {
        let mut nd = nodes::<Izhikevich>(1);
        nd.table_mut().set(I_E, 0, 10.0);
        let (rec, spikes) = run(&mut nd, 0.1, 3000, |_, _| 0.0);
        assert!(spikes.len() >= 5, "{spikes:?}");
        assert!(rec.iter().all(|r| r[REC_V] < 30.0));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert!(nd.validate(&nd.table().row(0)).is_ok());
    }
}
