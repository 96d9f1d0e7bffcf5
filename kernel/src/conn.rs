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

impl Prop {
    fn key(&self) -> (u64, u32, u16, bool, u16, i32) {
        (self.weight.to_bits(), self.delay, self.route.channel, self.route.count_only, self.syn, self.receptor)
    }
}

/// A connection from a device that draws per target.
#[derive(Debug, Clone)]
pub struct DsConn {
    /// Source global id.
    pub source: u32,
    /// Local target index.
    pub target: u32,
    /// Properties.
    pub prop: Prop,
    /// The (generator, target) random stream.
    pub rng: Pcg64Mcg,
    /// Current amplitude for Gaussian current devices.
    pub amp: f64,
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
    dedup: HashMap<(u64, u32, u16, bool, u16, i32), u32>,
    last_prop: Option<(Prop, u32)>,
    staging: Vec<(u32, u32, u32)>,
    /// Per-target drawing connections, in creation order.
    pub ds: Vec<DsConn>,
    ds_index: HashMap<u32, Vec<u32>>,
}

/// A reference to one stored connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Index in the compressed rows.
    Row(u32),
    /// Index in the per-target drawing list.
    Ds(u32),
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

    /// Adds a per-target drawing connection.
    pub fn add_ds(&mut self, source: u32, target: u32, prop: Prop, rng: Pcg64Mcg) {
        self.ds_index.entry(source).or_default().push(self.ds.len() as u32);
        self.ds.push(DsConn { source, target, prop, rng, amp: 0.0 });
    }

    /// Lengths of the staging and per-target-drawing lists (a rollback point).
    pub fn staged_lens(&self) -> (usize, usize) {
        (self.staging.len(), self.ds.len())
    }

    /// Drops everything added after the rollback point `staged_lens()` returned.
    pub fn truncate_staged(&mut self, staging: usize, ds: usize) {
        self.staging.truncate(staging);
        if self.ds.len() > ds {
            self.ds.truncate(ds);
            self.ds_index.clear();
            for (i, c) in self.ds.iter().enumerate() {
                self.ds_index.entry(c.source).or_default().push(i as u32);
            }
        }
    }

    /// True when connections were added since the last finalize.
    pub fn is_dirty(&self) -> bool {
        !self.staging.is_empty()
    }

    /// Merges staged connections into the rows: a stable counting sort by source, so each row
    /// keeps creation order (the canonical summation order).
    pub fn finalize(&mut self) {
        if self.staging.is_empty() {
            return;
        }
        let mut all: Vec<(u32, u32, u32)> = Vec::with_capacity(self.targets.len() + self.staging.len());
        let nsrc = self.offsets.len().saturating_sub(1);
        for s in 0..nsrc {
            for k in self.offsets[s] as usize..self.offsets[s + 1] as usize {
                all.push((s as u32, self.targets[k], self.prop_idx[k]));
            }
        }
        self.targets = Vec::new();
        self.prop_idx = Vec::new();
        all.append(&mut self.staging);
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
        for (s, t, p) in all {
            let pos = fill[s as usize] as usize;
            targets[pos] = t;
            prop_idx[pos] = p;
            fill[s as usize] += 1;
        }
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
        self.targets.len() + self.staging.len() + self.ds.len()
    }
    /// True when no connection is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes used by the connection storage.
    pub fn memory_bytes(&self) -> usize {
        self.offsets.capacity() * 4
            + self.targets.capacity() * 4
            + self.prop_idx.capacity() * 4
            + self.props.capacity() * std::mem::size_of::<Prop>()
            + self.staging.capacity() * 12
            + self.ds.capacity() * std::mem::size_of::<DsConn>()
    }

    /// Delivers one event into the ring buffer `ring` (`channels × nslots × n`).
    /// `base` is `(stamp - 1) mod nslots`.
    #[inline]
    #[allow(clippy::too_many_arguments)] // hot path: scalars, no per-event struct
    pub fn deliver(
        &mut self,
        kind: EventKind,
        source: u32,
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
                let val = if kind == EventKind::Spike { mult as f64 * a } else { a };
                let targets = &self.targets[lo..hi];
                let rp = self.row_prop[s];
                if rp != u32::MAX {
                    // The common case: one weight/delay/channel for the whole row.
                    let p = &self.props[rp as usize];
                    let mut slot = base + p.delay as usize;
                    if slot >= nslots {
                        slot -= nslots;
                    }
                    let x = if p.route.count_only { mult as f64 } else { p.weight * val };
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
                    let mut slot = base + p.delay as usize;
                    if slot >= nslots {
                        slot -= nslots;
                    }
                    let x = if p.route.count_only { mult as f64 } else { p.weight * val };
                    ring[(p.route.channel as usize * nslots + slot) * n + *t as usize] += x;
                }
            }
            EventKind::PoissonDraw | EventKind::GaussianCurrentDraw => {
                let Some(list) = self.ds_index.get(&source) else { return };
                let table = if kind == EventKind::PoissonDraw { PoissonTable::new(a) } else { PoissonTable::new(0.0) };
                for &ci in list {
                    let c = &mut self.ds[ci as usize];
                    let x = if kind == EventKind::PoissonDraw {
                        let k = table.sample(&mut c.rng);
                        if k == 0 {
                            continue;
                        }
                        if c.prop.route.count_only {
                            k as f64
                        } else {
                            c.prop.weight * k as f64
                        }
                    } else {
                        if mult != 0 {
                            c.amp = a + b * standard_normal(&mut c.rng);
                        }
                        c.prop.weight * c.amp
                    };
                    let mut slot = base + c.prop.delay as usize;
                    if slot >= nslots {
                        slot -= nslots;
                    }
                    ring[(c.prop.route.channel as usize * nslots + slot) * n + c.target as usize] += x;
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
        for (i, c) in self.ds.iter().enumerate() {
            f(Slot::Ds(i as u32), c.source, c.target, &c.prop);
        }
    }

    /// The properties of a stored connection.
    pub fn prop(&self, slot: Slot) -> Option<Prop> {
        match slot {
            Slot::Row(k) => self.prop_idx.get(k as usize).map(|&pi| self.props[pi as usize]),
            Slot::Ds(i) => self.ds.get(i as usize).map(|c| c.prop),
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
                }
            }
            Slot::Ds(i) => {
                if let Some(c) = self.ds.get_mut(i as usize) {
                    c.prop = p;
                }
            }
        }
    }
}

/// Poisson sampling by inversion with the cumulative distribution computed once per event (all
/// targets of a generator share the mean of a step), so each draw costs one uniform and a short
/// search. Means of 30 and more use `rand_distr`'s rejection sampler.
pub struct PoissonTable {
    lambda: f64,
    cdf: [f64; 96],
    len: usize,
}

impl PoissonTable {
    /// The table for mean `lambda`.
    pub fn new(lambda: f64) -> Self {
        let mut cdf = [1.0; 96];
        let mut len = 0;
        if lambda > 0.0 && lambda < 30.0 {
            let mut p = (-lambda).exp();
            let mut c = p;
            while len < 95 {
                cdf[len] = c;
                len += 1;
                if c >= 1.0 - 1e-17 {
                    break;
                }
                p *= lambda / len as f64;
                c += p;
            }
        }
        PoissonTable { lambda, cdf, len }
    }
    /// One draw.
    #[inline]
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        if self.lambda <= 0.0 {
            return 0;
        }
        if self.len == 0 {
            return poisson(rng, self.lambda);
        }
        use rand::RngExt;
        let u: f64 = rng.random::<f64>();
        let mut k = 0;
        while k < self.len && u > self.cdf[k] {
            k += 1;
        }
        k as u64
    }
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
