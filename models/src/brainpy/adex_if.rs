//! # AdExIF — adaptive exponential integrate-and-fire neuron (brainpy.state `AdExIF`)
//!
//! τ dV/dt = −(V − V_rest) + Δ_T·exp(min((V − V_T)/Δ_T, 20)) − R·w + R·I,
//! τ_w dw/dt = a·(V − V_rest) − w (with the new V). After a spike: V reset as [`super::lif`],
//! w ← w + b.
//!
//! Parameters (defaults): R = 1 ohm, tau = 10 ms, tau_w = 30 ms, V_th = −55 mV,
//! V_reset = −68 mV, V_rest = −65 mV, V_T = −59.9 mV, delta_T = 3.48 mV, a = 1 S, b = 1 mA,
//! I_ext = 0 mA. State: V (−65 mV), w (0 mA).
//!
//! Reference: brainpy.state 0.1.0 `AdExIF`; Brette & Gerstner (2005).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const TAU_W: usize = 2;
const V_TH: usize = 3;
const V_RESET: usize = 4;
const V_REST: usize = 5;
const V_T: usize = 6;
const DELTA_T: usize = 7;
const A: usize = 8;
const B: usize = 9;
const V: usize = 11;
const W: usize = 12;

/// brainpy.state `AdExIF`.
pub struct AdExIf;

static SPECS: [ParamSpec; 13] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("tau_w", Unit::Millisecond, 30.0, "Adaptation time constant"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -68.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, -65.0, "Resting potential"),
    ParamSpec::param("V_T", Unit::MilliVolt, -59.9, "Threshold of the exponential term"),
    ParamSpec::param("delta_T", Unit::MilliVolt, 3.48, "Spike slope factor"),
    ParamSpec::param("a", Unit::Siemens, 1.0, "Subthreshold adaptation coupling"),
    ParamSpec::param("b", Unit::MilliAmpere, 1.0, "Spike-triggered adaptation increment"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("w", Unit::MilliAmpere, 0.0, "Adaptation current"),
];

impl Dyn for AdExIf {
    const NAME: &'static str = "AdExIF";
    const DOC: &'static str = "Adaptive exponential integrate-and-fire neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "w"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, tau_w, v_th, v_reset, v_rest, v_t, d_t) = (
            p(c, R, i),
            p(c, TAU, i),
            p(c, TAU_W, i),
            p(c, V_TH, i),
            p(c, V_RESET, i),
            p(c, V_REST, i),
            p(c, V_T, i),
            p(c, DELTA_T, i),
        );
        let (a, b) = (p(c, A, i), p(c, B, i));
        let last_v = c[V][i];
        let spk = heaviside((last_v - v_th) / (v_th - v_reset));
        let v0 = super::lif_reset(last_v, v_th, v_reset, ctx.hard);
        let w0 = c[W][i] + b * spk;
        let (cur, dcur) = inp.current(v0);
        let (e, de) = super::exp_term(v0, v_t, d_t);
        let v = exp_euler(v0, (-(v0 - v_rest) + e - r * w0 + r * cur) / tau, (-1.0 + de + r * dcur) / tau, ctx.dt)
            + inp.delta;
        // a is in S and V in mV: a·(V − V_rest) is in mA.
        let w = exp_euler(w0, (a * (v - v_rest) - w0) / tau_w, -1.0 / tau_w, ctx.dt);
        c[V][i] = v;
        c[W][i] = w;
        super::lif_spike(v, v_th, v_reset)
    }
}
