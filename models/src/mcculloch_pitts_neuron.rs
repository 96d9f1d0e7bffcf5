//! `mcculloch_pitts_neuron` — binary deterministic neuron with Heaviside gain (NEST 3.10).
//!
//! A binary neuron (state `S` ∈ {0, 1}) updated at Poisson-distributed times of mean interval
//! `tau_m` (see [`crate::binary`] for the update, the binary code of its connections and what
//! it can be connected to). At an update with total input `h` the new state is
//!
//! ```text
//! S = 1 if h > theta, else 0
//! ```
//!
//! (no draw: only the update times are random).
//!
//! | Parameter | Unit | Default | Meaning |
//! |---|---|---|---|
//! | `tau_m` | ms | 10 | mean interval between updates (> 0) |
//! | `theta` | mV | 0 | threshold |
//!
//! State (read-only): `h` (mV, summed input), `S` (bool). Recordables: `S`, `h`. Receptor 0
//! only. Errors: `tau_m` ≤ 0 → BadProperty "All time constants must be strictly positive."
//!
//! References: McCulloch W, Pitts W (1943) A logical calculus of the ideas immanent in nervous
//! activity. Bull Math Biophys 5:115–133. Hertz J, Krogh A, Palmer R (1991) Introduction to the
//! theory of neural computation. Morrison A, Diesmann M (2007) Maintaining causality in discrete
//! time neuronal simulations. In: Lectures in Supercomputational Neuroscience, 267–278.
//!
//! See also: `ginzburg_neuron`, `erfc_neuron`, `spin_detector`.

use crate::binary::{common, tau_m, Binary, Gain};
use crate::neuron::col;
use nestor_kernel::schema::{ParamSpec, ParamTable};
use nestor_kernel::units::Unit;
use rand_pcg::Pcg64Mcg;

const C: [ParamSpec; 4] = common();

/// The status schema of `mcculloch_pitts_neuron`.
pub static SCHEMA: [ParamSpec; 6] =
    [tau_m(), ParamSpec::param("theta", Unit::MilliVolt, 0.0, "Threshold"), C[0], C[1], C[2], C[3]];

const THETA: usize = col(&SCHEMA, "theta");

/// The Heaviside gain of `mcculloch_pitts_neuron`.
pub struct McCullochPitts;

impl Gain for McCullochPitts {
    const NAME: &'static str = "mcculloch_pitts_neuron";
    const SUMMARY: &'static str = "Binary deterministic neuron with Heaviside gain, updated at random times";
    const SCHEMA: &'static [ParamSpec] = &SCHEMA;
    fn gain(t: &ParamTable, i: usize, _rng: &mut Pcg64Mcg, h: f64) -> bool {
        h > t.get(THETA, i)
    }
}

/// `mcculloch_pitts_neuron`.
pub type MccullochPittsNeuron = Binary<McCullochPitts>;
