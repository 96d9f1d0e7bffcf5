//! Postsynaptic spike history for plastic synapses (NEST's archiving node).
//!
//! Kept by the kernel per chunk, only for neurons that have plastic incoming connections: each
//! spike appends (t, K⁻, K⁻ triplet, access counter); plastic synapses read the history between
//! their last and current presynaptic spike and the K⁻ trace just before it. An entry is pruned
//! once every plastic connection has read it and a later spike lies more than
//! max_delay + min_delay in the past, as in NEST.

/// NEST's tolerance for comparing spike times in STDP (ms).
pub const STDP_EPS: f64 = 1e-6;

/// One postsynaptic spike.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistEntry {
    /// Spike time (ms).
    pub t: f64,
    /// K⁻ right after the spike.
    pub kminus: f64,
    /// K⁻ triplet right after the spike.
    pub kminus_triplet: f64,
    /// How many plastic connections have read this entry.
    pub access: u32,
}

/// One neuron's spikes and the K⁻ value last looked up, kept on one cache line: a plastic
/// connection reads both on every presynaptic spike, and a neuron's connections from many
/// sources ask for K⁻ at the same time (spikes of one step, one delay).
#[derive(Debug, Clone)]
#[repr(align(64))]
struct Hist {
    /// Spikes, oldest first, from `head` on (entries before it are pruned; dropped in bulk).
    buf: Vec<HistEntry>,
    head: u32,
    /// K⁻ at time `kc_t` with 1/tau_minus `kc_tau` (NaN: none); reset when a spike arrives.
    kc_t: f64,
    kc_tau: f64,
    kc_v: f64,
}

impl Default for Hist {
    fn default() -> Self {
        Hist { buf: Vec::new(), head: 0, kc_t: f64::NAN, kc_tau: f64::NAN, kc_v: 0.0 }
    }
}

impl Hist {
    fn live(&self) -> &[HistEntry] {
        &self.buf[self.head as usize..]
    }
    /// K⁻ just before `t` with 1/tau_minus `tau` (NEST's `get_K_value`): from the newest spike
    /// more than the tolerance before `t`, 0 if there is none.
    fn k_at(&self, t: f64, tau: f64) -> f64 {
        self.live().iter().rev().find(|e| t - e.t > STDP_EPS).map_or(0.0, |e| e.kminus * ((e.t - t) * tau).exp())
    }
}

/// The history of every neuron of a chunk.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Per neuron: its spikes.
    history: Vec<Hist>,
    /// Per neuron: K⁻ after its last spike.
    pub kminus: Vec<f64>,
    /// Per neuron: K⁻ triplet after its last spike.
    pub kminus_triplet: Vec<f64>,
    /// Per neuron: time of its last spike (ms).
    pub last_spike: Vec<f64>,
    /// Per neuron: 1/tau_minus (1/ms).
    pub tau_minus_inv: Vec<f64>,
    /// Per neuron: 1/tau_minus_triplet (1/ms).
    pub tau_minus_triplet_inv: Vec<f64>,
    /// Per neuron: number of plastic connections it receives.
    pub n_incoming: Vec<u32>,
    /// Pruning horizon: max_delay + min_delay (ms).
    pub horizon: f64,
}

impl Archive {
    /// An archive for `n` neurons with NEST's default time constants (20 ms, 110 ms).
    pub fn new(n: usize) -> Self {
        Archive {
            history: vec![Hist::default(); n],
            kminus: vec![0.0; n],
            kminus_triplet: vec![0.0; n],
            last_spike: vec![-1.0; n],
            tau_minus_inv: vec![1.0 / 20.0; n],
            tau_minus_triplet_inv: vec![1.0 / 110.0; n],
            n_incoming: vec![0; n],
            horizon: 0.0,
        }
    }

    /// Records a spike of neuron `i` at `t` ms (NEST's `set_spiketime`).
    pub fn spike(&mut self, i: usize, t: f64) {
        if self.n_incoming[i] == 0 {
            self.last_spike[i] = t;
            return;
        }
        let h = &mut self.history[i];
        h.kc_t = f64::NAN;
        let mut head = h.head as usize;
        while h.buf.len() - head > 1 {
            if h.buf[head].access >= self.n_incoming[i] && t - h.buf[head + 1].t > self.horizon + STDP_EPS {
                head += 1;
            } else {
                break;
            }
        }
        // Pruned entries leave in bulk once they are half the buffer (amortised O(1)).
        if head > 0 && 2 * head >= h.buf.len() {
            h.buf.drain(..head);
            head = 0;
        }
        h.head = head as u32;
        let dt = self.last_spike[i] - t;
        self.kminus[i] = self.kminus[i] * (dt * self.tau_minus_inv[i]).exp() + 1.0;
        self.kminus_triplet[i] = self.kminus_triplet[i] * (dt * self.tau_minus_triplet_inv[i]).exp() + 1.0;
        self.last_spike[i] = t;
        h.buf.push(HistEntry { t, kminus: self.kminus[i], kminus_triplet: self.kminus_triplet[i], access: 0 });
    }

    /// Neuron `i`'s spikes not yet pruned, oldest first.
    pub fn spikes(&self, i: usize) -> &[HistEntry] {
        self.history[i].live()
    }

    /// The view of neuron `i` that a synapse reads.
    pub fn view(&mut self, i: usize) -> PostView<'_> {
        PostView { a: self, i }
    }

    /// K⁻ of neuron `i` just before `t`, as [`PostView::k_value`] (bitwise; remembered until
    /// the neuron's next spike: the connections from many sources that reach a neuron in one
    /// step ask for the same value). A rule that runs over many connections looks up all their
    /// targets with this first, in a short loop, so the loads of many targets' histories are in
    /// flight at once.
    #[inline]
    pub fn k_before(&mut self, i: usize, t: f64) -> f64 {
        let tau = self.tau_minus_inv[i];
        let h = &mut self.history[i];
        if h.kc_t == t && h.kc_tau.to_bits() == tau.to_bits() {
            return h.kc_v;
        }
        let v = h.k_at(t, tau);
        (h.kc_t, h.kc_tau, h.kc_v) = (t, tau, v);
        v
    }

    /// Loads neuron `i`'s history line and newest spike entry and does nothing with them: a
    /// rule over many connections calls this for a block of targets first, in a loop without
    /// data-dependent branches, so all their cache misses are in flight at once (in the loops
    /// that search the histories, each mispredicted branch would cancel the loads behind it).
    #[inline]
    pub fn touch(&self, i: usize) {
        if let Some(e) = self.history[i].buf.last() {
            std::hint::black_box(e.t);
        }
    }

    /// The spikes of neuron `i` with t1 < t ≤ t2 (NEST's `get_history`, with its tolerance),
    /// marked read, as (first, count): `first` indexes [`Archive::spike_t`]. Searched from the
    /// newest spike backwards; [`PostView::history`] is this search too. A rule over many connections finds all their windows first, in a short loop,
    /// so the loads of many histories are in flight at once, and then updates the weights.
    #[inline]
    pub fn window_range(&mut self, i: usize, t1: f64, t2: f64) -> (u32, u32) {
        let h = &mut self.history[i];
        let head = h.head as usize;
        let live = &mut h.buf[head..];
        let (t1l, t2l) = (t1 + STDP_EPS, t2 + STDP_EPS);
        let mut end = live.len();
        while end > 0 && !(live[end - 1].t < t2l) {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && !(live[start - 1].t < t1l) {
            start -= 1;
        }
        for e in &mut live[start..end] {
            e.access += 1;
        }
        ((head + start) as u32, (end - start) as u32)
    }

    /// Time of neuron `i`'s spike number `k` of a [`Archive::window_range`] (valid until the
    /// neuron's next spike).
    #[inline]
    pub fn spike_t(&self, i: usize, k: u32) -> f64 {
        self.history[i].buf[k as usize].t
    }
}

/// One neuron's history as a plastic synapse sees it.
pub struct PostView<'a> {
    a: &'a mut Archive,
    i: usize,
}

impl PostView<'_> {
    /// The spikes with t1 < t ≤ t2 (NEST's `get_history`, with its tolerance); marks them read.
    pub fn history(&mut self, t1: f64, t2: f64, mut f: impl FnMut(&HistEntry)) {
        let (first, count) = self.a.window_range(self.i, t1, t2);
        for e in &self.a.history[self.i].buf[first as usize..(first + count) as usize] {
            f(e);
        }
    }
    /// K⁻ just before `t` (NEST's `get_K_value`).
    pub fn k_value(&self, t: f64) -> f64 {
        self.a.history[self.i].k_at(t, self.a.tau_minus_inv[self.i])
    }
    /// (K⁻, nearest-neighbour K⁻, K⁻ triplet) just before `t` (NEST's `get_K_values`): the
    /// nearest-neighbour trace counts only the latest postsynaptic spike.
    pub fn k_values(&self, t: f64) -> (f64, f64, f64) {
        let i = self.i;
        let h = self.a.history[i].live();
        if h.is_empty() {
            return (self.a.kminus[i], self.a.kminus[i], self.a.kminus_triplet[i]);
        }
        for e in h.iter().rev() {
            if t - e.t > STDP_EPS {
                let triplet = e.kminus_triplet * ((e.t - t) * self.a.tau_minus_triplet_inv[i]).exp();
                let k = e.kminus * ((e.t - t) * self.a.tau_minus_inv[i]).exp();
                let nn = ((e.t - t) * self.a.tau_minus_inv[i]).exp();
                return (k, nn, triplet);
            }
        }
        (0.0, 0.0, 0.0)
    }
    /// 1/tau_minus of the neuron.
    pub fn tau_minus_inv(&self) -> f64 {
        self.a.tau_minus_inv[self.i]
    }
}
