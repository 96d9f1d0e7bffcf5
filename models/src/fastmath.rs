//! `pow` and `exp` for hot loops over many connections: branch-free and table-free, so a loop
//! over a slice vectorizes (compiled for AVX2 when the CPU has it), and the same on every
//! machine and C library.
//!
//! The C library's `pow` is a call per element (with a wrapper and an indirect call behind it)
//! and, in hpc_benchmark's plasticity rule, a third of the simulation time. These are accurate
//! to about 1 ulp (tests below: at most 1 ulp from the C library over x in [1e-6, 1e6],
//! y in [-1, 1]; the C library is itself within 0.52 ulp of the exact value), so results differ
//! from a simulator that calls the C library only in the last bit of some values. Outside their
//! domain (x not a normal number in [2⁻¹⁰⁰⁰, 2¹⁰⁰⁰], |y| > 1, |x| of `exp` > 700) they defer to
//! the C library.
//!
//! Method. ln x = e·ln 2 + ln m with m = x/2ᵉ in [√½, √2), ln m = 2 atanh(s) with
//! s = (m − 1)/(m + 1) (|s| < 0.172: a series of 11 odd terms); carried as a double-double and
//! multiplied by y exactly (Dekker's product), so the argument of exp keeps ~2⁻⁶⁰ absolute error.
//! exp t = 2ᵏ·eʳ with k = round(t/ln 2), r = t − k·ln 2 (ln 2 split so that k·ln2_hi is exact),
//! eʳ by its Taylor polynomial of degree 13 (|r| ≤ 0.347: truncation < 2⁻⁵⁷). No fused
//! multiply-add anywhere, so the scalar and the AVX2 builds give the same bits.

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
    let p = |k: usize| c[k] + x * c[k + 1];
    ((p(0) + x2 * p(2)) + x4 * (p(4) + x2 * p(6))) + x8 * (p(8) + x2 * p(10))
}

/// a = hi + lo with hi holding the upper 26 bits (Veltkamp), for exact products.
#[inline(always)]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// a·b = p + e exactly (Dekker), without a fused multiply-add.
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
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
    let ln_m = two_s + two_s * (z * r);
    let a = ef * LN2_HI;
    let b = ef * LN2_LO + ln_m;
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
    let p = r * r * estrin12(r, &EXP_SERIES) + r;
    // 2^k from the low bits of kd: the exponent field is k + 1023.
    let scale = f64::from_bits(ki.wrapping_add(1023) << 52);
    scale + scale * p
}

#[inline(always)]
fn pow_in_domain(x: f64, y: f64) -> f64 {
    let (lh, ll) = ln_dd(x);
    let (th, tl) = two_prod(y, lh);
    exp_dd(th, tl + y * ll)
}

#[inline(always)]
fn pow_fast_domain(x: f64, y: f64) -> bool {
    (X_LO..=X_HI).contains(&x) && y.abs() <= 1.0
}

/// xʸ (see the module doc for accuracy and domain).
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    if pow_fast_domain(x, y) {
        pow_in_domain(x, y)
    } else {
        x.powf(y)
    }
}

/// eᵗ (see the module doc for accuracy and domain).
#[inline]
pub fn exp(t: f64) -> f64 {
    if t.abs() <= T_MAX {
        exp_dd(t, 0.0)
    } else {
        t.exp()
    }
}

/// out[i] ← xs[i]ʸ for every element, bitwise as [`pow`].
pub fn pow_into(xs: &[f64], y: f64, out: &mut [f64]) {
    crate::simd::with_avx2(
        #[inline(always)]
        || {
            // Every lane computed branch-free (lanes out of the domain give garbage, no fault);
            // then the few out of the domain are redone by the C library.
            for (o, &x) in out.iter_mut().zip(xs) {
                *o = pow_in_domain(x, y);
            }
        },
    );
    for (o, &x) in out.iter_mut().zip(xs) {
        if !pow_fast_domain(x, y) {
            *o = x.powf(y);
        }
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
            let mut out = vec![0.0; xs.len()];
            pow_into(&xs, y, &mut out);
            for (&x, &o) in xs.iter().zip(&out) {
                let want = x.powf(y);
                let same = o.to_bits() == want.to_bits() || (o.is_nan() && want.is_nan()) || ulps(o, want) <= 1;
                assert!(same, "pow({x:e}, {y}) = {o:e}, C library {want:e}");
                assert!(pow(x, y).to_bits() == o.to_bits() || (o.is_nan() && pow(x, y).is_nan()));
            }
        }
        let ts = [800.0, -800.0, 709.0, -745.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
        let mut out = vec![0.0; ts.len()];
        exp_into(&ts, &mut out);
        for (&t, &o) in ts.iter().zip(&out) {
            assert!(o.to_bits() == t.exp().to_bits() || (o.is_nan() && t.is_nan()), "exp({t})");
        }
    }

    /// The slice functions (AVX2 where the CPU has it) give the scalar functions' bits.
    #[test]
    fn slices_equal_scalars_bitwise() {
        let mut rng = Lcg(3);
        let xs: Vec<f64> = (0..10_001).map(|_| 1e-3 * 1e7f64.powf(rng.unit())).collect();
        let mut out = vec![0.0; xs.len()];
        pow_into(&xs, 0.4, &mut out);
        for (&x, &o) in xs.iter().zip(&out) {
            assert_eq!(o.to_bits(), pow(x, 0.4).to_bits());
        }
        let ts: Vec<f64> = xs.iter().map(|x| -x / 37.0).collect();
        exp_into(&ts, &mut out);
        for (&t, &o) in ts.iter().zip(&out) {
            assert_eq!(o.to_bits(), exp(t).to_bits());
        }
    }
}
