//! # ExpIFRef — exponential integrate-and-fire neuron with refractory period (brainpy.state `ExpIFRef`)
//!
//! As [`super::exp_if`], with the refractory rule of [`super::lif_ref`] (tau_ref = 1.7 ms).
//!
//! Reference: brainpy.state 0.1.0 `ExpIFRef`.

use super::{exp_euler, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const TAU_REF: usize = 2;
const V_TH: usize = 3;
const V_RESET: usize = 4;
const V_REST: usize = 5;
const V_T: usize = 6;
const DELTA_T: usize = 7;
const V: usize = 9;
const LAST_SPIKE_TIME: usize = 10;

/// brainpy.state `ExpIFRef`.
pub struct ExpIfRef;

static SPECS: [ParamSpec; 11] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("tau_ref", Unit::Millisecond, 1.7, "Refractory period"),
    ParamSpec::param("V_th", Unit::MilliVolt, -30.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -68.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, -65.0, "Resting potential"),
    ParamSpec::param("V_T", Unit::MilliVolt, -59.9, "Threshold of the exponential term"),
    ParamSpec::param("delta_T", Unit::MilliVolt, 3.48, "Spike slope factor"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("last_spike_time", Unit::Millisecond, -1e7, "Time of the last spike"),
];

impl Dyn for ExpIfRef {
    const NAME: &'static str = "ExpIFRef";
    const DOC: &'static str = "Exponential integrate-and-fire neuron with refractory period (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "last_spike_time"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, v_th, v_reset, v_rest, v_t, d_t) = (
            p(c, R, i),
            p(c, TAU, i),
            p(c, V_TH, i),
            p(c, V_RESET, i),
            p(c, V_REST, i),
            p(c, V_T, i),
            p(c, DELTA_T, i),
        );
        let v0 = super::lif_reset(c[V][i], v_th, v_reset, ctx.hard);
        let (cur, dcur) = inp.current(v0);
        let (e, de) = super::exp_term(v0, v_t, d_t);
        let v = exp_euler(v0, (-(v0 - v_rest) + e + r * cur) / tau, (-1.0 + de + r * dcur) / tau, ctx.dt) + inp.delta;
        let v = if ctx.t - c[LAST_SPIKE_TIME][i] < p(c, TAU_REF, i) { v0 } else { v };
        c[V][i] = v;
        if v >= v_th {
            c[LAST_SPIKE_TIME][i] = ctx.t;
        }
        super::lif_spike(v, v_th, v_reset)
    }
}
