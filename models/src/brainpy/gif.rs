//! # Gif — generalized integrate-and-fire neuron (brainpy.state `Gif`)
//!
//! τ dV/dt = −(V − V_rest) + R·(I1 + I2 + I), dI1/dt = −k1·I1, dI2/dt = −k2·I2,
//! dV_th/dt = a·(V − V_rest) − b·(V_th − V_th_inf). Spike when (V − V_th)/(V_th − V_reset) ≥ 0;
//! then V reset as [`super::lif`] with the adaptive threshold, I1 ← R1·I1 + A1,
//! I2 ← R2·I2 + A2, V_th ← max(V_th_reset, V_th).
//!
//! Parameters (defaults): R = 20 ohm, tau = 20 ms, V_rest = −70 mV, V_reset = −70 mV,
//! V_th_inf = −50 mV, V_th_reset = −60 mV, a = 0 /ms, b = 0.01 /ms, k1 = 0.2 /ms,
//! k2 = 0.02 /ms, R1 = 0, R2 = 1, A1 = 0 mA, A2 = 0 mA, I_ext = 0 mA.
//! State: V (−70 mV), I1, I2 (0 mA), V_th (−50 mV).
//!
//! Reference: brainpy.state 0.1.0 `Gif`; Mihalaş & Niebur (2009).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const R: usize = 0;
const TAU: usize = 1;
const V_REST: usize = 2;
const V_RESET: usize = 3;
const V_TH_INF: usize = 4;
const V_TH_RESET: usize = 5;
const A: usize = 6;
const B: usize = 7;
const K1: usize = 8;
const K2: usize = 9;
const R1: usize = 10;
const R2: usize = 11;
const A1: usize = 12;
const A2: usize = 13;
const V: usize = 15;
const I1: usize = 16;
const I2: usize = 17;
const V_TH: usize = 18;

/// brainpy.state `Gif`.
pub struct Gif;

static SPECS: [ParamSpec; 19] = [
    ParamSpec::param("R", Unit::Ohm, 20.0, "Membrane resistance"),
    ParamSpec::param("tau", Unit::Millisecond, 20.0, "Membrane time constant"),
    ParamSpec::param("V_rest", Unit::MilliVolt, -70.0, "Resting potential"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential"),
    ParamSpec::param("V_th_inf", Unit::MilliVolt, -50.0, "Target of the threshold dynamics"),
    ParamSpec::param("V_th_reset", Unit::MilliVolt, -60.0, "Lower bound of the threshold after a spike"),
    ParamSpec::param("a", Unit::PerMillisecond, 0.0, "Voltage coupling of the threshold"),
    ParamSpec::param("b", Unit::PerMillisecond, 0.01, "Threshold relaxation rate"),
    ParamSpec::param("k1", Unit::PerMillisecond, 0.2, "Decay rate of I1"),
    ParamSpec::param("k2", Unit::PerMillisecond, 0.02, "Decay rate of I2"),
    ParamSpec::param("R1", Unit::Dimensionless, 0.0, "Spike-triggered scaling of I1"),
    ParamSpec::param("R2", Unit::Dimensionless, 1.0, "Spike-triggered scaling of I2"),
    ParamSpec::param("A1", Unit::MilliAmpere, 0.0, "Spike-triggered increment of I1"),
    ParamSpec::param("A2", Unit::MilliAmpere, 0.0, "Spike-triggered increment of I2"),
    ParamSpec::param("I_ext", Unit::MilliAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("I1", Unit::MilliAmpere, 0.0, "Spike-induced current 1"),
    ParamSpec::state("I2", Unit::MilliAmpere, 0.0, "Spike-induced current 2"),
    ParamSpec::state("V_th", Unit::MilliVolt, -50.0, "Adaptive threshold"),
];

impl Dyn for Gif {
    const NAME: &'static str = "Gif";
    const DOC: &'static str = "Generalized integrate-and-fire neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "I1", "I2", "V_th"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (r, tau, v_rest, v_reset, v_th_inf, v_th_reset) =
            (p(c, R, i), p(c, TAU, i), p(c, V_REST, i), p(c, V_RESET, i), p(c, V_TH_INF, i), p(c, V_TH_RESET, i));
        let (a, b, k1, k2) = (p(c, A, i), p(c, B, i), p(c, K1, i), p(c, K2, i));
        let (r1, r2, a1, a2) = (p(c, R1, i), p(c, R2, i), p(c, A1, i), p(c, A2, i));
        let (last_v, last_i1, last_i2, last_th) = (c[V][i], c[I1][i], c[I2][i], c[V_TH][i]);
        let spk = heaviside((last_v - last_th) / (last_th - v_reset));
        let th = if ctx.hard { last_v } else { last_th };
        let v0 = last_v - (th - v_reset) * spk;
        let i1r = last_i1 + spk * (r1 * last_i1 + a1 - last_i1);
        let i2r = last_i2 + spk * (r2 * last_i2 + a2 - last_i2);
        let thr = last_th + spk * (v_th_reset.max(last_th) - last_th);
        let i1 = exp_euler(i1r, -k1 * i1r, -k1, ctx.dt);
        let i2 = exp_euler(i2r, -k2 * i2r, -k2, ctx.dt);
        let vth = exp_euler(thr, a * (v0 - v_rest) - b * (thr - v_th_inf), -b, ctx.dt);
        let (cur, dcur) = inp.current(v0);
        // Gif's V equation sees the spike currents after their own step (brainpy's closure).
        let v =
            exp_euler(v0, (-(v0 - v_rest) + r * (i1 + i2 + cur)) / tau, (-1.0 + r * dcur) / tau, ctx.dt) + inp.delta;
        c[V][i] = v;
        c[I1][i] = i1;
        c[I2][i] = i2;
        c[V_TH][i] = vth;
        heaviside((v - vth) / (vth - v_reset)) > 0.0
    }
}
