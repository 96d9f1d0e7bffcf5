"""Writes the STDP validation protocols (validation/protocols/stdp_*.json); no NEST needed.

Each pairing uses a presynaptic and a postsynaptic parrot_neuron driven by spike_generators; the
plastic connection goes to the postsynaptic parrot's receptor 1, which NEST's parrot ignores, so
the postsynaptic spike times stay those of its generator. The reference keeps the final weights.
"""
import json
import pathlib
import random

out = pathlib.Path(__file__).resolve().parent.parent / "protocols"


def pairing(name, description, pairs, syn, simulate, delay=1.0):
    nodes, conns = [], []
    for i, (pre_times, post_times) in enumerate(pairs):
        nodes += [
            {"id": f"sg_pre{i}", "model": "spike_generator", "n": 1, "params": {"spike_times": pre_times}},
            {"id": f"sg_post{i}", "model": "spike_generator", "n": 1, "params": {"spike_times": post_times}},
            {"id": f"pre{i}", "model": "parrot_neuron", "n": 1, "params": {}},
            {"id": f"post{i}", "model": "parrot_neuron", "n": 1, "params": {}},
        ]
        conns += [
            {"pre": f"sg_pre{i}", "post": f"pre{i}", "conn_spec": {"rule": "one_to_one"}, "syn_spec": {}},
            {"pre": f"sg_post{i}", "post": f"post{i}", "conn_spec": {"rule": "one_to_one"}, "syn_spec": {}},
            {"pre": f"pre{i}", "post": f"post{i}", "conn_spec": {"rule": "one_to_one"},
             "syn_spec": dict(syn, receptor_type=1, delay=delay)},
        ]
    nodes.append({"id": "sr", "model": "spike_recorder", "n": 1, "params": {}})
    for i in range(len(pairs)):
        conns.append({"pre": f"post{i}", "post": "sr", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}})
    p = {
        "name": name,
        "description": description,
        "category": "exact",
        "kernel": {"resolution": 0.1, "rng_seed": 1},
        "nodes": nodes,
        "connections": conns,
        "simulate": simulate,
        "record": ["sr"],
        "weights": [{"pre": f"pre{i}", "post": f"post{i}", "synapse_model": syn["synapse_model"]} for i in range(len(pairs))],
    }
    (out / f"{name}.json").write_text(json.dumps(p, indent=1) + "\n")


# STDP window: 10 pre/post pairs at 1 Hz, delta t from -50 to +50 ms (post - pre).
dts = [-50.0, -20.0, -10.0, -5.0, -1.0, 1.0, 5.0, 10.0, 20.0, 50.0]
pairs = []
for dt in dts:
    pre = [100.0 + 100.0 * k for k in range(8)]
    pairs.append((pre, [round(t + dt, 1) for t in pre if t + dt > 0]))
syn = {"synapse_model": "stdp_synapse", "weight": 50.0, "lambda": 0.05, "alpha": 1.1, "mu_plus": 0.4, "mu_minus": 0.6, "Wmax": 100.0}
pairing("stdp_synapse_window", "stdp_synapse weights after 8 pre/post pairings at 10 delta-t from -50 to 50 ms, delay 1 ms.", pairs, syn, [1000.0])
pairing("stdp_synapse_window_delay", "as stdp_synapse_window with a dendritic delay of 2.3 ms and three Simulate calls.", pairs, syn, [250.0, 333.3, 416.7], delay=2.3)

# Irregular trains, weight bound hit (large lambda), several Simulate calls.
rng = random.Random(7)
pairs = []
for i in range(6):
    pre = sorted({round(rng.uniform(1, 1500), 1) for _ in range(60)})
    post = sorted({round(rng.uniform(1, 1500), 1) for _ in range(60)})
    pairs.append((pre, post))
syn = {"synapse_model": "stdp_synapse", "weight": 20.0, "lambda": 0.3, "alpha": 0.9, "mu_plus": 0.0, "mu_minus": 0.0, "Wmax": 30.0, "tau_plus": 15.0}
pairing("stdp_synapse_irregular", "stdp_synapse with irregular pre/post trains (60 spikes each in 1.5 s), additive updates hitting Wmax and 0, Simulate [500, 700, 300].", pairs, syn, [500.0, 700.0, 300.0], delay=1.5)
print("wrote stdp protocols")
