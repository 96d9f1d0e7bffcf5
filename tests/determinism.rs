//! Results are bitwise identical for any number of threads and for one Simulate call vs many.

use nestor::networks::{brunel, BrunelParams};
use nestor::prelude::*;

fn run(threads: i64, chunks: &[f64]) -> (Vec<i64>, Vec<f64>) {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads, "rng_seed" => 7i64 }).unwrap();
    let net = brunel(&mut k, &BrunelParams::scaled(0.1)).unwrap();
    for &t in chunks {
        k.simulate(t).unwrap();
    }
    let (s, t, _) = nestor::events(&k, net.spikes.unwrap().first().unwrap()).unwrap();
    // Events arrive slice by slice, ordered by sender within a slice (as NEST); compare the
    // spikes themselves in (time, sender) order, bit for bit.
    let mut ev: Vec<(u64, i64)> = t.iter().map(|x| x.to_bits()).zip(s).collect();
    ev.sort();
    (ev.iter().map(|e| e.1).collect(), ev.iter().map(|e| f64::from_bits(e.0)).collect())
}

fn same(a: &(Vec<i64>, Vec<f64>), b: &(Vec<i64>, Vec<f64>), what: &str) {
    assert_eq!(a.0.len(), b.0.len(), "{what}: spike counts differ");
    let first =
        a.0.iter()
            .zip(&b.0)
            .zip(a.1.iter().zip(&b.1))
            .position(|((x, y), (u, v))| x != y || u.to_bits() != v.to_bits());
    assert!(first.is_none(), "{what}: first difference at spike {first:?}");
}

#[test]
fn threads_and_simulate_calls_do_not_change_spikes() {
    let one = run(1, &[200.0]);
    assert!(one.0.len() > 1000, "the network is active ({} spikes)", one.0.len());
    let two = run(2, &[200.0]);
    same(&one, &two, "1 vs 2 threads");
    let ten = run(1, &[20.0; 10]);
    same(&one, &ten, "one Simulate vs ten");
    let odd = run(2, &[0.1, 33.3, 66.6, 100.0]);
    same(&one, &odd, "uneven Simulate calls on 2 threads");
}

#[test]
fn different_seeds_differ() {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "rng_seed" => 8i64 }).unwrap();
    let net = brunel(&mut k, &BrunelParams::scaled(0.1)).unwrap();
    k.simulate(200.0).unwrap();
    let other = nestor::events(&k, net.spikes.unwrap().first().unwrap()).unwrap();
    assert!(run(1, &[200.0]).0 != other.0, "seeds 7 and 8 gave the same spikes");
}
