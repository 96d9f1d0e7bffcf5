"""Writes the validation protocols of the synapse models added for issue #5 (no NEST needed):
static_synapse_hom_w, stdp_synapse_hom, stdp_triplet_synapse, the three nearest-neighbour STDP
models, vogels_sprekeler_synapse, tsodyks_synapse (exact) and quantal_stp_synapse,
bernoulli_synapse (stochastic).

STDP pairings use the scheme of make_stdp_protocols.py: spike_generator -> parrot_neuron for the
pre- and the postsynaptic side, and the plastic connection onto the postsynaptic parrot's
receptor 1 (ignored by the parrot), so the postsynaptic spike times are the generator's.
"""
import json
import pathlib
import random

out = pathlib.Path(__file__).resolve().parent.parent / "protocols"
SEEDS = list(range(1, 21))


def write(p):
    (out / f"{p['name']}.json").write_text(json.dumps(p, indent=1) + "\n")


def pairing(name, description, pairs, syn, simulate, delay=1.0, copy_models=None, post_params=None, model=None):
    nodes, conns = [], []
    for i, (pre_times, post_times) in enumerate(pairs):
        nodes += [
            {"id": f"sg_pre{i}", "model": "spike_generator", "n": 1, "params": {"spike_times": pre_times}},
            {"id": f"sg_post{i}", "model": "spike_generator", "n": 1, "params": {"spike_times": post_times}},
            {"id": f"pre{i}", "model": "parrot_neuron", "n": 1, "params": {}},
            {"id": f"post{i}", "model": "parrot_neuron", "n": 1, "params": dict(post_params or {})},
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
    write(p)


# Pairings at ten delta-t (post - pre) from -50 to +50 ms, 8 pairs at 10 Hz each.
DTS = [-50.0, -20.0, -10.0, -5.0, -1.0, 1.0, 5.0, 10.0, 20.0, 50.0]
window = []
for dt in DTS:
    pre = [100.0 + 100.0 * k for k in range(8)]
    window.append((pre, [round(t + dt, 1) for t in pre if t + dt > 0]))
# Irregular (Poisson-like) trains: uniform random times, 60 spikes each in 1.5 s, plus a dense
# pair (bursts) so that nearest-neighbour rules see several post spikes between pre spikes.
# Spikes stop at 1480 ms: NEST hands a spike of the last slice of the run to its synapses only in
# a later Simulate call, after the weights are read.
rng = random.Random(11)
irregular = []
for i in range(6):
    pre = sorted({round(rng.uniform(1, 1480), 1) for _ in range(60)})
    post = sorted({round(rng.uniform(1, 1480), 1) for _ in range(60)})
    irregular.append((pre, post))
irregular.append((sorted({round(rng.uniform(1, 1480), 1) for _ in range(30)}),
                  sorted({round(rng.uniform(1, 1480), 1) for _ in range(150)})))
irregular.append((sorted({round(rng.uniform(1, 1480), 1) for _ in range(150)}),
                  sorted({round(rng.uniform(1, 1480), 1) for _ in range(30)})))


def stdp_family(model, syn_window, syn_irregular, post_params=None, copy=None, note=""):
    """Three protocols per model: window (delay 1 ms, one Simulate), window_delay (2.3 ms, three
    Simulate calls), irregular (delay 1.5 ms, bounds hit, three Simulate calls)."""
    cm_w = cm_i = None
    sw, si = dict(syn_window), dict(syn_irregular)
    if copy:  # _hom models: the parameters go into copies of the model
        cm_w = [{"from": model, "to": f"{model}_w", "params": copy[0]}]
        cm_i = [{"from": model, "to": f"{model}_i", "params": copy[1]}]
        sw["synapse_model"], si["synapse_model"] = f"{model}_w", f"{model}_i"
    else:
        sw["synapse_model"] = si["synapse_model"] = model
    pairing(f"{model}_window", f"{model}: weights after 8 pre/post pairings at 10 delta-t from -50 to 50 ms, delay 1 ms.{note}",
            window, sw, [1000.0], copy_models=cm_w, post_params=post_params)
    pairing(f"{model}_window_delay", f"{model}: as {model}_window with a dendritic delay of 2.3 ms and Simulate [250, 333.3, 416.7].",
            window, sw, [250.0, 333.3, 416.7], delay=2.3, copy_models=cm_w, post_params=post_params)
    pairing(f"{model}_irregular", f"{model}: irregular pre/post trains (8 pairs, up to 150 spikes in 1.5 s), weight bounds hit, delay 1.5 ms, Simulate [500, 700, 300].",
            irregular, si, [500.0, 700.0, 300.0], delay=1.5, copy_models=cm_i, post_params=post_params)


guetig_w = {"weight": 50.0, "lambda": 0.05, "alpha": 1.1, "mu_plus": 0.4, "mu_minus": 0.6, "Wmax": 100.0}
guetig_i = {"weight": 20.0, "lambda": 0.3, "alpha": 0.9, "mu_plus": 0.0, "mu_minus": 0.0, "Wmax": 30.0, "tau_plus": 15.0}
stdp_family("stdp_synapse_hom", {"weight": 50.0}, {"weight": 20.0},
            copy=({k: v for k, v in guetig_w.items() if k != "weight"}, {k: v for k, v in guetig_i.items() if k != "weight"}),
            note=" Parameters set by CopyModel (common properties).")
for m in ("stdp_nn_symm_synapse", "stdp_nn_pre_centered_synapse", "stdp_nn_restr_synapse"):
    stdp_family(m, guetig_w, guetig_i, post_params={"tau_minus": 25.0})
stdp_family("stdp_triplet_synapse",
            {"weight": 5.0, "Wmax": 10.0, "Aplus": 0.05, "Aminus": 0.06, "Aplus_triplet": 0.04, "Aminus_triplet": 0.01},
            {"weight": -1.5, "Wmax": -3.0, "Aplus": 0.5, "Aminus": 0.4, "Aplus_triplet": 0.3, "Aminus_triplet": 0.1,
             "tau_plus": 12.0, "tau_plus_triplet": 80.0, "Kplus": 0.5, "Kplus_triplet": 0.2},
            post_params={"tau_minus": 33.7, "tau_minus_triplet": 125.0})
stdp_family("vogels_sprekeler_synapse",
            {"weight": 0.5, "Wmax": 1.0, "eta": 0.05, "alpha": 0.12, "tau": 20.0},
            {"weight": -0.5, "Wmax": -1.0, "eta": 0.3, "alpha": 0.5, "tau": 15.0, "Kplus": 0.3},
            post_params={"tau_minus": 20.0})


def stp(name, description, model, syn_sets, simulate):
    """A parrot relays a spike train (20 and 50 Hz bursts, a recovery spike) to iaf_psc_exp
    neurons through `model`; their V_m shows every PSC amplitude."""
    train = [50.0 + 50.0 * k for k in range(8)] + [500.0 + 20.0 * k for k in range(10)] + [1200.0]
    nodes = [
        {"id": "sg", "model": "spike_generator", "n": 1, "params": {"spike_times": train}},
        {"id": "pre", "model": "parrot_neuron", "n": 1, "params": {}},
        {"id": "vm", "model": "voltmeter", "n": 1, "params": {"interval": 0.1}},
    ]
    conns = [{"pre": "sg", "post": "pre", "conn_spec": {"rule": "one_to_one"}, "syn_spec": {}}]
    for i, syn in enumerate(syn_sets):
        nodes.append({"id": f"n{i}", "model": "iaf_psc_exp", "n": 1, "params": {"V_th": 1000.0, "tau_syn_ex": 3.0}})
        conns.append({"pre": "pre", "post": f"n{i}", "conn_spec": {"rule": "one_to_one"}, "syn_spec": dict(syn, synapse_model=model)})
        conns.append({"pre": "vm", "post": f"n{i}", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}})
    write({"name": name, "description": description, "category": "exact", "kernel": {"resolution": 0.1, "rng_seed": 1},
           "nodes": nodes, "connections": conns, "simulate": simulate, "record": ["vm"]})


stp("tsodyks_synapse_trains",
    "tsodyks_synapse: depressing (U 0.5, tau_rec 800), facilitating (U 0.1, tau_rec 100, tau_fac 1000) and mixed synapses (x, y, u set), tau_psc 3 and 2 ms, delays 1 and 2.5 ms, bursts at 20/50 Hz and a recovery spike; V_m of the targets; Simulate [300, 555.5, 644.5].",
    "tsodyks_synapse",
    [{"weight": 500.0, "delay": 1.0, "U": 0.5, "tau_rec": 800.0, "tau_fac": 0.0, "tau_psc": 3.0},
     {"weight": 500.0, "delay": 2.5, "U": 0.1, "u": 0.1, "tau_rec": 100.0, "tau_fac": 1000.0, "tau_psc": 3.0},
     {"weight": 300.0, "delay": 1.0, "U": 0.3, "u": 0.2, "x": 0.7, "y": 0.1, "tau_rec": 300.0, "tau_fac": 200.0, "tau_psc": 2.0}],
    [300.0, 555.5, 644.5])

# static_synapse_hom_w: weights only through CopyModel (one excitatory, one inhibitory copy) and
# the model's default weight (NEST wants one synapse type per generator); spike trains into iaf_psc_alpha, V_m recorded.
train_a = [5.0, 12.3, 12.3, 20.0, 33.3, 47.1, 60.0, 61.0, 75.5]
train_b = [8.0, 15.5, 30.2, 30.3, 52.0, 70.0]
write({
    "name": "static_synapse_hom_w_copies",
    "description": "static_synapse_hom_w: CopyModel copies with common weights 120 and -80 pA (delays 1.5 and 0.7 ms per connection) and the model itself (weight 1.0, delay 2.0) into two iaf_psc_alpha; V_m; Simulate [40, 60].",
    "category": "exact",
    "kernel": {"resolution": 0.1, "rng_seed": 1},
    "copy_models": [{"from": "static_synapse_hom_w", "to": "hom_ex", "params": {"weight": 120.0}},
                    {"from": "static_synapse_hom_w", "to": "hom_in", "params": {"weight": -80.0}}],
    "nodes": [
        {"id": "sga", "model": "spike_generator", "n": 1, "params": {"spike_times": train_a}},
        {"id": "sgb", "model": "spike_generator", "n": 1, "params": {"spike_times": train_b}},
        {"id": "sgc", "model": "spike_generator", "n": 1, "params": {"spike_times": train_b}},
        {"id": "n", "model": "iaf_psc_alpha", "n": 2, "params": {}},
        {"id": "vm", "model": "voltmeter", "n": 1, "params": {"interval": 0.1}},
    ],
    "connections": [
        {"pre": "sga", "post": "n", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {"synapse_model": "hom_ex", "delay": 1.5}},
        {"pre": "sgb", "post": "n", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {"synapse_model": "hom_in", "delay": 0.7}},
        {"pre": "sgc", "post": "n", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {"synapse_model": "static_synapse_hom_w", "delay": 2.0}},
        {"pre": "vm", "post": "n", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}},
    ],
    "simulate": [40.0, 60.0],
    "record": ["vm"],
})


# Stochastic synapses: a parrot relays a regular train (100 spikes at 50 Hz) to 40 targets.
def stochastic_relay(name, description, syn, target_model, target_params, stat, simulate=2000.0, n=40):
    train = [10.0 + 20.0 * k for k in range(100)]
    nodes = [
        {"id": "sg", "model": "spike_generator", "n": 1, "params": {"spike_times": train}},
        {"id": "pre", "model": "parrot_neuron", "n": 1, "params": {}},
        {"id": "t", "model": target_model, "n": n, "params": target_params},
    ]
    conns = [{"pre": "sg", "post": "pre", "conn_spec": {"rule": "one_to_one"}, "syn_spec": {}},
             {"pre": "pre", "post": "t", "conn_spec": {"rule": "all_to_all"}, "syn_spec": syn}]
    if stat["stat"] == "spike_train":
        nodes.append({"id": "sr", "model": "spike_recorder", "n": 1, "params": {}})
        conns.append({"pre": "t", "post": "sr", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}})
        record = ["sr"]
    else:
        nodes.append({"id": "vm", "model": "voltmeter", "n": 1, "params": {"interval": 1.0}})
        conns.append({"pre": "vm", "post": "t", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}})
        record = ["vm"]
    write({"name": name, "description": description, "category": "stochastic", "kernel": {"resolution": 0.1, "rng_seed": 1},
           "nodes": nodes, "connections": conns, "simulate": [simulate], "record": record,
           "stochastic": dict(stat, seeds=SEEDS)})


stochastic_relay("bernoulli_synapse_parrots",
                 "bernoulli_synapse (p_transmit 0.3): a parrot relays 100 spikes to 40 parrots; transmitted spike counts over 20 seeds.",
                 {"synapse_model": "bernoulli_synapse", "p_transmit": 0.3, "weight": 1.0},
                 "parrot_neuron", {},
                 {"stat": "spike_train", "recorder": "sr", "population": "t",
                  "expected": {"mean_count": 30.0, "var_count": 21.0, "fano": 0.7}})
stochastic_relay("quantal_stp_synapse_parrots",
                 "quantal_stp_synapse (n 5, U 0.3, tau_rec 100 ms): a parrot relays 100 spikes at 50 Hz to 40 parrots; number of spikes with at least one release, over 20 seeds.",
                 {"synapse_model": "quantal_stp_synapse", "n": 5, "a": 5, "U": 0.3, "u": 0.3, "tau_rec": 100.0, "tau_fac": 0.0},
                 "parrot_neuron", {},
                 {"stat": "spike_train", "recorder": "sr", "population": "t"})
stochastic_relay("quantal_stp_synapse_psp",
                 "quantal_stp_synapse (n 4, U 0.2, tau_rec 200, tau_fac 50 ms, weight 2 mV): 100 spikes at 50 Hz into 40 iaf_psc_delta (no spiking); V_m mean and variance (released quanta), over 20 seeds.",
                 {"synapse_model": "quantal_stp_synapse", "weight": 2.0, "n": 4, "a": 4, "U": 0.2, "u": 0.2, "tau_rec": 200.0, "tau_fac": 50.0},
                 "iaf_psc_delta", {"V_th": 1000.0, "E_L": 0.0, "V_m": 0.0, "V_reset": 0.0},
                 {"stat": "signal_moments", "signals": [{"recorder": "vm", "quantity": "V_m", "key": "V_m", "t_min": 100.0}]})
print("wrote plasticity protocols")


# weight_recorder: set as a common property of copies of stdp_synapse, tsodyks2_synapse and
# static_synapse; a window (start 30, stop 400 ms); two pre parrots with irregular trains. A
# parrot that receives two spikes in one step (8.3 ms) sends one spike of multiplicity 2, which
# NEST's plastic synapses (and the postsynaptic history) see as two spikes.
rng = random.Random(5)
pre_a = sorted({round(rng.uniform(1, 480), 1) for _ in range(40)})
pre_b = sorted({round(rng.uniform(1, 480), 1) for _ in range(40)})
post = sorted({round(rng.uniform(1, 480), 1) for _ in range(40)})
write({
    "name": "weight_recorder_copies",
    "description": "weight_recorder (window 30-400 ms) on copies of stdp_synapse (receptor 1 onto parrots), tsodyks2_synapse and static_synapse (onto iaf_psc_exp); senders, targets, times, weights, receptors, ports; Simulate [200, 300].",
    "category": "exact",
    "kernel": {"resolution": 0.1, "rng_seed": 1},
    "copy_models": [
        {"from": "stdp_synapse", "to": "stdp_wr", "weight_recorder": "wr", "params": {"lambda": 0.05, "Wmax": 100.0}},
        {"from": "tsodyks2_synapse", "to": "ts2_wr", "weight_recorder": "wr", "params": {"U": 0.3, "tau_rec": 200.0}},
        {"from": "static_synapse", "to": "st_wr", "weight_recorder": "wr", "params": {}},
    ],
    "nodes": [
        {"id": "wr", "model": "weight_recorder", "n": 1, "params": {"start": 30.0, "stop": 400.0}},
        {"id": "sga", "model": "spike_generator", "n": 1, "params": {"spike_times": pre_a}},
        {"id": "sgb", "model": "spike_generator", "n": 1, "params": {"spike_times": pre_b}},
        {"id": "sgp", "model": "spike_generator", "n": 1, "params": {"spike_times": post}},
        {"id": "pre", "model": "parrot_neuron", "n": 2, "params": {}},
        {"id": "post", "model": "parrot_neuron", "n": 2, "params": {}},
        {"id": "n", "model": "iaf_psc_exp", "n": 2, "params": {"V_th": 1000.0}},
    ],
    "connections": [
        {"pre": "sga", "post": "pre", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}},
        {"pre": "sgb", "post": "pre", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {"delay": 3.0}},
        {"pre": "sgp", "post": "post", "conn_spec": {"rule": "all_to_all"}, "syn_spec": {}},
        {"pre": "pre", "post": "post", "conn_spec": {"rule": "all_to_all"},
         "syn_spec": {"synapse_model": "stdp_wr", "weight": 40.0, "delay": 1.5, "receptor_type": 1}},
        {"pre": "pre", "post": "n", "conn_spec": {"rule": "one_to_one"},
         "syn_spec": {"synapse_model": "ts2_wr", "weight": 100.0, "delay": 1.0}},
        {"pre": "pre", "post": "n", "conn_spec": {"rule": "all_to_all"},
         "syn_spec": {"synapse_model": "st_wr", "weight": -20.0, "delay": 2.0}},
    ],
    "simulate": [200.0, 300.0],
    "record": ["wr"],
    "weights": [{"pre": "pre", "post": "post", "synapse_model": "stdp_wr"}],
})
print("wrote weight_recorder protocol")
