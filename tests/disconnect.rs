//! Disconnect: removing connections leaves the network exactly as if they had never been made
//! (before Simulate) or as if they had carried nothing since (between Simulate calls), for rows,
//! per-target drawing devices and plastic connections; and it refuses what NEST refuses.

use nestor::prelude::*;

const N: u32 = 12;

/// Weight of the pair (s, t) (1-based indices within the population), distinct per pair.
fn weight(s: u32, t: u32) -> f64 {
    40.0 + f64::from((s * 7 + t * 3) % 13) * 5.0
}

/// Which pairs a test removes: a pattern that hits some rows completely, others partly.
fn removed(s: u32, t: u32) -> bool {
    (s + 2 * t).is_multiple_of(3) || s == 4
}

fn syn_of(s: u32) -> &'static str {
    if s.is_multiple_of(2) {
        "stdp_synapse"
    } else {
        "static_synapse"
    }
}

struct Net {
    k: Kernel,
    neurons: NodeCollection,
    sr: NodeCollection,
    pg: NodeCollection,
}

fn net(threads: i64) -> Net {
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads, "rng_seed" => 7i64 }).unwrap();
    let neurons = k.create("iaf_psc_alpha", N as usize, Some(&dict! { "I_e" => 300.0 })).unwrap();
    let pg = k.create("poisson_generator", 1, Some(&dict! { "rate" => 8000.0 })).unwrap();
    let sr = k.create("spike_recorder", 1, None).unwrap();
    k.connect(&neurons, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new()).unwrap();
    Net { k, neurons, sr, pg }
}

fn one(n: &NodeCollection, i: u32) -> NodeCollection {
    NodeCollection::from_ids(&[n.get(i as usize - 1).unwrap()])
}

fn connect_pair(net: &mut Net, s: u32, t: u32) {
    let (pre, post) = (one(&net.neurons, s), one(&net.neurons, t));
    let syn = SynSpec::new().weight(weight(s, t)).delay(1.0 + f64::from(s % 3) * 0.5).model(syn_of(s));
    net.k.connect(&pre, &post, &ConnSpec::new(Rule::OneToOne), &syn).unwrap();
}

fn spikes(net: &Net) -> Vec<(i64, u64)> {
    let (s, t, _) = nestor::events(&net.k, net.sr.first().unwrap()).unwrap();
    s.into_iter().zip(t.iter().map(|x| x.to_bits())).collect()
}

fn weights(k: &mut Kernel) -> Vec<(u32, u32, u64)> {
    let mut w: Vec<_> = k
        .get_connections(&ConnFilter::default())
        .unwrap()
        .iter()
        .map(|c| (c.source, c.target, c.weight.to_bits()))
        .collect();
    w.sort();
    w
}

#[test]
fn disconnect_before_simulate_equals_never_connecting() {
    for threads in [1, 2] {
        // A: every pair, the Poisson input to every neuron; then remove the pattern pair by pair
        // (one_to_one with repeated ids) and a few Poisson connections through their handles.
        // The Poisson connections come first: their streams are keyed by the Connect call.
        let mut a = net(threads);
        let (pg, neurons) = (a.pg.clone(), a.neurons.clone());
        a.k.connect(&pg, &neurons, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(30.0)).unwrap();
        for s in 1..=N {
            for t in 1..=N {
                connect_pair(&mut a, s, t);
            }
        }
        let before = a.k.num_connections();
        for syn in ["static_synapse", "stdp_synapse"] {
            let (mut pre, mut post) = (Vec::new(), Vec::new());
            for s in (1..=N).filter(|&s| syn_of(s) == syn) {
                for t in (1..=N).filter(|&t| removed(s, t)) {
                    pre.push(neurons.get(s as usize - 1).unwrap());
                    post.push(neurons.get(t as usize - 1).unwrap());
                }
            }
            let (pre, post) = (NodeCollection::from_ids(&pre), NodeCollection::from_ids(&post));
            a.k.disconnect(&pre, &post, &Rule::OneToOne, syn).unwrap();
        }
        let odd = NodeCollection::from_ids(&neurons.iter().filter(|g| g % 2 == 1).collect::<Vec<_>>());
        let from_pg = a
            .k
            .get_connections(&ConnFilter { source: Some(pg.clone()), target: Some(odd.clone()), ..Default::default() })
            .unwrap();
        assert_eq!(a.k.disconnect_connections(&from_pg).unwrap(), from_pg.len());
        let gone = (1..=N).flat_map(|s| (1..=N).map(move |t| (s, t))).filter(|&(s, t)| removed(s, t)).count();
        assert_eq!(a.k.num_connections(), before - gone - from_pg.len());

        // B: only the pairs A keeps, in the same order.
        let mut b = net(threads);
        let even = NodeCollection::from_ids(&neurons.iter().filter(|g| g % 2 == 0).collect::<Vec<_>>());
        let pgb = b.pg.clone();
        b.k.connect(&pgb, &even, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(30.0)).unwrap();
        for s in 1..=N {
            for t in (1..=N).filter(|&t| !removed(s, t)) {
                connect_pair(&mut b, s, t);
            }
        }
        assert_eq!(a.k.num_connections(), b.k.num_connections());

        a.k.simulate(300.0).unwrap();
        b.k.simulate(300.0).unwrap();
        let sa = spikes(&a);
        assert!(sa.len() > 100, "the test network must be active: {} spikes", sa.len());
        assert!(sa == spikes(&b), "spikes differ, threads = {threads}");
        assert!(weights(&mut a.k) == weights(&mut b.k), "plastic weights differ, threads = {threads}");
        // The removed connections are gone from GetConnections.
        for c in a.k.get_connections(&ConnFilter { source: Some(neurons.clone()), ..Default::default() }).unwrap() {
            if neurons.contains(c.target) {
                let (s, t) = (c.source - neurons.first().unwrap() + 1, c.target - neurons.first().unwrap() + 1);
                assert!(!removed(s, t), "{s} → {t} was removed");
            }
        }
    }
}

#[test]
fn disconnect_between_simulate_calls_equals_silencing() {
    // Static connections only: a removed connection is then the same as one of weight 0 from the
    // moment of removal (adding +0.0 changes no sum).
    let build = || {
        let mut n = net(2);
        for s in 1..=N {
            for t in 1..=N {
                let (pre, post) = (one(&n.neurons, s), one(&n.neurons, t));
                let syn = SynSpec::new().weight(weight(s, t));
                n.k.connect(&pre, &post, &ConnSpec::new(Rule::OneToOne), &syn).unwrap();
            }
        }
        let (pg, neurons) = (n.pg.clone(), n.neurons.clone());
        n.k.connect(&pg, &neurons, &ConnSpec::new(Rule::AllToAll), &SynSpec::new().weight(30.0)).unwrap();
        n.k.simulate(100.0).unwrap();
        n
    };
    let mut a = build();
    let mut b = build();
    let all = a.k.get_connections(&ConnFilter { source: Some(a.neurons.clone()), ..Default::default() }).unwrap();
    let first = a.neurons.first().unwrap();
    let pick: Vec<_> = all
        .into_iter()
        .filter(|c| a.neurons.contains(c.target) && removed(c.source - first + 1, c.target - first + 1))
        .collect();
    assert_eq!(a.k.disconnect_connections(&pick).unwrap(), pick.len());
    let same = b.k.get_connections(&ConnFilter { source: Some(b.neurons.clone()), ..Default::default() }).unwrap();
    for c in same.iter().filter(|c| b.neurons.contains(c.target) && removed(c.source - first + 1, c.target - first + 1))
    {
        b.k.set_connection_status(c, &dict! { "weight" => 0.0 }).unwrap();
    }
    a.k.simulate(200.0).unwrap();
    b.k.simulate(200.0).unwrap();
    let sa = spikes(&a);
    assert!(sa.len() > 100);
    assert!(sa == spikes(&b), "spikes differ");
}

#[test]
fn disconnect_refuses_what_nest_refuses() {
    let mut n = net(1);
    let neurons = n.neurons.clone();
    let (a, b) = (one(&neurons, 1), one(&neurons, 2));
    n.k.connect(&a, &b, &ConnSpec::new(Rule::OneToOne), &SynSpec::new()).unwrap();
    let before = n.k.num_connections();
    // No such connection (a pair of the rule without one): nothing is removed.
    let both = NodeCollection::from_ids(&[a.first().unwrap(), b.first().unwrap()]);
    let e = n.k.disconnect(&both, &both, &Rule::AllToAll, "static_synapse").unwrap_err();
    assert_eq!(e.kind, ErrorKind::InexistentConnection, "{e}");
    assert_eq!(n.k.num_connections(), before);
    // The wrong synapse model.
    let e = n.k.disconnect(&a, &b, &Rule::OneToOne, "stdp_synapse").unwrap_err();
    assert_eq!(e.kind, ErrorKind::InexistentConnection);
    let e = n.k.disconnect(&a, &b, &Rule::OneToOne, "no_such_synapse").unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownSynapseType);
    // Sizes differ for one_to_one; other rules are not implemented by NEST either.
    assert!(n.k.disconnect(&both, &b, &Rule::OneToOne, "static_synapse").is_err());
    let e = n.k.disconnect(&a, &b, &Rule::FixedIndegree(1), "static_synapse").unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotImplemented);
    // Recording devices keep their connections.
    let e = n.k.disconnect(&a, &n.sr.clone(), &Rule::OneToOne, "static_synapse").unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotImplemented, "{e}");
    // Handles go stale after a Disconnect.
    let c = n.k.get_connections(&ConnFilter { source: Some(a.clone()), target: Some(b.clone()), ..Default::default() });
    let c = c.unwrap();
    assert_eq!(c.len(), 1);
    n.k.disconnect(&a, &b, &Rule::OneToOne, "static_synapse").unwrap();
    assert_eq!(n.k.num_connections(), before - 1);
    assert!(n.k.disconnect_connections(&c).is_err());
    assert!(n.k.connection_status(&c[0]).is_err());
    // And the network still simulates.
    n.k.simulate(10.0).unwrap();
}
