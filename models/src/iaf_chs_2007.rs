//! # iaf_chs_2007 — spike-response model of Carandini, Horton & Sincich (2007)
//!
//! A normalised spike-response neuron (threshold 1): the membrane potential is the sum of
//! alpha-shaped postsynaptic potentials, an after-hyperpolarisation that follows each spike and
//! decays exponentially, and an optional noise signal given beforehand as a list (`noise`,
//! scaled by `V_noise`), one value per step. Integrated exactly on the time grid with NEST's
//! propagators and order of operations, as NEST 3.10's `iaf_chs_2007`.
//!
//! ## Equations
//!
//! ```text
//! V_m(t) = V_syn(t) + V_spike(t) + V_noise · noise[k]        (k: steps since noise was set)
//! V_syn:   alpha-shaped PSP of amplitude V_epsp·w peaking τ_epsp after the spike,
//!          i.e. dV_syn/dt = −V_syn/τ_epsp + e·V_epsp/τ_epsp · I,  dI/dt = −I/τ_epsp, I jumps by w
//! V_spike: jumps by −V_reset at each own spike, dV_spike/dt = −V_spike/τ_reset
//! spike when V_m ≥ 1; then V_spike and V_m drop by V_reset
//! ```
//!
//! One step h: V_syn ← V_syn·e^{−h/τ_epsp} + I·V_epsp·e·e^{−h/τ_epsp}·h/τ_epsp; I decays and
//! receives the step's spikes; V_spike decays; V_m is the sum (plus the next noise value if
//! `V_noise` > 0 and `noise` is not empty); threshold and reset. NEST's propagator for V_syn is
//! the first-order one above (not the exact alpha propagator); nestor uses it too.
//!
//! ## Parameters
//!
//! | NEST name   | unit | default | meaning                                                   |
//! |-------------|------|---------|-----------------------------------------------------------|
//! | `V_reset`   | 1    | 2.31    | size of the reset / after-hyperpolarisation (normalised)  |
//! | `V_epsp`    | 1    | 0.77    | EPSP amplitude for weight 1 (normalised)                  |
//! | `tau_epsp`  | ms   | 8.5     | time to peak of the EPSP (and decay of the input current) |
//! | `tau_reset` | ms   | 15.4    | recovery time constant of the after-hyperpolarisation     |
//! | `V_noise`   | 1    | 0       | noise scale (normalised)                                  |
//! | `noise`     | list | []      | the noise signal, one value per step; setting it restarts it |
//!
//! The threshold (1), E_L (0) and C (1) are fixed. Checks (NEST's, in NEST's order, each a
//! `BadProperty`): `V_epsp ≥ 0` ("EPSP cannot be negative."), `V_reset ≥ 0` ("Reset potential
//! cannot be negative."), `tau_epsp`, `tau_reset` > 0. The noise signal must be at least as long
//! as the simulation: NEST reads past its end (undefined behaviour); nestor stops the run with an
//! error naming the neuron when the signal is exhausted.
//!
//! ## State and recordables
//!
//! * Status: `V_m` (normalised, initial 0; recomputed every step from V_syn and V_spike).
//! * Recordables: `V_m`.
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives: spikes on receptor 0; as in NEST, spikes with a negative weight are ignored.
//!   No currents (`IllegalConnection`); other receptors: `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Carandini M, Horton JC, Sincich LC (2007). Thalamic filtering of retinal spike trains by
//!    postsynaptic summation. J Vision 7(14):20, 1–11. doi:10.1167/7.14.20
//! 2. Rotter S, Diesmann M (1999). Exact simulation of time-invariant linear systems with
//!    applications to neuronal modeling. Biol Cybern 81:381–402. doi:10.1007/s004220050570
//!
//! ## See also
//!
//! [`crate::iaf_psc_alpha`].

use crate::neuron::{col, failure, unknown_receptor, Neuron, Receptors};
use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{Emitter, EventKind, Failure, Inputs, Route, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::{Dict, Value};

/// The status schema of `iaf_chs_2007` (besides the list `noise`): NEST names and defaults.
pub static SCHEMA: [ParamSpec; 8] = [
    ParamSpec::param("V_reset", Unit::Dimensionless, 2.31, "Size of the reset (after-hyperpolarisation), normalised"),
    ParamSpec::param("V_epsp", Unit::Dimensionless, 0.77, "EPSP amplitude for weight 1, normalised"),
    ParamSpec::param("tau_epsp", Unit::Millisecond, 8.5, "Time to peak of the EPSP"),
    ParamSpec::param("tau_reset", Unit::Millisecond, 15.4, "Recovery time constant of the after-hyperpolarisation"),
    ParamSpec::param("V_noise", Unit::Dimensionless, 0.0, "Noise scale, normalised"),
    ParamSpec::state("V_m", Unit::Dimensionless, 0.0, "Membrane potential, normalised"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const V_RESET: usize = col(&SCHEMA, "V_reset");
const V_EPSP: usize = col(&SCHEMA, "V_epsp");
const TAU_EPSP: usize = col(&SCHEMA, "tau_epsp");
const TAU_RESET: usize = col(&SCHEMA, "tau_reset");
const V_NOISE: usize = col(&SCHEMA, "V_noise");
const V_M: usize = col(&SCHEMA, "V_m");

/// Fixed threshold (normalised).
const U_TH: f64 = 1.0;
/// Fixed capacitance.
const C: f64 = 1.0;

/// Spikes with weight ≥ 0.
const CH_SPIKE: usize = 0;
/// Spikes with negative weight: received and ignored, as NEST does.
const CH_IGNORED: usize = 1;

/// One neuron's propagators.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Consts {
    p11: f64,
    p22: f64,
    p30: f64,
    p21: f64,
    u_reset: f64,
    u_noise: f64,
}

/// A chunk's internal state; the table holds V_m.
#[derive(Debug, Clone)]
pub struct IafChs2007 {
    i_syn_ex: Vec<f64>,
    v_syn: Vec<f64>,
    v_spike: Vec<f64>,
    /// Each neuron's noise signal and the index of its next value.
    noise: Vec<Vec<f64>>,
    position: Vec<usize>,
    consts: Vec<Consts>,
}

impl Neuron for IafChs2007 {
    const NAME: &'static str = "iaf_chs_2007";
    const SUMMARY: &'static str =
        "Spike-response model of Carandini, Horton & Sincich (2007) with a given noise signal";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["V_m"];
    // Routing is custom (negative weights are dropped, no currents).
    const RECEPTORS: Receptors = Receptors::Single;
    const WEIGHT_UNIT: Unit = Unit::Dimensionless;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IafChs2007 {
            i_syn_ex: vec![0.0; n],
            v_syn: vec![0.0; n],
            v_spike: vec![0.0; n],
            noise: vec![Vec::new(); n],
            position: vec![0; n],
            consts: Vec::new(),
        }
    }

    fn check(row: &[f64]) -> Result<()> {
        let bad = |msg: &str, got: String| Err(Error::bad_property(format!("{msg} (got {got})")));
        if row[V_EPSP] < 0.0 {
            return bad("EPSP cannot be negative.", format!("V_epsp = {}", row[V_EPSP]));
        }
        if row[V_RESET] < 0.0 {
            return bad("Reset potential cannot be negative.", format!("V_reset = {}", row[V_RESET]));
        }
        if row[TAU_EPSP] <= 0.0 || row[TAU_RESET] <= 0.0 {
            return bad(
                "All time constants must be strictly positive.",
                format!("tau_epsp = {} ms, tau_reset = {} ms", row[TAU_EPSP], row[TAU_RESET]),
            );
        }
        Ok(())
    }

    fn extra_keys() -> &'static [&'static str] {
        &["noise"]
    }

    fn get_extra(&self, i: usize, d: &mut Dict) {
        d.insert("noise".into(), Value::DoubleVec(self.noise[i].clone()));
    }

    fn set_extra(&mut self, i: usize, entries: &[(&str, &Value)], _row: &[f64]) -> Result<()> {
        for (k, v) in entries {
            if *k == "noise" {
                let list = v.as_f64_vec_in(Unit::Dimensionless, k)?;
                self.noise[i] = list;
                self.position[i] = 0;
            }
        }
        Ok(())
    }

    fn custom_channels(&self) -> Option<usize> {
        Some(2)
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, weight: f64) -> Option<Result<Route>> {
        Some(match (kind.is_spike(), receptor) {
            (true, 0) => Ok(Route::weighted(if weight >= 0.0 { CH_SPIKE } else { CH_IGNORED } as u16)),
            (true, _) => Err(unknown_receptor(Self::NAME, receptor)),
            (false, _) => Err(Error::new(
                ErrorKind::IllegalConnection,
                format!("{} receives spikes only, not {kind:?} events.", Self::NAME),
            )),
        })
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        self.consts = (0..t.len())
            .map(|i| {
                let tau_epsp = t.get(TAU_EPSP, i);
                let p11 = (-h / tau_epsp).exp();
                Consts {
                    p11,
                    p22: (-h / tau_epsp).exp(),
                    p30: (-h / t.get(TAU_RESET, i)).exp(),
                    // NEST's order of operations.
                    p21: t.get(V_EPSP, i) * 1.0_f64.exp() / C * p11 * h / tau_epsp,
                    u_reset: t.get(V_RESET, i),
                    u_noise: t.get(V_NOISE, i),
                }
            })
            .collect();
        Ok(())
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let spikes = inputs.channel(CH_SPIKE);
        let v_m = table.col_mut(V_M);
        for i in 0..self.v_syn.len() {
            let c = &self.consts[i];
            self.v_syn[i] = self.v_syn[i] * c.p22 + self.i_syn_ex[i] * c.p21;
            self.i_syn_ex[i] *= c.p11;
            self.i_syn_ex[i] += spikes[i];
            self.v_spike[i] *= c.p30;
            let noise_term = if c.u_noise > 0.0 && !self.noise[i].is_empty() {
                let Some(&x) = self.noise[i].get(self.position[i]) else {
                    return Err(failure(
                        i,
                        ctx.t,
                        format!(
                            "the noise signal ({} values) is shorter than the simulation; NEST requires it to cover every step",
                            self.noise[i].len()
                        ),
                    ));
                };
                self.position[i] += 1;
                c.u_noise * x
            } else {
                0.0
            };
            let mut v = self.v_syn[i] + self.v_spike[i] + noise_term;
            if v >= U_TH {
                self.v_spike[i] -= c.u_reset;
                v -= c.u_reset;
                out.spike(i);
            }
            v_m[i] = v;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::model::Env;

    #[test]
    fn epsp_has_nest_first_order_alpha_shape() {
        // Oracle: with the propagators above, a unit spike arriving in step 0 gives
        // V(k) = V_epsp · e · (k h/τ) · e^{−k h/τ} for k ≥ 1 (the alpha function sampled on the
        // grid: V_syn(k) = Σ_{j<k} P21·P11^{j}·P22^{k−1−j} = k·P21·P11^{k−1}).
        let mut nd = nodes::<IafChs2007>(1);
        let (rec, spikes) = run(&mut nd, 0.1, 300, |t, ch| if t == 0 && ch == CH_SPIKE { 1.0 } else { 0.0 });
        assert!(spikes.is_empty());
        for (k, x) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            let exact = 0.77 * std::f64::consts::E * s / 8.5 * (-s / 8.5).exp();
            assert!((x[0] - exact).abs() < 1e-12, "k {k}: {} vs {exact}", x[0]);
        }
        // Peak V_epsp at t = τ_epsp (85 steps).
        assert!((rec[85][0] - 0.77).abs() < 1e-12);
    }

    #[test]
    fn negative_weights_are_ignored_and_currents_refused() {
        let nd = nodes::<IafChs2007>(1);
        assert_eq!(nd.route(0, EventKind::Spike, -1.0).unwrap(), Route::weighted(CH_IGNORED as u16));
        assert_eq!(nd.route(0, EventKind::Spike, 0.0).unwrap(), Route::weighted(CH_SPIKE as u16));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap_err().kind, ErrorKind::IllegalConnection);
        let mut nd = nodes::<IafChs2007>(1);
        let (rec, _) = run(&mut nd, 0.1, 50, |_, ch| if ch == CH_IGNORED { -5.0 } else { 0.0 });
        assert!(rec.iter().all(|x| x[0] == 0.0));
    }

    #[test]
    fn noise_is_read_one_value_per_step_and_reset_by_setting_it() {
        let mut nd = nodes::<IafChs2007>(1);
        let noise = Value::DoubleVec(vec![0.1, 0.2, 0.3, 0.4]);
        set_status(&mut nd, &[("V_noise", Value::Double(2.0)), ("noise", noise.clone())], "iaf_chs_2007").unwrap();
        let (rec, _) = run(&mut nd, 0.1, 4, |_, _| 0.0);
        let v: Vec<f64> = rec.iter().map(|x| x[0]).collect();
        assert_eq!(v, vec![0.2, 0.4, 0.6, 0.8]);
        // Exhausted: the run stops with an error instead of reading past the end.
        let env = Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };
        nd.prepare(&env).unwrap();
        let mut ev = Vec::new();
        let data = vec![0.0; 2];
        nd.update(&StepCtx { t: 4, h: 0.1 }, &Inputs::new(&data, 1, 1, 0), &mut Emitter::new(&mut ev));
        let f = nd.failure().unwrap();
        assert!(f.message.contains("noise signal (4 values) is shorter"), "{}", f.message);
        // Setting the list again restarts it.
        set_status(&mut nd, &[("noise", noise)], "iaf_chs_2007").unwrap();
        let (rec, _) = run(&mut nd, 0.1, 1, |_, _| 0.0);
        assert!((rec[0][0] - 0.2).abs() < 1e-12);
        let mut d = Dict::new();
        nd.get_extra(0, &mut d);
        assert_eq!(d.get("noise"), Some(&Value::DoubleVec(vec![0.1, 0.2, 0.3, 0.4])));
    }

    #[test]
    fn threshold_and_after_hyperpolarisation() {
        // Oracle: a spike at V_m ≥ 1 lowers V_m and V_spike by V_reset; V_spike recovers as
        // e^{−t/τ_reset}.
        let mut nd = nodes::<IafChs2007>(1);
        let (rec, spikes) = run(&mut nd, 0.1, 200, |t, ch| if t == 0 && ch == CH_SPIKE { 2.0 } else { 0.0 });
        assert_eq!(spikes.len(), 1);
        let k = spikes[0] as usize - 1;
        assert!(rec[k][0] < 1.0 - 2.31 + 1.6);
        assert!(rec[k - 1][0] < 1.0);
    }

    #[test]
    fn checks_use_nest_messages_with_values() {
        let nd = nodes::<IafChs2007>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (V_EPSP, -0.1, "EPSP cannot be negative."),
            (V_RESET, -1.0, "Reset potential cannot be negative."),
            (TAU_EPSP, 0.0, "All time constants must be strictly positive."),
            (TAU_RESET, -2.0, "All time constants must be strictly positive."),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{}", e.message);
            assert!(e.message.contains(&format!("= {x}")), "{}", e.message);
        }
        assert!(nd.validate(&base).is_ok());
    }
}
