//! Random streams derived from (seed, purpose, keys), never from thread ids, so results are
//! bitwise identical for any number of threads and for repeated runs.

use rand_pcg::Pcg64Mcg;

/// What a random stream is used for; part of the key so that streams never coincide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Drawing sources/targets in a connection rule.
    Connect = 1,
    /// Drawing weights and delays of a Connect call.
    SynapseParams = 2,
    /// A per-(generator, target) stream of a device that draws per target (poisson, noise).
    DevicePerTarget = 3,
    /// A per-node stream (e.g. stochastic neurons, initial-state draws).
    Node = 4,
    /// The draws of a stochastic synapse (bernoulli, quantal release) for one spike crossing one
    /// connection.
    Synapse = 5,
}

#[inline]
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stream keyed by `seed`, `purpose` and two further keys (e.g. generator and target ids).
pub fn stream(seed: u64, purpose: Purpose, a: u64, b: u64) -> Pcg64Mcg {
    let h1 = splitmix64(seed ^ splitmix64(purpose as u64 ^ splitmix64(a ^ splitmix64(b))));
    let h2 = splitmix64(h1 ^ 0xD1B5_4A32_D192_ED03);
    // The MCG needs an odd state; the constructor takes care of that.
    Pcg64Mcg::new(((h1 as u128) << 64) | h2 as u128)
}

/// The random stream of one spike crossing one stochastic connection: keyed by the seed, the
/// connection's key (its Connect call and pair index, the same for any number of threads), the
/// spike's time step and its repetition (multiplicity). Counter-based, so a connection carries no generator state; the stream is
/// only built when the synapse draws.
#[derive(Debug, Clone)]
pub struct SynRng {
    seed: u64,
    key: u64,
    stamp: u64,
    rng: Option<Pcg64Mcg>,
}

impl SynRng {
    /// The (not yet built) stream of connection `key` for the `rep`-th unit of the spike at
    /// step `stamp` (a spike of multiplicity m crosses a synapse as m spikes).
    pub fn new(seed: u64, key: u64, stamp: i64, rep: u32) -> Self {
        SynRng { seed, key, stamp: (stamp as u64) ^ ((rep as u64) << 48), rng: None }
    }
    /// The stream, built on first use.
    pub fn get(&mut self) -> &mut Pcg64Mcg {
        let (seed, key, stamp) = (self.seed, self.key, self.stamp);
        self.rng.get_or_insert_with(|| stream(seed, Purpose::Synapse, key, stamp))
    }
    /// A uniform draw in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        use rand::RngExt;
        self.get().random::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = stream(1, Purpose::Connect, 5, 0);
        let mut b = stream(1, Purpose::Connect, 5, 0);
        let mut c = stream(1, Purpose::Connect, 6, 0);
        let x: u64 = a.random();
        assert_eq!(x, b.random::<u64>());
        assert_ne!(x, c.random::<u64>());
    }
}
