//! Postsynaptic spike history for plastic synapses (NEST's archiving node).
//!
//! Kept by the kernel per chunk, only for neurons that have plastic incoming connections: each
//! spike appends (t, K⁻, K⁻ triplet, access counter); plastic synapses read the history between
//! their last and current presynaptic spike and the K⁻ trace just before it. An entry is pruned
//! once every plastic connection has read it and a later spike lies more than
//! max_delay + min_delay in the past, as in NEST.

use std::collections::VecDeque;

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

/// The history of every neuron of a chunk.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Per neuron: its spikes.
    pub history: Vec<VecDeque<HistEntry>>,
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
            history: vec![VecDeque::new(); n],
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
        while h.len() > 1 {
            if h[0].access >= self.n_incoming[i] && t - h[1].t > self.horizon + STDP_EPS {
                h.pop_front();
            } else {
                break;
            }
        }
        let dt = self.last_spike[i] - t;
        self.kminus[i] = self.kminus[i] * (dt * self.tau_minus_inv[i]).exp() + 1.0;
        self.kminus_triplet[i] = self.kminus_triplet[i] * (dt * self.tau_minus_triplet_inv[i]).exp() + 1.0;
        self.last_spike[i] = t;
        h.push_back(HistEntry { t, kminus: self.kminus[i], kminus_triplet: self.kminus_triplet[i], access: 0 });
    }

    /// The view of neuron `i` that a synapse reads.
    pub fn view(&mut self, i: usize) -> PostView<'_> {
        PostView { a: self, i }
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
        let h = &mut self.a.history[self.i];
        let (t1l, t2l) = (t1 + STDP_EPS, t2 + STDP_EPS);
        let end = h.iter().rposition(|e| e.t < t2l).map_or(0, |p| p + 1);
        let start = h.iter().take(end).rposition(|e| e.t < t1l).map_or(0, |p| p + 1);
        for e in h.range_mut(start..end) {
            e.access += 1;
            f(e);
        }
    }
    /// K⁻ just before `t` (NEST's `get_K_value`).
    pub fn k_value(&self, t: f64) -> f64 {
        let h = &self.a.history[self.i];
        for e in h.iter().rev() {
            if t - e.t > STDP_EPS {
                return e.kminus * ((e.t - t) * self.a.tau_minus_inv[self.i]).exp();
            }
        }
        0.0
    }
    /// (K⁻, nearest-neighbour K⁻, K⁻ triplet) just before `t` (NEST's `get_K_values`): the
    /// nearest-neighbour trace counts only the latest postsynaptic spike.
    pub fn k_values(&self, t: f64) -> (f64, f64, f64) {
        let i = self.i;
        let h = &self.a.history[i];
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
