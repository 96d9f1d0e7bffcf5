//! # iaf_tum_2000 — leaky integrate-and-fire neuron with exponential PSCs and a built-in Tsodyks short-term plasticity synapse
//!
//! A leaky integrate-and-fire neuron with exponentially decaying input currents whose *outgoing*
//! synapses follow the short-term depression and facilitation of Tsodyks, Uziel & Markram
//! (2000), computed once in the presynaptic neuron instead of once per connection (the
//! synaptic ODEs are linear, so all targets see the same released fraction). At each of its
//! spikes the neuron advances its synaptic state (x, y, u) exactly from its previous spike and
//! sends the released fraction u·x with the spike; a target multiplies the weight by it on
//! receptor 1. Integrated exactly on the time grid with NEST's propagators and order of
//! operations, as NEST 3.10's `iaf_tum_2000`.
//!
//! ## Equations
//!
//! ```text
//! dV_m/dt = −(V_m − E_L)/τ_m + (I_syn_ex + I_syn_in + I_e + I_0)/C_m
//! I_syn,X: jump s at a spike arrival, decay with τ_syn,X (X = ex for s > 0, in otherwise)
//! s = w · m          on receptor 0
//! s = w · m · u·x    on receptor 1 (u·x of the sending iaf_tum_2000; 0 for other senders)
//! dI_syn_ex/dt also relaxes towards I_1 (currents on receptor 1, filtered by τ_syn,ex)
//! Presynaptic state between spikes (Δ = time since the previous own spike, the first one
//! counted from 0):
//!   u ← u·e^{−Δ/τ_fac}   (0 if τ_fac = 0)
//!   x ← x + P_xy·y − expm1(−Δ/τ_rec)·z,  z = 1 − x − y
//!   y ← y·e^{−Δ/τ_psc}
//!   P_xy = (expm1(−Δ/τ_rec)·τ_rec − (e^{−Δ/τ_psc} − 1)·τ_psc)/(τ_psc − τ_rec)
//! at the spike: u ← u + U(1 − u); Δy = u·x; x ← x − Δy; y ← y + Δy; Δy is sent.
//! ```
//!
//! One step h, with v = V_m − E_L: if not refractory,
//! v ← v·e^{−h/τ_m} + I_ex·P21_ex + I_in·P21_in + (I_e + I_0)·τ_m/C_m·(1 − e^{−h/τ_m}), otherwise
//! the refractory counter counts down; the currents decay, I_syn_ex gains (1 − e^{−h/τ_syn,ex})·I_1,
//! the step's spike input is added; then the threshold (v ≥ V_th − E_L if `delta` < 1e-10, or
//! with probability ρ·e^{(v − (V_th − E_L))/δ}·h·1e-3 if `delta` > 1e-10) emits a spike, resets
//! v to V_reset − E_L and starts t_ref (whole steps, NEST's rounding). Currents I_0, I_1 received
//! in a step act during the following step. P21_X is NEST's exact propagator including its
//! handling of τ_m ≈ τ_syn,X ([`crate::numerics::IafPropagator`]).
//!
//! ## Parameters
//!
//! | NEST name    | unit | default | meaning                                                   |
//! |--------------|------|---------|-----------------------------------------------------------|
//! | `E_L`        | mV   | −70     | resting membrane potential                                |
//! | `I_e`        | pA   | 0       | constant input current                                    |
//! | `V_th`       | mV   | −55     | spike threshold                                           |
//! | `V_reset`    | mV   | −70     | reset potential                                           |
//! | `C_m`        | pF   | 250     | membrane capacitance                                      |
//! | `tau_m`      | ms   | 10      | membrane time constant                                    |
//! | `tau_syn_ex` | ms   | 2       | decay time of the excitatory current                      |
//! | `tau_syn_in` | ms   | 2       | decay time of the inhibitory current                      |
//! | `t_ref`      | ms   | 2       | refractory period (V_m clamped)                           |
//! | `rho`        | 1/s  | 0.01    | stochastic firing intensity at threshold (`delta` > 0)   |
//! | `delta`      | mV   | 0       | width of the threshold region (0: hard threshold)         |
//! | `tau_fac`    | ms   | 1000    | facilitation time constant of the outgoing synapse        |
//! | `tau_psc`    | ms   | 2       | time constant of y (transmitter in the cleft)             |
//! | `tau_rec`    | ms   | 400     | recovery time constant of the outgoing synapse            |
//! | `U`          | 1    | 0.5     | increment of u at each spike, in [0, 1]                   |
//!
//! Checks (NEST's, in NEST's order, each a `BadProperty`): `V_reset < V_th`; `C_m > 0`; `tau_m`,
//! `tau_syn_ex`, `tau_syn_in`, `tau_psc`, `tau_rec` > 0; `tau_fac ≥ 0`; `t_ref ≥ 0`;
//! `U` ∈ [0, 1]; `rho ≥ 0`; `delta ≥ 0`; then for the state `x + y ≤ 1` and `u` ∈ [0, 1].
//!
//! As in NEST, voltages are shown as absolute values but kept relative to `E_L`; setting `E_L`
//! alone leaves the absolute `V_th`, `V_reset` and `V_m` unchanged.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (mV, −70), `x`, `y`, `u` (the outgoing synapse's readily releasable fraction,
//!   fraction in the cleft, release probability; all 0 initially, so the first spike releases
//!   U·(1 − e^{−t/τ_rec})).
//! * Recordables (NEST's list): `I_syn_ex`, `I_syn_in` (pA), `V_m` (mV, absolute).
//!
//! ## Events
//!
//! * Sends: spikes carrying u·x (NEST puts it in the spike's offset, so a NEST spike_recorder
//!   reports `stamp − u·x` unless `time_in_steps` is set; nestor's recorders report the step).
//! * Receives: spikes on receptor 0 (pA, weight·multiplicity) and on receptor 1 (pA,
//!   weight·multiplicity·payload: the short-term plastic connection between iaf_tum_2000
//!   neurons); the sign of the result selects the excitatory or inhibitory current. Currents on
//!   receptor 0 (added to the membrane directly) and on receptor 1 (filtered through the
//!   excitatory synapse). Other receptors: `UnknownReceptorType`.
//! * NEST also refuses iaf_tum_2000 → iaf_tum_2000 connections on receptor 0 and connections to
//!   precise-timing neurons; nestor's routing does not see the sender's model and accepts them.
//! * With `delta` > 0 the threshold is stochastic; nestor draws from the neuron's own stream
//!   ([`crate::neuron::neuron_streams`]), so the statistics, not the spike times, match NEST.
//!
//! ## References
//!
//! 1. Tsodyks M, Uziel A, Markram H (2000). Synchrony generation in recurrent networks with
//!    frequency-dependent synapses. J Neurosci 20:RC50. doi:10.1523/JNEUROSCI.20-01-j0003.2000
//! 2. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//!
//! ## See also
//!
//! [`crate::iaf_psc_exp`], [`crate::tsodyks_synapse`], [`crate::iaf_psc_exp_htum`].

use crate::neuron::{col, neuron_streams, unknown_receptor, Neuron, Receptors};
use crate::numerics::{ms_to_steps, IafPropagator};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::kernel::step_to_ms;
use nestor_kernel::model::{Decode, Emitter, EventKind, Failure, Inputs, LocalEvent, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// The status schema of `iaf_tum_2000`: NEST names, units and defaults, in NEST's order.
pub static SCHEMA: [ParamSpec; 21] = [
    ParamSpec::param("E_L", Unit::MilliVolt, -70.0, "Resting membrane potential"),
    ParamSpec::param("I_e", Unit::PicoAmpere, 0.0, "Constant input current"),
    ParamSpec::param("V_th", Unit::MilliVolt, -55.0, "Spike threshold"),
    ParamSpec::param("V_reset", Unit::MilliVolt, -70.0, "Reset potential of the membrane"),
    ParamSpec::param("C_m", Unit::PicoFarad, 250.0, "Capacitance of the membrane"),
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Membrane time constant"),
    ParamSpec::param("tau_syn_ex", Unit::Millisecond, 2.0, "Decay time of the excitatory synaptic current"),
    ParamSpec::param("tau_syn_in", Unit::Millisecond, 2.0, "Decay time of the inhibitory synaptic current"),
    ParamSpec::param("t_ref", Unit::Millisecond, 2.0, "Duration of the refractory period"),
    ParamSpec::param("rho", Unit::Hertz, 0.01, "Stochastic firing intensity at threshold"),
    ParamSpec::param("delta", Unit::MilliVolt, 0.0, "Width of the threshold region (0: hard threshold)"),
    ParamSpec::param("tau_fac", Unit::Millisecond, 1000.0, "Facilitation time constant of the outgoing synapse"),
    ParamSpec::param("tau_psc", Unit::Millisecond, 2.0, "Time constant of the fraction in the cleft (y)"),
    ParamSpec::param("tau_rec", Unit::Millisecond, 400.0, "Recovery time constant of the outgoing synapse"),
    ParamSpec::param("U", Unit::Dimensionless, 0.5, "Increment of the release probability u per spike, in [0, 1]"),
    ParamSpec::state("V_m", Unit::MilliVolt, -70.0, "Membrane potential"),
    ParamSpec::state("x", Unit::Dimensionless, 0.0, "Readily releasable fraction of the outgoing synapse"),
    ParamSpec::state("y", Unit::Dimensionless, 0.0, "Fraction in the synaptic cleft"),
    ParamSpec::state("u", Unit::Dimensionless, 0.0, "Release probability of the outgoing synapse"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const E_L: usize = col(&SCHEMA, "E_L");
const I_E: usize = col(&SCHEMA, "I_e");
const V_TH: usize = col(&SCHEMA, "V_th");
const V_RESET: usize = col(&SCHEMA, "V_reset");
const C_M: usize = col(&SCHEMA, "C_m");
const TAU_M: usize = col(&SCHEMA, "tau_m");
const TAU_EX: usize = col(&SCHEMA, "tau_syn_ex");
const TAU_IN: usize = col(&SCHEMA, "tau_syn_in");
const T_REF: usize = col(&SCHEMA, "t_ref");
const RHO: usize = col(&SCHEMA, "rho");
const DELTA: usize = col(&SCHEMA, "delta");
const TAU_FAC: usize = col(&SCHEMA, "tau_fac");
const TAU_PSC: usize = col(&SCHEMA, "tau_psc");
const TAU_REC: usize = col(&SCHEMA, "tau_rec");
const U_INC: usize = col(&SCHEMA, "U");
const V_M: usize = col(&SCHEMA, "V_m");
const X: usize = col(&SCHEMA, "x");
const Y: usize = col(&SCHEMA, "y");
const U: usize = col(&SCHEMA, "u");

/// Input channels.
const CH_EX: usize = 0;
const CH_IN: usize = 1;
/// Currents on receptor 0 (membrane) and 1 (through the excitatory synapse), pA.
const CH_I0: usize = 2;
const CH_I1: usize = 3;

const REC_I_SYN_EX: usize = 0;
const REC_I_SYN_IN: usize = 1;

/// One neuron's propagators and parameters in the form `update` uses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    p11_ex: f64,
    p11_in: f64,
    p22: f64,
    p21_ex: f64,
    p21_in: f64,
    p20: f64,
    i_e: f64,
    /// V_th − E_L and V_reset − E_L, mV.
    theta: f64,
    v_reset: f64,
    e_l: f64,
    ref_counts: i64,
    rho: f64,
    delta: f64,
    tau_fac: f64,
    tau_psc: f64,
    tau_rec: f64,
    u_inc: f64,
}

/// A chunk's internal state; the table holds the absolute V_m and x, y, u.
#[derive(Debug, Clone)]
pub struct IafTum2000 {
    /// V_m − E_L, mV.
    v: Vec<f64>,
    i_syn_ex: Vec<f64>,
    i_syn_in: Vec<f64>,
    /// Currents received in the previous step on receptors 0 and 1, pA.
    i_0: Vec<f64>,
    i_1: Vec<f64>,
    /// Remaining refractory steps.
    r: Vec<i64>,
    /// Time of the last own spike (ms), −1 before the first (NEST's archiving node).
    t_last: Vec<f64>,
    rng: Vec<Pcg64Mcg>,
    consts: Vec<Consts>,
    h: f64,
}

fn bad(msg: &str, got: String) -> Result<()> {
    Err(Error::bad_property(format!("{msg} (got {got})")))
}

impl Neuron for IafTum2000 {
    const NAME: &'static str = "iaf_tum_2000";
    const SUMMARY: &'static str =
        "Leaky integrate-and-fire model with exponential PSCs and a built-in Tsodyks short-term plasticity synapse";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["I_syn_ex", "I_syn_in", "V_m"];
    // Routing is custom (receptors 0 and 1 for spikes and currents).
    const RECEPTORS: Receptors = Receptors::SignSplit;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        let z = vec![0.0; n];
        IafTum2000 {
            v: (0..n).map(|i| table.get(V_M, i) - table.get(E_L, i)).collect(),
            i_syn_ex: z.clone(),
            i_syn_in: z.clone(),
            i_0: z.clone(),
            i_1: z,
            r: vec![0; n],
            t_last: vec![-1.0; n],
            rng: neuron_streams(0, 0, n),
            consts: Vec::new(),
            h: 0.1,
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        // NEST compares the values relative to E_L; the order is the same for absolute ones.
        if row[V_RESET] - row[E_L] >= row[V_TH] - row[E_L] {
            return bad(
                "Reset potential must be smaller than threshold.",
                format!("V_reset = {} mV, V_th = {} mV", row[V_RESET], row[V_TH]),
            );
        }
        if row[C_M] <= 0.0 {
            return bad("Capacitance must be strictly positive.", format!("C_m = {} pF", row[C_M]));
        }
        let taus = [TAU_M, TAU_EX, TAU_IN, TAU_PSC, TAU_REC];
        if taus.iter().any(|&k| row[k] <= 0.0) {
            let got: Vec<String> = taus.iter().map(|&k| format!("{} = {} ms", SCHEMA[k].name, row[k])).collect();
            return bad("Membrane and synapse time constants must be strictly positive.", got.join(", "));
        }
        if row[TAU_FAC] < 0.0 {
            return bad("'tau_fac' must be >= 0.", format!("tau_fac = {} ms", row[TAU_FAC]));
        }
        if row[T_REF] < 0.0 {
            return bad("Refractory time must not be negative.", format!("t_ref = {} ms", row[T_REF]));
        }
        if !(0.0..=1.0).contains(&row[U_INC]) {
            return bad("'U' must be in [0,1].", format!("U = {}", row[U_INC]));
        }
        if row[RHO] < 0.0 {
            return bad("Stochastic firing intensity must not be negative.", format!("rho = {} 1/s", row[RHO]));
        }
        if row[DELTA] < 0.0 {
            return bad("Width of threshold region must not be negative.", format!("delta = {} mV", row[DELTA]));
        }
        if row[X] + row[Y] > 1.0 {
            return bad("x + y must be <= 1.0.", format!("x = {}, y = {}", row[X], row[Y]));
        }
        if !(0.0..=1.0).contains(&row[U]) {
            return bad("'u' must be in [0,1].", format!("u = {}", row[U]));
        }
        Ok(())
    }

    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.rng = neuron_streams(seed, first_id, self.v.len());
    }

    fn custom_channels(&self) -> Option<usize> {
        Some(4)
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, weight: f64) -> Option<Result<Route>> {
        let syn = if weight > 0.0 { CH_EX } else { CH_IN } as u16;
        Some(match (kind.is_spike(), receptor) {
            (true, 0) => Ok(Route::weighted(syn)),
            // The short-term plastic connection: weight × multiplicity × the sender's u·x.
            (true, 1) => Ok(Route::with(syn, Decode::Payload)),
            (false, 0) => Ok(Route::weighted(CH_I0 as u16)),
            (false, 1) => Ok(Route::weighted(CH_I1 as u16)),
            _ => Err(unknown_receptor(Self::NAME, receptor)),
        })
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.h = h;
        let mut consts = Vec::with_capacity(t.len());
        for i in 0..t.len() {
            let (tau_m, c_m, e_l) = (t.get(TAU_M, i), t.get(C_M, i), t.get(E_L, i));
            let p22 = (-h / tau_m).exp();
            consts.push(Consts {
                p11_ex: (-h / t.get(TAU_EX, i)).exp(),
                p11_in: (-h / t.get(TAU_IN, i)).exp(),
                p22,
                p21_ex: IafPropagator::new(t.get(TAU_EX, i), tau_m, c_m).exp(h),
                p21_in: IafPropagator::new(t.get(TAU_IN, i), tau_m, c_m).exp(h),
                p20: tau_m / c_m * (1.0 - p22),
                i_e: t.get(I_E, i),
                theta: t.get(V_TH, i) - e_l,
                v_reset: t.get(V_RESET, i) - e_l,
                e_l,
                ref_counts: ms_to_steps(t.get(T_REF, i), h),
                rho: t.get(RHO, i),
                delta: t.get(DELTA, i),
                tau_fac: t.get(TAU_FAC, i),
                tau_psc: t.get(TAU_PSC, i),
                tau_rec: t.get(TAU_REC, i),
                u_inc: t.get(U_INC, i),
            });
            // V_m or E_L changed by SetStatus since the last run: the absolute V_m is the truth.
            let v_m = t.get(V_M, i);
            if self.v[i] + e_l != v_m {
                self.v[i] = v_m - e_l;
            }
        }
        self.consts = consts;
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (in_ex, in_in) = (inputs.channel(CH_EX), inputs.channel(CH_IN));
        let (in_0, in_1) = (inputs.channel(CH_I0), inputs.channel(CH_I1));
        let h = self.h;
        let cols = table.cols_mut();
        for i in 0..self.v.len() {
            let c = &self.consts[i];
            // NEST's order of operations, for bitwise agreement.
            if self.r[i] == 0 {
                self.v[i] = self.v[i] * c.p22
                    + self.i_syn_ex[i] * c.p21_ex
                    + self.i_syn_in[i] * c.p21_in
                    + (c.i_e + self.i_0[i]) * c.p20;
            } else {
                self.r[i] -= 1;
            }
            self.i_syn_ex[i] *= c.p11_ex;
            self.i_syn_in[i] *= c.p11_in;
            self.i_syn_ex[i] += (1. - c.p11_ex) * self.i_1[i];
            self.i_syn_ex[i] += in_ex[i];
            self.i_syn_in[i] += in_in[i];
            let fire = if c.delta < 1e-10 {
                self.v[i] >= c.theta
            } else if c.delta > 1e-10 {
                let phi = c.rho * (1. / c.delta * (self.v[i] - c.theta)).exp();
                self.rng[i].random::<f64>() < phi * h * 1e-3
            } else {
                false
            };
            if fire {
                self.r[i] = c.ref_counts;
                self.v[i] = c.v_reset;
                // The synapse's state is propagated from the previous spike (time 0 before the
                // first) to this one.
                let t_last = self.t_last[i].max(0.0);
                let t_spike = step_to_ms(ctx.t + 1, h);
                self.t_last[i] = t_spike;
                let dt = t_spike - t_last;
                let puu = if c.tau_fac == 0.0 { 0.0 } else { (-dt / c.tau_fac).exp() };
                let pyy = (-dt / c.tau_psc).exp();
                let pzz = (-dt / c.tau_rec).exp_m1();
                let pxy = (pzz * c.tau_rec - (pyy - 1.0) * c.tau_psc) / (c.tau_psc - c.tau_rec);
                let (mut x, mut y, mut u) = (cols[X][i], cols[Y][i], cols[U][i]);
                let z = 1.0 - x - y;
                u *= puu;
                x += pxy * y - pzz * z;
                y *= pyy;
                u += c.u_inc * (1.0 - u);
                let released = u * x;
                x -= released;
                y += released;
                cols[X][i] = x;
                cols[Y][i] = y;
                cols[U][i] = u;
                out.emit(LocalEvent { local: i as u32, mult: 1, a: 1.0, b: released });
            }
            self.i_0[i] = in_0[i];
            self.i_1[i] = in_1[i];
            cols[V_M][i] = self.v[i] + c.e_l;
        }
        Ok(())
    }

    fn read(&self, _table: &ParamTable, var: usize, i: usize) -> f64 {
        match var {
            REC_I_SYN_EX => self.i_syn_ex[i],
            REC_I_SYN_IN => self.i_syn_in[i],
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::Env;
    use nestor_kernel::value::Value;

    const REC_V_M: usize = 2;

    #[test]
    fn payload_is_the_released_fraction_of_tsodyks_synapse() {
        // Oracle: the closed form of the Tsodyks model from x = y = u = 0 at t = 0: the first
        // spike at t1 releases U·(1 − e^{−t1/τ_rec}); the second, at t2, with
        // u2 = u1 e^{−Δ/τ_fac} + U(1 − u1 e^{−Δ/τ_fac}) and x, y propagated exactly.
        let mut nd = nodes::<IafTum2000>(1);
        nd.table_mut().set(I_E, 0, 1000.0);
        nd.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let mut ev = Vec::new();
        let data = vec![0.0; 4];
        let mut spikes = Vec::new();
        for t in 0..400 {
            ev.clear();
            nd.update(&StepCtx { t, h: 0.1 }, &Inputs::new(&data, 1, 1, 0), &mut Emitter::new(&mut ev));
            spikes.extend(ev.iter().map(|e| (t + 1, e.b)));
        }
        assert!(spikes.len() >= 2, "{spikes:?}");
        let (s1, b1) = spikes[0];
        let t1 = s1 as f64 * 0.1;
        let x1 = 1.0 - (-t1 / 400.0_f64).exp();
        assert!((b1 - 0.5 * x1).abs() < 1e-12, "{b1} vs {}", 0.5 * x1);
        let (s2, b2) = spikes[1];
        let d = (s2 - s1) as f64 * 0.1;
        let (x, y, u) = (x1 - 0.5 * x1, 0.5 * x1, 0.5);
        let z = 1.0 - x - y;
        // Independent solution of x' = z/τ_rec, y' = −y/τ_psc, z = 1 − x − y (so
        // z' = y/τ_psc − z/τ_rec): z(Δ) = z0 e^{−Δ/τ_rec} + (y0/τ_psc)(e^{−Δ/τ_psc} − e^{−Δ/τ_rec})/(1/τ_rec − 1/τ_psc).
        let (ep, er) = ((-d / 2.0_f64).exp(), (-d / 400.0_f64).exp());
        let z2 = z * er + (y / 2.0) * (ep - er) / (1.0 / 400.0 - 1.0 / 2.0);
        let x2 = 1.0 - y * ep - z2;
        let u2 = u * (-d / 1000.0_f64).exp();
        let u2 = u2 + 0.5 * (1.0 - u2);
        assert!((b2 - u2 * x2).abs() < 1e-12, "{b2} vs {}", u2 * x2);
    }

    #[test]
    fn receptor_one_multiplies_by_the_payload_receptor_zero_does_not() {
        let nd = nodes::<IafTum2000>(1);
        assert_eq!(nd.route(0, EventKind::Spike, 5.0).unwrap(), Route::weighted(CH_EX as u16));
        assert_eq!(nd.route(0, EventKind::Spike, -5.0).unwrap(), Route::weighted(CH_IN as u16));
        assert_eq!(nd.route(1, EventKind::Spike, 5.0).unwrap(), Route::with(CH_EX as u16, Decode::Payload));
        assert_eq!(nd.route(1, EventKind::Current, 1.0).unwrap(), Route::weighted(CH_I1 as u16));
        assert_eq!(nd.route(2, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert_eq!(nd.route(2, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
    }

    #[test]
    fn current_on_receptor_one_is_filtered_by_the_excitatory_synapse() {
        // Oracle: a constant current I on receptor 1 from step 0 gives
        // I_syn_ex(k) = I (1 − e^{−k h/τ_syn_ex}) (one step later than it arrives).
        let mut nd = nodes::<IafTum2000>(1);
        let (rec, _) = run(&mut nd, 0.1, 100, |_, ch| if ch == CH_I1 { 100.0 } else { 0.0 });
        for (k, x) in rec.iter().enumerate() {
            let exact = 100.0 * (1.0 - (-(k as f64) * 0.1 / 2.0).exp());
            assert!((x[REC_I_SYN_EX] - exact).abs() < 1e-11, "k {k}: {} vs {exact}", x[REC_I_SYN_EX]);
        }
        assert!(rec[99][REC_V_M] > -70.0);
    }

    #[test]
    fn checks_use_nest_messages_with_values() {
        let nd = nodes::<IafTum2000>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_RESET, -55.0, "Reset potential must be smaller than threshold."),
            (C_M, 0.0, "Capacitance must be strictly positive."),
            (TAU_M, 0.0, "Membrane and synapse time constants must be strictly positive."),
            (TAU_PSC, -1.0, "Membrane and synapse time constants must be strictly positive."),
            (TAU_REC, 0.0, "Membrane and synapse time constants must be strictly positive."),
            (TAU_FAC, -1.0, "'tau_fac' must be >= 0."),
            (T_REF, -0.5, "Refractory time must not be negative."),
            (U_INC, 1.5, "'U' must be in [0,1]."),
            (RHO, -1.0, "Stochastic firing intensity must not be negative."),
            (DELTA, -1.0, "Width of threshold region must not be negative."),
            (U, -0.1, "'u' must be in [0,1]."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{}", e.message);
            assert!(e.message.contains(&format!("= {x}")), "{}", e.message);
        }
        let mut row = base.clone();
        row[X] = 0.7;
        row[Y] = 0.4;
        let e = nd.validate(&row).unwrap_err();
        assert!(e.message.starts_with("x + y must be <= 1.0. (got x = 0.7, y = 0.4)"), "{}", e.message);
        // tau_fac = 0 and t_ref = 0 are allowed.
        let mut row = base.clone();
        row[TAU_FAC] = 0.0;
        row[T_REF] = 0.0;
        assert!(nd.validate(&row).is_ok());
    }

    #[test]
    fn set_status_is_all_or_nothing() {
        let mut nd = nodes::<IafTum2000>(1);
        let e =
            set_status(&mut nd, &[("U", Value::Double(0.2)), ("u", Value::Double(2.0))], "iaf_tum_2000").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert_eq!(nd.table().get(U_INC, 0), 0.5);
    }
}
