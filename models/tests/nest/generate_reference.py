"""Generates the NEST reference traces used by models/tests/nest_reference.rs.

Run with a PyNEST 3.10 installation:  python generate_reference.py
Writes one JSON file per scenario next to this script. Each file holds the model, resolution,
number of steps, per-neuron parameters, the inputs as (step, kind, receptor, value, neuron) in
the kernel's convention (the step t of the update t -> t+1 in which the input is read), and
NEST's recorded V_m (and I_syn_ex/I_syn_in where the model has them) after every step, plus
the spike steps (spike time / h).
"""
import json
import os

import nest

H = 0.1
T_SIM = 150.0
DELAY = 1.0  # ms, on every input connection


def steps(ms):
    return int(round(ms / H))


def scenario(name, model, variants, spikes, dcs, record):
    """variants: list of param dicts (one neuron each); spikes: list of (time_ms, weight,
    multiplicity, receptor); dcs: list of (amplitude, start_ms, stop_ms, receptor)."""
    nest.ResetKernel()
    nest.set_verbosity("M_ERROR")
    nest.resolution = H
    nrn = nest.Create(model, len(variants))
    for n, p in zip(nrn, variants):
        n.set(p)
    inputs = []
    d = steps(DELAY)
    for t, w, m, rec in spikes:
        sg = nest.Create("spike_generator", params={"spike_times": [t], "spike_multiplicities": [m]})
        nest.Connect(sg, nrn, syn_spec={"weight": w, "delay": DELAY, "receptor_type": rec})
        # Stamped at t, delivered after the delay: read in the update starting at t + d - 1.
        for i in range(len(variants)):
            inputs.append([steps(t) + d - 1, "spike", rec, w * m, i])
    for amp, start, stop, rec in dcs:
        dc = nest.Create("dc_generator", params={"amplitude": amp, "start": start, "stop": stop})
        nest.Connect(dc, nrn, syn_spec={"weight": 1.0, "delay": DELAY, "receptor_type": rec})
        # NEST sends a current at step s when start < s + 2 <= stop; read at s + d.
        for s in range(steps(start) - 1, steps(stop) - 1):
            for i in range(len(variants)):
                inputs.append([s + d, "current", rec, amp, i])
    mm = nest.Create("multimeter", params={"interval": H, "record_from": record})
    nest.Connect(mm, nrn)
    sr = nest.Create("spike_recorder")
    nest.Connect(nrn, sr)
    nest.Simulate(T_SIM)
    ev = mm.events
    nsteps = steps(T_SIM)
    first = nrn[0].global_id
    traces = {v: [[None] * (nsteps - 1) for _ in variants] for v in record}
    for idx in range(len(ev["times"])):
        i = ev["senders"][idx] - first
        k = steps(ev["times"][idx]) - 1  # value after the update (k) -> (k+1)
        for v in record:
            traces[v][i][k] = float(ev[v][idx])
    # The multimeter has not yet received the data of the last min_delay slice: keep the
    # steps recorded for every neuron.
    last = min(max(k for k, x in enumerate(tr) if x is not None) for trs in traces.values() for tr in trs)
    traces = {v: [tr[: last + 1] for tr in trs] for v, trs in traces.items()}
    sev = sr.events
    spk = sorted([int(s) - first, steps(t)] for s, t in zip(sev["senders"], sev["times"]) if steps(t) <= last + 1)
    out = {
        "model": model,
        "h": H,
        "steps": last + 1,
        "params": variants,
        "inputs": sorted(inputs),
        "record": traces,
        "spikes": spk,
        "nest_version": nest.__version__,
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(name, "spikes:", len(spk))


ALPHA_EXP_VARIANTS = [
    {},
    {"tau_syn_ex": 10.0, "tau_syn_in": 10.0},  # singular: tau_syn == tau_m
    {"tau_syn_ex": 10.0 * (1 + 1e-10), "tau_syn_in": 10.0 * (1 - 1e-10)},  # nearly singular
    {"tau_m": 7.0, "tau_syn_ex": 7.0 * (1 + 1e-6), "tau_syn_in": 0.5},
    {"E_L": -65.0, "V_th": -50.0, "V_reset": -68.0, "C_m": 100.0, "t_ref": 2.55, "I_e": 120.0},
    {"I_e": 376.0},
    {"I_e": 450.0, "t_ref": 0.0, "tau_syn_ex": 0.3},
]
SPIKES_PSC = [
    (5.0, 300.0, 1, 0), (20.0, 800.0, 3, 0), (20.0, -200.0, 1, 0), (45.0, -900.0, 2, 0),
    (70.0, 1200.0, 1, 0), (71.3, 1500.0, 2, 0), (100.0, -3000.0, 1, 0), (120.5, 2500.0, 1, 0),
]

if __name__ == "__main__":
    alpha_variants = ALPHA_EXP_VARIANTS + [{"V_min": -71.0}]
    scenario("iaf_psc_alpha", "iaf_psc_alpha", alpha_variants, SPIKES_PSC,
             [(180.0, 30.0, 90.0, 0)], ["V_m", "I_syn_ex", "I_syn_in"])
    scenario("iaf_psc_exp", "iaf_psc_exp", ALPHA_EXP_VARIANTS, SPIKES_PSC,
             [(180.0, 30.0, 90.0, 0), (250.0, 60.0, 110.0, 1)], ["V_m", "I_syn_ex", "I_syn_in"])
    delta_variants = [
        {},
        {"refractory_input": True, "I_e": 300.0},
        {"V_min": -71.5, "I_e": 200.0},
        {"E_L": -60.0, "V_th": -52.0, "V_reset": -66.0, "tau_m": 20.0, "C_m": 80.0, "t_ref": 1.23},
        {"I_e": 376.0, "t_ref": 0.0},
    ]
    spikes_delta = [
        (5.0, 3.0, 1, 0), (12.0, 8.0, 2, 0), (12.1, -2.0, 1, 0), (30.0, 16.0, 1, 0), (31.0, 5.0, 1, 0),
        (31.5, 2.0, 3, 0), (60.0, -6.0, 1, 0), (90.0, 15.5, 1, 0), (91.0, 4.0, 1, 0),
    ]
    scenario("iaf_psc_delta", "iaf_psc_delta", delta_variants, spikes_delta, [(150.0, 40.0, 80.0, 0)], ["V_m"])
