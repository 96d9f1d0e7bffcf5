//! # ht_neuron — Hill & Tononi (2005) neuron with intrinsic currents and four synapse types
//!
//! An integrate-and-fire neuron with an adaptive threshold θ, a repolarising potassium current
//! after each spike instead of a hard reset, four conductance-based synapse types with
//! difference-of-exponentials time courses (AMPA, NMDA with magnesium unblocking, GABA_A,
//! GABA_B) and four intrinsic currents (persistent sodium I_NaP, depolarisation-activated
//! potassium I_KNa, low-threshold calcium I_T, pacemaker I_h). NEST 3.10's `ht_neuron`,
//! integrated with the adaptive RKF45 scheme NEST uses ([`crate::rkf45`], GSL's control on y
//! with absolute error 1e-3 and relative error 0). As in NEST, conductances are dimensionless
//! and "currents" (the recordables `I_*`, step currents) are in mV: they are divided by τ_m.
//!
//! ## Equations
//!
//! V is the membrane potential (mV, replaced by the clamp value V_c when `voltage_clamp`), t in ms.
//!
//! ```text
//! dV/dt = (I_Na + I_K + I_syn + I_NaP + I_KNa + I_T + I_h + I_stim) / τ_m + I_spike
//! I_Na  = −g_NaL (V − E_Na)                     I_K = −g_KL (V − E_K)
//! I_spike = −(V − E_K) / τ_spike  while refractory, else 0
//! dθ/dt = −(θ − θ_eq) / τ_θ
//!
//! synapse X ∈ {AMPA, NMDA, GABA_A, GABA_B}:
//!   d(dg_X)/dt = −dg_X / τ_rise,X        dg_X/dt = dg_X − g_X / τ_decay,X
//! I_syn = −g_AMPA (V − E_AMPA) − g_NMDA m_NMDA (V − E_NMDA) − g_GABA_A (V − E_GABA_A)
//!         − g_GABA_B (V − E_GABA_B)
//!
//! NMDA unblocking:
//!   m_eq(V) = 1 / (1 + exp(−S_act (V − V_act)))
//!   m_f = min(m_eq, m_fast), m_s = min(m_eq, m_slow)      (instantaneous blocking)
//!   dm_fast/dt = (m_eq − m_f) / τ_Mg,fast                 dm_slow/dt = (m_eq − m_s) / τ_Mg,slow
//!   m_NMDA = m_eq                                  if instant_unblock_NMDA
//!          = A1 m_f + (1 − A1) m_s, A1 = 0.51 − 0.0028 V    otherwise
//!
//! intrinsic currents:
//!   I_NaP = −g_NaP m∞^N_NaP (V − E_NaP),   m∞ = 1 / (1 + exp(−(V + 55.7) / 7.7))
//!   I_KNa = −g_KNa (V − E_KNa) / (1 + (0.25 / D)^3.5)
//!       dD/dt = (D_eq(V) − D) / τ_D,   D_eq = τ_D · 0.025 / (1 + exp(−(V + 10) / 5)) + 0.001
//!   I_T   = −g_T m_T^N_T h_T (V − E_T)
//!       dm_T/dt = (1/(1 + exp(−(V + 59)/6.2)) − m_T) / τ_mT,
//!       τ_mT = 0.22 / (exp(−(V + 132)/16.7) + exp((V + 16.8)/18.2)) + 0.13
//!       dh_T/dt = (1/(1 + exp((V + 83)/4)) − h_T) / τ_hT,
//!       τ_hT = 8.2 + (56.6 + 0.27 exp((V + 115.2)/5)) / (1 + exp((V + 86)/3.2))
//!   I_h   = −g_h m_h (V − E_h)
//!       dm_h/dt = (1/(1 + exp((V + 75)/5.5)) − m_h) / τ_mh,
//!       τ_mh = 1 / (exp(−14.59 − 0.086 V) + exp(−1.87 + 0.0701 V))
//! ```
//!
//! One simulation step (NEST's order): the system is integrated over h in adaptive sub-steps;
//! after **each** sub-step V is set back to V_c when clamped, m_fast and m_slow are cut to
//! m_eq(V), and — if the neuron is not refractory and V ≥ θ — it spikes: V and θ are set to
//! E_Na and the refractory counter to round(t_ref / h) + 1 steps, so the repolarising current
//! acts from the rest of this sub-step on. After the step the counter is decremented, the spike
//! input of the step is added to dg_X (weight × multiplicity × g_peak,X × the beta
//! normalisation that makes a unit weight peak at g_peak,X), and the step current received in
//! the step is stored to act during the next step. The spike time is the end of the step.
//!
//! The recorded intrinsic currents are those of NEST's last right-hand-side evaluation in the
//! step: at the end of the last sub-step, before the clamp, the NMDA cut and the spike reset.
//!
//! ## Parameters
//!
//! | NEST name              | unit | default | meaning                                        |
//! |------------------------|------|---------|------------------------------------------------|
//! | `E_Na`                 | mV   | 30      | sodium reversal potential (leak; spike value)  |
//! | `E_K`                  | mV   | −90     | potassium reversal potential (leak, I_spike)   |
//! | `g_NaL`                | —    | 0.2     | sodium leak conductance                        |
//! | `g_KL`                 | —    | 1       | potassium leak conductance                     |
//! | `tau_m`                | ms   | 16      | membrane time constant (all but I_spike)       |
//! | `theta_eq`             | mV   | −51     | equilibrium threshold                          |
//! | `tau_theta`            | ms   | 2       | threshold time constant                        |
//! | `t_ref`                | ms   | 2       | refractory time = duration of I_spike          |
//! | `tau_spike`            | ms   | 1.75    | membrane time constant of I_spike              |
//! | `g_peak_AMPA`          | —    | 0.1     | peak conductance of a unit AMPA weight         |
//! | `tau_rise_AMPA`        | ms   | 0.5     | AMPA rise time constant                        |
//! | `tau_decay_AMPA`       | ms   | 2.4     | AMPA decay time constant                       |
//! | `E_rev_AMPA`           | mV   | 0       | AMPA reversal potential                        |
//! | `g_peak_NMDA`          | —    | 0.075   | peak conductance of a unit NMDA weight         |
//! | `tau_rise_NMDA`        | ms   | 4       | NMDA rise time constant                        |
//! | `tau_decay_NMDA`       | ms   | 40      | NMDA decay time constant                       |
//! | `E_rev_NMDA`           | mV   | 0       | NMDA reversal potential                        |
//! | `V_act_NMDA`           | mV   | −25.57  | inflection of the NMDA unblocking sigmoid      |
//! | `S_act_NMDA`           | 1/mV | 0.081   | slope of the unblocking sigmoid (NEST says mV) |
//! | `tau_Mg_slow_NMDA`     | ms   | 22.7    | slow unblocking time constant                  |
//! | `tau_Mg_fast_NMDA`     | ms   | 0.68    | fast unblocking time constant                  |
//! | `instant_unblock_NMDA` | bool | false   | instantaneous NMDA unblocking                  |
//! | `g_peak_GABA_A`        | —    | 0.33    | peak conductance of a unit GABA_A weight       |
//! | `tau_rise_GABA_A`      | ms   | 1       | GABA_A rise time constant                      |
//! | `tau_decay_GABA_A`     | ms   | 7       | GABA_A decay time constant                     |
//! | `E_rev_GABA_A`         | mV   | −70     | GABA_A reversal potential                      |
//! | `g_peak_GABA_B`        | —    | 0.0132  | peak conductance of a unit GABA_B weight       |
//! | `tau_rise_GABA_B`      | ms   | 60      | GABA_B rise time constant                      |
//! | `tau_decay_GABA_B`     | ms   | 200     | GABA_B decay time constant                     |
//! | `E_rev_GABA_B`         | mV   | −90     | GABA_B reversal potential                      |
//! | `g_peak_NaP`           | —    | 1       | I_NaP peak conductance                         |
//! | `E_rev_NaP`            | mV   | 30      | I_NaP reversal potential                       |
//! | `N_NaP`                | —    | 3       | I_NaP activation exponent                      |
//! | `g_peak_KNa`           | —    | 1       | I_KNa peak conductance                         |
//! | `E_rev_KNa`            | mV   | −90     | I_KNa reversal potential                       |
//! | `tau_D_KNa`            | ms   | 1250    | relaxation time constant of D                  |
//! | `g_peak_T`             | —    | 1       | I_T peak conductance                           |
//! | `E_rev_T`              | mV   | 0       | I_T reversal potential                         |
//! | `N_T`                  | —    | 2       | I_T activation exponent                        |
//! | `g_peak_h`             | —    | 1       | I_h peak conductance                           |
//! | `E_rev_h`              | mV   | −40     | I_h reversal potential                         |
//! | `voltage_clamp`        | bool | false   | clamp V to its value at the start of Simulate  |
//!
//! Checks (NEST's order, each a `BadParameter` with NEST's text and the value): every
//! `g_peak_*` of AMPA, GABA_A, GABA_B, KNa, then `S_act_NMDA`, `g_peak_NMDA`, `g_peak_T`,
//! `g_peak_h`, `g_peak_NaP`, `g_KL`, `g_NaL` ≥ 0; `t_ref` ≥ 0; every rise and decay time
//! constant (AMPA, GABA_A, GABA_B, NMDA), `tau_Mg_fast_NMDA`, `tau_Mg_slow_NMDA`, `tau_spike`,
//! `tau_theta`, `tau_m`, `tau_D_KNa` > 0; rise < decay for AMPA, GABA_A, GABA_B, NMDA;
//! `tau_Mg_fast_NMDA < tau_Mg_slow_NMDA`. `N_NaP` and `N_T` are not checked (as in NEST).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, initially (g_NaL E_Na + g_KL E_K)/(g_NaL + g_KL) = −70 mV with the
//!   defaults) and `theta` (mV, initially θ_eq). The synaptic variables start at 0; m_fast,
//!   m_slow, m_h, D, m_T and h_T at their equilibria for the initial V (computed with the
//!   default parameters, as NEST does for every new node).
//! * SetStatus also accepts `equilibrate` (bool): if true, m_fast, m_slow, m_h, D, m_T, h_T are
//!   set to their equilibria for the (new) V_m. NEST evaluates these equilibria with the
//!   parameters from before the call; nestor with the parameters set in the same call (the two
//!   differ only if `S_act_NMDA`, `V_act_NMDA` or `tau_D_KNa` change in that call).
//! * GetStatus also shows `receptor_types` = {AMPA: 1, NMDA: 2, GABA_A: 3, GABA_B: 4}.
//! * Recordables (NEST's list): `I_KNa`, `I_NaP`, `I_T`, `I_h` (mV), `V_m`, `g_AMPA`,
//!   `g_GABA_A`, `g_GABA_B`, `g_NMDA` (= g_NMDA time course × m_NMDA at the recorded V and
//!   m_fast, m_slow), `theta`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptors 1 (AMPA), 2 (NMDA), 3 (GABA_A), 4 (GABA_B), weights
//!   dimensionless (the conductance jump is weight × g_peak × normalisation; a negative weight
//!   is not refused, as in NEST); currents on receptor 0 (mV, as NEST's "pA" here). A spike on
//!   receptor 0 or above 4, or a current on any receptor but 0: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Hill S, Tononi G (2005). Modeling sleep and wakefulness in the thalamocortical system.
//!    J Neurophysiol 93:1671–1698. doi:10.1152/jn.00915.2004
//! 2. Vargas-Caballero M, Robinson HPC (2003). A slow fraction of Mg2+ unblock of NMDA
//!    receptors limits their contribution to spike generation in cortical pyramidal neurons.
//!    J Neurophysiol 89:2778–2783. doi:10.1152/jn.01038.2002
//! 3. Compte A, Sanchez-Vives MV, McCormick DA, Wang X-J (2003). Cellular and network
//!    mechanisms of slow oscillatory activity (<1 Hz) and wave propagations in a cortical
//!    network model. J Neurophysiol 89:2707–2725. doi:10.1152/jn.00845.2002 (I_NaP)
//!
//! ## See also
//!
//! [`crate::ht_synapse`], [`crate::iaf_cond_beta`], [`crate::rkf45`].

use crate::iaf_cond_beta::beta_normalization_factor;
use crate::neuron::{col, failure, gather, scatter, unknown_receptor, Neuron, Receptors};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_step, Ode, Tolerance};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, EventKind, Failure, Inputs, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The status schema of `ht_neuron` in the order of NEST's `get_status`: NEST names, units and
/// defaults. `V_m`'s default is replaced by the leak equilibrium when nodes are made.
pub static SCHEMA: [ParamSpec; 46] = [
    ParamSpec::param("E_Na", Unit::MilliVolt, 30.0, "Sodium reversal potential"),
    ParamSpec::param("E_K", Unit::MilliVolt, -90.0, "Potassium reversal potential"),
    ParamSpec::param("g_NaL", Unit::Dimensionless, 0.2, "Sodium leak conductance"),
    ParamSpec::param("g_KL", Unit::Dimensionless, 1.0, "Potassium leak conductance"),
    ParamSpec::param("tau_m", Unit::Millisecond, 16.0, "Membrane time constant"),
    ParamSpec::param("theta_eq", Unit::MilliVolt, -51.0, "Equilibrium threshold"),
    ParamSpec::param("tau_theta", Unit::Millisecond, 2.0, "Threshold time constant"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Refractory time (duration of the repolarising K current)"),
    ParamSpec::param("tau_spike", Unit::Millisecond, 1.75, "Membrane time constant of the repolarising K current"),
    ParamSpec::param("g_peak_AMPA", Unit::Dimensionless, 0.1, "AMPA peak conductance"),
    ParamSpec::param("tau_rise_AMPA", Unit::Millisecond, 0.5, "AMPA rise time constant"),
    ParamSpec::param("tau_decay_AMPA", Unit::Millisecond, 2.4, "AMPA decay time constant"),
    ParamSpec::param("E_rev_AMPA", Unit::MilliVolt, 0.0, "AMPA reversal potential"),
    ParamSpec::param("g_peak_NMDA", Unit::Dimensionless, 0.075, "NMDA peak conductance"),
    ParamSpec::param("tau_rise_NMDA", Unit::Millisecond, 4.0, "NMDA rise time constant"),
    ParamSpec::param("tau_decay_NMDA", Unit::Millisecond, 40.0, "NMDA decay time constant"),
    ParamSpec::param("E_rev_NMDA", Unit::MilliVolt, 0.0, "NMDA reversal potential"),
    ParamSpec::param("V_act_NMDA", Unit::MilliVolt, -25.57, "Inflection of the NMDA unblocking sigmoid"),
    ParamSpec::param("S_act_NMDA", Unit::PerMillivolt, 0.081, "Slope of the NMDA unblocking sigmoid"),
    ParamSpec::param("tau_Mg_slow_NMDA", Unit::Millisecond, 22.7, "Slow NMDA unblocking time constant"),
    ParamSpec::param("tau_Mg_fast_NMDA", Unit::Millisecond, 0.68, "Fast NMDA unblocking time constant"),
    ParamSpec::param("instant_unblock_NMDA", Unit::Bool, 0.0, "Instantaneous NMDA unblocking"),
    ParamSpec::param("g_peak_GABA_A", Unit::Dimensionless, 0.33, "GABA_A peak conductance"),
    ParamSpec::param("tau_rise_GABA_A", Unit::Millisecond, 1.0, "GABA_A rise time constant"),
    ParamSpec::param("tau_decay_GABA_A", Unit::Millisecond, 7.0, "GABA_A decay time constant"),
    ParamSpec::param("E_rev_GABA_A", Unit::MilliVolt, -70.0, "GABA_A reversal potential"),
    ParamSpec::param("g_peak_GABA_B", Unit::Dimensionless, 0.0132, "GABA_B peak conductance"),
    ParamSpec::param("tau_rise_GABA_B", Unit::Millisecond, 60.0, "GABA_B rise time constant"),
    ParamSpec::param("tau_decay_GABA_B", Unit::Millisecond, 200.0, "GABA_B decay time constant"),
    ParamSpec::param("E_rev_GABA_B", Unit::MilliVolt, -90.0, "GABA_B reversal potential"),
    ParamSpec::param("g_peak_NaP", Unit::Dimensionless, 1.0, "Persistent Na current peak conductance"),
    ParamSpec::param("E_rev_NaP", Unit::MilliVolt, 30.0, "Persistent Na current reversal potential"),
    ParamSpec::param("N_NaP", Unit::Dimensionless, 3.0, "Persistent Na current activation exponent"),
    ParamSpec::param("g_peak_KNa", Unit::Dimensionless, 1.0, "Depolarisation-activated K current peak conductance"),
    ParamSpec::param("E_rev_KNa", Unit::MilliVolt, -90.0, "Depolarisation-activated K current reversal potential"),
    ParamSpec::param("tau_D_KNa", Unit::Millisecond, 1250.0, "Relaxation time constant of I_KNa's D"),
    ParamSpec::param("g_peak_T", Unit::Dimensionless, 1.0, "Low-threshold Ca current peak conductance"),
    ParamSpec::param("E_rev_T", Unit::MilliVolt, 0.0, "Low-threshold Ca current reversal potential"),
    ParamSpec::param("N_T", Unit::Dimensionless, 2.0, "Low-threshold Ca current activation exponent"),
    ParamSpec::param("g_peak_h", Unit::Dimensionless, 1.0, "Pacemaker current peak conductance"),
    ParamSpec::param("E_rev_h", Unit::MilliVolt, -40.0, "Pacemaker current reversal potential"),
    ParamSpec::param("voltage_clamp", Unit::Bool, 0.0, "Clamp V_m to its value at the start of Simulate"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("theta", Unit::MilliVolt, -51.0, "Threshold"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const E_NA: usize = col(&SCHEMA, "E_Na");
const E_K: usize = col(&SCHEMA, "E_K");
const G_NAL: usize = col(&SCHEMA, "g_NaL");
const G_KL: usize = col(&SCHEMA, "g_KL");
const TAU_M: usize = col(&SCHEMA, "tau_m");
const THETA_EQ: usize = col(&SCHEMA, "theta_eq");
const TAU_THETA: usize = col(&SCHEMA, "tau_theta");
const T_REF: usize = col(&SCHEMA, "t_ref");
const TAU_SPIKE: usize = col(&SCHEMA, "tau_spike");
const G_PEAK_AMPA: usize = col(&SCHEMA, "g_peak_AMPA");
const TAU_RISE_AMPA: usize = col(&SCHEMA, "tau_rise_AMPA");
const TAU_DECAY_AMPA: usize = col(&SCHEMA, "tau_decay_AMPA");
const E_REV_AMPA: usize = col(&SCHEMA, "E_rev_AMPA");
const G_PEAK_NMDA: usize = col(&SCHEMA, "g_peak_NMDA");
const TAU_RISE_NMDA: usize = col(&SCHEMA, "tau_rise_NMDA");
const TAU_DECAY_NMDA: usize = col(&SCHEMA, "tau_decay_NMDA");
const E_REV_NMDA: usize = col(&SCHEMA, "E_rev_NMDA");
const V_ACT_NMDA: usize = col(&SCHEMA, "V_act_NMDA");
const S_ACT_NMDA: usize = col(&SCHEMA, "S_act_NMDA");
const TAU_MG_SLOW: usize = col(&SCHEMA, "tau_Mg_slow_NMDA");
const TAU_MG_FAST: usize = col(&SCHEMA, "tau_Mg_fast_NMDA");
const INSTANT_UNBLOCK: usize = col(&SCHEMA, "instant_unblock_NMDA");
const G_PEAK_GABA_A: usize = col(&SCHEMA, "g_peak_GABA_A");
const TAU_RISE_GABA_A: usize = col(&SCHEMA, "tau_rise_GABA_A");
const TAU_DECAY_GABA_A: usize = col(&SCHEMA, "tau_decay_GABA_A");
const E_REV_GABA_A: usize = col(&SCHEMA, "E_rev_GABA_A");
const G_PEAK_GABA_B: usize = col(&SCHEMA, "g_peak_GABA_B");
const TAU_RISE_GABA_B: usize = col(&SCHEMA, "tau_rise_GABA_B");
const TAU_DECAY_GABA_B: usize = col(&SCHEMA, "tau_decay_GABA_B");
const E_REV_GABA_B: usize = col(&SCHEMA, "E_rev_GABA_B");
const G_PEAK_NAP: usize = col(&SCHEMA, "g_peak_NaP");
const E_REV_NAP: usize = col(&SCHEMA, "E_rev_NaP");
const N_NAP: usize = col(&SCHEMA, "N_NaP");
const G_PEAK_KNA: usize = col(&SCHEMA, "g_peak_KNa");
const E_REV_KNA: usize = col(&SCHEMA, "E_rev_KNa");
const TAU_D_KNA: usize = col(&SCHEMA, "tau_D_KNa");
const G_PEAK_T: usize = col(&SCHEMA, "g_peak_T");
const E_REV_T: usize = col(&SCHEMA, "E_rev_T");
const N_T: usize = col(&SCHEMA, "N_T");
const G_PEAK_H: usize = col(&SCHEMA, "g_peak_h");
const E_REV_H: usize = col(&SCHEMA, "E_rev_h");
const VOLTAGE_CLAMP: usize = col(&SCHEMA, "voltage_clamp");
const V_M: usize = col(&SCHEMA, "V_m");
const THETA: usize = col(&SCHEMA, "theta");
/// The table part of the ODE state in NEST's order: V_m, theta.
const Y_TABLE: [usize; 2] = [V_M, THETA];

// The ODE state vector in NEST's order.
const V: usize = 0;
const TH: usize = 1;
const DG_AMPA: usize = 2;
const G_AMPA: usize = 3;
const G_NMDA_TC: usize = 5;
const G_GABA_A: usize = 7;
const G_GABA_B: usize = 9;
const M_FAST: usize = 10;
const M_SLOW: usize = 11;
const M_IH: usize = 12;
const D_IKNA: usize = 13;
const M_IT: usize = 14;
const H_IT: usize = 15;
/// Size of the ODE state.
const NY: usize = 16;
/// The hidden part of the state: y[2..16].
const NH: usize = NY - 2;

/// Receptor ports as NEST's `receptor_types`.
pub const RECEPTOR_TYPES: [(&str, i64); 4] = [("AMPA", 1), ("NMDA", 2), ("GABA_A", 3), ("GABA_B", 4)];
/// Input channel of the step currents (receptor 0); spikes on receptor k use channel k.
const CH_STIM: usize = 0;

// Recordables outside the table (indices into RECORDABLES).
const REC_I_KNA: usize = 0;
const REC_I_NAP: usize = 1;
const REC_I_T: usize = 2;
const REC_I_H: usize = 3;
const REC_G_AMPA: usize = 5;
const REC_G_GABA_A: usize = 6;
const REC_G_GABA_B: usize = 7;
const REC_G_NMDA: usize = 8;

/// One node's parameters in the form the dynamics use, set by `prepare`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    e_na: f64,
    e_k: f64,
    g_nal: f64,
    g_kl: f64,
    tau_m: f64,
    theta_eq: f64,
    tau_theta: f64,
    tau_spike: f64,
    /// (τ_rise, τ_decay, E_rev) of AMPA, NMDA, GABA_A, GABA_B.
    syn: [[f64; 3]; 4],
    v_act: f64,
    s_act: f64,
    tau_mg_slow: f64,
    tau_mg_fast: f64,
    instant_unblock: bool,
    g_nap: f64,
    e_nap: f64,
    n_nap: f64,
    g_kna: f64,
    e_kna: f64,
    tau_d: f64,
    g_t: f64,
    e_t: f64,
    n_t: f64,
    g_h: f64,
    e_h: f64,
    voltage_clamp: bool,
    /// Conductance jump of a unit weight per synapse type (g_peak × beta normalisation).
    cond_steps: [f64; 4],
    /// t_ref in steps.
    ref_counts: i64,
}

impl Consts {
    /// From one neuron's table row (`h` only for the refractory count).
    fn from_row(r: &[f64], h: f64) -> Consts {
        let syn_cols = [
            (G_PEAK_AMPA, TAU_RISE_AMPA, TAU_DECAY_AMPA, E_REV_AMPA),
            (G_PEAK_NMDA, TAU_RISE_NMDA, TAU_DECAY_NMDA, E_REV_NMDA),
            (G_PEAK_GABA_A, TAU_RISE_GABA_A, TAU_DECAY_GABA_A, E_REV_GABA_A),
            (G_PEAK_GABA_B, TAU_RISE_GABA_B, TAU_DECAY_GABA_B, E_REV_GABA_B),
        ];
        Consts {
            e_na: r[E_NA],
            e_k: r[E_K],
            g_nal: r[G_NAL],
            g_kl: r[G_KL],
            tau_m: r[TAU_M],
            theta_eq: r[THETA_EQ],
            tau_theta: r[TAU_THETA],
            tau_spike: r[TAU_SPIKE],
            syn: syn_cols.map(|(_, rise, decay, e)| [r[rise], r[decay], r[e]]),
            v_act: r[V_ACT_NMDA],
            s_act: r[S_ACT_NMDA],
            tau_mg_slow: r[TAU_MG_SLOW],
            tau_mg_fast: r[TAU_MG_FAST],
            instant_unblock: r[INSTANT_UNBLOCK] != 0.0,
            g_nap: r[G_PEAK_NAP],
            e_nap: r[E_REV_NAP],
            n_nap: r[N_NAP],
            g_kna: r[G_PEAK_KNA],
            e_kna: r[E_REV_KNA],
            tau_d: r[TAU_D_KNA],
            g_t: r[G_PEAK_T],
            e_t: r[E_REV_T],
            n_t: r[N_T],
            g_h: r[G_PEAK_H],
            e_h: r[E_REV_H],
            voltage_clamp: r[VOLTAGE_CLAMP] != 0.0,
            cond_steps: syn_cols.map(|(g, rise, decay, _)| r[g] * beta_normalization_factor(r[rise], r[decay])),
            ref_counts: ms_to_steps(r[T_REF], h),
        }
    }

    /// Equilibrium of the NMDA unblocking variables at `v`.
    #[inline(always)]
    fn m_eq_nmda(&self, v: f64) -> f64 {
        1.0 / (1.0 + (-self.s_act * (v - self.v_act)).exp())
    }

    /// The NMDA unblocking factor at `v` from its equilibrium and the fast and slow variables.
    #[inline(always)]
    fn m_nmda(&self, v: f64, m_eq: f64, m_fast: f64, m_slow: f64) -> f64 {
        let a1 = 0.51 - 0.0028 * v;
        let a2 = 1.0 - a1;
        if self.instant_unblock {
            m_eq
        } else {
            a1 * m_fast + a2 * m_slow
        }
    }

    /// Equilibrium of D (I_KNa) at `v`.
    #[inline(always)]
    fn d_eq_kna(&self, v: f64) -> f64 {
        let d_influx = 0.025 / (1.0 + (-(v - -10.0) / 5.0).exp());
        self.tau_d * d_influx + 0.001
    }

    /// The intrinsic currents (I_NaP, I_KNa, I_T, I_h) at membrane potential `v` and state `y`.
    #[inline(always)]
    fn intrinsic(&self, v: f64, y: &[f64; NY]) -> [f64; 4] {
        let m_inf_nap = 1.0 / (1.0 + (-(v - -55.7) / 7.7).exp());
        let i_nap = -self.g_nap * m_inf_nap.powf(self.n_nap) * (v - self.e_nap);
        let m_inf_kna = 1.0 / (1.0 + (0.25 / y[D_IKNA]).powf(3.5));
        let i_kna = -self.g_kna * m_inf_kna * (v - self.e_kna);
        let i_t = -self.g_t * y[M_IT].powf(self.n_t) * y[H_IT] * (v - self.e_t);
        let i_h = -self.g_h * y[M_IH] * (v - self.e_h);
        [i_nap, i_kna, i_t, i_h]
    }

    /// The gating variables m_fast, m_slow, m_h, D, m_T, h_T at their equilibria for `v`.
    fn equilibria(&self, v: f64) -> [f64; 6] {
        let m = self.m_eq_nmda(v);
        [m, m, m_eq_h(v), self.d_eq_kna(v), m_eq_t(v), h_eq_t(v)]
    }
}

/// `std::min(a, b)` as C++ has it (b when b < a, else a).
#[inline(always)]
fn cmin(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

#[inline(always)]
fn m_eq_h(v: f64) -> f64 {
    1.0 / (1.0 + ((v - -75.0) / 5.5).exp())
}

#[inline(always)]
fn h_eq_t(v: f64) -> f64 {
    1.0 / (1.0 + ((v + 83.0) / 4.0).exp())
}

#[inline(always)]
fn m_eq_t(v: f64) -> f64 {
    1.0 / (1.0 + (-(v + 59.0) / 6.2).exp())
}

/// One neuron's system over one step: parameters, the held inputs and what happens between
/// the integrator's sub-steps (clamp, NMDA blocking, threshold).
struct Dynamics<'a> {
    c: &'a Consts,
    /// Step current of the previous step (mV).
    i_stim: f64,
    /// The clamp value (V at the start of the Simulate call).
    v_clamp: f64,
    /// Remaining refractory steps (the repolarising current acts while > 0).
    ref_steps: i64,
    /// Whether the neuron spiked in this step.
    spiked: bool,
    /// The intrinsic currents of the last right-hand-side evaluation.
    currents: [f64; 4],
}

impl Ode<NY> for Dynamics<'_> {
    #[inline(always)]
    fn rhs(&self, y: &[f64; NY], f: &mut [f64; NY]) {
        let c = self.c;
        let v = if c.voltage_clamp { self.v_clamp } else { y[V] };
        let m_eq = c.m_eq_nmda(v);
        let m_fast = cmin(m_eq, y[M_FAST]);
        let m_slow = cmin(m_eq, y[M_SLOW]);
        let m_nmda = c.m_nmda(v, m_eq, m_fast, m_slow);
        let [ampa, nmda, gaba_a, gaba_b] = c.syn;
        let i_syn = -y[G_AMPA] * (v - ampa[2])
            - y[G_NMDA_TC] * m_nmda * (v - nmda[2])
            - y[G_GABA_A] * (v - gaba_a[2])
            - y[G_GABA_B] * (v - gaba_b[2]);
        let i_spike = if self.ref_steps > 0 { -(v - c.e_k) / c.tau_spike } else { 0.0 };
        let i_na = -c.g_nal * (v - c.e_na);
        let i_k = -c.g_kl * (v - c.e_k);
        let [i_nap, i_kna, i_t, i_h] = c.intrinsic(v, y);
        f[V] = (i_na + i_k + i_syn + i_nap + i_kna + i_t + i_h + self.i_stim) / c.tau_m + i_spike;
        f[TH] = -(y[TH] - c.theta_eq) / c.tau_theta;
        for (k, s) in c.syn.iter().enumerate() {
            let (dg, g) = (DG_AMPA + 2 * k, DG_AMPA + 2 * k + 1);
            f[dg] = -y[dg] / s[0];
            f[g] = y[dg] - y[g] / s[1];
        }
        f[M_FAST] = (m_eq - m_fast) / c.tau_mg_fast;
        f[M_SLOW] = (m_eq - m_slow) / c.tau_mg_slow;
        f[D_IKNA] = (c.d_eq_kna(v) - y[D_IKNA]) / c.tau_d;
        let tau_m_t = 0.22 / ((-(v + 132.0) / 16.7).exp() + ((v + 16.8) / 18.2).exp()) + 0.13;
        let tau_h_t = 8.2 + (56.6 + 0.27 * ((v + 115.2) / 5.0).exp()) / (1.0 + ((v + 86.0) / 3.2).exp());
        f[M_IT] = (m_eq_t(v) - y[M_IT]) / tau_m_t;
        f[H_IT] = (h_eq_t(v) - y[H_IT]) / tau_h_t;
        let tau_m_h = 1.0 / ((-14.59 - 0.086 * v).exp() + (-1.87 + 0.0701 * v).exp());
        f[M_IH] = (m_eq_h(v) - y[M_IH]) / tau_m_h;
    }

    fn after_apply(&mut self, _t: f64, y: &mut [f64; NY]) -> std::result::Result<(), String> {
        let c = self.c;
        // NEST's stepper evaluates the right-hand side at the end of every attempt; the last
        // evaluation of the step leaves the recorded currents.
        let v = if c.voltage_clamp { self.v_clamp } else { y[V] };
        self.currents = c.intrinsic(v, y);
        if c.voltage_clamp {
            y[V] = self.v_clamp;
        }
        let m_eq = c.m_eq_nmda(y[V]);
        y[M_FAST] = cmin(m_eq, y[M_FAST]);
        y[M_SLOW] = cmin(m_eq, y[M_SLOW]);
        if self.ref_steps == 0 && y[V] >= y[TH] {
            y[V] = c.e_na;
            y[TH] = c.e_na;
            self.ref_steps = c.ref_counts.saturating_add(1);
            self.spiked = true;
        }
        Ok(())
    }
}

/// A chunk's internal state: the table holds V_m and theta; the synaptic and gating variables,
/// the refractory counters and the rest are here.
#[derive(Debug, Clone)]
pub struct HtNeuron {
    /// y[2..16] of NEST's state vector per neuron: (dg, g) of AMPA, NMDA, GABA_A, GABA_B, then
    /// m_fast_NMDA, m_slow_NMDA, m_Ih, D_IKNa, m_IT, h_IT.
    hidden: Vec<[f64; NH]>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    /// (I_NaP, I_KNa, I_T, I_h) of the last right-hand-side evaluation, mV.
    currents: Vec<[f64; 4]>,
    /// Step current of the previous step, mV.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps (NEST's `integration_step_`), ms.
    h_int: Vec<f64>,
    /// V at the start of the Simulate call (the clamp value), mV.
    v_clamp: Vec<f64>,
    consts: Vec<Consts>,
    /// Simulation step (ms, on NEST's tic grid).
    h: f64,
}

/// The hidden state at rest for membrane potential `v` under parameters `c`: synapses at 0,
/// gating variables at their equilibria.
fn rest_state(c: &Consts, v: f64) -> [f64; NH] {
    let mut s = [0.0; NH];
    s[M_FAST - 2..].copy_from_slice(&c.equilibria(v));
    s
}

/// The error NEST raises for parameter checks.
fn bad(msg: &str, name: &str, x: f64) -> Error {
    Error::bad_parameter(format!("{msg} (got {name} = {x})"))
}

impl Neuron for HtNeuron {
    const NAME: &'static str = "ht_neuron";
    const SUMMARY: &'static str =
        "Neuron model after Hill & Tononi (2005): adaptive threshold, intrinsic currents, AMPA/NMDA/GABA_A/GABA_B (adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] =
        &["I_KNa", "I_NaP", "I_T", "I_h", "V_m", "g_AMPA", "g_GABA_A", "g_GABA_B", "g_NMDA", "theta"];
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::Dimensionless;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        let defaults: Vec<f64> = SCHEMA.iter().map(|s| s.default).collect();
        let c = Consts::from_row(&defaults, 0.1);
        let v0 = (c.g_nal * c.e_na + c.g_kl * c.e_k) / (c.g_nal + c.g_kl);
        table.col_mut(V_M).fill(v0);
        table.col_mut(THETA).fill(c.theta_eq);
        HtNeuron {
            hidden: vec![rest_state(&c, v0); n],
            r: vec![0; n],
            currents: vec![[0.0; 4]; n],
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            v_clamp: vec![v0; n],
            consts: Vec::new(),
            h: 0.1,
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        for (k, name) in [
            (G_PEAK_AMPA, "g_peak_AMPA"),
            (G_PEAK_GABA_A, "g_peak_GABA_A"),
            (G_PEAK_GABA_B, "g_peak_GABA_B"),
            (G_PEAK_KNA, "g_peak_KNa"),
            (S_ACT_NMDA, "S_act_NMDA"),
            (G_PEAK_NMDA, "g_peak_NMDA"),
            (G_PEAK_T, "g_peak_T"),
            (G_PEAK_H, "g_peak_h"),
            (G_PEAK_NAP, "g_peak_NaP"),
            (G_KL, "g_KL"),
            (G_NAL, "g_NaL"),
            (T_REF, "t_ref"),
        ] {
            if row[k] < 0.0 {
                return Err(bad(&format!("{name} >= 0 required."), name, row[k]));
            }
        }
        for (k, name) in [
            (TAU_RISE_AMPA, "tau_rise_AMPA"),
            (TAU_DECAY_AMPA, "tau_decay_AMPA"),
            (TAU_RISE_GABA_A, "tau_rise_GABA_A"),
            (TAU_DECAY_GABA_A, "tau_decay_GABA_A"),
            (TAU_RISE_GABA_B, "tau_rise_GABA_B"),
            (TAU_DECAY_GABA_B, "tau_decay_GABA_B"),
            (TAU_RISE_NMDA, "tau_rise_NMDA"),
            (TAU_DECAY_NMDA, "tau_decay_NMDA"),
            (TAU_MG_FAST, "tau_Mg_fast_NMDA"),
            (TAU_MG_SLOW, "tau_Mg_slow_NMDA"),
            (TAU_SPIKE, "tau_spike"),
            (TAU_THETA, "tau_theta"),
            (TAU_M, "tau_m"),
            (TAU_D_KNA, "tau_D_KNa"),
        ] {
            if row[k] <= 0.0 {
                return Err(bad(&format!("{name} > 0 required."), name, row[k]));
            }
        }
        for (a, b, na, nb) in [
            (TAU_RISE_AMPA, TAU_DECAY_AMPA, "tau_rise_AMPA", "tau_decay_AMPA"),
            (TAU_RISE_GABA_A, TAU_DECAY_GABA_A, "tau_rise_GABA_A", "tau_decay_GABA_A"),
            (TAU_RISE_GABA_B, TAU_DECAY_GABA_B, "tau_rise_GABA_B", "tau_decay_GABA_B"),
            (TAU_RISE_NMDA, TAU_DECAY_NMDA, "tau_rise_NMDA", "tau_decay_NMDA"),
            (TAU_MG_FAST, TAU_MG_SLOW, "tau_Mg_fast_NMDA", "tau_Mg_slow_NMDA"),
        ] {
            if row[a] >= row[b] {
                return Err(Error::bad_parameter(format!(
                    "{na} < {nb} required. (got {na} = {} ms, {nb} = {} ms)",
                    row[a], row[b]
                )));
            }
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len()).map(|i| Consts::from_row(&t.row(i), h)).collect();
        self.v_clamp = t.col(V_M).to_vec();
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let stim = inputs.channel(CH_STIM);
        let spikes = [inputs.channel(1), inputs.channel(2), inputs.channel(3), inputs.channel(4)];
        let cols = table.cols_mut();
        for i in 0..self.r.len() {
            let c = &self.consts[i];
            let [v, theta] = gather(cols, &Y_TABLE, i);
            let mut y = [0.0; NY];
            y[V] = v;
            y[TH] = theta;
            y[2..].copy_from_slice(&self.hidden[i]);
            let mut sys = Dynamics {
                c,
                i_stim: self.i_stim[i],
                v_clamp: self.v_clamp[i],
                ref_steps: self.r[i],
                spiked: false,
                currents: self.currents[i],
            };
            evolve_step(&mut sys, Tolerance::NEST, self.h, &mut self.h_int[i], &mut y)
                .map_err(|m| failure(i, ctx.t, m))?;
            self.currents[i] = sys.currents;
            self.r[i] = sys.ref_steps;
            if sys.spiked {
                out.spike(i);
            }
            if self.r[i] > 0 {
                self.r[i] -= 1;
            }
            for (k, s) in spikes.iter().enumerate() {
                y[DG_AMPA + 2 * k] += c.cond_steps[k] * s[i];
            }
            self.i_stim[i] = stim[i];
            scatter(cols, &Y_TABLE, i, &[y[V], y[TH]]);
            self.hidden[i].copy_from_slice(&y[2..]);
        }
        Ok(())
    }

    fn read(&self, table: &ParamTable, var: usize, i: usize) -> f64 {
        let s = &self.hidden[i];
        match var {
            REC_I_NAP => self.currents[i][0],
            REC_I_KNA => self.currents[i][1],
            REC_I_T => self.currents[i][2],
            REC_I_H => self.currents[i][3],
            REC_G_AMPA => s[G_AMPA - 2],
            REC_G_GABA_A => s[G_GABA_A - 2],
            REC_G_GABA_B => s[G_GABA_B - 2],
            REC_G_NMDA => {
                let v = table.get(V_M, i);
                let c = match self.consts.get(i) {
                    Some(c) => *c,
                    None => Consts::from_row(&table.row(i), self.h),
                };
                s[G_NMDA_TC - 2] * c.m_nmda(v, c.m_eq_nmda(v), s[M_FAST - 2], s[M_SLOW - 2])
            }
            _ => 0.0,
        }
    }

    fn extra_keys() -> &'static [&'static str] {
        &["equilibrate"]
    }

    fn get_extra(&self, _i: usize, d: &mut Dict) {
        let rt: Dict = RECEPTOR_TYPES.iter().map(|(k, v)| (k.to_string(), Value::Int(*v))).collect();
        d.insert("receptor_types".into(), Value::Dict(rt));
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        let mut equilibrate = false;
        for (k, v) in entries {
            if *k == "equilibrate" {
                equilibrate = v.as_bool("equilibrate")?;
            }
        }
        if equilibrate {
            let c = Consts::from_row(row, self.h);
            self.hidden[i][M_FAST - 2..].copy_from_slice(&c.equilibria(row[V_M]));
        }
        Ok(())
    }

    fn receptor_count(&self) -> usize {
        4
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Option<Result<Route>> {
        let ok = if kind.is_spike() { (1..=4).contains(&receptor) } else { receptor == 0 };
        Some(if ok { Ok(Route::weighted(receptor as u16)) } else { Err(unknown_receptor(Self::NAME, receptor)) })
    }

    fn custom_channels(&self) -> Option<usize> {
        Some(5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;

    const R_V: usize = 4;
    const R_THETA: usize = 9;

    #[test]
    fn defaults_are_nests() {
        // Oracle: nest.GetDefaults('ht_neuron') in NEST 3.10 (V_m -70.0, recordables and
        // receptor_types as listed there).
        let nd = nodes::<HtNeuron>(1);
        assert_eq!(nd.table().get(V_M, 0), -70.0);
        assert_eq!(nd.table().get(THETA, 0), -51.0);
        assert_eq!(
            *nd.recordables(),
            ["I_KNa", "I_NaP", "I_T", "I_h", "V_m", "g_AMPA", "g_GABA_A", "g_GABA_B", "g_NMDA", "theta"]
        );
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        let Some(Value::Dict(rt)) = d.get("receptor_types") else { panic!("no receptor_types") };
        assert_eq!(rt.get("GABA_B"), Some(&Value::Int(4)));
    }

    #[test]
    fn receptors_follow_nest() {
        let nd = nodes::<HtNeuron>(1);
        for r in 1..=4 {
            assert_eq!(nd.route(r, EventKind::Spike, 1.0).unwrap(), Route::weighted(r as u16));
        }
        for r in [0, 5, -1] {
            let e = nd.route(r, EventKind::Spike, 1.0).unwrap_err();
            assert_eq!(e.kind, ErrorKind::UnknownReceptorType);
            assert!(e.message.contains(&format!("Receptor type {r} ")), "{}", e.message);
        }
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap(), Route::weighted(0));
        assert_eq!(nd.route(1, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn rest_is_stationary_without_intrinsic_drive() {
        // Oracle: with the intrinsic currents off and no input, V = (g_NaL E_Na + g_KL E_K) /
        // (g_NaL + g_KL) is a fixed point of dV/dt.
        let mut nd = nodes::<HtNeuron>(1);
        let off: Vec<(&str, Value)> =
            ["g_peak_NaP", "g_peak_KNa", "g_peak_T", "g_peak_h"].iter().map(|k| (*k, Value::Double(0.0))).collect();
        set_status(&mut nd, &off, "ht_neuron").unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 200, |_, _| 0.0);
        assert!(spikes.is_empty());
        assert!(rec.iter().all(|r| (r[R_V] + 70.0).abs() < 1e-9 && (r[R_THETA] + 51.0).abs() < 1e-9));
    }

    #[test]
    fn a_strong_current_makes_it_spike_and_repolarise() {
        // NEST's rule: V ≥ θ sets V and θ to E_Na (30 mV) within the step, then I_spike pulls V
        // towards E_K for t_ref; θ relaxes to θ_eq.
        let mut nd = nodes::<HtNeuron>(1);
        let (rec, spikes) = run(&mut nd, 0.1, 1000, |t, ch| if t >= 10 && ch == CH_STIM { 60.0 } else { 0.0 });
        assert!(spikes.len() >= 3, "{spikes:?}");
        for &s in &spikes {
            let r = &rec[(s - 1) as usize];
            assert!(r[R_THETA] > 20.0, "theta after the spike step {s}: {}", r[R_THETA]);
        }
        let s = spikes[0] as usize;
        assert!(rec[s + 10][R_V] < rec[s - 1][R_V], "repolarisation");
    }

    #[test]
    fn ampa_conductance_peaks_at_g_peak() {
        // Oracle: a unit weight gives g(t) = g_peak (e^{−t/τ_d} − e^{−t/τ_r}) / peak, with
        // maximum g_peak at t* = τ_r τ_d ln(τ_d/τ_r)/(τ_d − τ_r) (RKF45, tolerance 1e-3).
        let mut nd = nodes::<HtNeuron>(1);
        let (rec, _) = run(&mut nd, 0.01, 400, |t, ch| if t == 0 && ch == 1 { 1.0 } else { 0.0 });
        let gmax = rec.iter().map(|r| r[REC_G_AMPA]).fold(f64::MIN, f64::max);
        assert!((gmax - 0.1).abs() < 1e-4, "{gmax}");
    }

    #[test]
    fn voltage_clamp_holds_v() {
        let mut nd = nodes::<HtNeuron>(1);
        set_status(&mut nd, &[("voltage_clamp", Value::Bool(true)), ("V_m", Value::Double(-60.0))], "ht_neuron")
            .unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 100, |t, ch| if t == 5 && ch == 1 { 5.0 } else { 0.0 });
        assert!(spikes.is_empty());
        assert!(rec.iter().all(|r| r[R_V] == -60.0));
        assert!(rec[50][REC_G_AMPA] > 0.0);
    }

    #[test]
    fn equilibrate_sets_the_gating_variables() {
        let mut nd = nodes::<HtNeuron>(1);
        set_status(&mut nd, &[("V_m", Value::Double(-60.0)), ("equilibrate", Value::Bool(true))], "ht_neuron").unwrap();
        let e = set_status(&mut nd, &[("equilibrate", Value::Int(3))], "ht_neuron");
        assert!(e.is_err());
        assert!(set_status(&mut nd, &[("receptor_types", Value::Int(3))], "ht_neuron").is_err());
    }

    #[test]
    fn checks_follow_nest() {
        // Oracle: NEST 3.10 ht_neuron::Parameters_::set — BadParameter, in this order.
        let nd = nodes::<HtNeuron>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (G_PEAK_AMPA, -1.0, "g_peak_AMPA >= 0 required. (got g_peak_AMPA = -1)"),
            (G_PEAK_GABA_A, -0.5, "g_peak_GABA_A >= 0 required. (got g_peak_GABA_A = -0.5)"),
            (G_PEAK_GABA_B, -1.0, "g_peak_GABA_B >= 0 required."),
            (G_PEAK_KNA, -1.0, "g_peak_KNa >= 0 required."),
            (S_ACT_NMDA, -0.1, "S_act_NMDA >= 0 required. (got S_act_NMDA = -0.1)"),
            (G_PEAK_NMDA, -1.0, "g_peak_NMDA >= 0 required."),
            (G_PEAK_T, -1.0, "g_peak_T >= 0 required."),
            (G_PEAK_H, -1.0, "g_peak_h >= 0 required."),
            (G_PEAK_NAP, -1.0, "g_peak_NaP >= 0 required."),
            (G_KL, -1.0, "g_KL >= 0 required."),
            (G_NAL, -1.0, "g_NaL >= 0 required."),
            (T_REF, -1.0, "t_ref >= 0 required. (got t_ref = -1)"),
            (TAU_RISE_AMPA, 0.0, "tau_rise_AMPA > 0 required. (got tau_rise_AMPA = 0)"),
            (TAU_DECAY_AMPA, 0.0, "tau_decay_AMPA > 0 required."),
            (TAU_RISE_GABA_A, -1.0, "tau_rise_GABA_A > 0 required."),
            (TAU_DECAY_GABA_A, 0.0, "tau_decay_GABA_A > 0 required."),
            (TAU_RISE_GABA_B, 0.0, "tau_rise_GABA_B > 0 required."),
            (TAU_DECAY_GABA_B, 0.0, "tau_decay_GABA_B > 0 required."),
            (TAU_RISE_NMDA, 0.0, "tau_rise_NMDA > 0 required."),
            (TAU_DECAY_NMDA, 0.0, "tau_decay_NMDA > 0 required."),
            (TAU_MG_FAST, 0.0, "tau_Mg_fast_NMDA > 0 required."),
            (TAU_MG_SLOW, 0.0, "tau_Mg_slow_NMDA > 0 required."),
            (TAU_SPIKE, 0.0, "tau_spike > 0 required. (got tau_spike = 0)"),
            (TAU_THETA, 0.0, "tau_theta > 0 required."),
            (TAU_M, -16.0, "tau_m > 0 required. (got tau_m = -16)"),
            (TAU_D_KNA, 0.0, "tau_D_KNa > 0 required."),
            (TAU_RISE_AMPA, 2.4, "tau_rise_AMPA < tau_decay_AMPA required. (got tau_rise_AMPA = 2.4 ms"),
            (TAU_DECAY_GABA_A, 0.5, "tau_rise_GABA_A < tau_decay_GABA_A required."),
            (TAU_RISE_GABA_B, 300.0, "tau_rise_GABA_B < tau_decay_GABA_B required."),
            (TAU_DECAY_NMDA, 4.0, "tau_rise_NMDA < tau_decay_NMDA required."),
            (TAU_MG_FAST, 30.0, "tau_Mg_fast_NMDA < tau_Mg_slow_NMDA required. (got tau_Mg_fast_NMDA = 30 ms"),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadParameter);
            assert!(e.message.starts_with(msg), "{} vs {msg}", e.message);
        }
        // NEST's order: g_peak_AMPA before t_ref before the time constants.
        let mut row = base.clone();
        row[TAU_M] = 0.0;
        row[T_REF] = -1.0;
        row[G_PEAK_AMPA] = -1.0;
        assert!(nd.validate(&row).unwrap_err().message.starts_with("g_peak_AMPA"));
        row[G_PEAK_AMPA] = 0.0;
        assert!(nd.validate(&row).unwrap_err().message.starts_with("t_ref"));
        assert!(nd.validate(&base).is_ok());
    }
}
