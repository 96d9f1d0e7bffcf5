#!/usr/bin/env python3
"""Generate the protocols for the additional NEST 3.10 neuron models ("zoo").

Plain Python, NEST not needed.  Like make_protocols.py, this script only
records how the protocol files were made; re-running it rewrites every
protocol it defines.  Usage:
    python3 validation/nest/make_zoo_protocols.py

Per model there are two protocols:

* ``<model>_dc``: one neuron with a constant drive (I_e, or a dc_generator for
  models without I_e) that makes it fire regularly, two Simulate calls, a
  multimeter with every recordable at 0.1 ms and a spike_recorder.
* ``<model>_spike_input``: one neuron with a sub- or near-threshold drive,
  an excitatory and an inhibitory spike_generator (duplicate spike times, a
  burst that makes it fire, input arriving while it is refractory), a
  step_current_generator, 150 ms.  Multisynapse models get three receptors
  with one spike_generator on each (receptor_type 1..3).

A few models get extra protocols for mechanisms the two above do not reach
(glif variants, izhikevich with consistent_integration false).

Recordables are written out here (NEST's ``recordables`` of the configured
node, e.g. g_1..g_3 once three receptors are set); check them with NEST if a
model changes.
"""
import json, os

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "protocols")


def fmt(p):
    lines = ["{"]
    keys = list(p.keys())
    for i, k in enumerate(keys):
        v = p[k]
        comma = "," if i < len(keys) - 1 else ""
        if isinstance(v, list) and v and isinstance(v[0], dict):
            lines.append(f'  {json.dumps(k)}: [')
            for j, e in enumerate(v):
                c2 = "," if j < len(v) - 1 else ""
                lines.append("    " + json.dumps(e) + c2)
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(k)}: {json.dumps(v)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


P = []


def proto(name, description, nodes, connections, simulate, record, res=0.1, seed=12, category="exact", **extra):
    p = {"name": name, "description": description, "category": category,
         "kernel": {"resolution": res, "rng_seed": seed},
         "nodes": nodes, "connections": connections, "simulate": simulate, "record": record}
    p.update(extra)
    P.append(p)


def node(id, model, params=None, n=1):
    return {"id": id, "model": model, "n": n, "params": params or {}}


def conn(pre, post, rule="all_to_all", **syn):
    return {"pre": pre, "post": post, "conn_spec": {"rule": rule}, "syn_spec": syn}


# Input trains for the _spike_input protocols (150 ms) -----------------------------------
# EX: single spikes, a duplicate, a 0.5 ms burst (30-35), a fourfold spike at 60, a 0.1 ms burst
# (70-71) and a late burst (125-127) that lands partly in the refractory period.
EX_TIMES = ([5.0, 10.0, 10.0, 20.0] + [30.0 + 0.5 * i for i in range(11)] + [60.0] * 4 + [61.0, 61.0, 61.5, 62.0]
            + [round(70.0 + 0.1 * i, 1) for i in range(11)] + [100.0, 100.0, 110.0] + [125.0 + 0.5 * i for i in range(5)] + [140.0])
IN_TIMES = [10.0, 15.0, 15.0, 45.0, 80.0, 105.0, 105.0, 126.0, 145.0]
# a second excitatory train for multi-receptor models (receptor 2)
EX2_TIMES = [25.0, 25.0, 50.0, 71.0, 90.0, 90.5, 115.0, 115.0, 135.0]
STEP_TIMES = [40.0, 50.0, 85.0, 130.0]
STEP_REL = [1.0, -0.6, 0.0, 0.5]  # step_current_generator amplitudes, in units of the model's "step" value

# Model table ---------------------------------------------------------------------------------
# rec:     recordables with the dc parameters (NEST defaults)
# dc:      parameters for <model>_dc (drive through I_e unless dc_amp is given)
# si:      parameters for <model>_spike_input
# si_rec:  recordables with the si parameters when they differ from rec
# w_ex/w_in: weights of the two spike_generators (model units), receptors: list of
#          (train, weight) per receptor port for multisynapse models
# step:    step_current_generator scale (pA)
ADAPTIVE = "adaptive"
EXACT = "exact"
AEIF_REC_COND = ["V_m", "g_ex", "g_in", "w"]
AEIF_REC_PSC = ["I_syn_ex", "I_syn_in", "V_m", "w"]
GLIF_PSC_REC = ["ASCurrents_sum", "I", "I_syn", "V_m", "threshold", "threshold_spike", "threshold_voltage"]
GLIF_COND_REC3 = ["ASCurrents_sum", "I", "V_m", "g_1", "g_2", "g_3", "threshold", "threshold_spike", "threshold_voltage"]
GLIF_COND_REC2 = ["ASCurrents_sum", "I", "V_m", "g_1", "g_2", "threshold", "threshold_spike", "threshold_voltage"]
GLIF_FULL = {"spike_dependent_threshold": True, "after_spike_currents": True, "adapting_threshold": True}
GLIF_LIF = {"spike_dependent_threshold": False, "after_spike_currents": False, "adapting_threshold": False}

MODELS = {
    "aeif_cond_alpha": dict(cat=ADAPTIVE, rec=AEIF_REC_COND, dc={"I_e": 1000.0},
                            si={"I_e": 500.0, "t_ref": 2.0}, w_ex=20.0, w_in=-20.0, step=300.0),
    "aeif_cond_exp": dict(cat=ADAPTIVE, rec=AEIF_REC_COND, dc={"I_e": 1000.0},
                          si={"I_e": 500.0, "t_ref": 2.0}, w_ex=40.0, w_in=-20.0, step=300.0),
    "aeif_psc_alpha": dict(cat=ADAPTIVE, rec=AEIF_REC_PSC, dc={"I_e": 1000.0},
                           si={"I_e": 500.0, "t_ref": 2.0}, w_ex=1000.0, w_in=-500.0, step=300.0),
    "aeif_psc_exp": dict(cat=ADAPTIVE, rec=AEIF_REC_PSC, dc={"I_e": 1000.0},
                         si={"I_e": 500.0, "t_ref": 2.0}, w_ex=2500.0, w_in=-500.0, step=300.0),
    "aeif_psc_delta": dict(cat=ADAPTIVE, rec=["V_m", "w"], dc={"I_e": 1000.0},
                           si={"I_e": 500.0, "t_ref": 2.0}, w_ex=3.0, w_in=-2.0, step=300.0),
    "izhikevich": dict(cat=EXACT, rec=["U_m", "V_m"], dc={"I_e": 10.0},
                       si={"I_e": 3.0}, w_ex=4.0, w_in=-5.0, step=4.0),
    "hh_psc_alpha": dict(cat=ADAPTIVE, rec=["Act_m", "Act_n", "I_syn_ex", "I_syn_in", "Inact_h", "V_m"], dc={"I_e": 700.0},
                         si={"I_e": 200.0}, w_ex=1000.0, w_in=-500.0, step=300.0),
    "iaf_cond_beta": dict(cat=ADAPTIVE, rec=["V_m", "g_ex", "g_in", "t_ref_remaining"], dc={"I_e": 400.0},
                          si={"I_e": 200.0, "tau_rise_ex": 0.5, "tau_decay_ex": 2.0}, w_ex=5.0, w_in=-5.0, step=100.0),
    "aeif_cond_alpha_multisynapse": dict(
        cat=ADAPTIVE, rec=["V_m", "g_1", "w"], dc={"I_e": 1000.0},
        si={"I_e": 500.0, "t_ref": 2.0, "tau_syn": [0.5, 5.0, 2.0], "E_rev": [0.0, 0.0, -85.0]},
        si_rec=["V_m", "g_1", "g_2", "g_3", "w"], receptors=[(EX_TIMES, 10.0), (EX2_TIMES, 2.0), (IN_TIMES, 20.0)], step=300.0),
    "aeif_cond_beta_multisynapse": dict(
        cat=ADAPTIVE, rec=["V_m", "g_1", "w"], dc={"I_e": 1000.0},
        si={"I_e": 500.0, "t_ref": 2.0, "tau_rise": [0.2, 2.0, 1.0], "tau_decay": [1.0, 20.0, 1.0], "E_rev": [0.0, 0.0, -85.0]},
        si_rec=["V_m", "g_1", "g_2", "g_3", "w"], receptors=[(EX_TIMES, 10.0), (EX2_TIMES, 2.0), (IN_TIMES, 20.0)], step=300.0),
    "iaf_psc_alpha_multisynapse": dict(
        cat=EXACT, rec=["I_syn", "I_syn_1", "V_m"], dc={"I_e": 450.0},
        si={"I_e": 250.0, "tau_syn": [0.5, 5.0, 2.0]},
        si_rec=["I_syn", "I_syn_1", "I_syn_2", "I_syn_3", "V_m"], receptors=[(EX_TIMES, 400.0), (EX2_TIMES, 50.0), (IN_TIMES, -400.0)], step=300.0),
    "iaf_psc_exp_multisynapse": dict(
        cat=EXACT, rec=["I_syn", "I_syn_1", "V_m"], dc={"I_e": 450.0},
        si={"I_e": 250.0, "tau_syn": [0.5, 5.0, 2.0]},
        si_rec=["I_syn", "I_syn_1", "I_syn_2", "I_syn_3", "V_m"], receptors=[(EX_TIMES, 500.0), (EX2_TIMES, 80.0), (IN_TIMES, -500.0)], step=300.0),
    "iaf_cond_exp_sfa_rr": dict(cat=ADAPTIVE, rec=["V_m", "g_ex", "g_in", "g_rr", "g_sfa"], dc={"I_e": 1000.0},
                                si={"I_e": 300.0}, w_ex=15.0, w_in=-10.0, step=300.0),
    "mat2_psc_exp": dict(cat=EXACT, rec=["V_m", "V_th"], dc={"I_e": 700.0},
                         si={"I_e": 300.0}, w_ex=300.0, w_in=-300.0, step=300.0),
    "amat2_psc_exp": dict(cat=EXACT, rec=["I_syn_ex", "I_syn_in", "V_m", "V_th", "V_th_v"], dc={"I_e": 200.0, "beta": 0.2, "alpha_2": 2.0},
                          si={"I_e": 80.0, "beta": 0.2, "alpha_2": 2.0}, w_ex=150.0, w_in=-150.0, step=100.0),
    "iaf_tum_2000": dict(cat=EXACT, rec=["I_syn_ex", "I_syn_in", "V_m"], dc={"I_e": 450.0},
                         si={"I_e": 250.0}, w_ex=400.0, w_in=-400.0, step=300.0),
    "iaf_psc_exp_htum": dict(cat=EXACT, rec=["I_syn_ex", "I_syn_in", "V_m"], dc={"I_e": 450.0},
                             si={"I_e": 250.0, "t_ref_abs": 1.5, "t_ref_tot": 4.0}, w_ex=400.0, w_in=-400.0, step=300.0),
    "iaf_chxk_2008": dict(cat=ADAPTIVE, rec=["I_ahp", "I_syn_ex", "I_syn_in", "V_m", "g_ahp", "g_ex", "g_in"], dc={"I_e": 2000.0},
                          si={"I_e": 1200.0}, w_ex=15.0, w_in=-15.0, step=600.0),
    "ignore_and_fire": dict(cat=EXACT, rec=[], dc={"phase": 0.3, "rate": 50.0},
                            si={"phase": 0.05, "rate": 70.0}, w_ex=500.0, w_in=-500.0, step=300.0),
    "glif_psc": dict(cat=EXACT, rec=GLIF_PSC_REC, dc=dict(GLIF_FULL, tau_syn=[2.0]), dc_amp=400.0,
                     si=dict(GLIF_FULL, tau_syn=[0.5, 5.0, 2.0]), si_amp=220.0,
                     receptors=[(EX_TIMES, 100.0), (EX2_TIMES, 15.0), (IN_TIMES, -100.0)], step=100.0),
    "glif_cond": dict(cat=ADAPTIVE, rec=GLIF_COND_REC2, dc=dict(GLIF_FULL), dc_amp=400.0,
                      si=dict(GLIF_FULL, tau_syn=[0.5, 5.0, 2.0], E_rev=[0.0, 0.0, -85.0]), si_amp=220.0, si_rec=GLIF_COND_REC3,
                      receptors=[(EX_TIMES, 5.0), (EX2_TIMES, 1.0), (IN_TIMES, 5.0)], step=100.0),
}
# dc duration per model: shorter for models with many recordables (reference size)
DC_SIM = {"hh_psc_alpha": [100.0, 100.0], "iaf_chxk_2008": [100.0, 100.0], "glif_psc": [100.0, 100.0], "glif_cond": [100.0, 100.0]}


def recorders(rec, res=0.1):
    """Multimeter (only if the model has recordables) and spike_recorder."""
    out = []
    if rec:
        out.append(node("mm", "multimeter", {"interval": res, "record_from": rec}))
    out.append(node("sr", "spike_recorder"))
    return out


def rec_conns(rec, targets=("n",)):
    out = [conn("mm", t) for t in targets] if rec else []
    return out + [conn(t, "sr") for t in targets]


def record_ids(rec):
    return ["mm", "sr"] if rec else ["sr"]


def dc_proto(model, name=None, params=None, dc_amp=None, simulate=None, desc_extra=""):
    cfg = MODELS[model]
    name = name or f"{model}_dc"
    params = cfg["dc"] if params is None else params
    dc_amp = cfg.get("dc_amp") if dc_amp is None else dc_amp
    simulate = simulate or DC_SIM.get(model, [150.0, 150.0])
    rec = cfg["rec"]
    nodes = [node("n", model, params)]
    conns = []
    if dc_amp is not None:
        nodes.append(node("dc", "dc_generator", {"amplitude": dc_amp}))
        conns.append(conn("dc", "n", weight=1.0, delay=1.0))
        drive = f"a dc_generator of {dc_amp} pA (the model has no I_e)"
    elif model == "ignore_and_fire":
        drive = f"phase {params['phase']} and rate {params['rate']} Hz"
    else:
        drive = f"I_e = {params['I_e']} pA"
    targets = ["n"]
    if model == "iaf_tum_2000":
        # The built-in Tsodyks synapse acts only on iaf_tum_2000 -> iaf_tum_2000 connections on receptor 1.
        nodes.append(node("post", model, {"I_e": 350.0}))
        conns.append(conn("n", "post", weight=5000.0, delay=1.0, receptor_type=1))
        targets.append("post")
        drive += "; n drives a second iaf_tum_2000 (I_e 350 pA) through receptor 1 (built-in short-term plasticity), weight 5000 pA"
    nodes += recorders(rec)
    conns += rec_conns(rec, targets)
    sims = " + ".join(str(s) for s in simulate)
    proto(name,
          f"{model} {desc_extra}driven by {drive}: regular firing over {sims} ms (two Simulate calls); all recordables every 0.1 ms.",
          nodes, conns, simulate, record_ids(rec), category=cfg["cat"])


def spike_input_proto(model, name=None, params=None, amp=None, desc_extra=""):
    cfg = MODELS[model]
    name = name or f"{model}_spike_input"
    params = cfg["si"] if params is None else params
    amp = cfg.get("si_amp") if amp is None else amp
    rec = cfg.get("si_rec", cfg["rec"])
    step = cfg["step"]
    nodes = [node("n", model, params)]
    conns = []
    if amp is not None:
        nodes.append(node("dc", "dc_generator", {"amplitude": amp}))
        conns.append(conn("dc", "n", weight=1.0, delay=1.0))
    if "receptors" in cfg:
        for i, (train, w) in enumerate(cfg["receptors"], start=1):
            nodes.append(node(f"sg_{i}", "spike_generator", {"spike_times": train}))
            conns.append(conn(f"sg_{i}", "n", weight=w, delay=1.0, receptor_type=i))
        inputs = f"one spike_generator on each of receptors 1..{len(cfg['receptors'])}"
    else:
        nodes.append(node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}))
        nodes.append(node("sg_in", "spike_generator", {"spike_times": IN_TIMES}))
        conns.append(conn("sg_ex", "n", weight=cfg["w_ex"], delay=1.0))
        conns.append(conn("sg_in", "n", weight=cfg["w_in"], delay=1.0))
        inputs = "an excitatory and an inhibitory spike_generator"
    nodes.append(node("scg", "step_current_generator",
                      {"amplitude_times": STEP_TIMES, "amplitude_values": [r * step for r in STEP_REL]}))
    conns.append(conn("scg", "n", weight=1.0, delay=1.0))
    nodes += recorders(rec)
    conns += rec_conns(rec)
    proto(name,
          f"{model} {desc_extra}driven by {inputs} (duplicate spikes, bursts that make it fire, input during refractoriness) and a step_current_generator; all recordables every 0.1 ms, 150 ms.",
          nodes, conns, [150.0], record_ids(rec), category=cfg["cat"])


for m in MODELS:
    dc_proto(m)
    spike_input_proto(m)

# iaf_chxk_2008 sends precise spike times (NEST's offset: the interpolated threshold crossing);
# nestor records spikes at the end of their step, so NEST's spike_recorder runs with
# time_in_steps (run_protocols.py writes the steps back in ms on the grid and drops the offsets).
for p in P:
    if p["name"] in ("iaf_chxk_2008_dc", "iaf_chxk_2008_spike_input"):
        p["nest_time_in_steps"] = ["sr"]

# extra variants --------------------------------------------------------------------------------
# glif: plain LIF (GLIF1) for both protocols, and the intermediate mechanism sets (GLIF2-4) with DC.
GLIF_VARIANTS = {
    "r": {"spike_dependent_threshold": True, "after_spike_currents": False, "adapting_threshold": False},
    "asc": {"spike_dependent_threshold": False, "after_spike_currents": True, "adapting_threshold": False},
    "r_asc": {"spike_dependent_threshold": True, "after_spike_currents": True, "adapting_threshold": False},
}
for m in ["glif_psc", "glif_cond"]:
    cfg = MODELS[m]
    lif_dc = dict(cfg["dc"], **GLIF_LIF)
    lif_si = dict(cfg["si"], **GLIF_LIF)
    dc_proto(m, name=f"{m}_lif_dc", params=lif_dc, desc_extra="(GLIF1, plain LIF) ")
    spike_input_proto(m, name=f"{m}_lif_spike_input", params=lif_si, desc_extra="(GLIF1, plain LIF) ")
    for v, flags in GLIF_VARIANTS.items():
        dc_proto(m, name=f"{m}_{v}_dc", params=dict(cfg["dc"], **flags), desc_extra=f"({v.upper()} variant) ")

# izhikevich with consistent_integration false (NEST's published-algorithm variant)
dc_proto("izhikevich", name="izhikevich_dc_inconsistent", params={"I_e": 10.0, "consistent_integration": False},
         desc_extra="with consistent_integration = false ")

# Stochastic point neurons (pp_psc_delta, the gif family) ---------------------------------------
# NEST's random numbers cannot be reproduced, so each model gets
# * deterministic protocols where the escape noise cannot act: a rate that is 0 (pp_psc_delta with
#   c_1 = c_2 = 0, gif with lambda_0 = 0: no spikes and no draws), traces compared exactly; and a
#   "hard threshold" (pp_psc_delta with c_3 = 1e6 /mV, gif with Delta_V = 1e-6 mV): the spike
#   probability per step is 0 below threshold and rounds to exactly 1 a few 1e-6 mV above it, so
#   spikes, dead time, reset and adaptation are deterministic and compared exactly too;
# * stochastic protocols: populations driven by a constant current, spike-train statistics (rate,
#   Fano factor, CV of the intervals) or moments of the recorded state over 20 seeds.
SEEDS = list(range(1, 21))


def stoch_spike_proto(name, description, model, params, n, simulate, extra_nodes=(), extra_conns=()):
    nodes = [node("p", model, params, n=n)] + list(extra_nodes) + [node("sr", "spike_recorder")]
    conns = list(extra_conns) + [conn("p", "sr")]
    proto(name, description, nodes, conns, simulate, ["sr"], category="stochastic",
          stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p"})


def stoch_moments_proto(name, description, model, params, n, simulate, quantities, t_min, interval=1.0):
    nodes = [node("p", model, params, n=n), node("mm", "multimeter", {"interval": interval, "record_from": quantities})]
    conns = [conn("mm", "p")]
    signals = [{"recorder": "mm", "quantity": q, "key": q, "t_min": t_min} for q in quantities]
    proto(name, description, nodes, conns, simulate, ["mm"], category="stochastic",
          stochastic={"seeds": SEEDS, "stat": "signal_moments", "signals": signals})


def input_proto(name, description, model, params, rec, cat, w_ex=None, w_in=None, receptors=None, step=100.0,
                simulate=(150.0,)):
    """One neuron, spike_generators (excitatory/inhibitory or one per receptor), a step current."""
    nodes = [node("n", model, params)]
    conns = []
    if receptors:
        for i, (train, w) in enumerate(receptors, start=1):
            nodes.append(node(f"sg_{i}", "spike_generator", {"spike_times": train}))
            conns.append(conn(f"sg_{i}", "n", weight=w, delay=1.0, receptor_type=i))
    else:
        nodes.append(node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}))
        nodes.append(node("sg_in", "spike_generator", {"spike_times": IN_TIMES}))
        conns.append(conn("sg_ex", "n", weight=w_ex, delay=1.0))
        conns.append(conn("sg_in", "n", weight=w_in, delay=1.0))
    nodes.append(node("scg", "step_current_generator",
                      {"amplitude_times": STEP_TIMES, "amplitude_values": [r * step for r in STEP_REL]}))
    conns.append(conn("scg", "n", weight=1.0, delay=1.0))
    nodes += recorders(rec)
    conns += rec_conns(rec)
    proto(name, description, nodes, conns, list(simulate), record_ids(rec), category=cat)


# pp_psc_delta: V_m is relative to rest, spike weights are mV.
PP_REC = ["E_sfa", "V_m"]
PP_HARD = {"c_1": 0.0, "c_2": 1.0, "c_3": 1e6}
input_proto("pp_psc_delta_subthreshold",
            "pp_psc_delta with c_1 = c_2 = 0 (rate 0: no spikes, no random draws), I_e = 100 pA, excitatory (2 mV) and inhibitory (-1.5 mV) spike trains and a step current; V_m and E_sfa every 0.1 ms over 2 x 75 ms.",
            "pp_psc_delta", {"c_1": 0.0, "c_2": 0.0, "I_e": 100.0, "tau_sfa": [20.0, 200.0], "q_sfa": [6.0, 1.5]},
            PP_REC, EXACT, w_ex=2.0, w_in=-1.5, simulate=(75.0, 75.0))
input_proto("pp_psc_delta_hard_threshold",
            "pp_psc_delta with a hard threshold (c_2 = 1 Hz, c_3 = 1e6 /mV: firing probability 0 below E_sfa, exactly 1 a few 1e-6 mV above), I_e = 600 pA, two adaptation components, dead_time 2 ms, t_ref_remaining 3 ms, with_reset, spike trains and a step current; deterministic, 2 x 150 ms.",
            "pp_psc_delta", dict(PP_HARD, I_e=600.0, tau_sfa=[20.0, 200.0], q_sfa=[6.0, 1.5], dead_time=2.0, t_ref_remaining=3.0),
            PP_REC, EXACT, w_ex=2.0, w_in=-1.5, simulate=(150.0, 150.0))
input_proto("pp_psc_delta_hard_threshold_noreset",
            "pp_psc_delta with a hard threshold (c_3 = 1e6 /mV), with_reset false, dead_time 0.05 ms (NEST sets it to the resolution), one adaptation component (q_sfa 2 mV, tau_sfa 30 ms), I_e = 400 pA, spike trains and a step current; deterministic, 150 ms.",
            "pp_psc_delta", dict(PP_HARD, I_e=400.0, tau_sfa=[30.0], q_sfa=[2.0], dead_time=0.05, with_reset=False),
            PP_REC, EXACT, w_ex=2.0, w_in=-1.5)
PP_POP = {"I_e": 375.0, "tau_sfa": [20.0, 200.0], "q_sfa": [3.0, 1.0], "dead_time": 2.0}
stoch_spike_proto("pp_psc_delta_population",
                  "100 pp_psc_delta (NEST's exponential rate c_2 = 1.238 Hz, c_3 = 0.25 /mV) driven by I_e = 375 pA, two adaptation components, dead_time 2 ms, with_reset; spike-train statistics over 2 x 500 ms and 20 seeds.",
                  "pp_psc_delta", PP_POP, 100, [500.0, 500.0])
stoch_spike_proto("pp_psc_delta_random_dead_time",
                  "100 pp_psc_delta with a constant rate of 200 Hz (c_2 = 200, c_3 = 0) and gamma-distributed dead times (mean 20 ms, shape 4): ISI = dead time + exponential; spike-train statistics over 1000 ms and 20 seeds.",
                  "pp_psc_delta", {"c_2": 200.0, "c_3": 0.0, "dead_time": 20.0, "dead_time_random": True, "dead_time_shape": 4},
                  100, [1000.0])
stoch_spike_proto("pp_psc_delta_poisson",
                  "50 pp_psc_delta without dead time (Poisson spike counts per step, multiplicities > 1), linear rate c_1 = 200 Hz/mV (c_2 = 0), I_e = 250 pA, no reset, adaptation q_sfa 0.5 mV / tau_sfa 50 ms; spike-train statistics over 500 ms and 20 seeds.",
                  "pp_psc_delta", {"c_1": 200.0, "c_2": 0.0, "I_e": 250.0, "dead_time": 0.0, "with_reset": False, "tau_sfa": [50.0], "q_sfa": [0.5]},
                  50, [500.0])
stoch_moments_proto("pp_psc_delta_moments",
                    "20 pp_psc_delta as in pp_psc_delta_population: mean and variance of V_m and E_sfa sampled every 1 ms after 100 ms, 500 ms, 20 seeds.",
                    "pp_psc_delta", PP_POP, 20, [500.0], ["E_sfa", "V_m"], 100.0)

# The gif family: lambda_0 = 0 (no spikes, no draws) for the sub-threshold traces, Delta_V = 1e-6 mV
# (firing probability 0 below E_sfa, exactly 1 a few 1e-6 mV above) for deterministic spiking with
# both adaptation mechanisms; populations with NEST's escape rate (Delta_V 0.5 mV, lambda_0 1/s).
GIF_ADAPT = {"tau_sfa": [20.0, 200.0], "q_sfa": [5.0, 2.0], "tau_stc": [10.0, 100.0], "q_stc": [30.0, 10.0]}
GIF_SUB = dict(GIF_ADAPT, lambda_0=0.0, I_e=60.0)
GIF_HARD = dict(GIF_ADAPT, Delta_V=1e-6, V_T_star=-50.0, I_e=150.0)
GIF_POP = {"I_e": 160.0, "tau_sfa": [100.0, 1000.0], "q_sfa": [2.0, 1.0], "tau_stc": [30.0, 300.0], "q_stc": [10.0, 3.0]}
GIF_MODELS = {
    # model: (category, recordables, single-port weights or None, multi-receptor params and receptors)
    "gif_psc_exp": (EXACT, ["E_sfa", "I_stc", "I_syn_ex", "I_syn_in", "V_m"], (150.0, -150.0), None),
    "gif_cond_exp": (ADAPTIVE, ["E_sfa", "I_stc", "V_m", "g_ex", "g_in"], (5.0, -5.0), None),
    "gif_psc_exp_multisynapse": (EXACT, ["E_sfa", "I_stc", "V_m"], None,
                                 ({"tau_syn": [0.5, 5.0, 2.0]}, [(EX_TIMES, 150.0), (EX2_TIMES, 40.0), (IN_TIMES, -150.0)])),
    "gif_cond_exp_multisynapse": (ADAPTIVE, ["E_sfa", "I_stc", "V_m"], None,
                                  ({"tau_syn": [0.5, 5.0, 2.0], "E_rev": [0.0, 0.0, -85.0]},
                                   [(EX_TIMES, 5.0), (EX2_TIMES, 2.0), (IN_TIMES, 5.0)])),
}
for m, (cat, rec, w, multi) in GIF_MODELS.items():
    extra, receptors = multi if multi else ({}, None)
    w_ex, w_in = w if w else (None, None)
    inputs = "one spike_generator on each of receptors 1..3" if multi else "excitatory and inhibitory spike trains"
    input_proto(f"{m}_subthreshold",
                f"{m} with lambda_0 = 0 (no spikes, no random draws), I_e = 60 pA, stc and sfa lists set, {inputs} and a step current; all recordables every 0.1 ms over 2 x 75 ms.",
                m, dict(GIF_SUB, **extra), rec, cat, w_ex=w_ex, w_in=w_in, receptors=receptors, step=40.0, simulate=(75.0, 75.0))
    input_proto(f"{m}_hard_threshold",
                f"{m} with a hard threshold (Delta_V = 1e-6 mV: firing probability 0 below E_sfa, exactly 1 just above; V_T_star -50 mV), I_e = 150 pA, two stc and two sfa components, t_ref 4 ms, {inputs} and a step current; deterministic, 2 x 150 ms.",
                m, dict(GIF_HARD, **extra), rec, cat, w_ex=w_ex, w_in=w_in, receptors=receptors, step=40.0, simulate=(150.0, 150.0))
    stoch_spike_proto(f"{m}_population",
                      f"100 {m} with NEST's escape rate (Delta_V 0.5 mV, lambda_0 1/s, V_T_star -35 mV) driven by I_e = 160 pA, two stc and two sfa components, t_ref 4 ms; spike-train statistics over 2 x 500 ms and 20 seeds.",
                      m, dict(GIF_POP, **extra), 100, [500.0, 500.0])
    if multi:
        # Poisson input through the ports: excitatory on receptor 1, inhibitory on receptor 3.
        w_e, w_i, i_e = (40.0, -20.0, 150.0) if "psc" in m else (1.0, 0.5, 180.0)
        stoch_spike_proto(f"{m}_poisson_input",
                          f"100 {m} (ports as in the _subthreshold protocol) with I_e = {i_e} pA and independent Poisson input, 4000 Hz on receptor 1 (weight {w_e}) and 2000 Hz on receptor 3 (weight {w_i}); escape noise with Delta_V 1 mV, one stc and one sfa component; spike-train statistics over 1000 ms and 20 seeds.",
                          m, dict(extra, I_e=i_e, Delta_V=1.0, tau_sfa=[50.0], q_sfa=[2.0], tau_stc=[20.0], q_stc=[10.0]), 100, [1000.0],
                          extra_nodes=[node("pe", "poisson_generator", {"rate": 4000.0}), node("pi", "poisson_generator", {"rate": 2000.0})],
                          extra_conns=[conn("pe", "p", weight=w_e, delay=1.0, receptor_type=1),
                                       conn("pi", "p", weight=w_i, delay=1.0, receptor_type=3)])
    else:
        stoch_spike_proto(f"{m}_irregular",
                          f"400 {m} in an irregular regime where the escape noise sets the statistics: Delta_V 2 mV, lambda_0 5/s, I_e = 150 pA, one stc (10 pA, 20 ms) and one sfa (1 mV, 50 ms) component, t_ref 2 ms; spike-train statistics over 2 x 1000 ms and 20 seeds.",
                          m, {"I_e": 150.0, "Delta_V": 2.0, "lambda_0": 5.0, "t_ref": 2.0, "tau_sfa": [50.0], "q_sfa": [1.0], "tau_stc": [20.0], "q_stc": [10.0]},
                          400, [1000.0, 1000.0])
stoch_moments_proto("gif_psc_exp_moments",
                    "20 gif_psc_exp as in gif_psc_exp_population: mean and variance of V_m, E_sfa and I_stc sampled every 1 ms after 100 ms, 500 ms, 20 seeds.",
                    "gif_psc_exp", GIF_POP, 20, [500.0], ["E_sfa", "I_stc", "V_m"], 100.0)
stoch_moments_proto("gif_cond_exp_moments",
                    "20 gif_cond_exp as in gif_cond_exp_population: mean and variance of V_m, E_sfa and I_stc sampled every 1 ms after 100 ms, 500 ms, 20 seeds.",
                    "gif_cond_exp", GIF_POP, 20, [500.0], ["E_sfa", "I_stc", "V_m"], 100.0)

os.makedirs(OUT, exist_ok=True)
names = set()
for p in P:
    assert p["name"] not in names, p["name"]
    names.add(p["name"])
    with open(os.path.join(OUT, p["name"] + ".json"), "w") as f:
        f.write(fmt(p))
print(len(P), "protocols")
