//! # HH — Hodgkin–Huxley neuron (brainpy.state `HH`)
//!
//! C dV/dt = −g_Na·m³h·(V − E_Na) − g_K·n⁴·(V − E_K) − g_L·(V − E_L) + I, with
//! dx/dt = α_x(V)(1 − x) − β_x(V)x for x = m, h, n; α_m = 1/exprel(−(V + 40)/10),
//! β_m = 4·exp(−(V + 65)/18), α_h = 0.07·exp(−(V + 65)/20), β_h = 1/(1 + exp(−(V + 35)/10)),
//! α_n = 0.1/exprel(−(V + 55)/10), β_n = 0.125·exp(−(V + 65)/80) (per ms, V in mV). The
//! gating variables and the input current are evaluated at the start of the step; each
//! variable takes one exponential Euler step. A spike is the upward crossing of V_th.
//!
//! Parameters (defaults): ENa = 50 mV, gNa = 120 mS, EK = −77 mV, gK = 36 mS,
//! EL = −54.387 mV, gL = 0.03 mS, V_th = 20 mV, C = 1 uF, I_ext = 0 uA.
//! State: V (−65 mV; brainpy draws Uniform(−70, −60) mV), m, h, n (NaN = steady state at the
//! initial V, filled in at the first step, as brainpy's default initializers do).
//!
//! Reference: brainpy.state 0.1.0 `HH`; Hodgkin & Huxley (1952).

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
const C: usize = 7;
const V: usize = 9;
const M: usize = 10;
const H: usize = 11;
const N: usize = 12;

/// brainpy.state `HH`.
pub struct Hh;

static SPECS: [ParamSpec; 13] = [
    ParamSpec::param("ENa", Unit::MilliVolt, 50.0, "Sodium reversal potential"),
    ParamSpec::param("gNa", Unit::MilliSiemens, 120.0, "Sodium peak conductance"),
    ParamSpec::param("EK", Unit::MilliVolt, -77.0, "Potassium reversal potential"),
    ParamSpec::param("gK", Unit::MilliSiemens, 36.0, "Potassium peak conductance"),
    ParamSpec::param("EL", Unit::MilliVolt, -54.387, "Leak reversal potential"),
    ParamSpec::param("gL", Unit::MilliSiemens, 0.03, "Leak conductance"),
    ParamSpec::param("V_th", Unit::MilliVolt, 20.0, "Spike threshold"),
    ParamSpec::param("C", Unit::MicroFarad, 1.0, "Membrane capacitance"),
    ParamSpec::param("I_ext", Unit::MicroAmpere, 0.0, "Constant external current (brainpy update argument x)"),
    ParamSpec::state("V", Unit::MilliVolt, -65.0, "Membrane potential"),
    ParamSpec::state("m", Unit::Dimensionless, f64::NAN, "Sodium activation"),
    ParamSpec::state("h", Unit::Dimensionless, f64::NAN, "Sodium inactivation"),
    ParamSpec::state("n", Unit::Dimensionless, f64::NAN, "Potassium activation"),
];

impl Dyn for Hh {
    const NAME: &'static str = "HH";
    const DOC: &'static str = "Hodgkin-Huxley neuron (brainpy.state)";
    const SPECS: &'static [ParamSpec] = &SPECS;
    const RECORDABLES: &'static [&'static str] = &["V", "m", "h", "n"];
    const V_UNIT: Unit = Unit::MilliVolt;
    const I_UNIT: Unit = Unit::MicroAmpere;
    const DELTA_UNIT: Unit = Unit::MilliVolt;

    #[inline(always)]
    fn step(c: &mut [Vec<f64>], i: usize, ctx: &Ctx, inp: &Input<'_>) -> bool {
        let last_v = c[V][i];
        let (am, bm, ah, bh, an, bn) = rates(last_v);
        if c[M][i].is_nan() {
            c[M][i] = am / (am + bm);
        }
        if c[H][i].is_nan() {
            c[H][i] = ah / (ah + bh);
        }
        if c[N][i].is_nan() {
            c[N][i] = an / (an + bn);
        }
        let (m, h, n) = (c[M][i], c[H][i], c[N][i]);
        let (ena, ek, el, gl, cm, v_th) =
            (p(c, ENA, i), p(c, EK, i), p(c, EL, i), p(c, GL, i), p(c, C, i), p(c, V_TH, i));
        let gna = p(c, GNA, i) * m * m * m * h;
        let gk = p(c, GK, i) * n * n * n * n;
        let (cur, _) = inp.current(last_v);
        let f = (-gna * (last_v - ena) - gk * (last_v - ek) - gl * (last_v - el) + cur) / cm;
        let v = exp_euler(last_v, f, -(gna + gk + gl) / cm, ctx.dt) + inp.delta;
        c[M][i] = exp_euler(m, am * (1.0 - m) - bm * m, -(am + bm), ctx.dt);
        c[H][i] = exp_euler(h, ah * (1.0 - h) - bh * h, -(ah + bh), ctx.dt);
        c[N][i] = exp_euler(n, an * (1.0 - n) - bn * n, -(an + bn), ctx.dt);
        c[V][i] = v;
        heaviside((v - v_th) / v_th) * (1.0 - heaviside((last_v - v_th) / v_th)) > 0.0
    }
}

/// α and β of m, h, n at `v` (mV), per ms.
fn rates(v: f64) -> (f64, f64, f64, f64, f64, f64) {
    let am = 1.0 / exprel(-(v + 40.0) / 10.0);
    let bm = 4.0 * (-(v + 65.0) / 18.0).exp();
    let ah = 0.07 * (-(v + 65.0) / 20.0).exp();
    let bh = 1.0 / (1.0 + (-(v + 35.0) / 10.0).exp());
    let an = 0.1 / exprel(-(v + 55.0) / 10.0);
    let bn = 0.125 * (-(v + 65.0) / 80.0).exp();
    (am, bm, ah, bh, an, bn)
}
