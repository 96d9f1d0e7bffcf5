//! # AdQuaIFRef — AdQuaIF with refractory period (brainpy.state `AdQuaIFRef`)
//!
//! As [`super::adqua_if`]; during the refractory period (tau_ref = 1.7 ms) V and w keep
//! their post-reset values.
//!
//! Reference: brainpy.state 0.1.0 `AdQuaIFRef`.

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const TAU_W: usize = 2;
const TAU_REF: usize = 3;
const V_TH: usize = 4;
const V_RESET: usize = 5;
const V_REST: usize = 6;
const V_C: usize = 7;
const C: usize = 8;
const A: usize = 9;
const B: usize = 10;
const V: usize = 12;
const W: usize = 13;
const LAST_SPIKE_TIME: usize = 14;

/// brainpy.state `AdQuaIFRef`.
pub struct AdQuaIfRef;

static SPECS: [ParamSpec; 15] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("tau_w", Unit::Millisecond, 10.0, "Adaptation time constant"),
    ParamSpec::param("tau_ref", Unit::Millisecond, 1.7, "Refractory period"),
    ParamSpec::param("V_th", Unit::MilliVolt, -30.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -68.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, -65.0, "Resting potential"),
    ParamSpec::param("V_c", Unit::MilliVolt, -50.0, "Critical voltage"),
    ParamSpec::param("c", Unit::PerMillivolt, 0.07, "Coefficient of the quadratic term"),
    ParamSpec::param("a", Unit::Siemens, 1.0, "Subthreshold adaptation coupling"),
    ParamSpec::param("b", Unit::MilliAmpere, 0.1, "Spike-triggered adaptation increment"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("w", Unit::MilliAmpere, 0.0, "Adaptation current"),
    ParamSpec::state("last_spike_time", Unit::Millisecond, -1e7, "Time of the last spike"),
];

impl Dyn for AdQuaIfRef {
    const NAME: &'static str = "AdQuaIFRef";
    const DOC: &'static str = "Adaptive quadratic integrate-and-fire neuron with refractory period (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "w", "last_spike_time"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, tau_w, v_th, v_reset, v_rest, v_c, k) = (
            p(c, R, i),
            p(c, TAU, i),
            p(c, TAU_W, i),
            p(c, V_TH, i),
            p(c, V_RESET, i),
            p(c, V_REST, i),
            p(c, V_C, i),
            p(c, C, i),
        );
        let (a, b) = (p(c, A, i), p(c, B, i));
        let last_v = c[V][i];
        let spk = heaviside((last_v - v_th) / (v_th - v_reset));
        let v0 = super::lif_reset(last_v, v_th, v_reset, ctx.hard);
        let w0 = c[W][i] + b * spk;
        let (cur, dcur) = inp.current(v0);
        let f = (k * (v0 - v_rest) * (v0 - v_c) - r * w0 + r * cur) / tau;
        let j = (k * ((v0 - v_c) + (v0 - v_rest)) + r * dcur) / tau;
        let v = exp_euler(v0, f, j, ctx.dt) + inp.delta;
        let w = exp_euler(w0, (a * (v - v_rest) - w0) / tau_w, -1.0 / tau_w, ctx.dt);
        let refr = ctx.t - c[LAST_SPIKE_TIME][i] < p(c, TAU_REF, i);
        let (v, w) = if refr { (v0, w0) } else { (v, w) };
        c[V][i] = v;
        c[W][i] = w;
        if v >= v_th {
            c[LAST_SPIKE_TIME][i] = ctx.t;
        }
        super::lif_spike(v, v_th, v_reset)
    }
}
