//! Run-time dispatch to code compiled for wider vector instructions.

/// Runs `f` compiled for AVX2 and FMA when the CPU has them (checked at run time, cached by
/// std), else as is. Block updates use it: their loops need blends, which baseline x86-64 lacks,
/// so only the AVX2 build vectorizes them. `f` must be `#[inline(always)]` so that it is
/// compiled inside the AVX2 context. Both builds do the same IEEE operations in the same order
/// (the compiler never fuses a·b + c on its own; an explicit `mul_add` is correctly rounded in
/// both), so their results are bitwise equal.
#[inline(always)]
pub(crate) fn with_avx2<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2,fma")]
        fn avx2<R>(f: impl FnOnce() -> R) -> R {
            f()
        }
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU supports AVX2 and FMA, checked on the line above.
            return unsafe { avx2(f) };
        }
    }
    f()
}
