//! What NEST's binary neurons share (`ginzburg_neuron`, `mcculloch_pitts_neuron`,
//! `erfc_neuron`): the state `S ∈ {0, 1}` updated at random times, the summed input `h`, and
//! the binary code of their connections. Each model file gives only its gain function (the
//! probability, or the rule, that the new state is 1 for total input `h`) and its parameters.
//!
//! ```text
//! every step t (from t·h to t·h + h):
//!   h ← h + (spike input of the step)          (kept: h is the running sum of transitions)
//!   c  = (current input of the step)            (not kept)
//!   if t·h > t_next:                            (compared in tics, NEST's time base)
//!       S' = gain(h + c)                        (one uniform draw for stochastic gains)
//!       if S' ≠ S: send the transition, S ← S'
//!       t_next ← t_next + τ_m·Exp(1)            (rounded to tics)
//! ```
//!
//! The update times form a Poisson process of mean interval `tau_m` (NEST draws the first one at
//! the first Simulate, `tau_m`·Exp(1) rounded to tics, and keeps it across Simulate calls); at
//! most one update falls into a step. A transition is sent as a spike: multiplicity 2 for 0→1,
//! multiplicity 1 for 1→0. A binary neuron reads an incoming spike the same way (`+w` for
//! multiplicity 2, `−w` for multiplicity 1; nestor's senders never split a multiplicity), so
//! `h` is the weighted sum of the presynaptic states. Current input (noise_generator) adds to the
//! gain's argument for the step only.
//!
//! Binary neurons send and receive NEST's *binary* signal: connections to or from spiking
//! neurons are refused (`IllegalConnection`); spike_generator, noise_generator, parrot_neuron,
//! spike_recorder and multimeter work with both kinds, and spin_detector decodes the transitions.
//! Recordables: `S` (0/1) and `h`, read after the step as NEST's multimeter does.
//!
//! Each neuron draws from its own random stream (keyed by the kernel's seed and its node id), so
//! results do not depend on threads; they differ from NEST's numbers and are compared with NEST
//! statistically.

use crate::neuron::{col, neuron_streams, unknown_receptor, Neuron, Receptors};
use crate::numerics::{tics_per_step, TICS_PER_MS};
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Decode, Emitter, EventKind, Failure, Inputs, Route, Signal, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

/// A binary neuron's gain function: the model-specific part.
pub trait Gain: Send + 'static {
    /// NEST's model name.
    const NAME: &'static str;
    /// The manual's first line.
    const SUMMARY: &'static str;
    /// The whole status table; must hold `tau_m`, `h`, `S` (see [`common`]).
    const SCHEMA: &'static [ParamSpec];
    /// The new state for total input `h` of neuron `i`, drawing from `rng` as NEST does.
    fn gain(table: &ParamTable, i: usize, rng: &mut Pcg64Mcg, h: f64) -> bool;
}

/// The entries every binary neuron has, in NEST's order around the gain's parameters: the
/// gain's parameters come between `tau_m` and the state.
pub const fn tau_m() -> ParamSpec {
    ParamSpec::param("tau_m", Unit::Millisecond, 10.0, "Mean interval between updates")
}

/// The state and archiving entries that follow the gain's parameters.
pub const fn common() -> [ParamSpec; 4] {
    [
        ParamSpec::read_only("h", Unit::MilliVolt, 0.0, "Summed input (weighted presynaptic states)"),
        ParamSpec::read_only("S", Unit::Bool, 0.0, "Binary state (output)"),
        ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
        ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
    ]
}

/// A chunk of binary neurons with gain `G`: next update times and random streams.
pub struct Binary<G: Gain> {
    /// Next update time in tics; `None` until the first Simulate draws it.
    t_next: Vec<Option<i64>>,
    rng: Vec<Pcg64Mcg>,
    /// Tics per step.
    tps: i64,
    _gain: std::marker::PhantomData<fn() -> G>,
}

impl<G: Gain> Binary<G> {
    const TAU_M: usize = col(G::SCHEMA, "tau_m");
    const H: usize = col(G::SCHEMA, "h");
    const S: usize = col(G::SCHEMA, "S");

    /// `tau_m`·Exp(1) rounded to tics, as NEST's `Time::ms`.
    fn interval(rng: &mut Pcg64Mcg, tau_m: f64) -> i64 {
        // Exp(1) by inversion of a uniform in [0, 1).
        let e = -(1.0 - rng.random::<f64>()).ln();
        (e * tau_m * TICS_PER_MS + 0.5) as i64
    }
}

/// Input channels: spikes (binary code), currents.
const CH_SPIKES: usize = 0;
const CH_CURRENT: usize = 1;

impl<G: Gain> Neuron for Binary<G> {
    const NAME: &'static str = G::NAME;
    const SUMMARY: &'static str = G::SUMMARY;
    const SCHEMA: &'static [ParamSpec] = G::SCHEMA;
    const RECORDABLES: &'static [&'static str] = &["S", "h"];
    const RECEPTORS: Receptors = Receptors::Single;
    const WEIGHT_UNIT: Unit = Unit::MilliVolt;
    const SIGNAL: Signal = Signal::BINARY;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        Binary { t_next: vec![None; n], rng: Vec::new(), tps: 1, _gain: std::marker::PhantomData }
    }

    fn check(row: &[f64]) -> Result<()> {
        if row[Self::TAU_M] <= 0.0 {
            return Err(Error::bad_property(format!(
                "All time constants must be strictly positive (got tau_m = {} ms).",
                row[Self::TAU_M]
            )));
        }
        Ok(())
    }

    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.rng = neuron_streams(seed, first_id, self.t_next.len());
    }

    fn prepare(&mut self, table: &mut ParamTable, h: f64) -> Result<()> {
        self.tps = tics_per_step(h);
        let tau = table.col(Self::TAU_M);
        for (i, t) in self.t_next.iter_mut().enumerate() {
            if t.is_none() {
                *t = Some(Self::interval(&mut self.rng[i], tau[i]));
            }
        }
        Ok(())
    }

    fn custom_route(&self, receptor: i64, kind: EventKind, _weight: f64) -> Option<Result<Route>> {
        Some(match (receptor, kind.is_spike()) {
            (0, true) => Ok(Route::with(CH_SPIKES as u16, Decode::Binary)),
            (0, false) => Ok(Route::weighted(CH_CURRENT as u16)),
            _ => Err(unknown_receptor(G::NAME, receptor)),
        })
    }

    fn custom_channels(&self) -> Option<usize> {
        Some(2)
    }

    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        let (spikes, currents) = (inputs.channel(CH_SPIKES), inputs.channel(CH_CURRENT));
        let now = ctx.t.saturating_mul(self.tps);
        for i in 0..self.t_next.len() {
            let h = table.get(Self::H, i) + spikes[i];
            table.set(Self::H, i, h);
            let Some(t_next) = self.t_next[i] else { continue };
            if now <= t_next {
                continue;
            }
            let y = table.get(Self::S, i) != 0.0;
            let new_y = G::gain(table, i, &mut self.rng[i], h + currents[i]);
            if new_y != y {
                out.spikes(i, if new_y { 2 } else { 1 }, 1.0);
                table.set(Self::S, i, if new_y { 1.0 } else { 0.0 });
            }
            let tau = table.get(Self::TAU_M, i);
            self.t_next[i] = Some(t_next.saturating_add(Self::interval(&mut self.rng[i], tau)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::mcculloch_pitts_neuron::MccullochPittsNeuron;
    use crate::neuron::testing::{nodes, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{Decode, EventKind, Signal};
    use nestor_kernel::value::Value;

    #[test]
    fn tau_m_must_be_positive_and_state_is_read_only() {
        let mut n = nodes::<MccullochPittsNeuron>(1);
        let e = set_status(&mut n, &[("tau_m", Value::Double(-1.0))], "mcculloch_pitts_neuron").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadProperty);
        assert!(e.message.contains("tau_m = -1"), "{}", e.message);
        assert!(set_status(&mut n, &[("S", Value::Bool(true))], "mcculloch_pitts_neuron").is_err());
        assert_eq!(n.table().get(0, 0), 10.0);
    }

    #[test]
    fn routes_spikes_with_the_binary_code_on_receptor_0_only() {
        let n = nodes::<MccullochPittsNeuron>(1);
        assert_eq!(n.route(0, EventKind::Spike, 1.0).unwrap().decode, Decode::Binary);
        assert_eq!(n.route(0, EventKind::Current, 1.0).unwrap().decode, Decode::Weighted);
        assert_eq!(n.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert_eq!((n.sends_signal(), n.receives_signal()), (Signal::BINARY, Signal::BINARY));
    }

    #[test]
    fn updates_at_random_times_and_sends_transitions_as_multiplicities() {
        use nestor_kernel::model::{Emitter, Env, Inputs, LocalEvent, StepCtx};
        let mut n = nodes::<MccullochPittsNeuron>(50);
        for i in 0..50 {
            n.table_mut().set(1, i, -1.0); // theta below h = 0: every update says 1
        }
        n.seed_streams(7, 1);
        n.prepare(&Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let data = vec![0.0; 2 * 50];
        let mut first_up = vec![None; 50];
        let mut ev: Vec<LocalEvent> = Vec::new();
        for t in 0..2000 {
            ev.clear();
            n.update(&StepCtx { t, h: 0.1 }, &Inputs::new(&data, 50, 1, 0), &mut Emitter::new(&mut ev));
            for e in &ev {
                assert_eq!(e.mult, 2, "only up transitions");
                assert!(first_up[e.local as usize].replace(t).is_none(), "one transition per neuron");
            }
        }
        // Every neuron went up once, at its first update: Exp(tau_m = 10 ms) distributed.
        let times: Vec<f64> = first_up.iter().map(|t| t.expect("went up") as f64 * 0.1).collect();
        let mean = times.iter().sum::<f64>() / 50.0;
        assert!((mean - 10.0).abs() < 4.0, "mean first update {mean} ms");
        assert!((0..50).all(|i| n.read(0, i) == 1.0));
    }
}
