//! # ExpIF — exponential integrate-and-fire neuron (brainpy.state `ExpIF`)
//!
//! τ dV/dt = −(V − V_rest) + Δ_T·exp(min((V − V_T)/Δ_T, 20)) + R·I. Reset and spike test as
//! [`super::lif`].
//!
//! Parameters (defaults): R = 1 ohm, tau = 10 ms, V_th = −30 mV, V_reset = −68 mV,
//! V_rest = −65 mV, V_T = −59.9 mV, delta_T = 3.48 mV, I_ext = 0 mA. State: V (−65 mV).
//!
//! Reference: brainpy.state 0.1.0 `ExpIF`; Fourcaud-Trocmé et al. (2003).

use super::{exp_euler, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const V_TH: usize = 2;
const V_RESET: usize = 3;
const V_REST: usize = 4;
const V_T: usize = 5;
const DELTA_T: usize = 6;
const V: usize = 8;

/// brainpy.state `ExpIF`.
pub struct ExpIf;

static SPECS: [ParamSpec; 9] = [
    ParamSpec::param("R", Unit::Ohm, 1.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("V_th", Unit::MilliVolt, -30.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -68.0, "Reset potential"),
    ParamSpec::param("V_rest", Unit::MilliVolt, -65.0, "Resting potential"),
    ParamSpec::param("V_T", Unit::MilliVolt, -59.9, "Threshold of the exponential term"),
    ParamSpec::param("delta_T", Unit::MilliVolt, 3.48, "Spike slope factor"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
];

impl Dyn for ExpIf {
    const NAME: &'static str = "ExpIF";
    const DOC: &'static str = "Exponential integrate-and-fire neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V"];
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
        c[V][i] = v;
        super::lif_spike(v, v_th, v_reset)
    }
}
