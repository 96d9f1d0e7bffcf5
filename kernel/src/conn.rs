//! Target-side connection storage of one chunk.
//!
//! Every chunk keeps, for each source that reaches it, a row of its incoming connections in
//! creation order, stored as compressed sparse rows over source ids: per connection only the local
//! target index and an index into a small table of distinct (weight, delay, channel, synapse)
//! tuples — 8 bytes per synapse for networks with few distinct weights. Connections from devices
//! that draw per target (poisson, noise) live in a separate list with their own random stream.

use crate::model::{EventKind, Route};
use rand_pcg::Pcg64Mcg;
use std::collections::HashMap;

/// The shared properties of a set of connections.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prop {
    /// Weight (pA, nS or mV, as the target expects).
    pub weight: f64,
    /// Delay in steps (≥ 1).
    pub delay: u32,
    /// Routing into the target's input channels.
    pub route: Route,
    /// Synapse model id (registry index).
    pub syn: u16,
    /// Receptor port as given.
    pub receptor: i32,
}

/// A connection property's identity (weight bits, delay, channel, decode, synapse, receptor).
type PropKey = (u64, u32, u16, crate::model::Decode, u16, i32);

impl Prop {
    fn key(&self) -> PropKey {
        (self.weight.to_bits(), self.delay, self.route.channel, self.route.decode, self.syn, self.receptor)
    }
}

/// A spike that crossed a connection whose synapse model has a weight_recorder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightEvent {
    /// Recorder index (kernel's recorder list).
    pub rec: u32,
    /// Spike time stamp (steps).
    pub stamp: i64,
    /// Source global id.
    pub source: u32,
    /// Target index local to the chunk.
    pub target: u32,
    /// Weight of the delivered event.
    pub weight: f64,
    /// Receptor port of the connection.
    pub receptor: i32,
    /// Synapse model id (NEST orders a source's connections by synapse type).
    pub syn: u16,
}

/// Connections from devices that draw per target, as structure of arrays: delivery walks the
/// random streams and targets of one generator contiguously.
#[derive(Debug, Clone, Default)]
pub struct DsTable {
    source: Vec<u32>,
    target: Vec<u32>,
    prop: Vec<Prop>,
    rng: Vec<Pcg64Mcg>,
    /// Current amplitude (Gaussian current devices).
    amp: Vec<f64>,
    /// Per source: (start, end, all props equal), valid when not dirty.
    index: HashMap<u32, (u32, u32, bool)>,
    dirty: bool,
}

impl DsTable {
    fn len(&self) -> usize {
        self.source.len()
    }
    fn push(&mut self, source: u32, target: u32, prop: Prop, rng: Pcg64Mcg) {
        self.source.push(source);
        self.target.push(target);
        self.prop.push(prop);
        self.rng.push(rng);
        self.amp.push(0.0);
        self.dirty = true;
    }
    fn truncate(&mut self, n: usize) {
        if self.len() > n {
            self.source.truncate(n);
            self.target.truncate(n);
            self.prop.truncate(n);
            self.rng.truncate(n);
            self.amp.truncate(n);
            self.dirty = true;
        }
    }
    /// Keeps the connections at `idx`, in that order (a permutation or a subset).
    fn select(&mut self, idx: &[usize]) {
        fn gather<T: Clone>(v: &mut Vec<T>, idx: &[usize]) {
            *v = idx.iter().map(|&i| v[i].clone()).collect();
        }
        gather(&mut self.source, idx);
        gather(&mut self.target, idx);
        gather(&mut self.prop, idx);
        gather(&mut self.rng, idx);
        gather(&mut self.amp, idx);
    }
    /// Groups by source (stable: creation order within a source).
    fn finalize(&mut self) {
        if !self.dirty {
            return;
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by_key(|&i| self.source[i]);
        self.select(&order);
        self.index.clear();
        let mut i = 0;
        while i < self.len() {
            let s = self.source[i];
            let mut j = i;
            while j < self.len() && self.source[j] == s {
                j += 1;
            }
            let uniform = self.prop[i..j].iter().all(|p| p.key() == self.prop[i].key());
            self.index.insert(s, (i as u32, j as u32, uniform));
            i = j;
        }
        self.dirty = false;
    }
    fn memory_bytes(&self) -> usize {
        self.source.capacity() * 8
            + self.prop.capacity() * std::mem::size_of::<Prop>()
            + self.rng.capacity() * std::mem::size_of::<Pcg64Mcg>()
            + self.amp.capacity() * 8
    }
}

/// What makes connections share a plastic row: source, properties without the weight, values.
type RowKey = (u32, PropKey, Vec<u64>);

/// Plastic connections, 12 bytes each: the weight (f64) and the local target (u32). What the
/// connections of one source share lives in *rows*: the source, the properties (delay, route,
/// synapse model, receptor) and the model's schema values (parameters and presynaptic state
/// such as K⁺ and t_lastspike).
///
/// Once settled (at finalize), the connections are grouped by source in creation order and every
/// row covers one contiguous run of them, so a connection's row follows from its position (rows
/// are sorted by their first connection) and delivery walks a source's rows run by run.
/// Connections of a model whose state depends only on the presynaptic spike train
/// ([`crate::registry::SynapseModel::shares_state`]) share a row when they come from the same
/// source, with the same properties and initial values, and are made before that source's next
/// spike is delivered; every connection still runs the rule from the row's state before the
/// spike and the row takes the new state once. Because such state evolves identically for every
/// connection that starts from it, a row may be split into copies at any time without changing a
/// result: a shared row whose connections are not contiguous after grouping becomes one row per
/// run, and changing one connection's schema values or properties gives it a row of its own
/// (copy on write; recorded in `own` and folded into the runs before the next delivery, so a
/// SetStatus on many connections costs no quadratic shifting and keeps connection positions).
#[derive(Debug, Clone, Default)]
pub struct PlasticTable {
    weight: Vec<f64>,
    target: Vec<u32>,
    /// Connections `[0, settled)` are covered by the settled rows `[0, row_start.len() - 1)`.
    settled: usize,
    /// First connection of each settled row, then `settled`.
    row_start: Vec<u32>,
    /// Per settled source id `s`: its rows are `src_rows[s]..src_rows[s + 1]`.
    src_rows: Vec<u32>,
    /// Row of each connection added since the last finalize (position `settled + k`).
    staged_row: Vec<u32>,
    /// Settled connections moved to a row of their own since rows were last settled.
    own: HashMap<u32, u32>,
    /// Per row: source, properties (weight unused), offset and length of its values, and how
    /// many connections use it.
    row_source: Vec<u32>,
    row_prop: Vec<Prop>,
    row_off: Vec<u32>,
    row_len: Vec<u16>,
    row_refs: Vec<u32>,
    values: Vec<f64>,
    /// Rows open for sharing: (source, property key, value bits) → row. Cleared at finalize (a
    /// row's state may change once spikes flow).
    open: HashMap<RowKey, u32>,
    dirty: bool,
    /// Scratch of a delivery: a row's values before the spike, a copy to run a rule on, and the
    /// weights a batched rule delivers.
    before: Vec<f64>,
    tmp: Vec<f64>,
    out: Vec<f64>,
}

impl PlasticTable {
    fn len(&self) -> usize {
        self.weight.len()
    }
    fn lens(&self) -> (usize, usize) {
        (self.len(), self.row_source.len())
    }
    fn settled_rows(&self) -> usize {
        self.row_start.len().saturating_sub(1)
    }
    fn new_row(&mut self, source: u32, prop: Prop, values: &[f64]) -> u32 {
        let r = self.row_source.len() as u32;
        self.row_source.push(source);
        self.row_prop.push(Prop { weight: 0.0, ..prop });
        self.row_off.push(self.values.len() as u32);
        self.row_len.push(values.len() as u16);
        self.row_refs.push(0);
        self.values.extend_from_slice(values);
        r
    }
    fn push(&mut self, source: u32, target: u32, prop: Prop, values: &[f64], shareable: bool) {
        let r = if shareable {
            let key = (source, Prop { weight: 0.0, ..prop }.key(), values.iter().map(|x| x.to_bits()).collect());
            match self.open.get(&key) {
                Some(&r) => r,
                None => {
                    let r = self.new_row(source, prop, values);
                    self.open.insert(key, r);
                    r
                }
            }
        } else {
            self.new_row(source, prop, values)
        };
        self.row_refs[r as usize] += 1;
        self.weight.push(prop.weight);
        self.target.push(target);
        self.staged_row.push(r);
        self.dirty = true;
    }
    /// Drops the connections and rows added after the point `lens()` returned (only staged
    /// ones: a rollback never reaches behind a finalize).
    fn truncate(&mut self, (n, rows): (usize, usize)) {
        let n = n.max(self.settled);
        let rows = rows.max(self.settled_rows());
        if self.len() > n || self.row_source.len() > rows {
            for k in n - self.settled..self.staged_row.len() {
                let r = self.staged_row[k] as usize;
                if r < rows {
                    self.row_refs[r] -= 1;
                }
            }
            self.weight.truncate(n);
            self.target.truncate(n);
            self.staged_row.truncate(n - self.settled);
            if let Some(&off) = self.row_off.get(rows) {
                self.values.truncate(off as usize);
            }
            self.row_source.truncate(rows);
            self.row_prop.truncate(rows);
            self.row_off.truncate(rows);
            self.row_len.truncate(rows);
            self.row_refs.truncate(rows);
            self.open.clear();
            self.dirty = true;
        }
    }
    /// The row of connection `i`.
    fn row_of(&self, i: usize) -> usize {
        if i >= self.settled {
            return self.staged_row[i - self.settled] as usize;
        }
        if let Some(&r) = self.own.get(&(i as u32)) {
            return r as usize;
        }
        self.row_start.partition_point(|&s| s as usize <= i) - 1
    }
    /// Calls `f(connection, row)` for every connection in position order.
    fn each_row(&self, mut f: impl FnMut(usize, usize)) {
        for r in 0..self.settled_rows() {
            for i in self.row_start[r] as usize..self.row_start[r + 1] as usize {
                let r = if self.own.is_empty() { r } else { self.own.get(&(i as u32)).map_or(r, |&x| x as usize) };
                f(i, r);
            }
        }
        for (k, &r) in self.staged_row.iter().enumerate() {
            f(self.settled + k, r as usize);
        }
    }
    fn finalize(&mut self) {
        self.open = HashMap::new();
        if self.dirty || !self.own.is_empty() {
            self.settle(true);
        }
    }
    /// Rebuilds the rows so each covers one run of connections. With `merge`, the staged
    /// connections join (a stable sort by source: creation order within a source, the canonical
    /// summation order); without, connection positions stay as they are and only the settled
    /// part is rebuilt (the copy-on-write rows folded in).
    fn settle(&mut self, merge: bool) {
        let mut rid: Vec<u32> = Vec::with_capacity(if merge { self.len() } else { self.settled });
        for r in 0..self.settled_rows() {
            let n = (self.row_start[r + 1] - self.row_start[r]) as usize;
            rid.extend(std::iter::repeat_n(r as u32, n));
        }
        for (&i, &r) in &self.own {
            rid[i as usize] = r;
        }
        self.own = HashMap::new();
        if merge && !self.staged_row.is_empty() {
            rid.append(&mut self.staged_row);
            self.staged_row = Vec::new();
            // A counting sort by source: stable, linear, and it reads the arrays in order.
            let src = &self.row_source;
            let max_src = src.iter().copied().max().map_or(0, |s| s as usize);
            let mut fill = vec![0u32; max_src + 2];
            for &r in &rid {
                fill[src[r as usize] as usize + 1] += 1;
            }
            for s in 0..=max_src {
                fill[s + 1] += fill[s];
            }
            let n = rid.len();
            let (mut weight, mut target, mut sorted) = (vec![0.0; n], vec![0u32; n], vec![0u32; n]);
            for (i, &r) in rid.iter().enumerate() {
                let f = &mut fill[src[r as usize] as usize];
                let pos = *f as usize;
                *f += 1;
                weight[pos] = self.weight[i];
                target[pos] = self.target[i];
                sorted[pos] = r;
            }
            (self.weight, self.target, rid) = (weight, target, sorted);
        }
        // One new row per run of equal rows, in position order; then the rows of the
        // connections still staged (without `merge`).
        let runs = rid.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(!rid.is_empty());
        let staged: Vec<u32> = std::mem::take(&mut self.staged_row);
        let mut t = PlasticTable {
            row_source: Vec::with_capacity(runs),
            row_prop: Vec::with_capacity(runs),
            row_off: Vec::with_capacity(runs),
            row_len: Vec::with_capacity(runs),
            row_refs: Vec::with_capacity(runs),
            row_start: Vec::with_capacity(runs + 1),
            ..PlasticTable::default()
        };
        let mut i = 0;
        while i < rid.len() {
            let r = rid[i] as usize;
            let mut j = i + 1;
            while j < rid.len() && rid[j] as usize == r {
                j += 1;
            }
            let nr = t.new_row(self.row_source[r], self.row_prop[r], self.values(r)) as usize;
            t.row_refs[nr] = (j - i) as u32;
            t.row_start.push(i as u32);
            i = j;
        }
        t.row_start.push(rid.len() as u32);
        let mut map: HashMap<u32, u32> = HashMap::new();
        let mut staged_row = Vec::with_capacity(staged.len());
        for &r in &staged {
            let nr = match map.get(&r) {
                Some(&nr) => nr,
                None => {
                    let nr = t.new_row(self.row_source[r as usize], self.row_prop[r as usize], self.values(r as usize));
                    map.insert(r, nr);
                    nr
                }
            };
            t.row_refs[nr as usize] += 1;
            staged_row.push(nr);
        }
        t.values.shrink_to_fit();
        let max_src = t.row_source[..t.settled_rows()].iter().copied().max().map_or(0, |s| s as usize + 1);
        let mut src_rows = vec![0u32; max_src + 1];
        for &s in &t.row_source[..t.settled_rows()] {
            src_rows[s as usize + 1] += 1;
        }
        for s in 0..max_src {
            src_rows[s + 1] += src_rows[s];
        }
        self.settled = rid.len();
        self.row_start = t.row_start;
        self.src_rows = src_rows;
        self.staged_row = staged_row;
        self.row_source = t.row_source;
        self.row_prop = t.row_prop;
        self.row_off = t.row_off;
        self.row_len = t.row_len;
        self.row_refs = t.row_refs;
        self.values = t.values;
        // Row numbers changed: no later Connect joins an old one.
        self.open = HashMap::new();
        self.dirty = !self.staged_row.is_empty();
    }
    /// Drops the connections with `gone[i]` (all settled: called after finalize). The kept
    /// ones go back to staging with their rows, in position order, and are settled again: rows
    /// that lost connections shrink, runs that became adjacent stay separate rows (splitting a
    /// row never changes a result, see above).
    fn remove(&mut self, gone: &[bool]) {
        let mut rid = Vec::with_capacity(self.len());
        self.each_row(|i, r| {
            if !gone[i] {
                rid.push(r as u32);
            }
        });
        fn keep<T>(v: &mut Vec<T>, gone: &[bool]) {
            let mut k = 0;
            v.retain(|_| {
                k += 1;
                !gone[k - 1]
            });
        }
        keep(&mut self.weight, gone);
        keep(&mut self.target, gone);
        self.settled = 0;
        self.row_start = Vec::new();
        self.src_rows = Vec::new();
        self.own = HashMap::new();
        self.staged_row = rid;
        self.dirty = true;
        self.settle(true);
    }
    fn prop(&self, i: usize) -> Prop {
        Prop { weight: self.weight[i], ..self.row_prop[self.row_of(i)] }
    }
    fn values(&self, r: usize) -> &[f64] {
        let o = self.row_off[r] as usize;
        &self.values[o..o + self.row_len[r] as usize]
    }
    /// Gives connection `i` a row of its own (copy on write); returns the row.
    fn own_row(&mut self, i: usize) -> usize {
        let r = self.row_of(i);
        if self.row_refs[r] <= 1 {
            return r;
        }
        self.row_refs[r] -= 1;
        let vals = self.values(r).to_vec();
        let nr = self.new_row(self.row_source[r], self.row_prop[r], &vals);
        self.row_refs[nr as usize] = 1;
        if i >= self.settled {
            self.staged_row[i - self.settled] = nr;
        } else {
            self.own.insert(i as u32, nr);
        }
        // Another Connect may not join this connection's row any more.
        self.open.retain(|_, v| *v as usize != r);
        nr as usize
    }
    fn memory_bytes(&self) -> usize {
        self.weight.capacity() * 8
            + self.target.capacity() * 4
            + self.row_start.capacity() * 4
            + self.src_rows.capacity() * 4
            + self.staged_row.capacity() * 4
            + self.own.capacity() * 8
            + self.row_source.capacity() * 4
            + self.row_prop.capacity() * std::mem::size_of::<Prop>()
            + self.row_off.capacity() * 4
            + self.row_len.capacity() * 2
            + self.row_refs.capacity() * 4
            + self.values.capacity() * 8
    }
}

/// The incoming connections of one chunk.
#[derive(Debug, Clone, Default)]
pub struct ConnTable {
    /// Row start per source id (len = max source id + 2), valid when not dirty.
    offsets: Vec<u32>,
    targets: Vec<u32>,
    prop_idx: Vec<u32>,
    /// Per source: the prop index shared by its whole row, or `u32::MAX` if the row is mixed.
    row_prop: Vec<u32>,
    props: Vec<Prop>,
    dedup: HashMap<PropKey, u32>,
    last_prop: Option<(Prop, u32)>,
    staging: Vec<(u32, u32, u32)>,
    /// Per-target drawing connections.
    ds: DsTable,
    /// Plastic connections.
    plastic: PlasticTable,
    /// Per target (binary neurons): sender and stamp of the last spike received, for NEST's
    /// reading of two multiplicity-1 spikes of one sender at one time as a 0→1 transition.
    /// Empty until a binary-coded spike arrives.
    binary_last: Vec<(u32, i64)>,
    /// Some connection reads spikes with the binary code.
    any_binary: bool,
}

/// The ring-buffer slot an event lands in: `base` (the stamp's slot) plus the delay, wrapped.
#[inline(always)]
fn ring_slot(base: usize, delay: u32, nslots: usize) -> usize {
    let slot = base + delay as usize;
    if slot >= nslots {
        slot - nslots
    } else {
        slot
    }
}

/// What a spike of multiplicity `m` from `src` stamped `stamp` adds to binary target `t`
/// (NEST's binary_neuron::handle): multiplicity 2 is `+w`; multiplicity 1 is `−w`, unless the
/// target's previous spike came from the same sender at the same time, when it completes a
/// 0→1 transition sent as two events (`+2w`, undoing the first one's `−w`).
#[inline]
fn binary_input(last: &mut Vec<(u32, i64)>, n: usize, t: usize, src: u32, stamp: i64, m: u32, w: f64) -> f64 {
    if last.len() < n {
        last.resize(n, (u32::MAX, i64::MIN));
    }
    let x = match m {
        1 if last[t] == (src, stamp) => 2.0 * w,
        1 => -w,
        2 => w,
        _ => 0.0,
    };
    last[t] = (src, stamp);
    x
}

/// A reference to one stored connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Index in the compressed rows.
    Row(u32),
    /// Index in the per-target drawing list.
    Ds(u32),
    /// Index in the plastic list.
    Plastic(u32),
}

impl ConnTable {
    fn intern(&mut self, p: Prop) -> u32 {
        if let Some((lp, li)) = self.last_prop {
            if lp.key() == p.key() {
                return li;
            }
        }
        let k = p.key();
        let idx = match self.dedup.get(&k) {
            Some(&i) => i,
            None => {
                let i = self.props.len() as u32;
                self.any_binary |= p.route.decode == crate::model::Decode::Binary;
                self.props.push(p);
                self.dedup.insert(k, i);
                i
            }
        };
        self.last_prop = Some((p, idx));
        idx
    }

    /// Adds a connection (made visible to delivery by [`ConnTable::finalize`]).
    pub fn add(&mut self, source: u32, target: u32, prop: Prop) {
        let pi = self.intern(prop);
        self.staging.push((source, target, pi));
    }

    /// Adds a plastic connection with its initial schema values `row`; `shareable` when the
    /// model's state depends only on the presynaptic spikes (see [`PlasticTable`]).
    pub fn add_plastic(&mut self, source: u32, target: u32, prop: Prop, row: &[f64], shareable: bool) {
        self.plastic.push(source, target, prop, row, shareable);
    }

    /// Whether the chunk has plastic incoming connections.
    pub fn has_plastic(&self) -> bool {
        self.plastic.len() > 0
    }

    /// Delivers a spike through the plastic connections of `source`: each synapse updates its
    /// state from the target's history, then its weight goes into the ring buffer. `seed` keys
    /// the streams of stochastic synapses.
    #[allow(clippy::too_many_arguments)] // hot path: scalars, no per-event struct
    pub fn deliver_plastic(
        &mut self,
        source: u32,
        (mult, a, b): (u32, f64, f64),
        stamp: i64,
        (h, seed): (f64, u64),
        (base, nslots, n): (usize, usize, usize),
        ring: &mut [f64],
        models: &[(std::sync::Arc<dyn crate::registry::SynapseModel>, Vec<f64>)],
        archive: &mut crate::archive::Archive,
        (wr, wr_out): (&[Option<u32>], &mut Vec<WeightEvent>),
    ) {
        let pl = &mut self.plastic;
        if !pl.own.is_empty() {
            pl.settle(false);
        }
        let s = source as usize;
        if s + 1 >= pl.src_rows.len() {
            return;
        }
        let (rlo, rhi) = (pl.src_rows[s] as usize, pl.src_rows[s + 1] as usize);
        if rlo == rhi {
            return;
        }
        let t_spike = crate::kernel::step_to_ms(stamp, h);
        // What reaches the ring buffer: one cell per connection, added in connection order.
        let mut emit = |p: &Prop, t: usize, weight: f64, m: u32| {
            if let Some(Some(rec)) = wr.get(p.syn as usize) {
                wr_out.push(WeightEvent {
                    rec: *rec,
                    stamp,
                    source,
                    target: t as u32,
                    weight,
                    receptor: p.receptor,
                    syn: p.syn,
                });
            }
            let slot = ring_slot(base, p.delay, nslots);
            let x = match p.route.decode {
                crate::model::Decode::Weighted => weight * m as f64 * a,
                d => d.spike(weight, m, a, b),
            };
            ring[(p.route.channel as usize * nslots + slot) * n + t] += x;
        };
        // As NEST, a spike of multiplicity m crosses the plastic connections as m spikes, one
        // after the other.
        for rep in 0..mult.max(1) {
            for r in rlo..rhi {
                let p = pl.row_prop[r];
                let Some((model, common)) = models.get(p.syn as usize) else { continue };
                let (lo, hi) = (pl.row_start[r] as usize, pl.row_start[r + 1] as usize);
                let (o, len) = (pl.row_off[r] as usize, pl.row_len[r] as usize);
                let spike = crate::registry::SpikeIn {
                    t: t_spike,
                    delay: crate::kernel::step_to_ms(p.delay as i64, h),
                    mult: 1,
                };
                // Scratch for the delivered weights, written in full by a row rule (grown, never
                // cleared: zeroing it per spike cost more than the rule's own loads).
                if pl.out.len() < hi - lo {
                    pl.out.resize(hi - lo, 0.0);
                }
                let batched = model.on_spike_row(
                    common,
                    &mut pl.values[o..o + len],
                    &mut pl.weight[lo..hi],
                    &pl.target[lo..hi],
                    &spike,
                    archive,
                    &mut pl.out[..hi - lo],
                );
                if batched {
                    for (&t, &w) in pl.target[lo..hi].iter().zip(&pl.out[..hi - lo]) {
                        emit(&p, t as usize, w, 1);
                    }
                    continue;
                }
                // One connection at a time: the first advances the row, the others run the rule
                // on a copy of its values before this spike.
                pl.before.clear();
                pl.before.extend_from_slice(&pl.values[o..o + len]);
                for i in lo..hi {
                    let values: &mut [f64] = if i == lo {
                        &mut pl.values[o..o + len]
                    } else {
                        pl.tmp.clear();
                        pl.tmp.extend_from_slice(&pl.before);
                        &mut pl.tmp[..]
                    };
                    // A stochastic synapse keeps its stream key after its schema values.
                    let key = if model.needs_rng() { values.last().map_or(0, |x| x.to_bits()) } else { 0 };
                    let t = pl.target[i] as usize;
                    let mut rng = crate::rng::SynRng::new(seed, key, stamp, rep);
                    let out = model.on_spike(common, values, &mut pl.weight[i], &spike, &mut archive.view(t), &mut rng);
                    if out.mult != 0 {
                        emit(&p, t, out.weight, out.mult);
                    }
                }
            }
        }
    }

    /// The schema values of a plastic connection.
    pub fn plastic_row(&self, i: u32) -> Option<&[f64]> {
        let i = i as usize;
        (i < self.plastic.len()).then(|| self.plastic.values(self.plastic.row_of(i)))
    }

    /// Sets the schema values of a plastic connection; it gets a row of its own if it shared
    /// one and the values change.
    pub fn set_plastic_row(&mut self, i: u32, values: &[f64]) {
        let pl = &mut self.plastic;
        let i = i as usize;
        if i >= pl.len() {
            return;
        }
        let r = pl.row_of(i);
        if pl.values(r).len() != values.len()
            || pl.values(r).iter().zip(values).all(|(a, b)| a.to_bits() == b.to_bits())
        {
            return;
        }
        let r = pl.own_row(i);
        let o = pl.row_off[r] as usize;
        pl.values[o..o + values.len()].copy_from_slice(values);
    }

    /// Bytes per plastic connection (all plastic storage divided by their number), if any.
    pub fn plastic_bytes(&self) -> Option<(usize, usize)> {
        (self.plastic.len() > 0).then(|| (self.plastic.memory_bytes(), self.plastic.len()))
    }

    /// Sets the weight of every connection of synapse model `syn` (a model whose connections
    /// share one weight); routes stay as they are (the caller keeps the sign).
    pub fn set_weight_of_model(&mut self, syn: u16, w: f64) {
        let mut changed = false;
        for p in self.props.iter_mut().filter(|p| p.syn == syn) {
            p.weight = w;
            changed = true;
        }
        if changed {
            self.last_prop = None;
            self.dedup.clear();
            for (i, p) in self.props.iter().enumerate() {
                self.dedup.entry(p.key()).or_insert(i as u32);
            }
        }
        for p in self.ds.prop.iter_mut().filter(|p| p.syn == syn) {
            p.weight = w;
            // Re-check whether each generator's row is still uniform.
            self.ds.dirty = true;
        }
        let pl = &mut self.plastic;
        let mut hits = Vec::new();
        pl.each_row(|i, r| {
            if pl.row_prop[r].syn == syn {
                hits.push(i);
            }
        });
        for i in hits {
            pl.weight[i] = w;
        }
    }

    /// Adds a per-target drawing connection.
    pub fn add_ds(&mut self, source: u32, target: u32, prop: Prop, rng: Pcg64Mcg) {
        self.ds.push(source, target, prop, rng);
    }

    /// Lengths of the staging and per-target-drawing lists (a rollback point).
    pub fn staged_lens(&self) -> (usize, usize, (usize, usize)) {
        (self.staging.len(), self.ds.len(), self.plastic.lens())
    }

    /// Drops everything added after the rollback point `staged_lens()` returned.
    pub fn truncate_staged(&mut self, staging: usize, ds: usize, plastic: (usize, usize)) {
        self.staging.truncate(staging);
        self.ds.truncate(ds);
        self.plastic.truncate(plastic);
    }

    /// True when connections were added since the last finalize.
    pub fn is_dirty(&self) -> bool {
        !self.staging.is_empty() || self.ds.dirty || self.plastic.dirty
    }

    /// Merges staged connections into the rows: a stable counting sort by source, so each row
    /// keeps creation order (the canonical summation order).
    pub fn finalize(&mut self) {
        self.ds.finalize();
        self.plastic.finalize();
        if self.staging.is_empty() {
            return;
        }
        // Existing rows first (they were created earlier), then the staged connections: a stable
        // counting sort by source keeps creation order within every row.
        let all: Vec<(u32, u32, u32)> = if self.targets.is_empty() {
            std::mem::take(&mut self.staging)
        } else {
            let mut all = Vec::with_capacity(self.targets.len() + self.staging.len());
            let nsrc = self.offsets.len().saturating_sub(1);
            for s in 0..nsrc {
                for k in self.offsets[s] as usize..self.offsets[s + 1] as usize {
                    all.push((s as u32, self.targets[k], self.prop_idx[k]));
                }
            }
            all.append(&mut self.staging);
            all
        };
        self.targets = Vec::new();
        self.prop_idx = Vec::new();
        self.staging = Vec::new();
        let max_src = all.iter().map(|c| c.0).max().unwrap_or(0) as usize;
        let mut offsets = vec![0u32; max_src + 2];
        for c in &all {
            offsets[c.0 as usize + 1] += 1;
        }
        for i in 0..=max_src {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; all.len()];
        let mut prop_idx = vec![0u32; all.len()];
        for &(s, t, p) in &all {
            let pos = fill[s as usize] as usize;
            targets[pos] = t;
            prop_idx[pos] = p;
            fill[s as usize] += 1;
        }
        drop(all);
        let mut row_prop = vec![u32::MAX; max_src + 1];
        for (s, rp) in row_prop.iter_mut().enumerate() {
            let row = &prop_idx[offsets[s] as usize..offsets[s + 1] as usize];
            if let Some(&first) = row.first() {
                if row.iter().all(|&p| p == first) {
                    *rp = first;
                }
            }
        }
        self.row_prop = row_prop;
        self.offsets = offsets;
        self.targets = targets;
        self.prop_idx = prop_idx;
        self.dedup.shrink_to_fit();
    }

    /// Number of stored connections (rows, staged and per-target drawing).
    pub fn len(&self) -> usize {
        self.targets.len() + self.staging.len() + self.ds.len() + self.plastic.len()
    }
    /// True when no connection is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies of the random streams of the per-target drawing connections from `source`.
    pub fn streams_of(&self, source: u32) -> Vec<Pcg64Mcg> {
        match self.ds.index.get(&source) {
            Some(&(lo, hi, _)) if !self.ds.dirty => self.ds.rng[lo as usize..hi as usize].to_vec(),
            _ => (0..self.ds.len()).filter(|&i| self.ds.source[i] == source).map(|i| self.ds.rng[i].clone()).collect(),
        }
    }

    /// Bytes used by the connection storage.
    pub fn memory_bytes(&self) -> usize {
        self.offsets.capacity() * 4
            + self.targets.capacity() * 4
            + self.prop_idx.capacity() * 4
            + self.props.capacity() * std::mem::size_of::<Prop>()
            + self.staging.capacity() * 12
            + self.ds.memory_bytes()
            + self.plastic.memory_bytes()
    }

    /// Whether some connection's target reads the sender of each spike (binary code).
    pub fn reads_senders(&self) -> bool {
        self.any_binary
    }

    /// Whether a row (shared prop `rp`, or per-connection props `lo..hi`) reads spikes with the
    /// binary code, which keeps per-target state.
    fn has_binary(&self, rp: u32, lo: usize, hi: usize) -> bool {
        use crate::model::Decode;
        if !self.any_binary {
            return false;
        }
        if rp != u32::MAX {
            return self.props[rp as usize].route.decode == Decode::Binary;
        }
        self.prop_idx[lo..hi].iter().any(|&pi| self.props[pi as usize].route.decode == Decode::Binary)
    }

    /// Delivers one event into the ring buffer `ring` (`channels × nslots × n`).
    /// `base` is `(stamp - 1) mod nslots`.
    #[inline]
    #[allow(clippy::too_many_arguments)] // hot path: scalars, no per-event struct
    pub fn deliver(
        &mut self,
        kind: EventKind,
        (source, stamp): (u32, i64),
        mult: u32,
        a: f64,
        b: f64,
        base: usize,
        nslots: usize,
        n: usize,
        ring: &mut [f64],
    ) {
        match kind {
            EventKind::Spike | EventKind::Current => {
                let s = source as usize;
                if s + 1 >= self.offsets.len() {
                    return;
                }
                let (lo, hi) = (self.offsets[s] as usize, self.offsets[s + 1] as usize);
                let spike = kind == EventKind::Spike;
                let targets = &self.targets[lo..hi];
                let rp = self.row_prop[s];
                if spike && self.has_binary(rp, lo, hi) {
                    for (k, &t) in targets.iter().enumerate() {
                        let p = &self.props[if rp != u32::MAX { rp } else { self.prop_idx[lo + k] } as usize];
                        let slot = ring_slot(base, p.delay, nslots);
                        let x = if p.route.decode == crate::model::Decode::Binary {
                            binary_input(&mut self.binary_last, n, t as usize, source, stamp, mult, p.weight)
                        } else {
                            p.route.decode.spike(p.weight, mult, a, b)
                        };
                        ring[(p.route.channel as usize * nslots + slot) * n + t as usize] += x;
                    }
                    return;
                }
                if rp != u32::MAX {
                    // The common case: one weight/delay/channel for the whole row.
                    let p = &self.props[rp as usize];
                    let slot = ring_slot(base, p.delay, nslots);
                    let x = if spike { p.route.decode.spike(p.weight, mult, a, b) } else { p.weight * a };
                    let cell = (p.route.channel as usize * nslots + slot) * n;
                    let row = &mut ring[cell..cell + n];
                    for &t in targets {
                        row[t as usize] += x;
                    }
                    return;
                }
                let pidx = &self.prop_idx[lo..hi];
                for (t, pi) in targets.iter().zip(pidx) {
                    let p = &self.props[*pi as usize];
                    let slot = ring_slot(base, p.delay, nslots);
                    let x = if spike { p.route.decode.spike(p.weight, mult, a, b) } else { p.weight * a };
                    ring[(p.route.channel as usize * nslots + slot) * n + *t as usize] += x;
                }
            }
            EventKind::PoissonDraw | EventKind::GaussianCurrentDraw => {
                let Some(&(lo, hi, uniform)) = self.ds.index.get(&source) else { return };
                let (lo, hi) = (lo as usize, hi as usize);
                let ds = &mut self.ds;
                if kind == EventKind::PoissonDraw {
                    // b > 0: brainpy's PoissonInput (b sources firing with probability a each).
                    let table = if b > 0.0 { PoissonTable::brainpy(b, a) } else { PoissonTable::new(a) };
                    if uniform {
                        // One generator, one weight/delay: the loop is a draw and an add per target.
                        // A count of 0 adds 0.0, which leaves every cell unchanged.
                        let p = ds.prop[lo];
                        let slot = ring_slot(base, p.delay, nslots);
                        // Poisson spikes carry no payload (NEST's offset 0) and are no binary transitions.
                        let w = match p.route.decode {
                            crate::model::Decode::Weighted => p.weight,
                            crate::model::Decode::CountOnly => 1.0,
                            _ => 0.0,
                        };
                        let cell = (p.route.channel as usize * nslots + slot) * n;
                        let row = &mut ring[cell..cell + n];
                        for (rng, &t) in ds.rng[lo..hi].iter_mut().zip(&ds.target[lo..hi]) {
                            row[t as usize] += w * table.sample(rng) as f64;
                        }
                        return;
                    }
                    for i in lo..hi {
                        let k = table.sample(&mut ds.rng[i]);
                        let p = &ds.prop[i];
                        let x = match p.route.decode {
                            crate::model::Decode::Weighted => p.weight * k as f64,
                            crate::model::Decode::CountOnly => k as f64,
                            _ => 0.0,
                        };
                        let slot = ring_slot(base, p.delay, nslots);
                        ring[(p.route.channel as usize * nslots + slot) * n + ds.target[i] as usize] += x;
                    }
                } else {
                    for i in lo..hi {
                        if mult != 0 {
                            ds.amp[i] = a + b * standard_normal(&mut ds.rng[i]);
                        }
                        let p = &ds.prop[i];
                        let slot = ring_slot(base, p.delay, nslots);
                        ring[(p.route.channel as usize * nslots + slot) * n + ds.target[i] as usize] +=
                            p.weight * ds.amp[i];
                    }
                }
            }
        }
    }

    /// Visits every stored connection: (slot, source, local target, props).
    pub fn for_each(&self, mut f: impl FnMut(Slot, u32, u32, &Prop)) {
        let nsrc = self.offsets.len().saturating_sub(1);
        for s in 0..nsrc {
            for k in self.offsets[s] as usize..self.offsets[s + 1] as usize {
                f(Slot::Row(k as u32), s as u32, self.targets[k], &self.props[self.prop_idx[k] as usize]);
            }
        }
        for i in 0..self.ds.len() {
            f(Slot::Ds(i as u32), self.ds.source[i], self.ds.target[i], &self.ds.prop[i]);
        }
        let pl = &self.plastic;
        pl.each_row(|i, r| {
            let p = Prop { weight: pl.weight[i], ..pl.row_prop[r] };
            f(Slot::Plastic(i as u32), pl.row_source[r], pl.target[i], &p);
        });
    }

    /// Weight-recorder events of a spike of `source` crossing the static rows (only models with a
    /// recorder in `wr`, indexed by synapse model id).
    pub fn record_static(&self, source: u32, stamp: i64, wr: &[Option<u32>], out: &mut Vec<WeightEvent>) {
        let s = source as usize;
        if s + 1 >= self.offsets.len() {
            return;
        }
        for k in self.offsets[s] as usize..self.offsets[s + 1] as usize {
            let p = &self.props[self.prop_idx[k] as usize];
            if let Some(Some(rec)) = wr.get(p.syn as usize) {
                out.push(WeightEvent {
                    rec: *rec,
                    stamp,
                    source,
                    target: self.targets[k],
                    weight: p.weight,
                    receptor: p.receptor,
                    syn: p.syn,
                });
            }
        }
    }

    /// Number of connections of synapse model `syn`, staged ones included.
    pub fn count_of(&self, syn: u16) -> usize {
        let of = |pi: u32| self.props.get(pi as usize).is_some_and(|p| p.syn == syn);
        self.prop_idx.iter().filter(|&&pi| of(pi)).count()
            + self.staging.iter().filter(|c| of(c.2)).count()
            + self.ds.prop.iter().filter(|p| p.syn == syn).count()
            + {
                let mut n = 0;
                self.plastic.each_row(|_, r| n += usize::from(self.plastic.row_prop[r].syn == syn));
                n
            }
    }

    /// Removes the connections at `slots` (Disconnect); the others keep their creation order
    /// within each source's row, so summation order and results stay as if the removed ones had
    /// never been made. Finalizes first, so slots refer to the settled positions that
    /// [`ConnTable::for_each`] reports. Returns how many were removed (unknown slots are ignored).
    pub fn remove(&mut self, slots: &[Slot]) -> usize {
        self.finalize();
        let (mut rows, mut ds, mut pl) = (Vec::new(), Vec::new(), Vec::new());
        for s in slots {
            match *s {
                Slot::Row(k) if (k as usize) < self.targets.len() => rows.push(k as usize),
                Slot::Ds(i) if (i as usize) < self.ds.len() => ds.push(i as usize),
                Slot::Plastic(i) if (i as usize) < self.plastic.len() => pl.push(i as usize),
                _ => {}
            }
        }
        let mark = |mut v: Vec<usize>, n: usize| {
            let mut gone = vec![false; n];
            v.sort_unstable();
            v.dedup();
            for i in &v {
                gone[*i] = true;
            }
            (gone, v.len())
        };
        let (row_gone, nr) = mark(rows, self.targets.len());
        let (ds_gone, nd) = mark(ds, self.ds.len());
        let (pl_gone, np) = mark(pl, self.plastic.len());
        if nr > 0 {
            // Back to staging in row order: finalize's stable sort rebuilds the rows.
            let nsrc = self.offsets.len().saturating_sub(1);
            let mut staging = Vec::with_capacity(self.targets.len() - nr);
            for s in 0..nsrc {
                let (lo, hi) = (self.offsets[s] as usize, self.offsets[s + 1] as usize);
                let kept = (lo..hi).filter(|&k| !row_gone[k]);
                staging.extend(kept.map(|k| (s as u32, self.targets[k], self.prop_idx[k])));
            }
            self.offsets = Vec::new();
            self.targets = Vec::new();
            self.prop_idx = Vec::new();
            self.row_prop = Vec::new();
            self.staging = staging;
        }
        if nd > 0 {
            let keep: Vec<usize> = (0..self.ds.len()).filter(|&i| !ds_gone[i]).collect();
            self.ds.select(&keep);
            self.ds.dirty = true;
        }
        if np > 0 {
            self.plastic.remove(&pl_gone);
        }
        self.last_prop = None;
        self.finalize();
        nr + nd + np
    }

    /// The properties of a stored connection.
    pub fn prop(&self, slot: Slot) -> Option<Prop> {
        match slot {
            Slot::Row(k) => self.prop_idx.get(k as usize).map(|&pi| self.props[pi as usize]),
            Slot::Ds(i) => self.ds.prop.get(i as usize).copied(),
            Slot::Plastic(i) => ((i as usize) < self.plastic.len()).then(|| self.plastic.prop(i as usize)),
        }
    }

    /// Replaces the properties of a stored connection.
    pub fn set_prop(&mut self, slot: Slot, p: Prop) {
        match slot {
            Slot::Row(k) => {
                self.last_prop = None;
                let pi = self.intern(p);
                if let Some(x) = self.prop_idx.get_mut(k as usize) {
                    *x = pi;
                    // The row of this connection may no longer share one prop.
                    let s = self.offsets.partition_point(|&o| o <= k).saturating_sub(1);
                    if let Some(rp) = self.row_prop.get_mut(s) {
                        let row = &self.prop_idx[self.offsets[s] as usize..self.offsets[s + 1] as usize];
                        *rp = if row.iter().all(|&q| q == pi) { pi } else { u32::MAX };
                    }
                }
            }
            Slot::Plastic(i) => {
                let pl = &mut self.plastic;
                let i = i as usize;
                if i < pl.len() {
                    pl.weight[i] = p.weight;
                    let shared = Prop { weight: 0.0, ..p };
                    if pl.row_prop[pl.row_of(i)].key() != shared.key() {
                        let r = pl.own_row(i);
                        pl.row_prop[r] = shared;
                    }
                }
            }
            Slot::Ds(i) => {
                if let Some(c) = self.ds.prop.get_mut(i as usize) {
                    *c = p;
                    // Re-check whether the generator's row is still uniform.
                    self.ds.dirty = true;
                }
            }
        }
    }
}

/// Poisson sampling by inversion with the cumulative distribution computed once per event (all
/// targets of a generator share the mean of a step). The CDF is kept as 64-bit integer thresholds
/// with a guide table indexed by the top bits of the random word, so a draw costs one 64-bit
/// random number and about one comparison. Means of 30 and more use `rand_distr`'s sampler.
pub struct PoissonTable {
    lambda: f64,
    thresholds: [u64; 96],
    guide: [u8; 64],
    len: usize,
    /// brainpy's count law instead of Poisson: (sources, probability); see `brainpy_count`.
    brainpy: Option<(u64, f64)>,
}

impl PoissonTable {
    /// The table for mean `lambda`.
    pub fn new(lambda: f64) -> Self {
        let mut t = PoissonTable { lambda, thresholds: [u64::MAX; 96], guide: [0; 64], len: 0, brainpy: None };
        if lambda > 0.0 && lambda < 30.0 {
            const TWO64: f64 = 18_446_744_073_709_551_616.0;
            let mut p = (-lambda).exp();
            let mut c = p;
            let mut len = 0;
            while len < 95 {
                // A draw r (uniform on [0, 2^64)) gives k when thresholds[k-1] <= r < thresholds[k].
                t.thresholds[len] = if c >= 1.0 { u64::MAX } else { (c * TWO64) as u64 };
                len += 1;
                if c >= 1.0 - 1e-17 {
                    break;
                }
                p *= lambda / len as f64;
                c += p;
            }
            t.finish(len);
        }
        t
    }
    /// Closes a table of `len` thresholds (the last catches the rounding remainder) and builds
    /// the guide: for each of 64 equal parts of the draw range, the first count to test.
    fn finish(&mut self, len: usize) {
        self.thresholds[len - 1] = u64::MAX;
        self.len = len;
        let mut k = 0usize;
        for (j, g) in self.guide.iter_mut().enumerate() {
            let lo = (j as u64) << 58;
            while k + 1 < len && self.thresholds[k] <= lo {
                k += 1;
            }
            *g = k as u8;
        }
    }
    /// brainpy.state's PoissonInput count for `n` sources of probability `p` per step
    /// (`brainpy_count`). Its binomial branch with a mean below 30 gets an inversion table as
    /// Poisson means do, so a generator with many targets pays one table per step.
    pub fn brainpy(n: f64, p: f64) -> Self {
        let n = n.max(0.0).round() as u64;
        let p = if p.is_finite() { p.clamp(0.0, 1.0) } else { 0.0 };
        let lambda = n as f64 * p;
        let mut t = PoissonTable { lambda, thresholds: [u64::MAX; 96], guide: [0; 64], len: 0, brainpy: Some((n, p)) };
        let normal = lambda > 5.0 && n as f64 * (1.0 - p) > 5.0;
        if normal || lambda >= 30.0 || p <= 0.0 || p >= 1.0 {
            return t;
        }
        const TWO64: f64 = 18_446_744_073_709_551_616.0;
        let ratio = p / (1.0 - p);
        let mut pk = (n as f64 * (-p).ln_1p()).exp();
        let mut c = pk;
        let mut len = 0usize;
        while len < 95 {
            t.thresholds[len] = if c >= 1.0 { u64::MAX } else { (c * TWO64) as u64 };
            len += 1;
            if c >= 1.0 - 1e-17 || len as u64 > n {
                break;
            }
            pk *= (n - (len as u64 - 1)) as f64 / len as f64 * ratio;
            c += pk;
        }
        t.finish(len);
        t
    }
    /// One draw.
    #[inline]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        if self.lambda <= 0.0 {
            return 0;
        }
        if self.len == 0 {
            return match self.brainpy {
                Some((n, p)) => brainpy_count(rng, n, p),
                None => poisson(rng, self.lambda),
            };
        }
        let r = rng.next_u64();
        let mut k = self.guide[(r >> 58) as usize] as usize;
        while r >= self.thresholds[k] {
            k += 1;
        }
        k as u64
    }
}

/// brainpy.state 0.1.0's `poisson_input` count: with a = n·p and b = n·(1 − p), the rounded
/// normal max(round(N(a, sqrt(a·(1 − p)))), 0) when a > 5 and b > 5, else Binomial(n, p).
#[inline]
pub fn brainpy_count<R: rand::Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let (a, b) = (n as f64 * p, n as f64 * (1.0 - p));
    if a > 5.0 && b > 5.0 {
        // jnp.round rounds half to even; the normal draw makes exact halves irrelevant.
        return (a + (b * p).sqrt() * standard_normal(rng)).round_ties_even().max(0.0) as u64;
    }
    use rand_distr::Distribution;
    rand_distr::Binomial::new(n, p).map_or(0, |d| d.sample(rng))
}

/// Standard normal draw (Box–Muller, polar form: no table, no allocation).
#[inline]
pub fn standard_normal<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    use rand::RngExt;
    loop {
        let u: f64 = 2.0 * rng.random::<f64>() - 1.0;
        let v: f64 = 2.0 * rng.random::<f64>() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * s.ln() / s).sqrt();
        }
    }
}

/// Poisson draw with mean `lambda`: inversion by sequential search for small means (exact and
/// cheap: one uniform and a few multiplications), the transformed-rejection sampler of
/// `rand_distr` for large ones.
#[inline]
pub fn poisson<R: rand::Rng + ?Sized>(rng: &mut R, lambda: f64) -> u64 {
    use rand::RngExt;
    if lambda <= 0.0 {
        return 0;
    }
    if lambda < 30.0 {
        let u: f64 = rng.random::<f64>();
        let mut p = (-lambda).exp();
        let mut cdf = p;
        let mut k = 0u64;
        while u > cdf && k < 1000 {
            k += 1;
            p *= lambda / k as f64;
            cdf += p;
        }
        k
    } else {
        use rand_distr::Distribution;
        rand_distr::Poisson::new(lambda).map_or(0, |d| d.sample(rng) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brainpy_counts_have_brainpys_mean_and_variance() {
        // Binomial branch (table): 10 sources, p 0.18; rounded-normal branch: 200 sources, p
        // 0.049; binomial without table (n(1 - p) <= 5): 40 sources, p 0.9. Variance
        // n·p·(1 − p) (+ 1/12 for the rounding), not the Poisson n·p.
        use rand::SeedableRng;
        for (n, p, extra) in [(10u64, 0.18f64, 0.0), (200, 0.049, 1.0 / 12.0), (40, 0.9, 0.0)] {
            let t = PoissonTable::brainpy(n as f64, p);
            let mut rng = Pcg64Mcg::seed_from_u64(3);
            let m = 200_000;
            let xs: Vec<f64> = (0..m).map(|_| t.sample(&mut rng) as f64).collect();
            let mean = xs.iter().sum::<f64>() / m as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1) as f64;
            let (mu, v) = (n as f64 * p, n as f64 * p * (1.0 - p) + extra);
            // 5 standard errors of the mean and of the variance (≈ v·sqrt(2/m)).
            assert!((mean - mu).abs() < 5.0 * (v / m as f64).sqrt(), "n {n} p {p}: mean {mean} vs {mu}");
            assert!((var - v).abs() < 5.0 * v * (2.0 / m as f64).sqrt() + 0.01, "n {n} p {p}: var {var} vs {v}");
            assert!(xs.iter().all(|&x| x <= n as f64));
        }
    }
    use rand::SeedableRng;

    #[test]
    fn poisson_table_has_the_right_moments() {
        for lambda in [0.05, 0.5, 2.0, 7.5, 29.0] {
            let t = PoissonTable::new(lambda);
            let mut rng = Pcg64Mcg::seed_from_u64(1);
            let n = 200_000;
            let xs: Vec<f64> = (0..n).map(|_| t.sample(&mut rng) as f64).collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64;
            let se = (lambda / n as f64).sqrt();
            assert!((m - lambda).abs() < 5.0 * se, "lambda {lambda}: mean {m}");
            assert!((v / lambda - 1.0).abs() < 0.05, "lambda {lambda}: variance {v}");
        }
    }

    #[test]
    fn poisson_table_probability_of_zero() {
        let t = PoissonTable::new(2.0);
        let mut rng = Pcg64Mcg::seed_from_u64(9);
        let n = 400_000;
        let zeros = (0..n).filter(|_| t.sample(&mut rng) == 0).count() as f64 / n as f64;
        assert!((zeros - (-2.0f64).exp()).abs() < 0.003, "P(0) = {zeros}");
    }
}
