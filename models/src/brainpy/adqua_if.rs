//! # AdQuaIF — adaptive quadratic integrate-and-fire neuron (brainpy.state `AdQuaIF`)
//!
//! τ dV/dt = c·(V − V_rest)·(V − V_c) − R·w + R·I, τ_w dw/dt = a·(V − V_rest) − w (with the
//! new V). After a spike: V reset as [`super::lif`], w ← w + b.
//!
//! Parameters (defaults): R = 1 ohm, tau = 10 ms, tau_w = 10 ms, V_th = −30 mV,
//! V_reset = −68 mV, V_rest = −65 mV, V_c = −50 mV, c = 0.07 /mV, a = 1 S, b = 0.1 mA,
//! I_ext = 0 mA. State: V (−65 mV), w (0 mA).
//!
//! Reference: brainpy.state 0.1.0 `AdQuaIF`; Izhikevich (2004).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const TAU_W: usize = 2;
const V_TH: usize = 3;
const V_RESET: usize = 4;
const V_REST: usize = 5;
const V_C: usize = 6;
const C: usize = 7;
const A: usize = 8;
const B: usize = 9;
const V: usize = 11;
const W: usize = 12;

/// brainpy.state `AdQuaIF`.
pub struct AdQuaIf;

static SPECS: [ParamSpec; 13] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("tau_w", Unit::Millisecond, 10.0, "Adaptation time constant"),
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
];

impl Dyn for AdQuaIf {
    const NAME: &'static str = "AdQuaIF";
    const DOC: &'static str = "Adaptive quadratic integrate-and-fire neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "w"];
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
        c[V][i] = v;
        c[W][i] = w;
        super::lif_spike(v, v_th, v_reset)
    }
}
