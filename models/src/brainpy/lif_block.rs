//! The LIF family's block update (LIF, LIFRef): one vectorized loop over a block of neurons
//! with the same numbers as the per-neuron `Dyn::step` of those models.
//!
//! Specialised at run time on what holds for the whole block: uniform parameters (one value
//! instead of a memory stream each), `V_th > V_reset` with one reset mode (the sign test and the
//! mode drop out), every φ argument in the series' range (no expm1); anything else takes the
//! general instantiation. All are compiled for AVX2 when the CPU has it ([`super::with_avx2`]).

use super::{exprel, exprel_series, scaled_nonneg, with_avx2, Block};

/// A parameter in a block update: one value per neuron (a column) or one for the whole chunk
/// (every neuron has the same value, the common case, which saves a memory stream per
/// parameter).
pub trait Col: Copy {
    /// The value for neuron `i`.
    fn at(self, i: usize) -> f64;
}

impl Col for f64 {
    #[inline(always)]
    fn at(self, _i: usize) -> f64 {
        self
    }
}

impl Col for &[f64] {
    #[inline(always)]
    fn at(self, i: usize) -> f64 {
        self[i]
    }
}

/// The shape of a block's threshold test and reset: general, or specialised for a block where
/// `V_th − V_reset > 0` and every neuron has the same reset mode (the common case: the sign
/// test and the per-neuron mode drop out of the vectorized loop).
pub trait Shape: Copy {
    /// `x / d >= 0` ([`scaled_nonneg`](super::scaled_nonneg)).
    fn nonneg(self, x: f64, d: f64) -> bool;
    /// Whether neuron `i`'s reset is hard, given its own flag.
    fn hard(self, own: bool) -> bool;
}

/// Any `d`, per-neuron reset mode.
#[derive(Clone, Copy)]
pub struct General;

/// `d > 0` for the whole block and one reset mode (`HARD`).
#[derive(Clone, Copy)]
pub struct Positive<const HARD: bool>;

impl Shape for General {
    #[inline(always)]
    fn nonneg(self, x: f64, d: f64) -> bool {
        scaled_nonneg(x, d)
    }
    #[inline(always)]
    fn hard(self, own: bool) -> bool {
        own
    }
}

impl<const HARD: bool> Shape for Positive<HARD> {
    #[inline(always)]
    fn nonneg(self, x: f64, _d: f64) -> bool {
        x >= 0.0
    }
    #[inline(always)]
    fn hard(self, _own: bool) -> bool {
        HARD
    }
}

/// [`lif_reset`](super::lif_reset) with a block [`Shape`].
#[inline(always)]
pub fn lif_reset_in<S: Shape>(s: S, last_v: f64, v_th: f64, v_reset: f64, hard: bool) -> f64 {
    let spk = if s.nonneg(last_v - v_th, v_th - v_reset) { 1.0 } else { 0.0 };
    let th = if s.hard(hard) { last_v } else { v_th };
    last_v - (th - v_reset) * spk
}

/// Whether every `z = dt·(−1 + R·b)/τ` of a block with uniform `R`, `τ` is in the range of the
/// series. Each IEEE operation is monotone in its argument (for a fixed sign of `R`; τ, dt > 0),
/// so the `z` of every neuron lies between those of the smallest and the largest `b`: a
/// min/max pass and two evaluations decide, instead of a division per neuron.
#[inline(always)]
pub fn lif_series_ok(r: f64, tau: f64, b: &[f64], dt: f64) -> bool {
    let (lo, hi) = b.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    if !(lo.is_finite() && hi.is_finite() && tau > 0.0 && dt > 0.0) {
        return false;
    }
    let (z1, z2) = (dt * ((-1.0 + r * lo) / tau), dt * ((-1.0 + r * hi) / tau));
    let pos = |z: f64| z > 1e-7 && z < 0.05;
    let neg = |z: f64| z < -1e-7 && z > -0.05;
    (pos(z1) && pos(z2)) || (neg(z1) && neg(z2))
}

/// The parameter columns of a LIF-family chunk (whole columns; the block's neurons start at
/// `Block::lo`).
#[derive(Clone, Copy)]
pub struct LifCols<'a> {
    /// R.
    pub r: &'a [f64],
    /// tau.
    pub tau: &'a [f64],
    /// V_th.
    pub v_th: &'a [f64],
    /// V_reset.
    pub v_reset: &'a [f64],
    /// V_rest.
    pub v_rest: &'a [f64],
}

/// Advances the block's neurons by one step and writes their spike flags. `v` is the column of
/// V; `refractory` LIFRef's tau_ref and last_spike_time columns.
pub fn lif_block(
    c: LifCols<'_>,
    v: &mut [f64],
    refractory: Option<(&[f64], &mut [f64])>,
    blk: &Block<'_>,
    spiked: &mut [bool],
) {
    let (lo, n) = (blk.lo, spiked.len());
    if n == 0 {
        return;
    }
    let v = &mut v[lo..lo + n];
    match refractory {
        Some((tau_ref, last)) => {
            let last = &mut last[lo..lo + n];
            if blk.uniform {
                dispatch::<true>(uniform(c, tau_ref[0]), v, last, blk, spiked);
            } else {
                let p = per_neuron(c, &tau_ref[lo..lo + n], lo, n);
                with_avx2(
                    #[inline(always)]
                    || block::<_, _, false, true>(p, General, v, last, blk, spiked),
                );
            }
        }
        None => {
            // No refractory period: `last` is never read.
            if blk.uniform {
                dispatch::<false>(uniform(c, 0.0), v, &mut [], blk, spiked);
            } else {
                let p = per_neuron(c, &c.tau[lo..lo + n], lo, n);
                with_avx2(
                    #[inline(always)]
                    || block::<_, _, false, false>(p, General, v, &mut [], blk, spiked),
                );
            }
        }
    }
}

fn uniform(c: LifCols<'_>, tau_ref: f64) -> Params<f64> {
    Params { r: c.r[0], tau: c.tau[0], tau_ref, v_th: c.v_th[0], v_reset: c.v_reset[0], v_rest: c.v_rest[0] }
}

fn per_neuron<'a>(c: LifCols<'a>, tau_ref: &'a [f64], lo: usize, n: usize) -> Params<&'a [f64]> {
    Params {
        r: &c.r[lo..lo + n],
        tau: &c.tau[lo..lo + n],
        tau_ref,
        v_th: &c.v_th[lo..lo + n],
        v_reset: &c.v_reset[lo..lo + n],
        v_rest: &c.v_rest[lo..lo + n],
    }
}

/// Uniform parameters: picks the specialised instantiation the block allows.
fn dispatch<const REF: bool>(p: Params<f64>, v: &mut [f64], last: &mut [f64], blk: &Block<'_>, spiked: &mut [bool]) {
    let n = spiked.len();
    let series = with_avx2(
        #[inline(always)]
        || lif_series_ok(p.r, p.tau, &blk.b[..n], blk.dt),
    );
    match (series && p.v_th - p.v_reset > 0.0, blk.hard_all) {
        (true, Some(false)) => with_avx2(
            #[inline(always)]
            || block::<_, _, true, REF>(p, Positive::<false>, v, last, blk, spiked),
        ),
        (true, Some(true)) => with_avx2(
            #[inline(always)]
            || block::<_, _, true, REF>(p, Positive::<true>, v, last, blk, spiked),
        ),
        _ => with_avx2(
            #[inline(always)]
            || block::<_, _, false, REF>(p, General, v, last, blk, spiked),
        ),
    }
}

#[derive(Clone, Copy)]
struct Params<P: Col> {
    r: P,
    tau: P,
    tau_ref: P,
    v_th: P,
    v_reset: P,
    v_rest: P,
}

/// The loop, generic over per-neuron or uniform parameters, the threshold shape, how φ is
/// evaluated and whether there is a refractory period (LIFRef) or not (LIF).
#[inline(always)]
fn block<P: Col, S: Shape, const SERIES: bool, const REF: bool>(
    p: Params<P>,
    s: S,
    v: &mut [f64],
    last: &mut [f64],
    blk: &Block<'_>,
    spiked: &mut [bool],
) {
    let n = spiked.len();
    let v = &mut v[..n];
    let (hard, x, a, b, delta) = (&blk.hard[..n], &blk.x[..n], &blk.a[..n], &blk.b[..n], &blk.delta[..n]);
    let (t, dt) = (blk.t, blk.dt);
    if REF {
        let last = &mut last[..n];
        for i in 0..n {
            let (v0, vn, v_th) = membrane(p, s, i, v[i], hard[i], x[i], a[i], b[i], delta[i], dt, SERIES);
            let vn = if t - last[i] < p.tau_ref.at(i) { v0 } else { vn };
            v[i] = vn;
            last[i] = if vn >= v_th { t } else { last[i] };
            spiked[i] = s.nonneg(vn - v_th, v_th - p.v_reset.at(i));
        }
    } else {
        for i in 0..n {
            let (_, vn, v_th) = membrane(p, s, i, v[i], hard[i], x[i], a[i], b[i], delta[i], dt, SERIES);
            v[i] = vn;
            spiked[i] = s.nonneg(vn - v_th, v_th - p.v_reset.at(i));
        }
    }
}

/// One neuron's reset and exponential-Euler step: (V after reset, V after the step, V_th).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn membrane<P: Col, S: Shape>(
    p: Params<P>,
    s: S,
    i: usize,
    last_v: f64,
    hard: bool,
    x: f64,
    a: f64,
    b: f64,
    delta: f64,
    dt: f64,
    series: bool,
) -> (f64, f64, f64) {
    let (r, tau, v_th, v_reset) = (p.r.at(i), p.tau.at(i), p.v_th.at(i), p.v_reset.at(i));
    let z = dt * ((-1.0 + r * b) / tau);
    let phi = if series { dt * exprel_series(z) } else { dt * exprel(z) };
    let v0 = lif_reset_in(s, last_v, v_th, v_reset, hard);
    let cur = x + (a + b * v0);
    (v0, v0 + phi * ((-v0 + p.v_rest.at(i) + r * cur) / tau) + delta, v_th)
}

#[cfg(test)]
mod tests {
    use super::super::{lif::Lif, lif_ref::LifRef, Ctx, Dyn, Input};
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_pcg::Pcg64;

    /// Random chunk state: per-neuron or uniform parameters, inputs whose φ arguments fall
    /// inside and outside the series' range, both reset modes, some neurons refractory.
    struct Case {
        cols: Vec<Vec<f64>>,
        hard: Vec<bool>,
        x: Vec<f64>,
        a: Vec<f64>,
        b: Vec<f64>,
        delta: Vec<f64>,
    }

    fn case(rng: &mut Pcg64, specs: usize, n: usize, uniform: bool, wide_b: bool, hard: Option<bool>) -> Case {
        let mut cols = vec![vec![0.0; n]; specs];
        let draw = |rng: &mut Pcg64, lo: f64, hi: f64| lo + (hi - lo) * rng.random::<f64>();
        // Columns by role: R, tau, (tau_ref), V_th, V_reset, V_rest, I_ext, V, (last_spike_time).
        let refr = specs == 9;
        let k = |name: &str| -> usize {
            let names: &[&str] = if refr {
                &["R", "tau", "tau_ref", "V_th", "V_reset", "V_rest", "I_ext", "V", "last"]
            } else {
                &["R", "tau", "V_th", "V_reset", "V_rest", "I_ext", "V"]
            };
            names.iter().position(|x| *x == name).unwrap_or(0)
        };
        #[allow(clippy::needless_range_loop)]
        for i in 0..n {
            let j = if uniform { 0 } else { i };
            let mut r2 = Pcg64::seed_from_u64(j as u64 + 1000);
            cols[k("R")][i] = draw(&mut r2, 0.5, 2.0);
            cols[k("tau")][i] = draw(&mut r2, 2.0, 30.0);
            cols[k("V_th")][i] = draw(&mut r2, -55.0, -45.0);
            // Some blocks with V_reset above V_th (a negative scale) when not uniform.
            cols[k("V_reset")][i] = if !uniform && i % 7 == 3 { -40.0 } else { draw(&mut r2, -70.0, -60.0) };
            cols[k("V_rest")][i] = draw(&mut r2, -70.0, -60.0);
            if refr {
                cols[k("tau_ref")][i] = draw(&mut r2, 0.0, 5.0);
                cols[k("last")][i] = if rng.random::<f64>() < 0.3 { 10.0 - draw(rng, 0.0, 6.0) } else { -1e7 };
            }
            cols[k("V")][i] = draw(rng, -75.0, -40.0);
        }
        let b = (0..n).map(|_| if wide_b { -draw(rng, 0.0, 400.0) } else { -draw(rng, 0.0, 0.5) }).collect();
        Case {
            cols,
            hard: (0..n).map(|_| hard.unwrap_or_else(|| rng.random::<bool>())).collect(),
            x: (0..n).map(|_| draw(rng, 0.0, 30.0)).collect(),
            a: (0..n).map(|_| draw(rng, -5.0, 5.0)).collect(),
            b,
            delta: (0..n).map(|_| if rng.random::<f64>() < 0.2 { draw(rng, 0.0, 2.0) } else { 0.0 }).collect(),
        }
    }

    fn per_neuron<D: Dyn>(c: &Case, cols: &mut [Vec<f64>], t: f64, dt: f64) -> Vec<bool> {
        (0..c.x.len())
            .map(|i| {
                let j = D::membrane_jacobian(cols, i, c.b[i]).unwrap_or(f64::NAN);
                let inp = Input {
                    recs: &[],
                    i,
                    lin: Some((c.a[i], c.b[i])),
                    x: c.x[i],
                    delta: c.delta[i],
                    phi: Some(dt * exprel(dt * j)),
                };
                D::step(cols, i, &Ctx { t, dt, hard: c.hard[i] }, &inp)
            })
            .collect()
    }

    fn blocks<D: Dyn>(c: &Case, cols: &mut [Vec<f64>], t: f64, dt: f64, uniform: bool, tile: usize) -> Vec<bool> {
        let n = c.x.len();
        let mut spiked = vec![false; n];
        let hard_all = if c.hard.iter().all(|&h| h == c.hard[0]) { Some(c.hard[0]) } else { None };
        let mut lo = 0;
        while lo < n {
            let hi = (lo + tile).min(n);
            let blk = Block {
                lo,
                t,
                dt,
                hard: &c.hard[lo..hi],
                x: &c.x[lo..hi],
                a: &c.a[lo..hi],
                b: &c.b[lo..hi],
                delta: &c.delta[lo..hi],
                uniform,
                hard_all,
            };
            assert!(D::step_block(cols, blk, &mut spiked[lo..hi]));
            lo = hi;
        }
        spiked
    }

    fn check<D: Dyn>(specs: usize) {
        let mut rng = Pcg64::seed_from_u64(7);
        let mut spikes = 0;
        for round in 0..48 {
            let hard = [None, Some(false), Some(true)][round % 3];
            let (uniform, wide_b) = (round % 2 == 0, round % 5 == 0);
            let c = case(&mut rng, specs, 1 + 37 * (round % 4), uniform, wide_b, hard);
            let (t, dt) = (10.0, 0.1);
            let mut a = c.cols.clone();
            let mut b = c.cols.clone();
            let s1 = per_neuron::<D>(&c, &mut a, t, dt);
            let s2 = blocks::<D>(&c, &mut b, t, dt, uniform, 16);
            spikes += s1.iter().filter(|&&s| s).count();
            assert_eq!(s1, s2, "{} round {round}: spike flags differ", D::NAME);
            for (k, (ca, cb)) in a.iter().zip(&b).enumerate() {
                for (i, (x, y)) in ca.iter().zip(cb).enumerate() {
                    assert_eq!(x.to_bits(), y.to_bits(), "{} round {round} column {k} neuron {i}: {x} vs {y}", D::NAME);
                }
            }
        }
        assert!(spikes > 0, "the cases must include spiking neurons");
    }

    #[test]
    fn block_update_equals_per_neuron_update_bitwise() {
        check::<LifRef>(9);
        check::<Lif>(7);
    }
}
