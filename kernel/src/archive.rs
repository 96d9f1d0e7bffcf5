//! Postsynaptic spike history for plastic synapses (NEST's archiving node).
//!
//! Kept by the kernel per chunk, only for neurons that have plastic incoming connections: each
//! spike appends (t, K⁻, K⁻ triplet); plastic synapses read the history between their last and
//! current presynaptic spike and the K⁻ trace just before it. An entry is pruned once every
//! plastic connection has read it and a later spike lies more than max_delay + min_delay in the
//! past, as in NEST.
//!
//! Layout: a plastic connection touches its target's history on every presynaptic spike, so
//! what most of those visits need sits on one cache line per neuron ([`Hot`]): the newest three
//! spike times, the newest K⁻, the K⁻ last looked up, and the read counts of the newest
//! entries. The full history (in [`Archive::spikes`]) is read only when a window reaches
//! further back. NEST counts the reads of every entry; here a window that reads entries
//! `start..end` adds 1 at `start` and takes 1 at `end` of a difference array, so a read costs
//! two counter updates whatever the window's length, and the count of entry k (NEST's access
//! counter) is the sum of the differences up to k, the same number.

/// NEST's tolerance for comparing spike times in STDP (ms).
pub const STDP_EPS: f64 = 1e-6;

/// NEST's default tau_minus and tau_minus_triplet (ms) of an archiving neuron.
pub const DEFAULT_TAUS: (f64, f64) = (20.0, 110.0);

/// One postsynaptic spike.
#[derive(Debug, Clone, Copy)]
pub struct HistEntry {
    /// Spike time (ms).
    pub t: f64,
    /// K⁻ right after the spike.
    pub kminus: f64,
    /// K⁻ triplet right after the spike.
    pub kminus_triplet: f64,
    /// Read-count difference to the entry before (at the oldest live entry: its read count).
    /// Stale for the newest two entries, whose differences live in [`Hot`].
    diff: i32,
}

impl PartialEq for HistEntry {
    fn eq(&self, o: &Self) -> bool {
        (self.t, self.kminus, self.kminus_triplet) == (o.t, o.kminus, o.kminus_triplet)
    }
}

/// What a plastic connection reads of its target on most presynaptic spikes, on one cache
/// line. Indices count entries of the neuron's full history; `len - 1` is the newest.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Hot {
    /// Times of entries `len - 1`, `len - 2`, `len - 3`; −∞ where that entry is pruned or
    /// missing, so comparisons count live entries only.
    t: [f64; 3],
    /// K⁻ right after the newest spike.
    k1: f64,
    /// K⁻ just before `kc_t` (NaN: none); forgotten when a spike arrives or tau_minus changes.
    kc_t: f64,
    kc_v: f64,
    len: u32,
    /// Read-count differences of entries `len` (the next spike), `len - 1` and `len - 2`.
    d0: i32,
    d1: i32,
    d2: i32,
}

impl Default for Hot {
    fn default() -> Self {
        Hot { t: [f64::NEG_INFINITY; 3], k1: 0.0, kc_t: f64::NAN, kc_v: 0.0, len: 0, d0: 0, d1: 0, d2: 0 }
    }
}

/// The history of every neuron of a chunk.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    hot: Vec<Hot>,
    /// Per neuron: its spikes, oldest first, from `head` on (entries before it are pruned and
    /// dropped in bulk).
    buf: Vec<Vec<HistEntry>>,
    head: Vec<u32>,
    /// Per neuron: K⁻ after its last spike.
    pub kminus: Vec<f64>,
    /// Per neuron: K⁻ triplet after its last spike.
    pub kminus_triplet: Vec<f64>,
    /// Per neuron: time of its last spike (ms).
    pub last_spike: Vec<f64>,
    /// Per neuron: 1/tau_minus (1/ms).
    tau_minus_inv: Vec<f64>,
    /// Per neuron: 1/tau_minus_triplet (1/ms).
    tau_minus_triplet_inv: Vec<f64>,
    /// Per neuron: number of plastic connections it receives.
    pub n_incoming: Vec<u32>,
    /// Pruning horizon: max_delay + min_delay (ms).
    pub horizon: f64,
    /// The `t` of the last [`Archive::k_prepare`], the connections asked for at it since it
    /// changed, and the `t` of the last sweep (NaN: none).
    row_t: f64,
    row_visits: usize,
    swept_t: f64,
}

impl Archive {
    /// An archive for `n` neurons with NEST's default time constants ([`DEFAULT_TAUS`]).
    pub fn new(n: usize) -> Self {
        Archive {
            hot: vec![Hot::default(); n],
            buf: vec![Vec::new(); n],
            head: vec![0; n],
            kminus: vec![0.0; n],
            kminus_triplet: vec![0.0; n],
            last_spike: vec![-1.0; n],
            tau_minus_inv: vec![1.0 / DEFAULT_TAUS.0; n],
            tau_minus_triplet_inv: vec![1.0 / DEFAULT_TAUS.1; n],
            n_incoming: vec![0; n],
            horizon: 0.0,
            row_t: f64::NAN,
            row_visits: 0,
            swept_t: f64::NAN,
        }
    }

    /// Number of neurons.
    pub fn len(&self) -> usize {
        self.hot.len()
    }

    /// Whether there are no neurons.
    pub fn is_empty(&self) -> bool {
        self.hot.is_empty()
    }

    /// Sets neuron `i`'s tau_minus and tau_minus_triplet (ms).
    pub fn set_time_constants(&mut self, i: usize, tau_minus: f64, tau_minus_triplet: f64) {
        let inv = 1.0 / tau_minus;
        if inv.to_bits() != self.tau_minus_inv[i].to_bits() {
            self.tau_minus_inv[i] = inv;
            self.hot[i].kc_t = f64::NAN;
            (self.row_t, self.swept_t) = (f64::NAN, f64::NAN);
        }
        self.tau_minus_triplet_inv[i] = 1.0 / tau_minus_triplet;
    }

    /// Entry `k`'s read-count difference.
    fn diff(&mut self, i: usize, k: usize) -> &mut i32 {
        let h = &mut self.hot[i];
        let len = h.len as usize;
        if k == len {
            &mut h.d0
        } else if k + 1 == len {
            &mut h.d1
        } else if k + 2 == len {
            &mut h.d2
        } else {
            &mut self.buf[i][k].diff
        }
    }

    /// Records a spike of neuron `i` at `t` ms (NEST's `set_spiketime`).
    pub fn spike(&mut self, i: usize, t: f64) {
        if self.n_incoming[i] == 0 {
            self.last_spike[i] = t;
            return;
        }
        let (mut head, len) = (self.head[i] as usize, self.hot[i].len as usize);
        while len - head > 1
            && i64::from(*self.diff(i, head)) >= i64::from(self.n_incoming[i])
            && t - self.buf[i][head + 1].t > self.horizon + STDP_EPS
        {
            // The read count of the oldest live entry is its difference: fold it forward.
            let d = *self.diff(i, head);
            *self.diff(i, head + 1) += d;
            head += 1;
        }
        let h = &mut self.hot[i];
        let b = &mut self.buf[i];
        // Pruned entries leave in bulk once they are half the buffer (amortised O(1)); the
        // newest entries' differences are kept relative to `len`, so they move along.
        let len = if head > 0 && 2 * head >= len {
            b.drain(..head);
            head = 0;
            b.len()
        } else {
            len
        };
        let dt = self.last_spike[i] - t;
        self.kminus[i] = self.kminus[i] * (dt * self.tau_minus_inv[i]).exp() + 1.0;
        self.kminus_triplet[i] = self.kminus_triplet[i] * (dt * self.tau_minus_triplet_inv[i]).exp() + 1.0;
        self.last_spike[i] = t;
        if len >= 2 {
            b[len - 2].diff = h.d2;
        }
        b.push(HistEntry { t, kminus: self.kminus[i], kminus_triplet: self.kminus_triplet[i], diff: 0 });
        (h.d2, h.d1, h.d0) = (h.d1, h.d0, 0);
        // Entry len - back before this spike, if it is live.
        let live_t = |back: usize| if len >= head + back { b[len - back].t } else { f64::NEG_INFINITY };
        h.t = [t, live_t(1), live_t(2)];
        h.k1 = self.kminus[i];
        h.kc_t = f64::NAN;
        h.len = (len + 1) as u32;
        self.head[i] = head as u32;
    }

    /// Neuron `i`'s spikes not yet pruned, oldest first.
    pub fn spikes(&self, i: usize) -> &[HistEntry] {
        &self.buf[i][self.head[i] as usize..]
    }

    /// How many plastic connections have read each of neuron `i`'s spikes not yet pruned
    /// (NEST's access counters), oldest first.
    pub fn reads(&self, i: usize) -> Vec<i64> {
        let h = &self.hot[i];
        let len = h.len as usize;
        let mut acc = 0i64;
        (self.head[i] as usize..len)
            .map(|k| {
                acc += i64::from(match len - k {
                    1 => h.d1,
                    2 => h.d2,
                    _ => self.buf[i][k].diff,
                });
                acc
            })
            .collect()
    }

    /// The view of neuron `i` that a synapse reads.
    pub fn view(&mut self, i: usize) -> PostView<'_> {
        PostView { a: self, i }
    }

    /// Where K⁻ of neuron `i` just before `t` decays from (NEST's `get_K_value`): (k, a) with
    /// K⁻ = k·eᵃ, k the K⁻ right after the newest spike more than the tolerance before `t`,
    /// a = (t_spike − t)/tau_minus; (0, 0) if there is none.
    #[inline]
    fn k_source(&self, i: usize, t: f64) -> (f64, f64) {
        let h = &self.hot[i];
        if t - h.t[0] > STDP_EPS && h.len > 0 {
            return (h.k1, (h.t[0] - t) * self.tau_minus_inv[i]);
        }
        self.k_source_scan(i, t)
    }

    #[cold]
    fn k_source_scan(&self, i: usize, t: f64) -> (f64, f64) {
        let tau = self.tau_minus_inv[i];
        self.spikes(i).iter().rev().find(|e| t - e.t > STDP_EPS).map_or((0.0, 0.0), |e| (e.kminus, (e.t - t) * tau))
    }

    /// K⁻ of neuron `i` just before `t` as k·exp(a) from [`Archive::k_source`], with the
    /// rule's `exp` ([`PostView::k_value_with`] with the same `exp` gives the same bits).
    /// Remembered until the neuron's next spike (the connections from many sources that reach
    /// a neuron in one step ask for the same value), so only one `exp` may use the memory; the
    /// sweep of [`Archive::k_prepare`] fills it too.
    #[inline]
    pub fn k_before(&mut self, i: usize, t: f64, exp: fn(f64) -> f64) -> f64 {
        let h = &self.hot[i];
        if h.kc_t == t {
            return h.kc_v;
        }
        let (k, a) = self.k_source(i, t);
        let v = k * exp(a);
        let h = &mut self.hot[i];
        (h.kc_t, h.kc_v) = (t, v);
        v
    }

    /// Called by a row rule over `visits` connections before it reads their targets' K⁻ at `t`.
    /// Once consecutive rows have asked for the same `t` for at least an eighth as many
    /// connections as there are neurons (the rows of one step's spikes, delivered in time order),
    /// K⁻ at `t` of every neuron is computed in one pass, k·eᵃ with `exp_into` over slices (it
    /// must give the bits of the `exp` the rule passes to [`Archive::k_before`]), and
    /// remembered: one vectorized sweep instead of a lookup and an exponential at the first visit
    /// of each neuron. The threshold keeps a sweep's cost within 8× the visits it serves when
    /// rows are small or times alternate (heterogeneous delays).
    pub fn k_prepare(&mut self, t: f64, visits: usize, exp_into: fn(&[f64], &mut [f64])) {
        if t != self.row_t {
            (self.row_t, self.row_visits) = (t, 0);
        }
        self.row_visits += visits;
        if t != self.swept_t && self.row_visits >= self.hot.len() / 8 {
            self.k_sweep(t, exp_into);
            self.swept_t = t;
        }
    }

    fn k_sweep(&mut self, t: f64, exp_into: fn(&[f64], &mut [f64])) {
        const TILE: usize = 64;
        let (mut arg, mut e, mut k, mut idx) = ([0.0f64; TILE], [0.0f64; TILE], [0.0f64; TILE], [0u32; TILE]);
        let n = self.hot.len();
        let mut lo = 0;
        while lo < n {
            let hi = (lo + TILE).min(n);
            let mut m = 0;
            for i in lo..hi {
                let h = &mut self.hot[i];
                if self.n_incoming[i] == 0 {
                    continue;
                }
                if h.len == 0 {
                    (h.kc_t, h.kc_v) = (t, 0.0);
                    continue;
                }
                // A neuron that spiked within the delay decays from an older spike (in the
                // full history: here, out of the rule's way).
                (k[m], arg[m]) = self.k_source(i, t);
                idx[m] = i as u32;
                m += 1;
            }
            exp_into(&arg[..m], &mut e[..m]);
            for ((&i, &e), &k) in idx[..m].iter().zip(&e[..m]).zip(&k[..m]) {
                let h = &mut self.hot[i as usize];
                (h.kc_t, h.kc_v) = (t, k * e);
            }
            lo = hi;
        }
    }

    /// Prefetches neuron `i`'s history line: a rule over many connections calls this for a
    /// block of targets first, so all their cache misses are in flight at once (a prefetch,
    /// unlike a load, does not hold up the instructions behind it until its line arrives).
    #[inline]
    pub fn touch(&self, i: usize) {
        if let Some(h) = self.hot.get(i) {
            // SAFETY: SSE is part of x86_64, and a prefetch of a valid address has no effect
            // other than on the caches.
            #[cfg(target_arch = "x86_64")]
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((h as *const Hot).cast())
            };
            #[cfg(not(target_arch = "x86_64"))]
            std::hint::black_box(h.t[0]);
        }
    }

    /// The spikes of neuron `i` with t1 < t ≤ t2 (NEST's `get_history`, with its tolerance),
    /// marked read, as (first, count): `first` indexes [`Archive::spike_t`]. Searched from the
    /// newest spike backwards; [`PostView::history`] is this search too. Most windows are found
    /// on the neuron's history line alone: those that end at the newest spike and hold at most
    /// two spikes, and those that end at the one before it and hold at most one.
    #[inline]
    pub fn window_range(&mut self, i: usize, t1: f64, t2: f64) -> (u32, u32) {
        let (t1l, t2l) = (t1 + STDP_EPS, t2 + STDP_EPS);
        let h = &mut self.hot[i];
        if h.t[2] < t1l {
            let c1 = !(h.t[0] < t1l);
            let c2 = !(h.t[1] < t1l);
            if h.t[0] < t2l {
                // Ends at the newest spike: starts at len - 1 (one spike) or len - 2 (two).
                h.d1 += i32::from(c1 && !c2);
                h.d2 += i32::from(c2);
                h.d0 -= i32::from(c1);
                let count = u32::from(c1) + u32::from(c2);
                return (h.len - count, count);
            }
            if h.t[1] < t2l {
                // The newest spike is later than t2: the window is entry len - 2 or empty.
                h.d2 += i32::from(c2);
                h.d1 -= i32::from(c2);
                return (h.len - 1 - u32::from(c2), u32::from(c2));
            }
        }
        self.window_scan(i, t1l, t2l)
    }

    /// [`Archive::window_range`] through the full history.
    #[cold]
    fn window_scan(&mut self, i: usize, t1l: f64, t2l: f64) -> (u32, u32) {
        let head = self.head[i] as usize;
        let live = &self.buf[i][head..];
        let mut end = live.len();
        while end > 0 && !(live[end - 1].t < t2l) {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && !(live[start - 1].t < t1l) {
            start -= 1;
        }
        if start < end {
            *self.diff(i, head + start) += 1;
            *self.diff(i, head + end) -= 1;
        }
        ((head + start) as u32, (end - start) as u32)
    }

    /// Time of neuron `i`'s spike number `k` of a [`Archive::window_range`] (valid until the
    /// neuron's next spike).
    #[inline]
    pub fn spike_t(&self, i: usize, k: u32) -> f64 {
        let h = &self.hot[i];
        // The newest three from the line (an index, not a chain of mispredicted comparisons).
        match h.t.get(h.len.wrapping_sub(k + 1) as usize) {
            Some(&t) => t,
            None => self.buf[i][k as usize].t,
        }
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
        for e in &self.a.buf[self.i][first as usize..(first + count) as usize] {
            f(e);
        }
    }
    /// K⁻ just before `t` (NEST's `get_K_value`).
    pub fn k_value(&self, t: f64) -> f64 {
        self.k_value_with(t, f64::exp)
    }
    /// [`PostView::k_value`] with another exponential (as [`Archive::k_before`] with it).
    pub fn k_value_with(&self, t: f64, exp: fn(f64) -> f64) -> f64 {
        let (k, a) = self.a.k_source(self.i, t);
        k * exp(a)
    }
    /// (K⁻, nearest-neighbour K⁻, K⁻ triplet) just before `t` (NEST's `get_K_values`): the
    /// nearest-neighbour trace counts only the latest postsynaptic spike.
    pub fn k_values(&self, t: f64) -> (f64, f64, f64) {
        let i = self.i;
        let h = self.a.spikes(i);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// NEST's archiving node as written there: every entry carries its access counter, a read
    /// increments the counters of the window's entries one by one.
    struct Reference {
        entries: Vec<(f64, f64, u32)>,
        kminus: f64,
        last: f64,
        n_incoming: u32,
        horizon: f64,
        tau_inv: f64,
    }

    impl Reference {
        fn spike(&mut self, t: f64) {
            while self.entries.len() > 1
                && self.entries[0].2 >= self.n_incoming
                && t - self.entries[1].0 > self.horizon + STDP_EPS
            {
                self.entries.remove(0);
            }
            self.kminus = self.kminus * ((self.last - t) * self.tau_inv).exp() + 1.0;
            self.last = t;
            self.entries.push((t, self.kminus, 0));
        }
        fn window(&mut self, t1: f64, t2: f64) -> Vec<f64> {
            let mut out = Vec::new();
            for e in &mut self.entries {
                if e.0 > t1 + STDP_EPS && e.0 <= t2 + STDP_EPS {
                    e.2 += 1;
                    out.push(e.0);
                }
            }
            out
        }
        fn k(&self, t: f64) -> f64 {
            self.entries
                .iter()
                .rev()
                .find(|e| t - e.0 > STDP_EPS)
                .map_or(0.0, |e| e.1 * ((e.0 - t) * self.tau_inv).exp())
        }
    }

    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// Windows found on the history line, through the full history, windows that end before
    /// the newest spikes, several spikes at one time, pruning and the bulk drop: the archive
    /// gives NEST's windows, K⁻ values and access counters.
    #[test]
    fn archive_reads_and_prunes_as_nest() {
        let mut rng = Lcg(11);
        for case in 0..300 {
            let n_conn = 1 + rng.below(6) as usize;
            let horizon = 0.1 * rng.below(40) as f64;
            let mut a = Archive::new(1);
            a.n_incoming[0] = n_conn as u32;
            a.horizon = horizon;
            let mut r = Reference {
                entries: Vec::new(),
                kminus: 0.0,
                last: -1.0,
                n_incoming: n_conn as u32,
                horizon,
                tau_inv: 1.0 / DEFAULT_TAUS.0,
            };
            // Per connection: its delay and the end of its last window.
            let delays: Vec<f64> = (0..n_conn).map(|_| 0.1 * (1 + rng.below(30)) as f64).collect();
            let mut t_last = vec![0.0; n_conn];
            let rate = 1 + rng.below(300);
            for step in 1..3000u64 {
                let t = step as f64 * 0.1;
                if rng.below(1000) < rate {
                    for _ in 0..1 + rng.below(2) * rng.below(3) {
                        a.spike(0, t);
                        r.spike(t);
                    }
                }
                for c in 0..n_conn {
                    if rng.below(1000) < rate / 2 + 1 {
                        let (t1, t2) = (t_last[c] - delays[c], t - delays[c]);
                        let (first, count) = a.window_range(0, t1, t2);
                        let got: Vec<f64> = (first..first + count).map(|k| a.spike_t(0, k)).collect();
                        assert_eq!(got, r.window(t1, t2), "case {case} step {step}: window");
                        assert_eq!(a.view(0).k_value(t2).to_bits(), r.k(t2).to_bits(), "case {case} step {step}: K-");
                        t_last[c] = t;
                    }
                }
                let mine: Vec<(f64, i64)> = a.spikes(0).iter().map(|e| e.t).zip(a.reads(0)).collect();
                let nest: Vec<(f64, i64)> = r.entries.iter().map(|e| (e.0, i64::from(e.2))).collect();
                assert_eq!(mine, nest, "case {case} step {step}: history and access counters");
            }
        }
    }
}
