"""Writes the STDP validation protocols (validation/protocols/stdp_*.json); no NEST needed.

Each pairing uses a presynaptic and a postsynaptic parrot_neuron driven by spike_generators; the
plastic connection goes to the postsynaptic parrot's receptor 1, which NEST's parrot ignores, so
the postsynaptic spike times stay those of its generator. The reference keeps the final weights.
"""
import json
import pathlib
import random

out = pathlib.Path(__file__).resolve().parent.parent / "protocols"


def pairing(name, description, pairs, syn, simulate, delay=1.0, copy_models=None):
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
    if copy_models:
        p["copy_models"] = copy_models
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
# Power-law STDP with shared parameters (hpc_benchmark's rule), set through CopyModel.
syn = {"synapse_model": "stdp_pl_hpc", "weight": 45.0}
pairing("stdp_pl_synapse_hom_irregular",
        "stdp_pl_synapse_hom with hpc_benchmark's parameters (alpha 0.0513, lambda 0.1, mu 0.4, tau_plus 15) set by CopyModel, irregular trains, delay 1.5 ms, Simulate [500, 700, 300].",
        pairs, syn, [500.0, 700.0, 300.0], delay=1.5,
        copy_models=[{"from": "stdp_pl_synapse_hom", "to": "stdp_pl_hpc", "params": {"alpha": 0.0513, "lambda": 0.1, "mu": 0.4, "tau_plus": 15.0}}])
print("wrote stdp protocols")


# Short-term plasticity: a parrot relays a spike train (bursts at 20 Hz and 50 Hz, a recovery
# spike) to iaf_psc_exp neurons through tsodyks2_synapse; their V_m shows every PSC amplitude.
def stp(name, description, syn_sets, simulate):
    train = [50.0 + 50.0 * k for k in range(8)] + [500.0 + 20.0 * k for k in range(10)] + [1200.0]
    nodes = [
        {"id": "sg", "model": "spike_generator", "n": 1, "params": {"spike_times": train}},
        {"id": "pre", "model": "parrot_neuron", "n": 1, "params": {}},
        {"id": "vm", "model": "voltmeter", "n": 1, "params": {"interval": 0.1}},
    ]
    conns = [{"pre": "sg", "post": "pre", "conn_spec": {"rule": "one_to_one"}, "syn_spec": {}}]
    for i, syn in enumerate(syn_sets):
        nodes.append({"id": f"n{i}", "model": "iaf_psc_exp", "n": 1, "params": {"V_th": 1000.0, "tau_syn_ex": 3.0}})
        conns.append({"pre": "pre", "post": f"n{i}", "conn_spec": {"rule": "one_to_one"}, "syn_spec": dict(syn, synapse_model="tsodyks2_synapse")})
        conns.append({"pre": "vm", "post": f"n{i}", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}})
    p = {"name": name, "description": description, "category": "exact", "kernel": {"resolution": 0.1, "rng_seed": 1},
         "nodes": nodes, "connections": conns, "simulate": simulate, "record": ["vm"]}
    (out / f"{name}.json").write_text(json.dumps(p, indent=1) + "\n")


stp("tsodyks2_synapse_trains",
    "tsodyks2_synapse: depressing (U 0.5, tau_rec 800), facilitating (U 0.1, tau_rec 100, tau_fac 1000) and mixed synapses, delays 1 and 2.5 ms, bursts at 20/50 Hz and a recovery spike; V_m of the targets; Simulate [300, 555.5, 644.5].",
    [{"weight": 500.0, "delay": 1.0, "U": 0.5, "tau_rec": 800.0, "tau_fac": 0.0},
     {"weight": 500.0, "delay": 2.5, "U": 0.1, "u": 0.1, "tau_rec": 100.0, "tau_fac": 1000.0},
     {"weight": 300.0, "delay": 1.0, "U": 0.3, "u": 0.2, "x": 0.8, "tau_rec": 300.0, "tau_fac": 200.0}],
    [300.0, 555.5, 644.5])
print("wrote stp protocols")
