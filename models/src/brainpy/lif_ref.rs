//! # LIFRef — leaky integrate-and-fire neuron with refractory period (brainpy.state `LIFRef`)
//!
//! As [`super::lif`], plus: while t − t_last_spike < tau_ref the potential stays at its value
//! after the reset; a step that ends with V ≥ V_th records t as the last spike time.
//!
//! Parameters (defaults): R = 1 ohm, tau = 5 ms, tau_ref = 5 ms, V_th = 1 mV, V_reset = 0 mV,
//! V_rest = 0 mV, I_ext = 0 mA. State: V (0 mV), last_spike_time (−1e7 ms).
//!
//! Reference: brainpy.state 0.1.0 `LIFRef`.

use super::lif_block::{lif_block, LifCols};
use super::{p, Block, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const TAU_REF: usize = 2;
const V_TH: usize = 3;
const V_RESET: usize = 4;
const V_REST: usize = 5;
const V: usize = 7;
const LAST_SPIKE_TIME: usize = 8;

/// brainpy.state `LIFRef`.
pub struct LifRef;

static SPECS: [ParamSpec; 9] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 5.0, "Membrane time constant"),
    ParamSpec::param("tau_ref", Unit::Millisecond, 5.0, "Refractory period"),
    ParamSpec::param("V_th", Unit::MilliVolt, 1.0, "Firing threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, 0.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, 0.0, "Resting potential"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, 0.0, "Membrane potential"),
    ParamSpec::state("last_spike_time", Unit::Millisecond, -1e7, "Time of the last spike"),
];

impl Dyn for LifRef {
    const NAME: &'static str = "LIFRef";
    const DOC: &'static str = "Leaky integrate-and-fire neuron with refractory period (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "last_spike_time"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn membrane_jacobian(c: &[Vec<f64>], i: usize, b: f64) -> Option<f64> {
        Some((-1.0 + p(c, R, i) * b) / p(c, TAU, i))
    }

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, v_th, v_reset, v_rest) =
            (p(c, R, i), p(c, TAU, i), p(c, V_TH, i), p(c, V_RESET, i), p(c, V_REST, i));
        let v0 = super::lif_reset(c[V][i], v_th, v_reset, ctx.hard);
        let (cur, dcur) = inp.current(v0);
        let v = inp.membrane_step(v0, (-v0 + v_rest + r * cur) / tau, (-1.0 + r * dcur) / tau, ctx.dt) + inp.delta;
        let v = if ctx.t - c[LAST_SPIKE_TIME][i] < p(c, TAU_REF, i) { v0 } else { v };
        c[V][i] = v;
        if v >= v_th {
            c[LAST_SPIKE_TIME][i] = ctx.t;
        }
        super::lif_spike(v, v_th, v_reset)
    }

    fn step_block(c: &mut [Vec<f64>], blk: Block<'_>, spiked: &mut [bool]) -> bool {
        let [r, tau, tau_ref, v_th, v_reset, v_rest, _, v, last] = c else {
            return false;
        };
        lif_block(LifCols { r, tau, v_th, v_reset, v_rest }, v, Some((tau_ref, last)), &blk, spiked);
        true
    }
}
