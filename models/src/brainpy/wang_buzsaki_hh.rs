//! # WangBuzsakiHH — Wang–Buzsáki interneuron (brainpy.state `WangBuzsakiHH`)
//!
//! C dV/dt = −g_Na·m∞³h·(V − E_Na) − g_K·n⁴·(V − E_K) − g_L·(V − E_L) + I,
//! dh/dt = φ(α_h(1 − h) − β_h h), dn/dt = φ(α_n(1 − n) − β_n n), with
//! α_m = 1/exprel(−0.1(V + 35)), β_m = 4·exp(−(V + 60)/18), α_h = 0.07·exp(−(V + 58)/20),
//! β_h = 1/(exp(−0.1(V + 28)) + 1), α_n = 0.1/exprel(−0.1(V + 34)), β_n = 0.125·exp(−(V + 44)/80).
//! A spike is the upward crossing of V_th.
//!
//! Parameters (defaults): ENa = 55 mV, gNa = 35 mS, EK = −90 mV, gK = 9 mS, EL = −65 mV,
//! gL = 0.1 mS, V_th = 20 mV, phi = 5, C = 1 uF, I_ext = 0 uA. State: V (−65 mV), h (0.6),
//! n (0.32).
//!
//! Reference: brainpy.state 0.1.0 `WangBuzsakiHH`; Wang & Buzsáki (1996).

use super::{exp_euler, exprel, heaviside, p, Ctx, Dyn, Input};
use nestor_kernel::schema::ParamSpec;
use nestor_kernel::units::Unit;

const ENA: usize = 0;
const GNA: usize = 1;
const EK: usize = 2;
const GK: usize = 3;
const EL: usize = 4;
const GL: usize = 5;
const V_TH: usize = 6;
const PHI: usize = 7;
const C: usize = 8;
const V: usize = 10;
const H: usize = 11;
const N: usize = 12;

/// brainpy.state `WangBuzsakiHH`.
pub struct WangBuzsakiHh;

static SPECS: [ParamSpec; 13] = [
    ParamSpec::param("ENa", Unit::MilliVolt, 55.0, "Sodium reversal potential"),
    ParamSpec::param("gNa", Unit::MilliSiemens, 35.0, "Sodium peak conductance"),
    ParamSpec::param("EK", Unit::MilliVolt, -90.0, "Potassium reversal potential"),
    ParamSpec::param("gK", Unit::MilliSiemens, 9.0, "Potassium peak conductance"),
    ParamSpec::param("EL", Unit::MilliVolt, -65.0, "Leak reversal potential"),
    ParamSpec::param("gL", Unit::MilliSiemens, 0.1, "Leak conductance"),
    ParamSpec::param("V_th", Unit::MilliVolt, 20.0, "Spike threshold"),
    ParamSpec::param("phi", Unit::Dimensionless, 5.0, "Temperature factor of the gating kinetics"),
    ParamSpec::param("C", Unit::MicroFarad, 1.0, "Membrane capacitance"),
    ParamSpec::param("I_ext", Unit::MicroAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("h", Unit::Dimensionless, 0.6, "Sodium inactivation"),
    ParamSpec::state("n", Unit::Dimensionless, 0.32, "Potassium activation"),
];

impl Dyn for WangBuzsakiHh {
    const NAME: &'static str = "WangBuzsakiHH";
    const DOC: &'static str = "Wang-Buzsaki interneuron model (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "h", "n"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MicroAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let last_v = c[V][i];
        let (h, n) = (c[H][i], c[N][i]);
        let am = 1.0 / exprel(-0.1 * (last_v + 35.0));
        let bm = 4.0 * (-(last_v + 60.0) / 18.0).exp();
        let m_inf = am / (am + bm);
        let gna = p(c, GNA, i) * m_inf * m_inf * m_inf * h;
        let gk = p(c, GK, i) * n * n * n * n;
        let (gl, cm, v_th, phi) = (p(c, GL, i), p(c, C, i), p(c, V_TH, i), p(c, PHI, i));
        let (cur, _) = inp.current(last_v);
        let f = (-gna * (last_v - p(c, ENA, i)) - gk * (last_v - p(c, EK, i)) - gl * (last_v - p(c, EL, i)) + cur) / cm;
        let v = exp_euler(last_v, f, -(gna + gk + gl) / cm, ctx.dt) + inp.delta;
        let ah = 0.07 * (-(last_v + 58.0) / 20.0).exp();
        let bh = 1.0 / ((-0.1 * (last_v + 28.0)).exp() + 1.0);
        let an = 0.1 / exprel(-0.1 * (last_v + 34.0));
        let bn = 0.125 * (-(last_v + 44.0) / 80.0).exp();
        c[H][i] = exp_euler(h, phi * (ah * (1.0 - h) - bh * h), -phi * (ah + bh), ctx.dt);
        c[N][i] = exp_euler(n, phi * (an * (1.0 - n) - bn * n), -phi * (an + bn), ctx.dt);
        c[V][i] = v;
        heaviside((v - v_th) / v_th) * (1.0 - heaviside((last_v - v_th) / v_th)) > 0.0
    }
}
