//! `ginzburg_neuron` — binary stochastic neuron with sigmoidal gain (NEST 3.10).
//!
//! A binary neuron (state `S` ∈ {0, 1}) updated at Poisson-distributed times of mean interval
//! `tau_m` (see [`crate::binary`] for the update, the binary code of its connections and what
//! it can be connected to). At an update with total input `h` the new state is 1 with
//! probability
//!
//! ```text
//! g(h) = c_1·h + c_2·½·(1 + tanh(c_3·(h − theta)))
//! ```
//!
//! (one uniform draw u ∈ [0, 1): S = 1 iff u < g(h)). With `c_1 = 0`, `c_2 = 1` and
//! `c_3 = β/2` this is Ginzburg & Sompolinsky's sigmoid; `c_1 = 1/N`, `c_2 = 0` gives the linear
//! gain of Buice et al.
//!
//! | Parameter | Unit | Default | Meaning |
//! |---|---|---|---|
//! | `tau_m` | ms | 10 | mean interval between updates (> 0) |
//! | `theta` | mV | 0 | threshold of the sigmoid |
//! | `c_1` | 1/mV | 0 | linear gain |
//! | `c_2` | — | 1 | prefactor of the sigmoid |
//! | `c_3` | 1/mV | 1 | slope of the sigmoid |
//!
//! State (read-only): `h` (mV, summed input), `S` (bool). Recordables: `S`, `h`. Receptor 0
//! only (spikes: binary transitions; currents: noise_generator). Errors: `tau_m` ≤ 0 →
//! BadProperty "All time constants must be strictly positive."
//!
//! References: Ginzburg I, Sompolinsky H (1994) Theory of correlations in stochastic neural
//! networks. PRE 50(4):3171. Hertz J, Krogh A, Palmer R (1991) Introduction to the theory of
//! neural computation. Buice MA, Chow CC, Cowan JD (2009) Systematic fluctuation expansion for
//! neural network activity equations. Neural Comput 22:377–426.
//!
//! See also: `mcculloch_pitts_neuron`, `erfc_neuron`, `spin_detector`.

use crate::binary::{common, tau_m, Binary, Gain};
use crate::neuron::col;
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

const C: [ParamSpec; 4] = common();

/// The status schema of `ginzburg_neuron`.
pub static SCHEMA: [ParamSpec; 9] = [
    tau_m(),
    ParamSpec::param("theta", Unit::MilliVolt, 0.0, "Threshold of the sigmoidal gain"),
    ParamSpec::param("c_1", Unit::PerMillivolt, 0.0, "Linear gain factor"),
    ParamSpec::param("c_2", Unit::Dimensionless, 1.0, "Prefactor of the sigmoidal gain"),
    ParamSpec::param("c_3", Unit::PerMillivolt, 1.0, "Slope factor of the sigmoidal gain"),
    C[0],
    C[1],
    C[2],
    C[3],
];

const THETA: usize = col(&SCHEMA, "theta");
const C_1: usize = col(&SCHEMA, "c_1");
const C_2: usize = col(&SCHEMA, "c_2");
const C_3: usize = col(&SCHEMA, "c_3");

/// The sigmoidal gain of `ginzburg_neuron`.
pub struct Ginzburg;

impl Gain for Ginzburg {
    const NAME: &'static str = "ginzburg_neuron";
    const SUMMARY: &'static str = "Binary stochastic neuron with sigmoidal gain (Ginzburg & Sompolinsky)";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    fn gain(t: &ParamTable, i: usize, rng: &mut Pcg64Mcg, h: f64) -> bool {
        let p = t.get(C_1, i) * h + t.get(C_2, i) * 0.5 * (1.0 + (t.get(C_3, i) * (h - t.get(THETA, i))).tanh());
        rng.random::<f64>() < p
    }
}

/// `ginzburg_neuron`.
pub type GinzburgNeuron = Binary<Ginzburg>;
