//! The model-authoring base: a NEST point neuron is its manual, a declared table and its
//! dynamics; this module supplies everything else.
//!
//! A model file implements [`Neuron`] for the struct that holds a chunk's *internal* state (the
//! vectors that are neither parameters nor status-visible state, e.g. refractory counters or
//! the step current of the previous step, and the constants `prepare` computes). It declares:
//!
//! * `NAME`, `SUMMARY` (NEST's name and the manual's first line);
//! * `SCHEMA`: the status table (NEST name, unit, default, parameter/state/read-only, doc).
//!   Values live in the kernel's structure-of-arrays [`ParamTable`]; GetStatus, SetStatus (a
//!   copy is checked with [`Neuron::check`] and committed only if every check passes),
//!   SetDefaults/CopyModel, units and `help` follow from it;
//! * `RECORDABLES` in NEST's order: a name that is a column of the table is read from it, any
//!   other (and any listed in `READ_NOT_TABLE`) is asked from [`Neuron::read`]; read-only
//!   values NEST computes on GetStatus come from [`Neuron::get_derived`];
//! * `RECEPTORS`: how incoming events map onto input channels (ring buffers), see [`Receptors`],
//!   and `WEIGHT_UNIT`, the unit of a spike weight;
//! * [`Neuron::prepare`] (propagators, refractory counts) and [`Neuron::update`] (one step of
//!   every neuron of the chunk; arithmetic only).
//!
//! [`Nodes<M>`] is the generic chunk that implements the kernel's [`Node`] trait for every such
//! model and [`model`] the factory registered under `NAME`. Models that NEST integrates with
//! GSL use [`crate::rkf45::evolve_step`] for their update, and report a blow-up as a
//! [`Failure`], which the kernel turns into a `NumericalInstability` error naming the node.

use nestor_kernel::error::{Error, ErrorKind, Result};
use nestor_kernel::model::{
    Emitter, Env, EventKind, Failure, Inputs, Instance, Model, Node, NodeKind, Route, Signal, StepCtx,
};
use nestor_kernel::schema::{index_of, unknown_key, ParamSpec, ParamTable};
use nestor_kernel::units::{Quantity, Unit};
use nestor_kernel::value::{Dict, Value};
use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::Arc;

/// How a model's receptors map incoming events onto its input channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receptors {
    /// Receptor 0 only. Spikes with a positive weight go to channel [`CH_EX`], the others to
    /// [`CH_IN`] (summed as given, i.e. negative); currents go to [`CH_CURRENT`].
    SignSplit,
    /// Receptor 0 only. Spikes go to channel [`CH_SPIKE`] whatever their sign; currents go to
    /// [`CH_SINGLE_CURRENT`].
    Single,
    /// Receptors 1..=n for spikes (NEST's multisynapse models; n from
    /// [`Neuron::receptor_count`]), spikes on receptor k go to channel k; currents on receptor 0
    /// go to channel [`CH_PORT_CURRENT`]. Spikes on receptor 0 are refused.
    Ports,
}

/// [`Receptors::SignSplit`]: excitatory spikes (weight > 0).
pub const CH_EX: usize = 0;
/// [`Receptors::SignSplit`]: inhibitory spikes (weight ≤ 0), summed with their sign.
pub const CH_IN: usize = 1;
/// [`Receptors::SignSplit`]: step currents, pA.
pub const CH_CURRENT: usize = 2;
/// [`Receptors::Single`]: spikes.
pub const CH_SPIKE: usize = 0;
/// [`Receptors::Single`]: step currents, pA.
pub const CH_SINGLE_CURRENT: usize = 1;
/// [`Receptors::Ports`]: step currents (receptor 0), pA; receptor k is channel k.
pub const CH_PORT_CURRENT: usize = 0;

/// A NEST point-neuron model: the state of one chunk beyond its status table, plus the model's
/// declarations and dynamics (see the module documentation).
pub trait Neuron: Sized + Send + 'static {
    /// NEST's model name.
    const NAME: &'static str;
    /// One line: what the model is (shown by `nestor models` and `help`).
    const SUMMARY: &'static str;
    /// The status table: parameters and status-visible state, NEST names, units, defaults.
    const SCHEMA: &'static [ParamSpec];
    /// NEST's recordables, in NEST's order.
    const RECORDABLES: &'static [&'static str];
    /// How incoming events are routed.
    const RECEPTORS: Receptors;
    /// The unit of a spike weight (pA for current-based, nS for conductance-based, mV for
    /// delta synapses).
    const WEIGHT_UNIT: Unit;
    /// NEST's signal type the neuron sends and receives (binary neurons: `Signal::BINARY`).
    const SIGNAL: Signal = Signal::SPIKE;

    /// The internal state of `table.len()` neurons at the defaults (the table holds the
    /// defaults; a model whose initial state depends on parameters may set it in the table).
    fn new(table: &mut ParamTable) -> Self;
    /// NEST's parameter checks on one neuron's complete row (schema order), in NEST's order,
    /// with NEST's messages.
    fn check(_row: &[f64]) -> Result<()> {
        Ok(())
    }
    /// Precomputes what `update` needs from the table (h: the resolution in ms on NEST's tic
    /// grid); also resynchronises internal state that SetStatus may have changed in the table.
    fn prepare(&mut self, table: &mut ParamTable, h: f64) -> Result<()>;
    /// Advances every neuron of the chunk by one step.
    fn update(
        &mut self,
        table: &mut ParamTable,
        ctx: &StepCtx,
        inputs: &Inputs<'_>,
        out: &mut Emitter<'_>,
    ) -> std::result::Result<(), Failure>;
    /// True when the recordables depend on the neurons' status (multisynapse models): the base
    /// then asks [`Neuron::dynamic_recordables`] for the list and `read` for every value.
    const DYNAMIC_RECORDABLES: bool = false;
    /// The current recordables when `DYNAMIC_RECORDABLES`.
    fn dynamic_recordables(&self) -> Vec<&'static str> {
        Self::RECORDABLES.to_vec()
    }
    /// The value of recordable `var` of neuron `i` when it is not a table column (every
    /// recordable when `DYNAMIC_RECORDABLES`).
    fn read(&self, _table: &ParamTable, _var: usize, _i: usize) -> f64 {
        0.0
    }
    /// Status keys outside the numeric table (lists, e.g. the receptors of multisynapse models).
    fn extra_keys() -> &'static [&'static str] {
        &[]
    }
    /// Adds neuron `i`'s non-numeric entries to `d`.
    fn get_extra(&self, _i: usize, _d: &mut Dict) {}
    /// Applies non-numeric entries (keys of `extra_keys`) to neuron `i` given its checked new
    /// numeric `row`: checks everything first, then changes.
    fn set_extra(&mut self, _i: usize, _entries: &[(&str, &Value)], _row: &[f64]) -> Result<()> {
        Ok(())
    }
    /// [`Receptors::Ports`]: number of receptor ports of the chunk's neurons (the largest).
    fn receptor_count(&self) -> usize {
        0
    }
    /// Routing for models whose receptors are not one of [`Receptors`]' layouts (e.g. a second
    /// current port); `None` uses `RECEPTORS`.
    fn custom_route(&self, _receptor: i64, _kind: EventKind, _weight: f64) -> Option<Result<Route>> {
        None
    }
    /// Per-connection routing (see [`Node::connection_route`]): for models that give each
    /// incoming connection of neuron `local` its own channel and state (NEST's
    /// `iaf_bw_2001_exact` NMDA ports); `None` uses `custom_route`/`RECEPTORS`.
    fn connection_route(
        &mut self,
        _local: usize,
        _receptor: i64,
        _kind: EventKind,
        _weight: f64,
    ) -> Option<Result<Route>> {
        None
    }
    /// Number of input channels for custom routing; `None` uses `RECEPTORS`.
    fn custom_channels(&self) -> Option<usize> {
        None
    }

    // Additions for models whose status or recording differs from the plain table.

    /// Recordables that are asked from [`Neuron::read`] although the table has a column of that
    /// name (NEST models whose recorded value differs from the status value, e.g. a membrane
    /// potential recorded relative to E_L but shown absolute by GetStatus).
    const READ_NOT_TABLE: &'static [&'static str] = &[];
    /// Adds neuron `i`'s read-only status entries that NEST computes on GetStatus from
    /// parameters and state (e.g. an adaptive threshold `V_th`); they are not table columns, so
    /// they are never stale and SetStatus refuses them as unknown keys.
    fn get_derived(&self, _table: &ParamTable, _i: usize, _d: &mut Dict) {}
    /// The simulation resolution (ms, on NEST's tic grid), told right after the chunk is made
    /// and before any SetStatus; for models whose SetStatus computes step counts (NEST's
    /// `ignore_and_fire`). Default: ignore.
    fn set_resolution(&mut self, _h: f64) {}
    /// For stochastic neurons: told once before the chunk's first run with the kernel's
    /// `rng_seed` and the id of the chunk's first neuron; [`neuron_streams`] gives each neuron
    /// its own random stream keyed by (seed, node id), so results do not depend on how the
    /// population is split over threads. Default: ignore.
    fn seed_streams(&mut self, _seed: u64, _first_id: u32) {}
}

/// Key of the neurons' own random streams (`rng::stream(seed, Purpose::Node, id, NEURON_STREAM)`),
/// distinct from the other per-node streams (initial-value draws, BrainPy inputs).
pub const NEURON_STREAM: u64 = 8;

/// The random streams of `n` neurons whose first node id is `first_id`: one per neuron, keyed by
/// the kernel's seed and the node id only (never by thread or chunk).
pub fn neuron_streams(seed: u64, first_id: u32, n: usize) -> Vec<rand_pcg::Pcg64Mcg> {
    use nestor_kernel::rng::{stream, Purpose};
    (0..n).map(|k| stream(seed, Purpose::Node, first_id as u64 + k as u64, NEURON_STREAM)).collect()
}

/// A chunk of neurons of model `M`: the status table, `M`'s internal state, and where each
/// recordable is read from.
pub struct Nodes<M: Neuron> {
    table: ParamTable,
    model: M,
    /// Per recordable: the table column, or `None` (asked from `M::read`).
    rec_cols: Vec<Option<usize>>,
    failure: Option<Failure>,
}

impl<M: Neuron> Nodes<M> {
    /// `n` neurons at the model's defaults.
    pub fn new(n: usize) -> Self {
        let mut table = ParamTable::new(M::SCHEMA, n);
        let model = M::new(&mut table);
        let rec_cols = M::RECORDABLES
            .iter()
            .map(|r| if M::READ_NOT_TABLE.contains(r) { None } else { index_of(M::SCHEMA, r) })
            .collect();
        Nodes { table, model, rec_cols, failure: None }
    }
    /// The model's internal state (for tests).
    pub fn model(&self) -> &M {
        &self.model
    }
}

/// The error for a receptor a model does not have.
pub fn unknown_receptor(model: &str, receptor: i64) -> Error {
    Error::new(ErrorKind::UnknownReceptorType, format!("Receptor type {receptor} is not available in {model}."))
}

impl<M: Neuron> Node for Nodes<M> {
    fn len(&self) -> usize {
        self.table.len()
    }
    fn table(&self) -> &ParamTable {
        &self.table
    }
    fn table_mut(&mut self) -> &mut ParamTable {
        &mut self.table
    }
    fn validate(&self, row: &[f64]) -> Result<()> {
        M::check(row)
    }
    fn extra_keys(&self) -> &'static [&'static str] {
        M::extra_keys()
    }
    fn get_extra(&self, i: usize, d: &mut Dict) {
        self.model.get_extra(i, d);
        self.model.get_derived(&self.table, i, d);
    }
    fn set_resolution(&mut self, h: f64) {
        self.model.set_resolution(crate::numerics::nest_resolution(h));
    }
    fn set_extra(&mut self, i: usize, rest: &[(&str, &Value)], row: &[f64], model: &str) -> Result<()> {
        let extra = M::extra_keys();
        if let Some((k, _)) = rest.iter().find(|(k, _)| !extra.contains(k)) {
            let mut known: Vec<&str> = M::SCHEMA.iter().map(|s| s.name).collect();
            known.extend(extra);
            return Err(unknown_key(model, k, &known));
        }
        self.model.set_extra(i, rest, row)
    }
    fn prepare(&mut self, env: &Env) -> Result<()> {
        self.failure = None;
        self.model.prepare(&mut self.table, crate::numerics::nest_resolution(env.resolution))
    }
    fn channels(&self) -> usize {
        if let Some(c) = self.model.custom_channels() {
            return c;
        }
        match M::RECEPTORS {
            Receptors::SignSplit => 3,
            Receptors::Single => 2,
            Receptors::Ports => 1 + self.model.receptor_count(),
        }
    }
    fn route(&self, receptor: i64, kind: EventKind, weight: f64) -> Result<Route> {
        if let Some(r) = self.model.custom_route(receptor, kind, weight) {
            return r;
        }
        let ch = match (M::RECEPTORS, kind.is_spike()) {
            (Receptors::SignSplit, true) if receptor == 0 => {
                if weight > 0.0 {
                    CH_EX
                } else {
                    CH_IN
                }
            }
            (Receptors::SignSplit, false) if receptor == 0 => CH_CURRENT,
            (Receptors::Single, true) if receptor == 0 => CH_SPIKE,
            (Receptors::Single, false) if receptor == 0 => CH_SINGLE_CURRENT,
            (Receptors::Ports, true) if receptor >= 1 && receptor as usize <= self.model.receptor_count() => {
                receptor as usize
            }
            (Receptors::Ports, true) => {
                return Err(Error::new(
                    ErrorKind::IncompatibleReceptorType,
                    format!(
                        "Receptor type {receptor} in {} does not accept SpikeEvent (its spike receptors are 1..={}).",
                        M::NAME,
                        self.model.receptor_count()
                    ),
                ))
            }
            (Receptors::Ports, false) if receptor == 0 => CH_PORT_CURRENT,
            _ => return Err(unknown_receptor(M::NAME, receptor)),
        };
        Ok(Route::weighted(ch as u16))
    }
    fn connection_route(&mut self, local: usize, receptor: i64, kind: EventKind, weight: f64) -> Option<Result<Route>> {
        self.model.connection_route(local, receptor, kind, weight)
    }
    fn weight_unit(&self, _receptor: i64) -> Option<Quantity> {
        Some(Quantity::new(1.0, M::WEIGHT_UNIT))
    }
    fn output(&self) -> Option<EventKind> {
        Some(EventKind::Spike)
    }
    fn sends_signal(&self) -> Signal {
        M::SIGNAL
    }
    fn receives_signal(&self) -> Signal {
        M::SIGNAL
    }
    fn update(&mut self, ctx: &StepCtx, inputs: &Inputs<'_>, out: &mut Emitter<'_>) {
        if self.failure.is_some() {
            return;
        }
        if let Err(f) = self.model.update(&mut self.table, ctx, inputs, out) {
            self.failure = Some(f);
        }
    }
    fn failure(&mut self) -> Option<Failure> {
        self.failure.take()
    }
    fn seed_streams(&mut self, seed: u64, first_id: u32) {
        self.model.seed_streams(seed, first_id);
    }
    fn recordables(&self) -> Cow<'static, [&'static str]> {
        if M::DYNAMIC_RECORDABLES {
            Cow::Owned(self.model.dynamic_recordables())
        } else {
            Cow::Borrowed(M::RECORDABLES)
        }
    }
    fn read(&self, var: usize, i: usize) -> f64 {
        if M::DYNAMIC_RECORDABLES {
            return self.model.read(&self.table, var, i);
        }
        match self.rec_cols.get(var).copied().flatten() {
            Some(col) => self.table.get(col, i),
            None => self.model.read(&self.table, var, i),
        }
    }
}

/// The factory of model `M`.
pub struct Factory<M: Neuron>(PhantomData<fn() -> M>);

impl<M: Neuron> Model for Factory<M> {
    fn name(&self) -> &'static str {
        M::NAME
    }
    fn kind(&self) -> NodeKind {
        NodeKind::Neuron
    }
    fn doc(&self) -> &'static str {
        M::SUMMARY
    }
    fn instantiate(&self, n: usize) -> Instance {
        Instance::Node(Box::new(Nodes::<M>::new(n)))
    }
}

/// The factory of model `M`, ready to register.
pub fn model<M: Neuron>() -> Arc<dyn Model> {
    Arc::new(Factory::<M>(PhantomData))
}

/// The factory of model `M` as a value (for tests that instantiate it directly).
pub fn factory<M: Neuron>() -> Factory<M> {
    Factory(PhantomData)
}

/// The column of `name` in `specs`, found at compile time: `const V_TH: usize = col(&SCHEMA,
/// "V_th");` (a name missing from the schema fails the build, never a run).
pub const fn col(specs: &[ParamSpec], name: &str) -> usize {
    let mut k = 0;
    while k < specs.len() {
        let (a, b) = (specs[k].name.as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return k;
            }
        }
        k += 1;
    }
    panic!("no such column in the schema")
}

/// Gathers the values of `cols` of neuron `i` into an array (ODE state from the table).
#[inline(always)]
pub fn gather<const N: usize>(cols: &[Vec<f64>], idx: &[usize; N], i: usize) -> [f64; N] {
    std::array::from_fn(|k| cols[idx[k]][i])
}

/// Writes `y` back into `cols` of neuron `i`.
#[inline(always)]
pub fn scatter<const N: usize>(cols: &mut [Vec<f64>], idx: &[usize; N], i: usize, y: &[f64; N]) {
    for k in 0..N {
        cols[idx[k]][i] = y[k];
    }
}

/// A failure of neuron `i` at step `t`.
pub fn failure(i: usize, t: i64, message: impl Into<String>) -> Failure {
    Failure { local: i, step: t, message: message.into() }
}

/// NEST's checks that every listed entry of `row` is strictly positive, with NEST's message
/// "<what> must be strictly positive" naming the value; `k` holds (column, NEST name, unit).
pub fn check_positive(row: &[f64], k: &[(usize, &str, &str)], what: &str) -> Result<()> {
    for &(c, name, unit) in k {
        if row[c] <= 0.0 {
            return Err(Error::bad_property(format!(
                "{what} must be strictly positive (got {name} = {} {unit}).",
                row[c]
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod testing {
    //! Drives one chunk step by step in unit tests.
    use super::*;
    use nestor_kernel::model::LocalEvent;

    /// A chunk of `n` neurons of model `M` as the kernel sees it.
    pub fn nodes<M: Neuron>(n: usize) -> Box<dyn Node> {
        Box::new(Nodes::<M>::new(n))
    }

    /// SetStatus of node 0 of `nd` as the kernel does it: table entries into a copy of the row,
    /// the model's checks, its list entries, then the commit.
    pub fn set_status(nd: &mut Box<dyn Node>, d: &[(&str, Value)], model: &str) -> Result<()> {
        let dict: Dict = d.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let mut row = nd.table().row(0);
        let rest = nd.table().apply(&dict, &mut row, model)?;
        nd.validate(&row)?;
        nd.set_extra(0, &rest, &row, model)?;
        nd.table_mut().set_row(0, &row);
        Ok(())
    }

    /// Runs node 0 of `nd` for `steps` steps at resolution `h`; `input(t, ch)` is its input.
    /// Returns every recordable after each step and the spike steps (t + 1).
    pub fn run(
        nd: &mut Box<dyn Node>,
        h: f64,
        steps: i64,
        input: impl Fn(i64, usize) -> f64,
    ) -> (Vec<Vec<f64>>, Vec<i64>) {
        nd.prepare(&Env { resolution: h, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let n = nd.len();
        let chans = nd.channels();
        let mut data = vec![0.0; chans * n];
        let mut ev: Vec<LocalEvent> = Vec::new();
        let (mut rec, mut spikes) = (Vec::new(), Vec::new());
        for t in 0..steps {
            for ch in 0..chans {
                data[ch * n] = input(t, ch);
            }
            ev.clear();
            nd.update(&StepCtx { t, h }, &Inputs::new(&data, n, 1, 0), &mut Emitter::new(&mut ev));
            spikes.extend(ev.iter().filter(|e| e.local == 0).map(|_| t + 1));
            rec.push((0..nd.recordables().len()).map(|v| nd.read(v, 0)).collect());
        }
        (rec, spikes)
    }

    /// Runs all `n` neurons of `nd` with `input(t, ch, i)` for neuron `i`; returns every
    /// recordable of every neuron after each step (bits) and the (neuron, step) spikes.
    pub fn run_all(
        nd: &mut Box<dyn Node>,
        h: f64,
        steps: i64,
        input: impl Fn(i64, usize, usize) -> f64,
    ) -> (Vec<Vec<u64>>, Vec<(usize, i64)>) {
        nd.prepare(&Env { resolution: h, now: 0, min_delay: 1, max_delay: 1 }).unwrap();
        let n = nd.len();
        let chans = nd.channels();
        let mut data = vec![0.0; chans * n];
        let mut ev: Vec<LocalEvent> = Vec::new();
        let (mut rec, mut spikes) = (Vec::new(), Vec::new());
        for t in 0..steps {
            for ch in 0..chans {
                for i in 0..n {
                    data[ch * n + i] = input(t, ch, i);
                }
            }
            ev.clear();
            nd.update(&StepCtx { t, h }, &Inputs::new(&data, n, 1, 0), &mut Emitter::new(&mut ev));
            assert!(nd.failure().is_none(), "{:?}", nd.failure());
            spikes.extend(ev.iter().map(|e| (e.local as usize, t + 1)));
            rec.push(
                (0..n)
                    .flat_map(|i| (0..nd.recordables().len()).map(move |v| (v, i)))
                    .map(|(v, i)| nd.read(v, i).to_bits())
                    .collect(),
            );
        }
        (rec, spikes)
    }

    /// Oracle for the batched ([`crate::rkf45::evolve_step_lanes`]) update of model `M`: `n`
    /// neurons updated together give, bit for bit, the traces and spikes of each neuron updated
    /// alone in a chunk of one (which takes the one-neuron path) with the same input.
    pub fn lanes_agree_with_single_neurons<M: Neuron>(
        n: usize,
        h: f64,
        steps: i64,
        setup: impl Fn(&mut ParamTable, usize),
        input: impl Fn(i64, usize, usize) -> f64,
    ) {
        let mut all = nodes::<M>(n);
        for i in 0..n {
            setup(all.table_mut(), i);
        }
        let (rec, spikes) = run_all(&mut all, h, steps, &input);
        let nv = all.recordables().len();
        assert!(spikes.len() > n, "{}: the test input should make the neurons fire: {spikes:?}", M::NAME);
        for i in 0..n {
            let mut one = nodes::<M>(1);
            one.table_mut().set_row(0, &all_initial_row::<M>(&setup, i));
            let (r1, s1) = run_all(&mut one, h, steps, |t, ch, _| input(t, ch, i));
            for t in 0..steps as usize {
                assert_eq!(r1[t][..], rec[t][i * nv..(i + 1) * nv], "{}: neuron {i}, step {t}", M::NAME);
            }
            let mine: Vec<i64> = spikes.iter().filter(|s| s.0 == i).map(|s| s.1).collect();
            assert_eq!(s1.iter().map(|s| s.1).collect::<Vec<_>>(), mine, "{}: neuron {i}", M::NAME);
        }
    }

    /// Row `i` of a fresh chunk of `M` after `setup`.
    fn all_initial_row<M: Neuron>(setup: &impl Fn(&mut ParamTable, usize), i: usize) -> Vec<f64> {
        let mut nd = nodes::<M>(i + 1);
        setup(nd.table_mut(), i);
        nd.table().row(i)
    }
}
