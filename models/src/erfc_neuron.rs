//! `erfc_neuron` — binary stochastic neuron with complementary-error-function gain (NEST 3.10).
//!
//! A binary neuron (state `S` ∈ {0, 1}) updated at Poisson-distributed times of mean interval
//! `tau_m` (see [`crate::binary`] for the update, the binary code of its connections and what
//! it can be connected to). At an update with total input `h` the new state is 1 with
//! probability
//!
//! ```text
//! g(h) = ½·erfc(−(h − theta) / (√2·sigma))
//! ```
//!
//! (one uniform draw u ∈ [0, 1): S = 1 iff u < g(h)): a McCulloch–Pitts neuron whose input
//! carries Gaussian noise of standard deviation `sigma`. NEST does not check `sigma`.
//!
//! | Parameter | Unit | Default | Meaning |
//! |---|---|---|---|
//! | `tau_m` | ms | 10 | mean interval between updates (> 0) |
//! | `theta` | mV | 0 | threshold |
//! | `sigma` | mV | 1 | width of the gain (noise) |
//!
//! State (read-only): `h` (mV, summed input), `S` (bool). Recordables: `S`, `h`. Receptor 0
//! only. Errors: `tau_m` ≤ 0 → BadProperty "All time constants must be strictly positive."
//!
//! References: Ginzburg I, Sompolinsky H (1994) Theory of correlations in stochastic neural
//! networks. PRE 50(4):3171. McCulloch W, Pitts W (1943) Bull Math Biophys 5:115–133.
//! Helias M, Tetzlaff T, Diesmann M (2014) The correlation structure of local neuronal networks
//! intrinsically results from recurrent dynamics. PLoS Comput Biol 10(1):e1003428.
//!
//! See also: `ginzburg_neuron`, `mcculloch_pitts_neuron`, `spin_detector`.

use crate::binary::{common, tau_m, Binary, Gain};
use crate::neuron::col;
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use rand::RngExt;
use rand_pcg::Pcg64Mcg;

const C: [ParamSpec; 4] = common();

/// The status schema of `erfc_neuron`.
pub static SCHEMA: [ParamSpec; 7] = [
    tau_m(),
    ParamSpec::param("theta", Unit::MilliVolt, 0.0, "Threshold"),
    ParamSpec::param("sigma", Unit::MilliVolt, 1.0, "Width of the gain (standard deviation of the input noise)"),
    C[0],
    C[1],
    C[2],
    C[3],
];

const THETA: usize = col(&SCHEMA, "theta");
const SIGMA: usize = col(&SCHEMA, "sigma");

/// The erfc gain of `erfc_neuron`.
pub struct Erfc;

impl Gain for Erfc {
    const NAME: &'static str = "erfc_neuron";
    const SUMMARY: &'static str = "Binary stochastic neuron with complementary-error-function gain";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    fn gain(t: &ParamTable, i: usize, rng: &mut Pcg64Mcg, h: f64) -> bool {
        let p = 0.5 * libm::erfc(-(h - t.get(THETA, i)) / (std::f64::consts::SQRT_2 * t.get(SIGMA, i)));
        rng.random::<f64>() < p
    }
}

/// `erfc_neuron`.
pub type ErfcNeuron = Binary<Erfc>;
