//! # Izhikevich — Izhikevich neuron (brainpy.state `Izhikevich`)
//!
//! dV/dt = 0.04V² + 5V + 140 − u + I, du/dt = a(bV − u) (with the new V; V in mV, t in ms,
//! u and I in mV/ms). Spike when (V − V_th)/V_th ≥ 0; the next step starts from V = c,
//! u ← u + d. The input current is in mV/ms (brainpy's unit for this model).
//!
//! Parameters (defaults): a = 0.02 /ms, b = 0.2 /ms, c = −65 mV, d = 8 mV/ms, V_th = 30 mV,
//! I_ext = 0 mV/ms. State: V (−65 mV), u (0 mV/ms). spk_reset defaults to 'hard'.
//!
//! Reference: brainpy.state 0.1.0 `Izhikevich`; Izhikevich (2003).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const A: usize = 0;
const B: usize = 1;
const C: usize = 2;
const D: usize = 3;
const V_TH: usize = 4;
const V: usize = 6;
const U: usize = 7;

/// brainpy.state `Izhikevich`.
pub struct Izhikevich;

static SPECS: [ParamSpec; 8] = [
    ParamSpec::param("a", Unit::PerMillisecond, 0.02, "Recovery time scale"),
    ParamSpec::param("b", Unit::PerMillisecond, 0.2, "Recovery sensitivity"),
    ParamSpec::param("c", Unit::MilliVolt, -65.0, "Reset potential"),
    ParamSpec::param("d", Unit::MilliVoltPerMillisecond, 8.0, "Recovery increment after a spike"),
    ParamSpec::param("V_th", Unit::MilliVolt, 30.0, "Spike cutoff"),
    ParamSpec::param(
        "I_ext",
        Unit::MilliVoltPerMillisecond,
        0.0,
        "Constant external input (brainpy update argument x)",
    ),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("u", Unit::MilliVoltPerMillisecond, 0.0, "Recovery variable"),
];

impl Dyn for Izhikevich {
    const NAME: &'static str = "Izhikevich";
    const DOC: &'static str = "Izhikevich neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "u"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MilliVoltPerMillisecond;
    const DELTA_UNIT: Unit = Unit::MilliVolt;
    const HARD_DEFAULT: bool = true;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let (a, b, cr, d, v_th) = (p(c, A, i), p(c, B, i), p(c, C, i), p(c, D, i), p(c, V_TH, i));
        let (last_v, last_u) = (c[V][i], c[U][i]);
        let spk = heaviside((last_v - v_th) / v_th);
        let v0 = if spk > 0.0 { cr } else { last_v };
        let u0 = last_u + d * spk;
        let (cur, dcur) = inp.current(v0);
        let f = 0.04 * v0 * v0 + 5.0 * v0 + 140.0 - u0 + cur;
        let v = exp_euler(v0, f, 0.08 * v0 + 5.0 + dcur, ctx.dt) + inp.delta;
        let u = exp_euler(u0, a * (b * v - u0), -a, ctx.dt);
        c[V][i] = v;
        c[U][i] = u;
        heaviside((v - v_th) / v_th) > 0.0
    }
}
