//! `pow`, `exp` and `pow_exp` (xʸ·eᵗ) for hot loops over many connections: branch-free and
//! table-free, so a loop over a slice vectorizes (compiled for AVX2 and FMA when the CPU has
//! them), and the same on every machine and C library.
//!
//! The C library's `pow` is a call per element (with a wrapper and an indirect call behind it)
//! and, in hpc_benchmark's plasticity rule, a third of the simulation time. These are accurate
//! to about 1 ulp (tests below: at most 1 ulp from the C library over x in [1e-6, 1e6],
//! y in [-1, 1]; the C library is itself within 0.52 ulp of the exact value), so results differ
//! from a simulator that calls the C library only in the last bit of some values; `pow_exp`
//! rounds once and stays within 2 ulp of the C library's `pow(x, y) * exp(t)`. Outside their
//! domain (x not a normal number in [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰], |y| > 1, |t| of `exp` > 700; for `pow_exp`
//! x outside [2⁻⁵⁰⁰, 2⁵⁰⁰] or |t| > 350) they defer to the C library.
//!
//! Method. ln x = e·ln 2 + ln m with m = x/2ᵉ in [√½, √2), ln m = 2 atanh(s) with
//! s = (m − 1)/(m + 1) (|s| < 0.172: a series of 11 odd terms); carried as a double-double and
//! multiplied by y exactly (Dekker's product), so the argument of exp keeps ~2⁻⁶⁰ absolute error.
//! exp t = 2ᵏ·eʳ with k = round(t/ln 2), r = t − k·ln 2 (ln 2 split so that k·ln2_hi is exact),
//! eʳ by its Taylor polynomial of degree 13 (|r| ≤ 0.347: truncation < 2⁻⁵⁷). xʸ·eᵗ (the
//! factor of a power-law STDP facilitation) is one such exponential of y·ln x + t, rounded once.
//! Products with sums are fused multiply-adds (`mul_add`: the CPU's FMA in the vector build, the
//! C library's `fma` in a scalar build without it); a fused multiply-add is correctly rounded,
//! so the scalar and the vector builds give the same bits.

/// ln 2, high part: 32 trailing zero bits, so k·LN2_HI is exact for |k| < 2²¹.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
/// ln 2 − LN2_HI.
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// 1.5·2⁵²: adding it rounds to an integer, which then sits in the low bits.
const SHIFT: f64 = 6_755_399_441_055_744.0;
/// Bits of √½: x − √½ in the bits gives the exponent of x relative to [√½, √2).
const SQRT_HALF_BITS: u64 = 0x3fe6_a09e_667f_3bcd;
/// Fast domain of x for `pow`: normal and far from overflow of the result for |y| ≤ 1.
const X_LO: f64 = f64::from_bits(0x0170_0000_0000_0000); // 2^-1000
const X_HI: f64 = f64::from_bits(0x7e70_0000_0000_0000); // 2^1000
/// Fast domain of x for `pow_exp`: 2⁻⁵⁰⁰ to 2⁵⁰⁰.
const X_LO_PE: f64 = f64::from_bits(0x20b0_0000_0000_0000);
const X_HI_PE: f64 = f64::from_bits(0x5f30_0000_0000_0000);
/// Fast domain of t for `exp`.
const T_MAX: f64 = 700.0;

/// 2 atanh(s)/(2s) − 1 = z/3 + z²/5 + … as z·Σ cₖ zᵏ, z = s²: cₖ = 1/(2k + 3).
const LN_SERIES: [f64; 12] = [
    1.0 / 3.0,
    1.0 / 5.0,
    1.0 / 7.0,
    1.0 / 9.0,
    1.0 / 11.0,
    1.0 / 13.0,
    1.0 / 15.0,
    1.0 / 17.0,
    1.0 / 19.0,
    1.0 / 21.0,
    1.0 / 23.0,
    0.0,
];
/// 1/k! for k = 0..13.
pub(crate) const INV_FACTORIAL: [f64; 14] = {
    let mut c = [1.0; 14];
    let mut f = 1.0;
    let mut k = 1;
    while k < 14 {
        f *= k as f64; // exact: 13! < 2⁵³
        c[k] = 1.0 / f;
        k += 1;
    }
    c
};

/// (eʳ − 1 − r)/r² = Σ rᵏ/(k + 2)!.
const EXP_SERIES: [f64; 12] = {
    let mut c = [0.0; 12];
    let mut k = 0;
    while k < 12 {
        c[k] = INV_FACTORIAL[k + 2];
        k += 1;
    }
    c
};

/// c₀ + c₁x + … + c₁₁x¹¹ by Estrin's scheme: a dependency chain of 5 steps, not Horner's 11,
/// so the elements of a slice overlap in the pipeline.
#[inline(always)]
fn estrin12(x: f64, c: &[f64; 12]) -> f64 {
    let x2 = x * x;
    let x4 = x2 * x2;
    let x8 = x4 * x4;
    let p = |k: usize| x.mul_add(c[k + 1], c[k]);
    x8.mul_add(x2.mul_add(p(10), p(8)), x4.mul_add(x2.mul_add(p(6), p(4)), x2.mul_add(p(2), p(0))))
}

/// a·b = p + e exactly: the fused multiply-add rounds a·b − p once, and it is exact.
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// ln x as hi + lo, for x normal and positive.
#[inline(always)]
fn ln_dd(x: f64) -> (f64, f64) {
    let bits = x.to_bits();
    let e = (bits.wrapping_sub(SQRT_HALF_BITS) as i64) >> 52;
    let m = f64::from_bits(bits.wrapping_sub((e as u64) << 52));
    // e as a double without an int→float conversion (AVX2 has none for 64-bit lanes).
    let ef = f64::from_bits(0x4330_0000_0000_0000 | (e + 1024) as u64) - (4_503_599_627_370_496.0 + 1024.0);
    let f = m - 1.0;
    let s = f / (m + 1.0);
    let z = s * s;
    let r = estrin12(z, &LN_SERIES);
    let two_s = s + s;
    let ln_m = two_s.mul_add(z * r, two_s);
    let a = ef * LN2_HI;
    let b = ef.mul_add(LN2_LO, ln_m);
    let hi = a + b;
    // Fast two-sum: |a| ≥ |b| unless a = 0, and then hi = b and the tail is 0.
    (hi, b - (hi - a))
}

/// e^(t + tl) for |t| ≤ 700, |tl| ≪ ulp(t).
#[inline(always)]
fn exp_dd(t: f64, tl: f64) -> f64 {
    let kd = t * INV_LN2 + SHIFT;
    let ki = kd.to_bits();
    let k = kd - SHIFT;
    let r = ((t - k * LN2_HI) - k * LN2_LO) + tl;
    // e^r − 1 − r = r²·(1/2 + r/6 + … + r¹¹/13!).
    let p = (r * r).mul_add(estrin12(r, &EXP_SERIES), r);
    // 2^k from the low bits of kd: the exponent field is k + 1023.
    let scale = f64::from_bits(ki.wrapping_add(1023) << 52);
    scale.mul_add(p, scale)
}

#[inline(always)]
fn pow_in_domain(x: f64, y: f64) -> f64 {
    let (lh, ll) = ln_dd(x);
    let (th, tl) = two_prod(y, lh);
    exp_dd(th, tl + y * ll)
}

/// a + b = s + e exactly (Knuth's two-sum: no assumption on the magnitudes).
#[inline(always)]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// xʸ·eᵗ as one exponential: y·ln x carried as a double-double, t added exactly.
#[inline(always)]
fn pow_exp_in_domain(x: f64, y: f64, t: f64) -> f64 {
    let (lh, ll) = ln_dd(x);
    let (th, tl) = two_prod(y, lh);
    let (s, e) = two_sum(th, t);
    exp_dd(s, (tl + y * ll) + e)
}

/// Domain of [`pow_exp`]'s fast path: |y·ln x| ≤ 347 and |t| ≤ 350 keep the exponent in
/// `exp_dd`'s range.
#[inline(always)]
fn pow_exp_fast_domain(x: f64, y: f64, t: f64) -> bool {
    // `&`, not `&&`: no branches, so a loop that checks every lane still vectorizes.
    (X_LO_PE..=X_HI_PE).contains(&x) & (y.abs() <= 1.0) & (t.abs() <= 350.0)
}

#[inline(always)]
fn pow_fast_domain(x: f64, y: f64) -> bool {
    (X_LO..=X_HI).contains(&x) && y.abs() <= 1.0
}

/// xʸ (see the module doc for accuracy and domain).
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    if pow_fast_domain(x, y) {
        crate::simd::with_avx2(
            #[inline(always)]
            || pow_in_domain(x, y),
        )
    } else {
        x.powf(y)
    }
}

/// eᵗ (see the module doc for accuracy and domain).
#[inline]
pub fn exp(t: f64) -> f64 {
    if t.abs() <= T_MAX {
        // Compiled with FMA where the CPU has it (else `mul_add` is a library call).
        crate::simd::with_avx2(
            #[inline(always)]
            || exp_dd(t, 0.0),
        )
    } else {
        t.exp()
    }
}

/// out[i] ← e^ts[i] for every element, bitwise as [`exp`].
pub fn exp_into(ts: &[f64], out: &mut [f64]) {
    crate::simd::with_avx2(
        #[inline(always)]
        || {
            for (o, &t) in out.iter_mut().zip(ts) {
                *o = exp_dd(t, 0.0);
            }
        },
    );
    for (o, &t) in out.iter_mut().zip(ts) {
        if t.is_nan() || t.abs() > T_MAX {
            *o = t.exp();
        }
    }
}

/// xʸ·eᵗ, rounded once: within 1 ulp of the exact value where the C library's
/// `pow(x, y) * exp(t)` rounds three times (see the module doc for the domain; outside it, that
/// product).
#[inline]
pub fn pow_exp(x: f64, y: f64, t: f64) -> f64 {
    if pow_exp_fast_domain(x, y, t) {
        crate::simd::with_avx2(
            #[inline(always)]
            || pow_exp_in_domain(x, y, t),
        )
    } else {
        x.powf(y) * t.exp()
    }
}

/// out[i] ← xs[i]ʸ·e^ts[i] for every element, bitwise as [`pow_exp`].
pub fn pow_exp_into(xs: &[f64], y: f64, ts: &[f64], out: &mut [f64]) {
    // Every lane branch-free (lanes out of the domain give garbage, no fault), noting whether
    // all were in the domain; only if not, a second pass redoes those by the C library.
    let all_in = crate::simd::with_avx2(
        #[inline(always)]
        || {
            let mut all_in = true;
            for ((o, &x), &t) in out.iter_mut().zip(xs).zip(ts) {
                *o = pow_exp_in_domain(x, y, t);
                all_in &= pow_exp_fast_domain(x, y, t);
            }
            all_in
        },
    );
    if all_in {
        return;
    }
    for ((o, &x), &t) in out.iter_mut().zip(xs).zip(ts) {
        if !pow_exp_fast_domain(x, y, t) {
            *o = x.powf(y) * t.exp();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64).abs_diff(b.to_bits() as i64)
    }

    struct Lcg(u64);
    impl Lcg {
        fn unit(&mut self) -> f64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// Within 1 ulp of the C library (itself within 0.52 ulp of the exact value), log-uniform
    /// x over 12 decades, several exponents; most results bitwise equal.
    #[test]
    fn pow_is_within_one_ulp_of_the_c_library() {
        let mut rng = Lcg(1);
        for y in [0.4, -0.4, 0.9, 1.0, -1.0, 0.05, 0.5, 1e-3] {
            let mut equal = 0;
            for _ in 0..200_000 {
                let x = 1e-6 * 1e12f64.powf(rng.unit());
                let (a, b) = (pow(x, y), x.powf(y));
                assert!(ulps(a, b) <= 1, "pow({x:e}, {y}) = {a:e}, C library {b:e}");
                equal += usize::from(a == b);
            }
            assert!(equal > 150_000, "y {y}: only {equal} of 200000 bitwise equal");
        }
    }

    #[test]
    fn exp_is_within_one_ulp_of_the_c_library() {
        let mut rng = Lcg(2);
        for _ in 0..500_000 {
            let t = -700.0 + 1400.0 * rng.unit();
            let (a, b) = (exp(t), t.exp());
            assert!(ulps(a, b) <= 1, "exp({t:e}) = {a:e}, C library {b:e}");
        }
        for t in [0.0, -0.0, 1e-300, -1e-18, 1.0, -1.0, 700.0, -700.0] {
            assert!(ulps(exp(t), t.exp()) <= 1, "exp({t:e})");
        }
    }

    /// Outside the fast domain the C library's answer, special values included.
    #[test]
    fn out_of_domain_values_are_the_c_library_s() {
        let xs = [0.0, -0.0, -1.0, 1e-310, f64::MIN_POSITIVE, f64::INFINITY, f64::NAN, 1e305, 2.0, 1e-305];
        for &y in &[0.4, 2.5, -3.0, f64::NAN, f64::INFINITY, 0.0] {
            for &x in &xs {
                let (o, want) = (pow(x, y), x.powf(y));
                let same = o.to_bits() == want.to_bits() || (o.is_nan() && want.is_nan()) || ulps(o, want) <= 1;
                assert!(same, "pow({x:e}, {y}) = {o:e}, C library {want:e}");
            }
        }
        let ts = [800.0, -800.0, 709.0, -745.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        let mut out = vec![0.0; ts.len()];
        exp_into(&ts, &mut out);
        for (&t, &o) in ts.iter().zip(&out) {
            assert!(exp(t).to_bits() == t.exp().to_bits() || (exp(t).is_nan() && t.is_nan()), "exp({t})");
            assert!(o.to_bits() == t.exp().to_bits() || (o.is_nan() && t.is_nan()), "exp_into({t})");
        }
        let ts = [0.0, -351.0, 400.0, -1.0, f64::NAN, f64::NEG_INFINITY, -2.0, 3.0, -0.5, -700.0];
        let mut out = vec![0.0; xs.len()];
        pow_exp_into(&xs, 0.4, &ts, &mut out);
        for ((&x, &t), &o) in xs.iter().zip(&ts).zip(&out) {
            let want = x.powf(0.4) * t.exp();
            let same = o.to_bits() == want.to_bits() || (o.is_nan() && want.is_nan()) || ulps(o, want) <= 2;
            assert!(same, "pow_exp({x:e}, 0.4, {t}) = {o:e}, C library {want:e}");
        }
    }

    /// xʸ·eᵗ rounded once: within 2 ulp of the C library's product (itself up to ~1.5 ulp from
    /// the exact value), mostly within 1; t over the K⁺ factors of an STDP window and beyond.
    #[test]
    fn pow_exp_is_close_to_the_c_library_s_product() {
        let mut rng = Lcg(4);
        for y in [0.4, -0.4, 1.0, 0.05] {
            let mut close = 0;
            for _ in 0..200_000 {
                let x = 1e-6 * 1e12f64.powf(rng.unit());
                let t = -300.0 * rng.unit() * rng.unit() + 5.0 * rng.unit();
                let (a, b) = (pow_exp(x, y, t), x.powf(y) * t.exp());
                assert!(ulps(a, b) <= 2, "pow_exp({x:e}, {y}, {t}) = {a:e}, C library {b:e}");
                close += usize::from(ulps(a, b) <= 1);
            }
            assert!(close > 190_000, "y {y}: only {close} of 200000 within 1 ulp");
        }
    }

    /// The slice functions (AVX2 where the CPU has it) give the scalar functions' bits.
    #[test]
    fn slices_equal_scalars_bitwise() {
        let mut rng = Lcg(3);
        let xs: Vec<f64> = (0..10_001).map(|_| 1e-3 * 1e7f64.powf(rng.unit())).collect();
        let mut out = vec![0.0; xs.len()];
        let ts: Vec<f64> = xs.iter().map(|x| -x / 37.0).collect();
        pow_exp_into(&xs, 0.4, &ts, &mut out);
        for ((&x, &t), &o) in xs.iter().zip(&ts).zip(&out) {
            assert_eq!(o.to_bits(), pow_exp(x, 0.4, t).to_bits());
        }
        exp_into(&ts, &mut out);
        for (&t, &o) in ts.iter().zip(&out) {
            assert_eq!(o.to_bits(), exp(t).to_bits());
        }
    }
}
