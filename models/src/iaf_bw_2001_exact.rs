//! # iaf_bw_2001_exact — conductance-based leaky integrate-and-fire neuron with AMPA, GABA and saturating NMDA synapses, one NMDA state per connection (Brunel & Wang 2001)
//!
//! The neuron of [`crate::iaf_bw_2001`] with the original, non-linear NMDA dynamics of Wang
//! (1999): the NMDA gating of every incoming NMDA connection rises through its own second
//! variable and saturates, so it cannot be summed over connections. As in NEST, every NMDA
//! connection gets its own port (receptor 3 is handed out as ports 3, 4, 5, ... in the order
//! the connections are made) and its own pair (x_j, s_j) in the neuron's ODE system, which
//! therefore grows with the number of NMDA inputs. Integrated with adaptive RKF45
//! ([`crate::rkf45::evolve_step_dyn`], absolute tolerance `gsl_error_tol`, relative 0) and
//! NEST's order of operations, as NEST 3.10's `iaf_bw_2001_exact`.
//!
//! ## Equations
//!
//! ```text
//! C_m dV/dt = −g_L (V − E_L) − I_AMPA − I_GABA − I_NMDA + I_stim
//! I_AMPA = (V − E_ex) s_AMPA,  I_GABA = (V − E_in) s_GABA
//! I_NMDA = (V − E_ex) / (1 + [Mg²⁺] e^{−0.062 V}/3.57) · Σ_j w_j s_j
//! ds_AMPA/dt = −s_AMPA/τ_AMPA,  ds_GABA/dt = −s_GABA/τ_GABA
//! ds_j/dt = −s_j/τ_decay,NMDA + α x_j (1 − s_j),  dx_j/dt = −x_j/τ_rise,NMDA
//! spike arrival: s_AMPA += w·m (receptor 1), s_GABA += w·m (receptor 2),
//!                x_j += m (connection j on receptor 3; its weight w_j scales s_j)
//! ```
//!
//! One step: integrate over h; add the step's spike input; if refractory, count down and clamp
//! V at V_reset, otherwise a spike at V ≥ V_th resets V and starts t_ref (whole steps);
//! currents received in a step act during the next. The recorded currents and `s_NMDA`
//! (= Σ_j w_j s_j) are those of the integrator's last evaluation, at the end of the step before
//! spike input.
//!
//! ## Parameters
//!
//! Those of [`crate::iaf_bw_2001`] (same names, units, defaults and checks, NEST's order here:
//! `tau_rise_NMDA` before `tau_decay_NMDA`), without the k_0/k_1 approximation.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, −70), `s_AMPA`, `s_GABA` (nS, 0). The per-connection NMDA states are
//!   internal (NEST does not show them either).
//! * Recordables (NEST's order): `I_AMPA`, `I_GABA`, `I_NMDA` (pA), `V_m`, `s_AMPA`, `s_GABA`,
//!   `s_NMDA` (Σ_j w_j s_j, nS). `receptor_types`: AMPA 1, GABA 2, NMDA 3.
//!
//! ## Events
//!
//! * Sends: spikes (no payload).
//! * Receives: spikes on receptors 1 (AMPA), 2 (GABA), 3 (NMDA, a new port per connection; the
//!   weight of an NMDA connection cannot change afterwards, as NEST requires constant weights);
//!   currents on receptor 0 (pA). NMDA connections made after the first Simulate are refused
//!   (`IllegalConnection`, NEST's message). Other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Wang X-J (1999). Synaptic basis of cortical persistent activity: the importance of NMDA
//!    receptors to working memory. J Neurosci 19:9587–9603. doi:10.1523/JNEUROSCI.19-21-09587.1999
//! 2. Brunel N, Wang X-J (2001). Effects of neuromodulation in a cortical network model of object
//!    working memory dominated by recurrent inhibition. J Comput Neurosci 11:63–85.
//!    doi:10.1023/A:1011204814320
//!
//! ## See also
//!
//! [`crate::iaf_bw_2001`].

use crate::iaf_bw_2001::{check_bw, receptor_types, AMPA, GABA, NMDA};
use crate::neuron::{col, failure, unknown_receptor, Neuron, Receptors};
use crate::numerics::ms_to_steps;
use crate::rkf45::{evolve_step_dyn, OdeDyn, Scratch, Tolerance};
use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Decode, Emitter, EventKind, Failure, Inputs, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::Dict;

/// The status schema of `iaf_bw_2001_exact`: NEST names, units and defaults, in NEST's order.
pub static SCHEMA: [ParamSpec; 20] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Leak reversal potential"),
    ParamSpec::param("E_ex", Unit::MilliVolt, 0.0, "Excitatory reversal potential"),
    ParamSpec::param("E_in", Unit::MilliVolt, -70.0, "Inhibitory reversal potential"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -60.0, "Reset potential of the membrane"),
    ParamSpec::param("C_m", Unit::PicoFarad, 500.0, "Capacitance of the membrane"),
    ParamSpec::param("g_L", Unit::NanoSiemens, 25.0, "Leak conductance"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of the refractory period"),
    ParamSpec::param("tau_AMPA", Unit::Millisecond, 2.0, "Decay time of the AMPA conductance"),
    ParamSpec::param("tau_GABA", Unit::Millisecond, 5.0, "Decay time of the GABA conductance"),
    ParamSpec::param("tau_rise_NMDA", Unit::Millisecond, 2.0, "Rise time of the NMDA conductance"),
    ParamSpec::param("tau_decay_NMDA", Unit::Millisecond, 100.0, "Decay time of the NMDA conductance"),
    ParamSpec::param("alpha", Unit::PerMillisecond, 0.5, "Rise-time coupling strength of the NMDA synapse"),
    ParamSpec::param("conc_Mg2", Unit::MilliMolar, 1.0, "Extracellular magnesium concentration"),
    ParamSpec::param("gsl_error_tol", Unit::Dimensionless, 1e-3, "Absolute error bound of the RKF45 control"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("s_AMPA", Unit::NanoSiemens, 0.0, "AMPA gating variable (weights are conductances)"),
    ParamSpec::state("s_GABA", Unit::NanoSiemens, 0.0, "GABA gating variable (weights are conductances)"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const E_L: usize = col(&SCHEMA, "E_L");
const E_EX: usize = col(&SCHEMA, "E_ex");
const E_IN: usize = col(&SCHEMA, "E_in");
const V_TH: usize = col(&SCHEMA, "V_th");
const V_RESET: usize = col(&SCHEMA, "V_reset");
const C_M: usize = col(&SCHEMA, "C_m");
const G_L: usize = col(&SCHEMA, "g_L");
const T_REF: usize = col(&SCHEMA, "t_ref");
const TAU_AMPA: usize = col(&SCHEMA, "tau_AMPA");
const TAU_GABA: usize = col(&SCHEMA, "tau_GABA");
const TAU_RISE_NMDA: usize = col(&SCHEMA, "tau_rise_NMDA");
const TAU_DECAY_NMDA: usize = col(&SCHEMA, "tau_decay_NMDA");
const ALPHA: usize = col(&SCHEMA, "alpha");
const CONC_MG2: usize = col(&SCHEMA, "conc_Mg2");
const GSL_ERROR_TOL: usize = col(&SCHEMA, "gsl_error_tol");
const V_M: usize = col(&SCHEMA, "V_m");
const S_AMPA: usize = col(&SCHEMA, "s_AMPA");
const S_GABA: usize = col(&SCHEMA, "s_GABA");

/// Recordables outside the table.
const REC_I_AMPA: usize = 0;
const REC_I_GABA: usize = 1;
const REC_I_NMDA: usize = 2;
const REC_S_NMDA: usize = 6;

/// Input channels: AMPA, GABA, currents, then one per NMDA port (connection j of a neuron is
/// channel `CH_NMDA + j`).
const CH_AMPA: usize = 0;
const CH_GABA: usize = 1;
const CH_CURRENT: usize = 2;
const CH_NMDA: usize = 3;
/// Index of the first NMDA pair (x_j, s_j) in a neuron's ODE state [V_m, s_AMPA, s_GABA, ...].
const NMDA_BASE: usize = 3;

/// One neuron's parameters in the form `update` uses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    e_l: f64,
    e_ex: f64,
    e_in: f64,
    v_th: f64,
    v_reset: f64,
    c_m: f64,
    g_l: f64,
    tau_ampa: f64,
    tau_gaba: f64,
    tau_rise_nmda: f64,
    tau_decay_nmda: f64,
    alpha: f64,
    conc_mg2: f64,
    tol: f64,
    ref_counts: i64,
}

/// The recorded quantities of the last right-hand-side evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Recorded {
    i_ampa: f64,
    i_gaba: f64,
    i_nmda: f64,
    s_nmda: f64,
}

/// The synaptic currents and the weighted NMDA gating at state y, NEST's order of operations.
#[inline(always)]
fn currents(c: &Consts, w: &[f64], y: &[f64]) -> Recorded {
    let i_ampa = (y[0] - c.e_ex) * y[1];
    let i_gaba = (y[0] - c.e_in) * y[2];
    let mut s_nmda = 0.0;
    for (j, wj) in w.iter().enumerate() {
        s_nmda += y[NMDA_BASE + 2 * j + 1] * wj;
    }
    let i_nmda = (y[0] - c.e_ex) / (1.0 + c.conc_mg2 * (-0.062 * y[0]).exp() / 3.57) * s_nmda;
    Recorded { i_ampa, i_gaba, i_nmda, s_nmda }
}

/// The right-hand side for one neuron.
struct Dynamics<'a> {
    c: &'a Consts,
    /// Weights of the neuron's NMDA connections.
    w: &'a [f64],
    i_stim: f64,
}

impl OdeDyn for Dynamics<'_> {
    fn rhs(&self, y: &[f64], f: &mut [f64]) {
        let c = self.c;
        let r = currents(c, self.w, y);
        let i_syn = r.i_ampa + r.i_gaba + r.i_nmda;
        f[0] = (-c.g_l * (y[0] - c.e_l) - i_syn + self.i_stim) / c.c_m;
        f[1] = -y[1] / c.tau_ampa;
        f[2] = -y[2] / c.tau_gaba;
        for j in 0..self.w.len() {
            let (x, s) = (y[NMDA_BASE + 2 * j], y[NMDA_BASE + 2 * j + 1]);
            f[NMDA_BASE + 2 * j + 1] = -s / c.tau_decay_nmda + c.alpha * x * (1.0 - s);
            f[NMDA_BASE + 2 * j] = -x / c.tau_rise_nmda;
        }
    }
}

/// A chunk's internal state; the table holds V_m, s_AMPA and s_GABA.
#[derive(Debug, Clone)]
pub struct IafBw2001Exact {
    /// Per neuron: the weights of its NMDA connections, in the order they were made.
    nmda_w: Vec<Vec<f64>>,
    /// Per neuron: the ODE state [V_m, s_AMPA, s_GABA, x_1, s_1, x_2, s_2, ...] during a run.
    y: Vec<Vec<f64>>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    /// Step current of the previous step, pA.
    i_stim: Vec<f64>,
    /// Suggested integration step carried between steps, ms.
    h_int: Vec<f64>,
    recorded: Vec<Recorded>,
    consts: Vec<Consts>,
    scratch: Scratch,
    /// True after the first run: the ports are fixed.
    started: bool,
    h: f64,
}

impl Neuron for IafBw2001Exact {
    const NAME: &'static str = "iaf_bw_2001_exact";
    const SUMMARY: &'static str =
        "Conductance-based leaky integrate-and-fire model with AMPA, GABA and saturating NMDA synapses, one NMDA state per connection (Brunel & Wang 2001; adaptive RKF45)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["I_AMPA", "I_GABA", "I_NMDA", "V_m", "s_AMPA", "s_GABA", "s_NMDA"];
    // Routing is custom (receptors 1..=3, a port per NMDA connection).
    const RECEPTORS: Receptors = Receptors::Ports;
    const WEIGHT_UNIT: Unit = Unit::NanoSiemens;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafBw2001Exact {
            nmda_w: vec![Vec::new(); n],
            y: vec![Vec::new(); n],
            r: vec![0; n],
            i_stim: vec![0.0; n],
            h_int: vec![0.0; n],
            recorded: vec![Recorded::default(); n],
            consts: Vec::new(),
            scratch: Scratch::default(),
            started: false,
            h: 0.1,
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        check_bw(
            row,
            &SCHEMA,
            [
                V_RESET,
                V_TH,
                C_M,
                T_REF,
                TAU_AMPA,
                TAU_GABA,
                TAU_RISE_NMDA,
                TAU_DECAY_NMDA,
                ALPHA,
                CONC_MG2,
                GSL_ERROR_TOL,
            ],
        )
    }

    fn custom_channels(&self) -> Option<usize> {
        Some(CH_NMDA + self.nmda_w.iter().map(Vec::len).max().unwrap_or(0))
    }

    fn connection_route(&mut self, local: usize, receptor: i64, kind: EventKind, weight: f64) -> Option<Result<Route>> {
        if !(kind.is_spike() && receptor == NMDA) {
            return None;
        }
        if self.started {
            return Some(Err(Error::new(
                ErrorKind::IllegalConnection,
                "NMDA connections to this model can only be made before the first call to nest.Simulate()",
            )));
        }
        let ports = self.nmda_w.get_mut(local)?;
        ports.push(weight);
        Some(Ok(Route::with((CH_NMDA + ports.len() - 1) as u16, Decode::CountOnly)))
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Option<Result<Route>> {
        Some(match (kind.is_spike(), receptor) {
            (true, AMPA) => Ok(Route::weighted(CH_AMPA as u16)),
            (true, GABA) => Ok(Route::weighted(CH_GABA as u16)),
            // Only asked when an existing NMDA connection's weight is changed.
            (true, NMDA) => Err(Error::new(ErrorKind::KernelException, "iaf_bw_2001_exact requires constant weights.")),
            (false, 0) => Ok(Route::weighted(CH_CURRENT as u16)),
            _ => Err(unknown_receptor(Self::NAME, receptor)),
        })
    }

    fn get_derived(&self, _table: &ParamTable, _i: usize, d: &mut Dict) {
        d.insert("receptor_types".into(), receptor_types());
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        self.consts = (0..t.len())
            .map(|i| Consts {
                e_l: t.get(E_L, i),
                e_ex: t.get(E_EX, i),
                e_in: t.get(E_IN, i),
                v_th: t.get(V_TH, i),
                v_reset: t.get(V_RESET, i),
                c_m: t.get(C_M, i),
                g_l: t.get(G_L, i),
                tau_ampa: t.get(TAU_AMPA, i),
                tau_gaba: t.get(TAU_GABA, i),
                tau_rise_nmda: t.get(TAU_RISE_NMDA, i),
                tau_decay_nmda: t.get(TAU_DECAY_NMDA, i),
                alpha: t.get(ALPHA, i),
                conc_mg2: t.get(CONC_MG2, i),
                tol: t.get(GSL_ERROR_TOL, i),
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
            })
            .collect();
        if !self.started {
            // NEST sizes the state when the node is initialised: one (x, s) pair per NMDA port.
            for (y, w) in self.y.iter_mut().zip(&self.nmda_w) {
                *y = vec![0.0; NMDA_BASE + 2 * w.len()];
            }
            self.started = true;
        }
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_ampa, in_gaba, in_i) = (inputs.channel(CH_AMPA), inputs.channel(CH_GABA), inputs.channel(CH_CURRENT));
        let h = self.h;
        let cols = table.cols_mut();
        for i in 0..self.r.len() {
            let c = &self.consts[i];
            let w = &self.nmda_w[i];
            let y = &mut self.y[i];
            // V_m, s_AMPA, s_GABA may have been set since the last step.
            y[0] = cols[V_M][i];
            y[1] = cols[S_AMPA][i];
            y[2] = cols[S_GABA][i];
            let sys = Dynamics { c, w, i_stim: self.i_stim[i] };
            evolve_step_dyn(&sys, Tolerance::y(c.tol, 0.0), h, &mut self.h_int[i], y, &mut self.scratch)
                .map_err(|m| failure(i, ctx.t, m))?;
            self.recorded[i] = currents(c, w, y);
            y[1] += in_ampa[i];
            y[2] += in_gaba[i];
            for j in 0..w.len() {
                y[NMDA_BASE + 2 * j] += inputs.channel(CH_NMDA + j)[i];
            }
            if self.r[i] > 0 {
                self.r[i] -= 1;
                y[0] = c.v_reset;
            } else if y[0] >= c.v_th {
                self.r[i] = c.ref_counts;
                y[0] = c.v_reset;
                out.spike(i);
            }
            self.i_stim[i] = in_i[i];
            cols[V_M][i] = y[0];
            cols[S_AMPA][i] = y[1];
            cols[S_GABA][i] = y[2];
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, var: usize, i: usize) -> f64 {
        let r = &self.recorded[i];
        match var {
            REC_I_AMPA => r.i_ampa,
            REC_I_GABA => r.i_gaba,
            REC_I_NMDA => r.i_nmda,
            REC_S_NMDA => r.s_nmda,
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::nodes;
    use nestor_kernel::model::Env;

    const ENV: Env = Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };

    #[test]
    fn each_nmda_connection_gets_its_own_port() {
        let mut nd = nodes::<IafBw2001Exact>(2);
        let a = nd.connection_route(0, NMDA, EventKind::Spike, 2.0).unwrap().unwrap();
        let b = nd.connection_route(0, NMDA, EventKind::Spike, 3.0).unwrap().unwrap();
        let c = nd.connection_route(1, NMDA, EventKind::Spike, 1.0).unwrap().unwrap();
        assert_eq!(a, Route::with(CH_NMDA as u16, Decode::CountOnly));
        assert_eq!(b, Route::with(CH_NMDA as u16 + 1, Decode::CountOnly));
        assert_eq!(c, Route::with(CH_NMDA as u16, Decode::CountOnly));
        assert_eq!(nd.channels(), CH_NMDA + 2);
        assert!(nd.connection_route(0, AMPA, EventKind::Spike, 2.0).is_none());
        assert_eq!(nd.route(AMPA, EventKind::Spike, 1.0).unwrap(), Route::weighted(CH_AMPA as u16));
        assert_eq!(nd.route(GABA, EventKind::Spike, 1.0).unwrap(), Route::weighted(CH_GABA as u16));
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap(), Route::weighted(CH_CURRENT as u16));
        assert_eq!(nd.route(4, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert_eq!(nd.route(NMDA, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::KernelException);
        nd.prepare(&ENV).unwrap();
        let e = nd.connection_route(0, NMDA, EventKind::Spike, 2.0).unwrap().unwrap_err();
        assert_eq!(e.kind, ErrorKind::IllegalConnection);
        assert!(e.message.starts_with("NMDA connections to this model can only be made before"), "{}", e.message);
    }

    #[test]
    fn nmda_gating_rises_and_saturates() {
        // Oracle: x(t) = e^{−t/τ_r} after a unit spike; s obeys ds/dt = −s/τ_d + α x (1 − s),
        // whose exact solution with s(0) = 0 is s(t) = ∫₀ᵗ α x(u) e^{−∫ᵤᵗ (1/τ_d + α x(v)) dv} du;
        // for τ_d → ∞ it is 1 − exp(−α τ_r (1 − e^{−t/τ_r})), the saturation NEST's k_0 / k_1
        // approximation (iaf_bw_2001) is built on. Here τ_d = 1e9 ms.
        let mut nd = nodes::<IafBw2001Exact>(1);
        nd.table_mut().set(TAU_DECAY_NMDA, 0, 1e9);
        nd.table_mut().set(GSL_ERROR_TOL, 0, 1e-9);
        nd.connection_route(0, NMDA, EventKind::Spike, 1.0).unwrap().unwrap();
        nd.prepare(&ENV).unwrap();
        let n = 1;
        let chans = nd.channels();
        let mut ev = Vec::new();
        for t in 0..200 {
            let mut data = vec![0.0; chans * n];
            if t == 0 {
                data[CH_NMDA] = 1.0;
            }
            nd.update(&StepCtx { t, h: 0.1 }, &Inputs::new(&data, n, 1, 0), &mut Emitter::new(&mut ev));
            // Recorded s_NMDA is the state at the end of step t before its input: (t) h after
            // the spike added in step 0.
            let s = t as f64 * 0.1;
            let exact = 1.0 - (-0.5 * 2.0 * (1.0 - (-s / 2.0_f64).exp())).exp();
            let got = nd.read(REC_S_NMDA, 0);
            assert!((got - exact).abs() < 1e-7, "t {t}: {got} vs {exact}");
        }
        assert!(nd.read(REC_I_NMDA, 0) < 0.0);
    }

    #[test]
    fn checks_use_nest_messages() {
        let nd = nodes::<IafBw2001Exact>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_RESET, -50.0, "Reset potential must be smaller than threshold."),
            (TAU_RISE_NMDA, 0.0, "All time constants must be strictly positive."),
            (ALPHA, -1.0, "alpha > 0 required."),
            (GSL_ERROR_TOL, 0.0, "The gsl_error_tol must be strictly positive."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{}", e.message);
            assert!(e.message.contains(&format!("= {x}")), "{}", e.message);
        }
    }
}
