//! # ignore_and_fire — neuron that ignores its input and fires at a fixed rate and phase
//!
//! A benchmarking neuron (NEST 3.10's `ignore_and_fire`): it accepts spikes and currents like
//! any point neuron but ignores them, and fires regularly with a given `rate` and `phase`. Its
//! activity therefore does not depend on the network, which makes network size, connectivity
//! and plasticity (it keeps a spike history, so it can be the target of STDP synapses)
//! benchmarkable at a fixed, known load.
//!
//! ## Dynamics
//!
//! ```text
//! period_steps = steps(1000 / rate)            phase_steps = steps(1000 · phase / rate)
//! per step:  if counter == 0 { spike; counter = period_steps − 1 } else { counter −= 1 }
//! ```
//!
//! `steps(ms)` is NEST's conversion (rounded to tics, then **up** to whole steps). The counter
//! starts at `phase_steps`, so the first spike is stamped at step `phase_steps + 1` (e.g. phase
//! 0.3 at 50 Hz and h = 0.1 ms: 6.1 ms), then every `period_steps` steps. As in NEST the counters
//! are computed when a node is created and again after **every** SetStatus of it (even one that
//! changes nothing), not at Simulate; they persist across Simulate calls.
//!
//! ## Parameters
//!
//! | NEST name | unit | default | meaning                                       |
//! |-----------|------|---------|-----------------------------------------------|
//! | `phase`   |      | 1       | time to the first spike, in periods, (0, 1]  |
//! | `rate`    | 1/s  | 10      | firing rate                                   |
//!
//! Checks (NEST's, in NEST's order, each a `BadProperty`): `0 < phase ≤ 1` ("Phase must be > 0
//! and <= 1."), `rate > 0` ("Firing rate must be > 0."). A period longer than about 10¹⁵ ms is
//! treated as never firing again (NEST's 32-bit counters would overflow there). A period that
//! rounds to 0 steps (rate above about 2 MHz at 1000 tics/ms) makes NEST fire once and then
//! never again (its counter runs below zero); nestor does the same.
//!
//! ## State and recordables
//!
//! No status-visible state; no recordables (NEST's list is empty).
//!
//! ## Events
//!
//! * Sends: spikes.
//! * Receives (and ignores): spikes and currents on receptor 0. Other receptors:
//!   `UnknownReceptorType`.
//!
//! ## References
//!
//! 1. Morrison A, Aertsen A, Diesmann M (2007). Spike-timing-dependent plasticity in balanced
//!    random networks. Neural Comput 19:1437–1467. doi:10.1162/neco.2007.19.6.1437
//!    (the plastic network model that `ignore_and_fire` makes benchmarkable).
//!
//! ## See also
//!
//! [`crate::parrot_neuron`], [`crate::iaf_psc_alpha`].

use crate::neuron::{col, Neuron, Receptors};
use crate::numerics::ms_to_steps;
use nestor_kernel::error::{Error, Result};
use nestor_kernel::model::{Emitter, Failure, Inputs, StepCtx};
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use nestor_kernel::value::Value;

/// The status schema of `ignore_and_fire`: NEST names, units and defaults.
pub static SCHEMA: [ParamSpec; 4] = [
    ParamSpec::param("phase", Unit::Dimensionless, 1.0, "Time to the first spike in periods, 0 < phase <= 1"),
    ParamSpec::param("rate", Unit::Hertz, 10.0, "Firing rate"),
    ParamSpec::param("tau_minus", Unit::Millisecond, 20.0, "Time constant of the K- trace read by STDP synapses"),
    ParamSpec::param("tau_minus_triplet", Unit::Millisecond, 110.0, "Time constant of the triplet K- trace"),
];

const PHASE: usize = col(&SCHEMA, "phase");
const RATE: usize = col(&SCHEMA, "rate");

/// Durations beyond this (ms) never end (far beyond any simulation; keeps step counts finite).
const MAX_MS: f64 = 1e15;

/// NEST's step count of `ms` at resolution `h`, saturated at [`MAX_MS`].
fn steps(ms: f64, h: f64) -> i64 {
    ms_to_steps(ms.min(MAX_MS), h)
}

/// A chunk's internal state: the counters NEST keeps outside the status.
#[derive(Debug, Clone)]
pub struct IgnoreAndFire {
    /// Steps until the next spike.
    counter: Vec<i64>,
    /// Steps between spikes.
    period: Vec<i64>,
    /// The (phase, rate) the counters were computed from; `None` until they are.
    from: Vec<Option<(f64, f64)>>,
    /// The resolution (ms), once the kernel told it.
    h: Option<f64>,
}

impl IgnoreAndFire {
    /// NEST's `calc_initial_variables_` for neuron `i`.
    fn reset_counters(&mut self, i: usize, phase: f64, rate: f64, h: f64) {
        self.period[i] = steps(1.0 / rate * 1000.0, h);
        self.counter[i] = steps(phase / rate * 1000.0, h);
        self.from[i] = Some((phase, rate));
    }
}

impl Neuron for IgnoreAndFire {
    const NAME: &'static str = "ignore_and_fire";
    const SUMMARY: &'static str = "Neuron that ignores all input and fires with a fixed rate and phase";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    const RECORDABLES: &'static [&'static str] = &[];
    const RECEPTORS: Receptors = Receptors::Single;
    const WEIGHT_UNIT: Unit = Unit::PicoAmpere;

    fn new(table: &mut ParamTable) -> Self {
        let n = table.len();
        IgnoreAndFire { counter: vec![0; n], period: vec![0; n], from: vec![None; n], h: None }
    }

    fn check(row: &[f64]) -> Result<()> {
        if row[PHASE] <= 0.0 || row[PHASE] > 1.0 {
            return Err(Error::bad_property(format!("Phase must be > 0 and <= 1 (got phase = {}).", row[PHASE])));
        }
        if row[RATE] <= 0.0 {
            return Err(Error::bad_property(format!("Firing rate must be > 0 (got rate = {} 1/s).", row[RATE])));
        }
        Ok(())
    }

    fn set_resolution(&mut self, h: f64) {
        self.h = Some(h);
        // The nodes are made at the defaults (NEST's constructor computes the counters).
        for i in 0..self.counter.len() {
            self.reset_counters(i, SCHEMA[PHASE].default, SCHEMA[RATE].default, h);
        }
    }

    fn set_extra(&mut self, i: usize, _entries: &[(&str, &Value)], row: &[f64]) -> Result<()> {
        // Every SetStatus recomputes the counters, as NEST does; without a resolution yet they
        // are computed at the next Simulate.
        match self.h {
            Some(h) => self.reset_counters(i, row[PHASE], row[RATE], h),
            None => self.from[i] = None,
        }
        Ok(())
    }

    fn prepare(&mut self, t: &mut ParamTable, h: f64) -> Result<()> {
        for i in 0..t.len() {
            let (phase, rate) = (t.get(PHASE, i), t.get(RATE, i));
            // Not computed yet, or the table was changed without a SetStatus.
            if self.from[i] != Some((phase, rate)) {
                self.reset_counters(i, phase, rate, h);
            }
        }
        Ok(())
    }

    fn update(
        &mut self,
        _table: &mut ParamTable,
        _ctx: &StepCtx,
        _inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure> {
        for i in 0..self.counter.len() {
            if self.counter[i] == 0 {
                self.counter[i] = self.period[i] - 1;
                out.spike(i);
            } else {
                self.counter[i] = self.counter[i].saturating_sub(1);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::model::{EventKind, Route};

    /// NEST's documented timing: first spike at ceil(1000·phase/rate / h) + 1 steps, then one
    /// every ceil(1000/rate / h) steps (both rounded to tics first).
    fn expected(phase: f64, rate: f64, h: f64, until: i64) -> Vec<i64> {
        let first = (1000.0 * phase / rate / h - 1e-9).ceil() as i64 + 1;
        let period = (1000.0 / rate / h - 1e-9).ceil() as i64;
        (0..).map(|k| first + k * period).take_while(|&s| s <= until).collect()
    }

    #[test]
    fn fires_at_phase_then_at_rate_whatever_the_input() {
        for (phase, rate) in [(1.0, 10.0), (0.3, 50.0), (0.05, 70.0), (0.5, 333.0)] {
            let mut nd = nodes::<IgnoreAndFire>(1);
            nd.table_mut().set(PHASE, 0, phase);
            nd.table_mut().set(RATE, 0, rate);
            // Large spike and current input on every channel changes nothing.
            let (rec, spikes) = run(&mut nd, 0.1, 3000, |t, _| if t % 7 == 0 { 1e6 } else { -1e6 });
            assert!(rec.iter().all(|r| r.is_empty()));
            assert_eq!(spikes, expected(phase, rate, 0.1, 3000), "phase {phase}, rate {rate}");
        }
    }

    #[test]
    fn counters_persist_across_runs_and_every_set_status_restarts_them() {
        let mut nd = nodes::<IgnoreAndFire>(1);
        nd.set_resolution(0.1);
        let row = nd.table().row(0);
        let (_, s1) = run(&mut nd, 0.1, 1500, |_, _| 0.0);
        assert_eq!(s1, vec![1001]);
        // A second run continues the count: next spike 1000 steps after the first.
        let (_, s2) = run(&mut nd, 0.1, 600, |_, _| 0.0);
        assert_eq!(s2, vec![501]);
        // A SetStatus that changes nothing still restarts the phase (as NEST's set_status).
        nd.set_extra(0, &[], &row, "ignore_and_fire").unwrap();
        let (_, s3) = run(&mut nd, 0.1, 1500, |_, _| 0.0);
        assert_eq!(s3, vec![1001]);
    }

    #[test]
    fn checks_use_nest_messages_with_values() {
        let nd = nodes::<IgnoreAndFire>(1);
        let base = nd.table().row(0);
        for (k, x, msg) in [
            (PHASE, 0.0, "Phase must be > 0 and <= 1"),
            (PHASE, 1.5, "Phase must be > 0 and <= 1"),
            (RATE, 0.0, "Firing rate must be > 0"),
            (RATE, -3.0, "Firing rate must be > 0"),
        ] {
            let mut row = base.clone();
            row[k] = x;
            let e = nd.validate(&row).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.contains(msg) && e.message.contains(&format!("= {x}")), "{}", e.message);
        }
        assert!(nd.validate(&base).is_ok());
    }

    #[test]
    fn receives_on_receptor_0_only_and_extreme_rates_do_not_break() {
        let nd = nodes::<IgnoreAndFire>(1);
        assert!(nd.route(0, EventKind::Spike, -1.0).is_ok());
        assert_eq!(nd.route(0, EventKind::Current, 1.0).unwrap(), Route::weighted(1));
        assert_eq!(nd.route(1, EventKind::Spike, 1.0).unwrap_err().kind, ErrorKind::UnknownReceptorType);
        assert!(nd.recordables().is_empty());
        // A tiny rate: no spike for a very long time; 10 kHz: a spike every step; a period
        // below half a tic rounds to 0 steps, and NEST then fires once and its counter runs
        // below zero for good.
        for (rate, n) in [(1e-300, 0), (1e4, 50), (1e9, 1)] {
            let mut nd = nodes::<IgnoreAndFire>(1);
            nd.table_mut().set(RATE, 0, rate);
            nd.table_mut().set(PHASE, 0, 1e-12);
            let (_, spikes) = run(&mut nd, 0.1, 50, |_, _| 0.0);
            assert_eq!(spikes.len(), n, "rate {rate}");
        }
    }
}
