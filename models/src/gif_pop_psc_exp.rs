//! # gif_pop_psc_exp — mesoscopic population of GIF neurons with exponential PSCs
//!
//! One node stands for a whole population of N generalized integrate-and-fire neurons
//! (escape noise, multi-timescale threshold adaptation, exponential synaptic currents) and
//! simulates the population activity directly: in every step it computes the expected number
//! of spikes from the neurons' refractory-time distribution and draws the actual number from a
//! binomial (or Poisson) law, without representing single neurons (Schwalger, Deger & Gerstner
//! 2017, the algorithm of their Figs. 11–12). The node sends one spike per step whose
//! multiplicity is that number. NEST 3.10's `gif_pop_psc_exp`: same parameters, status,
//! recordables, order of floating-point operations and rules for which draw happens when; the
//! draws come from nestor's own stream of the node (keyed by the kernel's seed and the node
//! id, so results do not depend on threads; the numbers differ from NEST's).
//!
//! ## Single-neuron model represented
//!
//! ```text
//! hazard     λ(t) = λ_0 · exp((V_m(t) − E_sfa(t)) / Δ_V)                       (Hz)
//! membrane   τ_m dV/dt = −(V − E_L) + (τ_m/C_m)(I_e + I_stim + I_syn_ex + I_syn_in)
//! synapses   τ_syn dI_syn/dt = −I_syn, + jumps of the spike weights (pA)
//! threshold  E_sfa = V_T_star + Σ_j q_sfa,j Σ_spikes e^{−(t−t̂)/τ_sfa,j}
//! after a spike: V ← V_reset, refractory for t_ref
//! ```
//!
//! The population is fully connected to its inputs: every neuron receives every incoming
//! spike (of weight w, multiplicity m: w·m pA into the excitatory current when w·m > 0, the
//! inhibitory one otherwise).
//!
//! ## One step h (ms)
//!
//! Input part (per step, with A = S/h·τ_syn/C_m for the summed spike input S of the step and
//! y = I_syn/C_m):
//!
//! ```text
//! h_tot = (I_e + I_stim)·P20 + E_L,     P22 = e^{−h/τ_m},  P20 = τ_m/C_m·(1 − P22)
//! per receptor: tmp = τ_syn·P11·(y − A) − P22·(τ_syn·y − τ_m·A),  P11 = e^{−h/τ_syn}
//!               h_tot += τ_m·(A + tmp/(τ_syn − τ_m));   y ← A + (y − A)·P11;  I_syn = y·C_m
//! I_stim ← step current received in this step (acts from the next step on)
//! ```
//!
//! Population part: a ring of `len_kernel` bins holds, for the neurons that last fired k steps
//! ago, the number that fired (n_k), the expected survivors (m_k), their variance (v_k), their
//! potential (u_k) and their hazard (λ_k); x and z are the survivors and variance of the
//! "free" neurons whose last spike left the ring, g_j the filtered activity per adaptation
//! component. With the kernel θ(k) = Σ_j q_sfa,j e^{−k h/τ_sfa,j} (in mV; no division by
//! τ_sfa):
//!
//! ```text
//! E_sfa = V_T_star + Σ_j Q30K_j·g_j,   g_j ← g_j·Q30_j + (1 − Q30_j)·n_oldest/(N h)
//!         Q30_j = e^{−h/τ_sfa,j},  Q30K_j = q_sfa,j·τ_sfa,j·e^{−h·len_kernel/τ_sfa,j}
//! V_m   = (V_m − E_L)·P22 + h_tot
//! P_free = 1 − exp(−(λ_free,prev + λ_0 e^{(V_m − E_sfa)/Δ_V})·h/2000)     (trapezoid, h/1000 s)
//! E_sfa −= n_0·θ̃_0                                      (bin 0 of the ring, as in NEST)
//! X = Σ_k m_k;  for the bins older than t_ref (k_ref = t_ref in steps, rounded up):
//!     threshold θ_k = θ(len_kernel − k) + running sum of n·θ̃,  θ̃(k) = Δ_V(1 − e^{−θ(k)/Δ_V})/N
//!     u_k = (u_k − E_L)·P22 + h_tot;  λ = λ_0 e^{(u_k − θ_k)/Δ_V}
//!     P_k = (λ + λ_k)·h/2000, replaced by 1 − e^{−P_k} when P_k > 0.01;  λ_k ← λ
//!     W += P_k m_k,  Y += P_k v_k,  Z += v_k;  v_k ← (1 − P_k)² v_k + P_k m_k;  m_k ← (1 − P_k) m_k
//! P_Λ = (Y + P_free z)/(Z + z) if Z + z > 0, else 0
//! mean = n̄ = W + P_free·x + P_Λ·(N − X − x)
//! n_events = Binomial(N, n̄/N)   (BinoRand; N if n̄ ≥ N, 0 if n̄ ≤ 0, no draw then)
//!          = Poisson(n̄) clipped to [0, N]   (not BinoRand; N without a draw if n̄ > N, 0
//!            without a draw if n̄ ≤ DBL_MIN, one uniform draw u < n̄ instead of the Poisson
//!            draw when 1 − (n̄ + 1)e^{−n̄} ≤ DBL_MIN)
//! z ← (1 − P_free)² z + P_free x + v_oldest;  x ← (1 − P_free) x + m_oldest
//! the oldest bin becomes the newest: n = m = n_events, v = 0, u = V_reset, λ = 0
//! ```
//!
//! At the first run (and at the first run after every SetStatus, as in NEST) the ring is
//! rebuilt: every neuron last fired `len_kernel` steps ago (n = m = N in the oldest bin),
//! x = z = 0, g = 0, λ_free = 0. `len_kernel` < 1 means "choose": NEST's GetHistoryLength
//! (start at 20 s, shorten while θ(k)/Δ_V < 0.1 and k > 5 τ_m/h; at least t_ref/h + 1 steps),
//! and the chosen length is written into the parameter (GetStatus shows it after Simulate).
//!
//! ## Parameters
//!
//! | NEST name    | unit       | default | meaning                                                  |
//! |--------------|------------|---------|----------------------------------------------------------|
//! | `N`          | integer    | 100     | number of neurons in the population                      |
//! | `tau_m`      | ms         | 20      | membrane time constant                                   |
//! | `C_m`        | pF         | 250     | membrane capacitance                                     |
//! | `lambda_0`   | 1/s        | 10      | escape rate at threshold                                 |
//! | `Delta_V`    | mV         | 2       | noise level (softness) of the escape rate                |
//! | `len_kernel` | integer    | -1      | refractory/adaptation history in steps (< 1: automatic)  |
//! | `I_e`        | pA         | 0       | constant input current                                   |
//! | `V_reset`    | mV         | 0       | potential after a spike                                  |
//! | `V_T_star`   | mV         | 15      | baseline threshold                                       |
//! | `E_L`        | mV         | 0       | resting potential                                        |
//! | `t_ref`      | ms         | 4       | absolute refractory period                               |
//! | `tau_syn_ex` | ms         | 3       | time constant of the excitatory synaptic current         |
//! | `tau_syn_in` | ms         | 6       | time constant of the inhibitory synaptic current         |
//! | `BinoRand`   | boolean    | true    | binomial spike counts (false: Poisson)                   |
//! | `tau_sfa`    | ms (list)  | [300]   | adaptation time constants                                |
//! | `q_sfa`      | mV (list)  | [0.5]   | adaptation kernel amplitudes                             |
//!
//! NEST's translation to `gif_psc_exp`: g_L = C_m/τ_m, N neurons (the defaults of the two
//! models differ).
//!
//! ## Checks
//!
//! At SetStatus, in NEST's order, each a `BadProperty` with NEST's message plus the value:
//! `tau_sfa` and `q_sfa` of equal length ("'tau_sfa' and 'q_sfa' need to have the same
//! dimension.\nSize of tau_sfa: n\nSize of q_sfa: m"); `C_m > 0` ("Capacitance must be strictly
//! positive."); `tau_m > 0` ("The membrane time constants must be strictly positive.");
//! `tau_syn_ex > 0` and `tau_syn_in > 0` ("The synaptic time constants must be strictly
//! positive."); every `tau_sfa > 0` ("All time constants must be strictly positive.");
//! `N > 0` ("Number of neurons must be positive."); `lambda_0 ≥ 0` ("lambda_0 must be
//! positive."); `Delta_V > 0` ("Delta_V must be strictly positive."); `t_ref ≥ 0` ("Absolute
//! refractory period cannot be negative."). At Simulate: empty `tau_sfa` ("Time constant array
//! should not be empty. ") and empty `q_sfa` ("Adaptation value array should not be empty. ").
//! nestor limits (BadProperty): `N` ≤ 2³² − 1 (a spike's multiplicity is 32 bits) and a
//! history that fits in memory (NEST would abort).
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, 0), `I_syn_ex`, `I_syn_in` (pA, 0) can be set; `n_events` (integer:
//!   spikes of the last step), `E_sfa` (mV: the threshold of the free neurons, E_sfa above) and
//!   `mean` (expected spikes n̄ of the last step) are read-only. Every SetStatus (whatever it
//!   sets) makes the next Simulate rebuild the ring, as in NEST.
//! * Recordables (NEST's order): `E_sfa`, `I_syn_ex`, `I_syn_in`, `V_m`, `mean`, `n_events`.
//!
//! ## Events
//!
//! * Sends: one spike per step with multiplicity `n_events` (when > 0).
//! * Receives: spikes on receptor 0 (weight in pA, excitatory when positive, inhibitory
//!   otherwise; weight × multiplicity is added), currents on receptor 0 (pA). Other receptors:
//!   `UnknownReceptorType`.
//!
//! ## Differences from NEST
//!
//! * The random numbers (nestor's streams and samplers; only the laws agree).
//! * `tau_sfa`/`q_sfa` must be lists (NEST refuses a number too, with a type error).
//! * As in NEST, `tau_syn_ex` or `tau_syn_in` equal to `tau_m` divides by zero (V_m becomes NaN;
//!   NEST does not check it), and E_sfa subtracts n·θ̃ of ring bin 0, not of the bin of the
//!   oldest spikes (a property of NEST's code, kept).
//!
//! ## References
//!
//! 1. Schwalger T, Deger M, Gerstner W (2017). Towards a theory of cortical columns: From
//!    spiking neurons to interacting neural populations of finite size. PLoS Comput Biol
//!    13(4):e1005507. doi:10.1371/journal.pcbi.1005507
//!
//! ## See also
//!
//! [`crate::gif_psc_exp`] (the single neuron), [`crate::bernoulli_synapse`] (random
//! connectivity between populations), [`crate::neuron::neuron_streams`].

use crate::neuron::{col, neuron_streams, Neuron, Receptors, CH_CURRENT, CH_EX, CH_IN};
use crate::numerics::ms_to_steps;
use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};
use rand::RngExt;
use rand_distr::Distribution;
use rand_pcg::Pcg64Mcg;

/// The status table of `gif_pop_psc_exp`: NEST names, units and defaults, in NEST's order.
pub static SCHEMA: [ParamSpec; 20] = [
    ParamSpec::param("N", Unit::Integer, 100.0, "Number of neurons in the population"),
    ParamSpec::param("tau_m", Unit::Millisecond, 20.0, "Membrane time constant"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("lambda_0", Unit::Hertz, 10.0, "Escape rate at threshold"),
    ParamSpec::param("Delta_V", Unit::MilliVolt, 2.0, "Noise level of the escape rate"),
    ParamSpec::param("len_kernel", Unit::Integer, -1.0, "History length in steps (< 1: chosen at Simulate)"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_reset", Unit::MilliVolt, 0.0, "Membrane potential after a spike"),
    ParamSpec::param("V_T_star", Unit::MilliVolt, 15.0, "Baseline of the adaptive threshold"),
    ParamSpec::param("E_L", Unit::MilliVolt, 0.0, "Resting potential"),
    ParamSpec::param("t_ref", Unit::Millisecond, 4.0, "Absolute refractory period"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 3.0, "Time constant of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 6.0, "Time constant of the inhibitory synaptic current"),
    ParamSpec::param("BinoRand", Unit::Bool, 1.0, "Binomial spike counts (false: Poisson)"),
    ParamSpec::state("V_m", Unit::MilliVolt, 0.0, "Membrane potential of the free neurons"),
    ParamSpec::read_only("n_events", Unit::Integer, 0.0, "Number of spikes in the last step"),
    ParamSpec::read_only("E_sfa", Unit::MilliVolt, 0.0, "Adaptive threshold of the free neurons"),
    ParamSpec::read_only("mean", Unit::Dimensionless, 0.0, "Expected number of spikes in the last step"),
    ParamSpec::state("I_syn_ex", Unit::PicoAmpere, 0.0, "Excitatory synaptic current"),
    ParamSpec::state("I_syn_in", Unit::PicoAmpere, 0.0, "Inhibitory synaptic current"),
];

const N: usize = col(&SCHEMA, "N");
const TAU_M: usize = col(&SCHEMA, "tau_m");
const C_M: usize = col(&SCHEMA, "C_m");
const LAMBDA_0: usize = col(&SCHEMA, "lambda_0");
const DELTA_V: usize = col(&SCHEMA, "Delta_V");
const LEN_KERNEL: usize = col(&SCHEMA, "len_kernel");
const I_E: usize = col(&SCHEMA, "I_e");
const V_RESET: usize = col(&SCHEMA, "V_reset");
const V_T_STAR: usize = col(&SCHEMA, "V_T_star");
const E_L: usize = col(&SCHEMA, "E_L");
const T_REF: usize = col(&SCHEMA, "t_ref");
const TAU_SYN_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_SYN_IN: usize = col(&SCHEMA, "tau_syn_in");
const BINO_RAND: usize = col(&SCHEMA, "BinoRand");
const V_M: usize = col(&SCHEMA, "V_m");
const N_EVENTS: usize = col(&SCHEMA, "n_events");
const E_SFA: usize = col(&SCHEMA, "E_sfa");
const MEAN: usize = col(&SCHEMA, "mean");
const I_SYN_EX: usize = col(&SCHEMA, "I_syn_ex");
const I_SYN_IN: usize = col(&SCHEMA, "I_syn_in");

const NAME: &str = "gif_pop_psc_exp";

/// NEST's longest automatic history, ms (GetHistoryLength's `tmax`).
const T_MAX_HISTORY: f64 = 20000.0;

/// The constants of one population, from `prepare`.
#[derive(Debug, Clone, Copy, Default)]
struct Consts {
    n: f64,
    tau_m: f64,
    c_m: f64,
    lambda_0: f64,
    delta_v: f64,
    i_e: f64,
    v_reset: f64,
    v_t_star: f64,
    e_l: f64,
    tau_ex: f64,
    tau_in: f64,
    bino: bool,
    p20: f64,
    p22: f64,
    p11_ex: f64,
    p11_in: f64,
}

/// One population's history (NEST's internal variables of the population algorithm).
#[derive(Debug, Clone, Default)]
struct Ring {
    /// Spikes per bin (n), expected survivors (m), their variance (v), potential (u), hazard (λ).
    n: Vec<f64>,
    m: Vec<f64>,
    v: Vec<f64>,
    u: Vec<f64>,
    lambda: Vec<f64>,
    /// Adaptation kernel θ(len − k) and its quasi-renewal form θ̃ per bin age index.
    theta: Vec<f64>,
    theta_tld: Vec<f64>,
    /// Per adaptation component: filtered activity, decay factor, amplitude factor.
    g: Vec<f64>,
    q30: Vec<f64>,
    q30k: Vec<f64>,
    x: f64,
    z: f64,
    lambda_free: f64,
    /// Rotating index of the oldest bin.
    k0: usize,
    /// Refractory period in steps.
    k_ref: usize,
}

/// A chunk of `gif_pop_psc_exp` populations: internal state beside the status table.
pub struct GifPopPscExp {
    /// tau_sfa and q_sfa per population.
    tau_sfa: Vec<Vec<f64>>,
    q_sfa: Vec<Vec<f64>>,
    /// The ring matches the parameters (NEST's `initialized_`, cleared by every SetStatus).
    initialized: Vec<bool>,
    rings: Vec<Ring>,
    /// Step current of the previous step, pA.
    y0: Vec<f64>,
    rng: Vec<Pcg64Mcg>,
    consts: Vec<Consts>,
    h: f64,
}

fn bad(msg: &str, got: String) -> Error {
    Error::bad_property(format!("{msg} (got {got})"))
}

/// NEST's checks of `gif_pop_psc_exp` at SetStatus on a new row and new adaptation lists, in
/// NEST's order.
fn check(row: &[f64], tau_sfa: &[f64], q_sfa: &[f64]) -> Result<()> {
    if tau_sfa.len() != q_sfa.len() {
        return Err(Error::bad_property(format!(
            "'tau_sfa' and 'q_sfa' need to have the same dimension.\nSize of tau_sfa: {}\nSize of q_sfa: {}",
            tau_sfa.len(),
            q_sfa.len()
        )));
    }
    if row[C_M] <= 0.0 {
        return Err(bad("Capacitance must be strictly positive.", format!("C_m = {} pF", row[C_M])));
    }
    if row[TAU_M] <= 0.0 {
        return Err(bad(
            "The membrane time constants must be strictly positive.",
            format!("tau_m = {} ms", row[TAU_M]),
        ));
    }
    if row[TAU_SYN_EX] <= 0.0 || row[TAU_SYN_IN] <= 0.0 {
        return Err(bad(
            "The synaptic time constants must be strictly positive.",
            format!("tau_syn_ex = {} ms, tau_syn_in = {} ms", row[TAU_SYN_EX], row[TAU_SYN_IN]),
        ));
    }
    if let Some((k, t)) = tau_sfa.iter().enumerate().find(|(_, &t)| t <= 0.0) {
        return Err(bad("All time constants must be strictly positive.", format!("tau_sfa[{k}] = {t} ms")));
    }
    if row[N] <= 0.0 {
        return Err(bad("Number of neurons must be positive.", format!("N = {}", row[N])));
    }
    if row[LAMBDA_0] < 0.0 {
        return Err(bad("lambda_0 must be positive.", format!("lambda_0 = {} 1/s", row[LAMBDA_0])));
    }
    if row[DELTA_V] <= 0.0 {
        return Err(bad("Delta_V must be strictly positive.", format!("Delta_V = {} mV", row[DELTA_V])));
    }
    if row[T_REF] < 0.0 {
        return Err(bad("Absolute refractory period cannot be negative.", format!("t_ref = {} ms", row[T_REF])));
    }
    if row[N] > u32::MAX as f64 {
        return Err(bad(
            "gif_pop_psc_exp: nestor sends a population's spikes as one event of 32-bit multiplicity, so N must not exceed 4294967295.",
            format!("N = {}", row[N]),
        ));
    }
    Ok(())
}

/// A status entry as a list of finite numbers (NEST's `std::vector<double>` entries).
fn number_list(key: &str, v: &Value) -> Result<Vec<f64>> {
    let xs = match v {
        Value::DoubleVec(x) => x.clone(),
        Value::IntVec(x) => x.iter().map(|&i| i as f64).collect(),
        Value::Array(a) => a.iter().map(|x| x.as_f64(key)).collect::<Result<Vec<f64>>>()?,
        _ => {
            return Err(Error::new(
                ErrorKind::ArgumentType,
                format!("{NAME}: '{key}' must be a list of numbers (got {v:?})"),
            ))
        }
    };
    if let Some(x) = xs.iter().find(|x| !x.is_finite()) {
        return Err(Error::bad_property(format!("{NAME}: '{key}' must hold finite numbers (got {x})")));
    }
    Ok(xs)
}

/// NEST's adaptation kernel θ(k) = Σ_j q_j e^{−k h/τ_j} at a lag of k steps (mV).
fn adaptation_kernel(tau_sfa: &[f64], q_sfa: &[f64], k: i64, h: f64) -> f64 {
    let mut theta = 0.0;
    for (q, tau) in q_sfa.iter().zip(tau_sfa) {
        theta += q * (-(k as f64) * h / tau).exp();
    }
    theta
}

/// NEST's GetHistoryLength: the automatic `len_kernel` in steps (≥ 1 since t_ref ≥ 0).
fn history_size(tau_sfa: &[f64], q_sfa: &[f64], tau_m: f64, delta_v: f64, t_ref: f64, h: f64) -> i64 {
    // C++ `int k = tmax / h` and `int kmin = 5 * tau_m / h` (truncation).
    let mut k = (T_MAX_HISTORY / h) as i32 as i64;
    let kmin = (5.0 * tau_m / h) as i32 as i64;
    while adaptation_kernel(tau_sfa, q_sfa, k, h) / delta_v < 0.1 && k > kmin {
        k -= 1;
    }
    if k as f64 * h <= t_ref {
        k = (t_ref / h) as i32 as i64 + 1;
    }
    k
}

/// A zeroed vector of `len` entries, or a typed error when it cannot be allocated.
fn zeros(len: usize) -> Result<Vec<f64>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| {
        Error::bad_property(format!("{NAME}: not enough memory for a history of len_kernel = {len} steps"))
    })?;
    v.resize(len, 0.0);
    Ok(v)
}

impl GifPopPscExp {
    /// NEST's InitPopulations: the ring of population `i` for its parameters (Fig. 11 of the
    /// paper); sets `len_kernel` when it is to be chosen.
    fn init_ring(&mut self, t: &mut ParamTable, i: usize, h: f64) -> Result<()> {
        let (tau_sfa, q_sfa) = (&self.tau_sfa[i], &self.q_sfa[i]);
        let delta_v = t.get(DELTA_V, i);
        let n_pop = t.get(N, i);
        let mut len = t.get(LEN_KERNEL, i) as i64;
        if len < 1 {
            len = history_size(tau_sfa, q_sfa, t.get(TAU_M, i), delta_v, t.get(T_REF, i), h);
            t.set(LEN_KERNEL, i, len as f64);
        }
        let len_u = usize::try_from(len).unwrap_or(usize::MAX);
        let mut ring = Ring {
            n: zeros(len_u)?,
            m: zeros(len_u)?,
            v: zeros(len_u)?,
            u: zeros(len_u)?,
            lambda: zeros(len_u)?,
            theta: zeros(len_u)?,
            theta_tld: zeros(len_u)?,
            k_ref: usize::try_from(ms_to_steps(t.get(T_REF, i), h)).unwrap_or(0),
            ..Ring::default()
        };
        for k in 0..len_u {
            let theta = adaptation_kernel(tau_sfa, q_sfa, len - k as i64, h);
            ring.theta[k] = theta;
            ring.theta_tld[k] = delta_v * (1.0 - (-theta / delta_v).exp()) / n_pop;
        }
        ring.n[len_u - 1] = n_pop;
        ring.m[len_u - 1] = n_pop;
        for (q, tau) in q_sfa.iter().zip(tau_sfa) {
            ring.q30k.push(q * tau * (-h * len as f64 / tau).exp());
            ring.q30.push((-h / tau).exp());
            ring.g.push(0.0);
        }
        self.rings[i] = ring;
        Ok(())
    }

    /// One step of population `i`: updates the status columns and returns the spike count.
    #[inline]
    fn step(&mut self, cols: &mut [Vec<f64>], i: usize, ex_in: f64, in_in: f64, current_in: f64) -> u64 {
        let c = self.consts[i];
        let h = self.h;
        let ring = &mut self.rings[i];
        let escrate = |x: f64| c.lambda_0 * (x / c.delta_v).exp();

        // Membrane and synapses (line 6 and 10-11 of Fig. 11).
        let mut h_tot = (c.i_e + self.y0[i]) * c.p20 + c.e_l;
        let mut jna_ex = ex_in / h;
        let mut jna_in = in_in / h;
        jna_ex *= c.tau_ex / c.c_m;
        jna_in *= c.tau_in / c.c_m;
        let mut jny_ex = cols[I_SYN_EX][i] / c.c_m;
        let mut jny_in = cols[I_SYN_IN][i] / c.c_m;
        let h_ex_tmp = c.tau_ex * c.p11_ex * (jny_ex - jna_ex) - c.p22 * (c.tau_ex * jny_ex - c.tau_m * jna_ex);
        let h_in_tmp = c.tau_in * c.p11_in * (jny_in - jna_in) - c.p22 * (c.tau_in * jny_in - c.tau_m * jna_in);
        let h_ex = c.tau_m * (jna_ex + h_ex_tmp / (c.tau_ex - c.tau_m));
        let h_in = c.tau_m * (jna_in + h_in_tmp / (c.tau_in - c.tau_m));
        h_tot += h_ex + h_in;
        jny_ex = jna_ex + (jny_ex - jna_ex) * c.p11_ex;
        jny_in = jna_in + (jny_in - jna_in) * c.p11_in;
        cols[I_SYN_EX][i] = jny_ex * c.c_m;
        cols[I_SYN_IN][i] = jny_in * c.c_m;
        self.y0[i] = current_in;

        // Population update (Fig. 12).
        let len = ring.n.len();
        let k0 = ring.k0;
        let (mut w, mut xx, mut y, mut z) = (0.0, 0.0, 0.0, 0.0);
        let mut theta_hat = c.v_t_star;
        let v_m = (cols[V_M][i] - c.e_l) * c.p22 + h_tot;
        cols[V_M][i] = v_m;
        for j in 0..ring.g.len() {
            let g_tmp = (1.0 - ring.q30[j]) * ring.n[k0] / (c.n * h);
            ring.g[j] = ring.g[j] * ring.q30[j] + g_tmp;
            theta_hat += ring.q30k[j] * ring.g[j];
        }
        let lambda_tld = escrate(v_m - theta_hat);
        let p_free = 1.0 - (-0.0005 * (ring.lambda_free + lambda_tld) * h).exp();
        ring.lambda_free = lambda_tld;
        theta_hat -= ring.n[0] * ring.theta_tld[0];
        cols[E_SFA][i] = theta_hat;
        for m in &ring.m {
            xx += m;
        }
        let mut th = theta_hat;
        for km in 0..len.saturating_sub(ring.k_ref) {
            let k = (k0 + km) % len;
            let theta = ring.theta[km] + th;
            th += ring.n[k] * ring.theta_tld[km];
            ring.u[k] = (ring.u[k] - c.e_l) * c.p22 + h_tot;
            let lambda_k = escrate(ring.u[k] - theta);
            let mut p_lambda = 0.0005 * (lambda_k + ring.lambda[k]) * h;
            if p_lambda > 0.01 {
                p_lambda = 1.0 - (-p_lambda).exp();
            }
            ring.lambda[k] = lambda_k;
            y += p_lambda * ring.v[k];
            z += ring.v[k];
            w += p_lambda * ring.m[k];
            let ompl = 1.0 - p_lambda;
            ring.v[k] = ompl * ompl * ring.v[k] + p_lambda * ring.m[k];
            ring.m[k] *= ompl;
        }
        let p_lambda_all = if z + ring.z > 0.0 { (y + p_free * ring.z) / (z + ring.z) } else { 0.0 };
        let n_expect = w + p_free * ring.x + p_lambda_all * (c.n - xx - ring.x);
        cols[MEAN][i] = n_expect;
        let rng = &mut self.rng[i];
        let n_spikes = if c.bino { draw_binomial(rng, c.n, n_expect) } else { draw_poisson(rng, c.n, n_expect) };
        cols[N_EVENTS][i] = n_spikes as f64;

        let ompf = 1.0 - p_free;
        ring.z = ompf * ompf * ring.z + ring.x * p_free + ring.v[k0];
        ring.x = ring.x * ompf + ring.m[k0];
        ring.n[k0] = n_spikes as f64;
        ring.m[k0] = n_spikes as f64;
        ring.v[k0] = 0.0;
        ring.u[k0] = c.v_reset;
        ring.lambda[k0] = 0.0;
        ring.k0 = (k0 + 1) % len;
        n_spikes
    }
}

/// NEST's binomial spike count: N when n̄/N ≥ 1, 0 when ≤ 0 (no draw), else Binomial(N, n̄/N).
fn draw_binomial(rng: &mut Pcg64Mcg, n: f64, n_expect: f64) -> u64 {
    let p = n_expect / n;
    if p >= 1.0 {
        n as u64
    } else if p <= 0.0 {
        0
    } else {
        rand_distr::Binomial::new(n as u64, p).map_or(0, |d| d.sample(rng))
    }
}

/// NEST's Poisson spike count, clipped to [0, N]: N without a draw when n̄ > N, 0 without a
/// draw when n̄ ≤ DBL_MIN, a Bernoulli draw when a second spike is numerically impossible.
fn draw_poisson(rng: &mut Pcg64Mcg, n: f64, n_expect: f64) -> u64 {
    if n_expect > n {
        n as u64
    } else if n_expect > f64::MIN_POSITIVE {
        let k = if 1.0 - (n_expect + 1.0) * (-n_expect).exp() > f64::MIN_POSITIVE {
            nestor_kernel::conn::poisson(rng, n_expect)
        } else {
            u64::from(rng.random::<f64>() < n_expect)
        };
        k.min(n as u64)
    } else {
        0
    }
}

impl Neuron for GifPopPscExp {
    const NAME: &'static str = NAME;
    const SUMMARY: &'static str =
        "Population of N GIF neurons with exponential PSCs and adaptation, simulated as one node (Schwalger et al. 2017; stochastic)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["E_sfa", "I_syn_ex", "I_syn_in", "V_m", "mean", "n_events"];
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        GifPopPscExp {
            tau_sfa: vec![vec![300.0]; n],
            q_sfa: vec![vec![0.5]; n],
            initialized: vec![false; n],
            rings: vec![Ring::default(); n],
            y0: vec![0.0; n],
            rng: neuron_streams(0, 0, n),
            consts: vec![Consts::default(); n],
            h: 0.1,
        }
    }

    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.rng = neuron_streams(seed, first_id, self.y0.len());
    }

    fn extra_keys() -> &'static [&'static str] {
        &["tau_sfa", "q_sfa"]
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("tau_sfa".into(), Value::DoubleVec(self.tau_sfa[i].clone()));
        d.insert("q_sfa".into(), Value::DoubleVec(self.q_sfa[i].clone()));
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        let find = |key: &str| entries.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        let tau_sfa = find("tau_sfa").map(|v| number_list("tau_sfa", v)).transpose()?;
        let q_sfa = find("q_sfa").map(|v| number_list("q_sfa", v)).transpose()?;
        let tau_sfa = tau_sfa.unwrap_or_else(|| self.tau_sfa[i].clone());
        let q_sfa = q_sfa.unwrap_or_else(|| self.q_sfa[i].clone());
        check(row, &tau_sfa, &q_sfa)?;
        self.tau_sfa[i] = tau_sfa;
        self.q_sfa[i] = q_sfa;
        // NEST's State_::set: any SetStatus rebuilds the population history at the next run.
        self.initialized[i] = false;
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        for i in 0..t.len() {
            if self.tau_sfa[i].is_empty() {
                return Err(Error::bad_property("Time constant array should not be empty. "));
            }
            if self.q_sfa[i].is_empty() {
                return Err(Error::bad_property("Adaptation value array should not be empty. "));
            }
            let (tau_m, c_m) = (t.get(TAU_M, i), t.get(C_M, i));
            let (tau_ex, tau_in) = (t.get(TAU_SYN_EX, i), t.get(TAU_SYN_IN, i));
            let p22 = (-h / tau_m).exp();
            self.consts[i] = Consts {
                n: t.get(N, i),
                tau_m,
                c_m,
                lambda_0: t.get(LAMBDA_0, i),
                delta_v: t.get(DELTA_V, i),
                i_e: t.get(I_E, i),
                v_reset: t.get(V_RESET, i),
                v_t_star: t.get(V_T_STAR, i),
                e_l: t.get(E_L, i),
                tau_ex,
                tau_in,
                bino: t.get(BINO_RAND, i) != 0.0,
                p20: tau_m / c_m * (1.0 - p22),
                p22,
                p11_ex: (-h / tau_ex).exp(),
                p11_in: (-h / tau_in).exp(),
            };
            if !self.initialized[i] {
                self.init_ring(t, i, h)?;
                self.initialized[i] = true;
            }
        }
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        _ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (ex, inh, cur) = (inputs.channel(CH_EX), inputs.channel(CH_IN), inputs.channel(CH_CURRENT));
        let cols = table.cols_mut();
        for i in 0..self.y0.len() {
            let n = self.step(cols, i, ex[i], inh[i], cur[i]);
            if n > 0 {
                out.spikes(i, n.min(u32::MAX as u64) as u32, 1.0);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{Env, EventKind, Node, Route};

    fn status(nd: &mut Box<dyn Node>, d: &[(&str, Value)]) -> Result<()> {
        set_status(nd, d, NAME)
    }

    #[test]
    fn checks_follow_nest() {
        let mut nd = nodes::<GifPopPscExp>(1);
        for (d, msg) in [
            (
                vec![("tau_sfa", Value::DoubleVec(vec![10.0, 20.0]))],
                "'tau_sfa' and 'q_sfa' need to have the same dimension.\nSize of tau_sfa: 2\nSize of q_sfa: 1",
            ),
            (vec![("C_m", Value::Double(0.0))], "Capacitance must be strictly positive."),
            (vec![("tau_m", Value::Double(-1.0))], "The membrane time constants must be strictly positive."),
            (vec![("tau_syn_in", Value::Double(0.0))], "The synaptic time constants must be strictly positive."),
            (
                vec![("tau_sfa", Value::DoubleVec(vec![0.0])), ("q_sfa", Value::DoubleVec(vec![1.0]))],
                "All time constants must be strictly positive.",
            ),
            (vec![("N", Value::Int(0))], "Number of neurons must be positive."),
            (vec![("lambda_0", Value::Double(-1.0))], "lambda_0 must be positive."),
            (vec![("Delta_V", Value::Double(0.0))], "Delta_V must be strictly positive."),
            (vec![("t_ref", Value::Double(-0.5))], "Absolute refractory period cannot be negative."),
            // NEST's order: C_m before N.
            (vec![("N", Value::Int(-3)), ("C_m", Value::Double(-1.0))], "Capacitance must be strictly positive."),
        ] {
            let e = status(&mut nd, &d).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty, "{}", e.message);
            assert!(e.message.starts_with(msg), "{} vs {msg}", e.message);
        }
        assert!(status(&mut nd, &[("N", Value::Int(0))]).unwrap_err().message.contains("N = 0"));
        assert_eq!(status(&mut nd, &[("tau_sfa", Value::Double(3.0))]).unwrap_err().kind, ErrorKind::ArgumentType);
        assert_eq!(status(&mut nd, &[("n_events", Value::Int(3))]).unwrap_err().kind, ErrorKind::BadProperty);
        // Nothing was committed.
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("tau_sfa"), Some(&Value::DoubleVec(vec![300.0])));
        assert_eq!(nd.table().get(C_M, 0), 250.0);
        assert_eq!(nd.table().get(N, 0), 100.0);
        // Empty lists are accepted by SetStatus and refused at Simulate.
        status(&mut nd, &[("tau_sfa", Value::DoubleVec(vec![])), ("q_sfa", Value::DoubleVec(vec![]))]).unwrap();
        let env = Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };
        let e = nd.prepare(&env).unwrap_err();
        assert_eq!(e.message, "Time constant array should not be empty. ");
        assert_eq!(nd.route(0, EventKind::Spike, -3.0).unwrap(), Route::weighted(CH_IN as u16));
        assert_eq!(nd.route(0, EventKind::Spike, 3.0).unwrap(), Route::weighted(CH_EX as u16));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn automatic_history_length_follows_nest() {
        // Defaults at h = 0.1: θ(k)/Δ_V = 0.25·e^{−0.1 k/300} falls below 0.1 after
        // k > 300·ln 2.5/0.1 = 2748.87 steps, so the search stops at k = 2748.
        assert_eq!(history_size(&[300.0], &[0.5], 20.0, 2.0, 4.0, 0.1), 2748);
        // A weak kernel stops at 5 τ_m/h; a long t_ref extends the history beyond it.
        assert_eq!(history_size(&[10.0], &[0.01], 20.0, 2.0, 4.0, 0.1), 1000);
        assert_eq!(history_size(&[10.0], &[0.01], 1.0, 2.0, 80.0, 0.5), 161);
        let mut nd = nodes::<GifPopPscExp>(1);
        run(&mut nd, 0.1, 1, |_, _| 0.0);
        assert_eq!(nd.table().get(LEN_KERNEL, 0), 2748.0);
    }

    #[test]
    fn silent_population_is_deterministic() {
        // Oracle: with lambda_0 = 0 nothing fires and nothing is drawn. V_m relaxes exactly:
        // V = E_L + (V_0 − E_L) e^{−t/τ_m} + R I_e (1 − e^{−t/τ_m}); E_sfa stays V_T_star (no
        // spikes in ring bin 0, g = 0 until the initial N leave the ring); a spike input S (pA)
        // in one step sets I_syn_ex = S/h·τ_syn·(1 − e^{−h/τ_syn}) (NEST's A(t) of the step),
        // which then decays with e^{−h/τ_syn} per step.
        let mut nd = nodes::<GifPopPscExp>(1);
        status(
            &mut nd,
            &[("lambda_0", Value::Double(0.0)), ("I_e", Value::Double(100.0)), ("E_L", Value::Double(-5.0))],
        )
        .unwrap();
        let (rec, spikes) = run(&mut nd, 0.1, 400, |t, ch| if t == 5 && ch == CH_EX { 10.0 } else { 0.0 });
        assert!(spikes.is_empty());
        let r = 20.0 / 250.0;
        for (k, row) in rec.iter().enumerate().take(5) {
            let t = (k + 1) as f64 * 0.1;
            let v = -5.0 + 100.0 * r * (1.0 - (-t / 20.0).exp()) + 5.0 * (-t / 20.0).exp();
            // [E_sfa, I_syn_ex, I_syn_in, V_m, mean, n_events]
            assert!((row[3] - v).abs() < 1e-12, "{k}: {} vs {v}", row[3]);
            assert_eq!(row[0], 15.0);
            assert_eq!((row[4], row[5]), (0.0, 0.0));
        }
        let jump = 10.0 / 0.1 * 3.0 * (1.0 - (-0.1f64 / 3.0).exp());
        assert!((rec[5][1] - jump).abs() < 1e-12, "{} vs {jump}", rec[5][1]);
        assert!((rec[6][1] - jump * (-0.1f64 / 3.0).exp()).abs() < 1e-12);
    }

    #[test]
    fn initial_population_is_refractory_then_fires_at_once() {
        // Oracle: the ring starts with all N neurons in the newest bin (they fired one step
        // before the start), so nothing fires for k_ref = t_ref/h = 8 steps (n̄ = 0, no draw);
        // far above threshold they all escape in step 9 (probability exactly 1, n̄ = N: N
        // without a draw for BinoRand; Poisson(N) clipped to N otherwise, and the neurons the
        // draw left out are expected in the next step: n̄ = N − n). With BinoRand none fires
        // during the next t_ref.
        for bino in [true, false] {
            let mut nd = nodes::<GifPopPscExp>(1);
            status(&mut nd, &[("I_e", Value::Double(2e4)), ("BinoRand", Value::Bool(bino))]).unwrap();
            let (rec, spikes) = run(&mut nd, 0.5, 17, |_, _| 0.0);
            // [E_sfa, I_syn_ex, I_syn_in, V_m, mean, n_events]
            for (k, row) in rec.iter().enumerate() {
                if k == 8 {
                    assert_eq!(row[4], 100.0, "BinoRand {bino}");
                    if bino {
                        assert_eq!(row[5], 100.0);
                    } else {
                        assert!(row[5] > 50.0 && row[5] <= 100.0, "{}", row[5]);
                    }
                } else if k < 8 || bino {
                    assert_eq!((row[4], row[5]), (0.0, 0.0), "BinoRand {bino}, step {k}");
                }
            }
            if !bino {
                assert_eq!(rec[9][4], 100.0 - rec[8][5]);
                continue;
            }
            assert_eq!(spikes, vec![9]);
        }
    }
}
