//! # glif_psc_double_alpha — GLIF1–5 with double-alpha current receptors
//!
//! NEST 3.10's `glif_psc_double_alpha`: the five generalized leaky integrate-and-fire models of
//! the Allen Institute (Teeter et al. 2018) exactly as [`crate::glif_psc`], except that each
//! receptor port k's synaptic current is the sum of two α functions, a fast one with time
//! constant `tau_syn_fast[k]` and a slow one with `tau_syn_slow[k]` whose peak is
//! `amp_slow[k]` times the fast one's (Iyer et al. 2022):
//!
//! ```text
//! I_syn,k = w·[α(t; τ_fast,k) + amp_slow,k·α(t; τ_slow,k)],   α(t; τ) = (t/τ)·e^{1 − t/τ}
//! ```
//!
//! so a spike of weight w gives a fast current peaking at w pA after τ_fast,k, plus the slow
//! one; with `amp_slow` > 0 the total peak exceeds w. Each component is integrated exactly with
//! its own propagators (P11 = P22 = e^{−h/τ}, P21 = h·P11, P31/P32 from
//! [`crate::numerics::IafPropagator::alpha`]); the membrane adds the fast components of all
//! ports first, then the slow ones, as NEST does, and the recorded `I_syn` is their sum.
//! The GLIF mechanisms, reset rules, refractoriness and the after-spike currents are those of
//! [`crate::glif`]. The implementation is [`crate::glif_psc::GlifPscN`] with `DOUBLE = true`.
//!
//! ## Parameters
//!
//! The scalar parameters, flags, defaults (GLIF5 of Allen cell 490626718), state, after-spike
//! lists and checks are `glif_psc`'s (see [`crate::glif_psc`]); instead of `tau_syn`:
//!
//! | NEST name      | unit | default | meaning                                               |
//! |----------------|------|---------|-------------------------------------------------------|
//! | `tau_syn_fast` | ms   | [2.0]   | fast α time constant per port; its length is the number of ports |
//! | `tau_syn_slow` | ms   | [6.0]   | slow α time constant per port                         |
//! | `amp_slow`     | —    | [0.3]   | peak of the slow component relative to the fast one   |
//!
//! Checks (BadProperty, NEST's texts): `tau_syn_fast` entries > 0 ("All synaptic time
//! constants must be strictly positive."), `tau_syn_slow` entries > 0 ("All slow synaptic time
//! constants must be strictly positive."), `amp_slow` entries > 0 ("All slow synaptic amplitudes
//! must be strictly positive."). NEST reads `tau_syn_slow` and `amp_slow` for every port of
//! `tau_syn_fast` without comparing their lengths (a shorter list is read past its end);
//! nestor requires the three lists to have equal lengths after every SetStatus (BadProperty
//! naming the lengths), so a change of the number of ports gives all three together.
//!
//! Recordables: `ASCurrents_sum`, `I`, `I_syn`, `V_m`, `threshold`, `threshold_spike`,
//! `threshold_voltage`. Receptors: spikes on ports 1..n (n = length of `tau_syn_fast`; port 0
//! or > n: IncompatibleReceptorType), currents on port 0. Weights in pA.
//!
//! ## References
//! Teeter C et al. (2018) Generalized leaky integrate-and-fire models classify multiple neuron
//! types. Nature Communications 9:709. Iyer R et al. (2022) The impact of biological detail on
//! cortical neural network models. [the double-alpha synapse]
//!
//! See also: `glif_psc`, `glif_cond`.

use crate::glif::Flavor;

/// How `glif_psc_double_alpha` differs from `glif_psc` in the shared GLIF code.
pub const FLAVOR: Flavor = Flavor {
    name: "glif_psc_double_alpha",
    g_name: "g",
    combo_msg: "Incorrect model mechanism combination setting.See documentation for setting of model mechanism parameters:spike_dependent_threshold, after_spike_currents, adapting_threshold.",
    cond_order: false,
    port_lists: &["tau_syn_fast", "tau_syn_slow", "amp_slow"],
    port_defaults: &[&[2.0], &[6.0], &[0.3]],
    shows_thresholds: true,
};

/// The manual's first line.
pub const SUMMARY: &str =
    "Generalized leaky integrate-and-fire neuron (GLIF1-5) with double-alpha current receptors (fast + slow component; exact integration)";

/// Status entries outside the numeric table.
pub const EXTRA_KEYS: &[&str] = &[
    "asc_init",
    "asc_decay",
    "asc_amps",
    "asc_r",
    "tau_syn_fast",
    "tau_syn_slow",
    "amp_slow",
    "has_connections",
    "ASCurrents",
    "threshold_spike",
    "threshold_voltage",
];

/// `glif_psc_double_alpha`.
pub type GlifPscDoubleAlpha = crate::glif_psc::GlifPscN<true>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neuron::testing::{nodes, run, set_status};
    use nestor_kernel::error::ErrorKind;
    use nestor_kernel::value::Value;

    const NAME: &str = "glif_psc_double_alpha";

    #[test]
    fn checks_follow_nest() {
        let mut nd = nodes::<GlifPscDoubleAlpha>(1);
        for (k, msg) in [
            ("tau_syn_fast", "All synaptic time constants must be strictly positive."),
            ("tau_syn_slow", "All slow synaptic time constants must be strictly positive."),
            ("amp_slow", "All slow synaptic amplitudes must be strictly positive."),
        ] {
            let e = set_status(&mut nd, &[(k, Value::DoubleVec(vec![1.0, 0.0]))], NAME).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadProperty);
            assert!(e.message.starts_with(msg), "{k}: {}", e.message);
        }
        let e = set_status(&mut nd, &[("tau_syn_fast", Value::DoubleVec(vec![1.0, 2.0]))], NAME).unwrap_err();
        assert!(e.message.contains("got 2, 1 and 1 entries"), "{}", e.message);
        assert_eq!(nd.channels(), 2);
        set_status(
            &mut nd,
            &[
                ("tau_syn_fast", Value::DoubleVec(vec![1.0, 2.0])),
                ("tau_syn_slow", Value::DoubleVec(vec![5.0, 6.0])),
                ("amp_slow", Value::DoubleVec(vec![0.5, 0.2])),
            ],
            NAME,
        )
        .unwrap();
        assert_eq!(nd.channels(), 3);
        let env = nestor_kernel::model::Env { resolution: 0.1, now: 0, min_delay: 1, max_delay: 1 };
        nd.prepare(&env).unwrap();
    }

    #[test]
    fn psp_is_the_sum_of_two_alpha_psps() {
        // GLIF1 (the default flags are GLIF5: switch them off), one spike of weight w at step 0:
        // V − E_L = Σ_{τ_s ∈ {τ_f, τ_sl}} a_s · w e/τ_s · B_s/C · (B_s(e^{−t/τ} − e^{−t/τ_s}) − t e^{−t/τ_s}),
        // B_s = τ_s τ/(τ − τ_s), a = (1, amp_slow).
        let mut nd = nodes::<GlifPscDoubleAlpha>(1);
        let off = [
            ("spike_dependent_threshold", Value::Bool(false)),
            ("after_spike_currents", Value::Bool(false)),
            ("adapting_threshold", Value::Bool(false)),
        ];
        set_status(&mut nd, &off, NAME).unwrap();
        let (w, c, g) = (50.0, 58.72, 9.43);
        let tau = c / g;
        let (rec, spikes) = run(&mut nd, 0.1, 300, |t, ch| if t == 0 && ch == 1 { w } else { 0.0 });
        assert!(spikes.is_empty());
        for (k, r) in rec.iter().enumerate() {
            let s = k as f64 * 0.1;
            let psp: f64 = [(2.0, 1.0), (6.0, 0.3)]
                .iter()
                .map(|&(ts, a)| {
                    let b = ts * tau / (tau - ts);
                    a * w * std::f64::consts::E / ts * b / c
                        * (b * ((-s / tau).exp() - (-s / ts).exp()) - s * (-s / ts).exp())
                })
                .sum();
            assert!((r[3] - (-78.85 + psp)).abs() < 1e-11, "k {k}: {} vs {}", r[3], -78.85 + psp);
        }
    }
}
