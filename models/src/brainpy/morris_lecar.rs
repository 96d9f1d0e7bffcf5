//! # MorrisLecar — Morris–Lecar neuron (brainpy.state `MorrisLecar`)
//!
//! C dV/dt = −g_Ca·M∞(V)·(V − V_Ca) − g_K·W·(V − V_K) − g_leak·(V − V_leak) + I,
//! dW/dt = (W∞(V) − W)/τ_W(V), M∞ = ½(1 + tanh((V − V1)/V2)), W∞ = ½(1 + tanh((V − V3)/V4)),
//! τ_W = 1/(φ·cosh((V − V3)/(2V4))), all evaluated at the start of the step. A spike is the
//! upward crossing of V_th.
//!
//! Parameters (defaults): V_Ca = 130 mV, g_Ca = 4.4 mS, V_K = −84 mV, g_K = 8 mS,
//! V_leak = −60 mV, g_leak = 2 mS, C = 20 uF, V1 = −1.2 mV, V2 = 18 mV, V3 = 2 mV, V4 = 30 mV,
//! phi = 0.04 /ms, V_th = 10 mV, I_ext = 0 uA. State: V (−65 mV; brainpy draws
//! Uniform(−70, −60) mV), W (0.02).
//!
//! Reference: brainpy.state 0.1.0 `MorrisLecar`; Morris & Lecar (1981).

use super::{exp_euler, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const V_CA: usize = 0;
const G_CA: usize = 1;
const V_K: usize = 2;
const G_K: usize = 3;
const V_LEAK: usize = 4;
const G_LEAK: usize = 5;
const C: usize = 6;
const V1: usize = 7;
const V2: usize = 8;
const V3: usize = 9;
const V4: usize = 10;
const PHI: usize = 11;
const V_TH: usize = 12;
const V: usize = 14;
const W: usize = 15;

/// brainpy.state `MorrisLecar`.
pub struct MorrisLecar;

static SPECS: [ParamSpec; 16] = [
    ParamSpec::param("V_Ca", Unit::MilliVolt, 130.0, "Calcium reversal potential"),
    ParamSpec::param("g_Ca", Unit::MilliSiemens, 4.4, "Calcium conductance"),
    ParamSpec::param("V_K", Unit::MilliVolt, -84.0, "Potassium reversal potential"),
    ParamSpec::param("g_K", Unit::MilliSiemens, 8.0, "Potassium conductance"),
    ParamSpec::param("V_leak", Unit::MilliVolt, -60.0, "Leak reversal potential"),
    ParamSpec::param("g_leak", Unit::MilliSiemens, 2.0, "Leak conductance"),
    ParamSpec::param("C", Unit::MicroFarad, 20.0, "Membrane capacitance"),
    ParamSpec::param("V1", Unit::MilliVolt, -1.2, "Midpoint of M_inf"),
    ParamSpec::param("V2", Unit::MilliVolt, 18.0, "Slope of M_inf"),
    ParamSpec::param("V3", Unit::MilliVolt, 2.0, "Midpoint of W_inf"),
    ParamSpec::param("V4", Unit::MilliVolt, 30.0, "Slope of W_inf"),
    ParamSpec::param("phi", Unit::PerMillisecond, 0.04, "Rate scale of W"),
    ParamSpec::param("V_th", Unit::MilliVolt, 10.0, "Spike threshold"),
    ParamSpec::param("I_ext", Unit::MicroAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("W", Unit::Dimensionless, 0.02, "Potassium activation"),
];

impl Dyn for MorrisLecar {
    const NAME: &'static str = "MorrisLecar";
    const DOC: &'static str = "Morris-Lecar neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "W"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MicroAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let last_v = c[V][i];
        let last_w = c[W][i];
        let (v1, v2, v3, v4, phi) = (p(c, V1, i), p(c, V2, i), p(c, V3, i), p(c, V4, i), p(c, PHI, i));
        let m_inf = 0.5 * (1.0 + ((last_v - v1) / v2).tanh());
        let w_inf = 0.5 * (1.0 + ((last_v - v3) / v4).tanh());
        let tau_w = 1.0 / (phi * ((last_v - v3) / (2.0 * v4)).cosh());
        let gca = p(c, G_CA, i) * m_inf;
        let gk = p(c, G_K, i) * last_w;
        let (gl, cm, v_th) = (p(c, G_LEAK, i), p(c, C, i), p(c, V_TH, i));
        let (cur, _) = inp.current(last_v);
        let f = (-gca * (last_v - p(c, V_CA, i)) - gk * (last_v - p(c, V_K, i)) - gl * (last_v - p(c, V_LEAK, i))
            + cur)
            / cm;
        let v = exp_euler(last_v, f, -(gca + gk + gl) / cm, ctx.dt) + inp.delta;
        c[W][i] = exp_euler(last_w, (w_inf - last_w) / tau_w, -1.0 / tau_w, ctx.dt);
        c[V][i] = v;
        heaviside((v - v_th) / v_th) * (1.0 - heaviside((last_v - v_th) / v_th)) > 0.0
    }
}
