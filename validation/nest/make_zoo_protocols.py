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
import json, math, os

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
    "iaf_psc_exp_htum": dict(cat=EXACT, rec=["I_syn_ex", "I_syn_in", "V_m"], dc={"I_e": 450.0},
                             si={"I_e": 250.0, "t_ref_abs": 1.5, "t_ref_tot": 4.0}, w_ex=400.0, w_in=-400.0, step=300.0),
    "iaf_chxk_2008": dict(cat=ADAPTIVE, rec=["I_ahp", "I_syn_ex", "I_syn_in", "V_m", "g_ahp", "g_ex", "g_in"], dc={"I_e": 2000.0},
                          si={"I_e": 1200.0}, w_ex=15.0, w_in=-15.0, step=600.0),
    "ignore_and_fire": dict(cat=EXACT, rec=[], dc={"phase": 0.3, "rate": 50.0},
                            si={"phase": 0.05, "rate": 70.0}, w_ex=500.0, w_in=-500.0, step=300.0),
    "glif_psc": dict(cat=EXACT, rec=GLIF_PSC_REC, dc=dict(GLIF_FULL, tau_syn=[2.0]), dc_amp=400.0,
                     si=dict(GLIF_FULL, tau_syn=[0.5, 5.0, 2.0]), si_amp=220.0,
                     receptors=[(EX_TIMES, 100.0), (EX2_TIMES, 15.0), (IN_TIMES, -100.0)], step=100.0),
    "glif_psc_double_alpha": dict(cat=EXACT, rec=GLIF_PSC_REC, dc=dict(GLIF_FULL, tau_syn_fast=[2.0], tau_syn_slow=[6.0], amp_slow=[0.3]),
                                  dc_amp=400.0,
                                  si=dict(GLIF_FULL, tau_syn_fast=[0.5, 5.0, 2.0], tau_syn_slow=[3.0, 20.0, 8.0], amp_slow=[0.5, 0.2, 1.0]),
                                  si_amp=220.0, receptors=[(EX_TIMES, 80.0), (EX2_TIMES, 10.0), (IN_TIMES, -80.0)], step=100.0),
    "glif_cond": dict(cat=ADAPTIVE, rec=GLIF_COND_REC2, dc=dict(GLIF_FULL), dc_amp=400.0,
                      si=dict(GLIF_FULL, tau_syn=[0.5, 5.0, 2.0], E_rev=[0.0, 0.0, -85.0]), si_amp=220.0, si_rec=GLIF_COND_REC3,
                      receptors=[(EX_TIMES, 5.0), (EX2_TIMES, 1.0), (IN_TIMES, 5.0)], step=100.0),
}
# dc duration per model: shorter for models with many recordables (reference size)
DC_SIM = {"hh_psc_alpha": [100.0, 100.0], "iaf_chxk_2008": [100.0, 100.0], "glif_psc": [100.0, 100.0], "glif_cond": [100.0, 100.0],
          "glif_psc_double_alpha": [100.0, 100.0]}


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

spike_input_proto("glif_psc_double_alpha", name="glif_psc_double_alpha_lif_spike_input",
                  params=dict(MODELS["glif_psc_double_alpha"]["si"], **GLIF_LIF), desc_extra="(GLIF1, plain LIF) ")

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

# gif_pop_psc_exp: one node is a population of N GIF neurons and sends one spike per step with
# multiplicity n_events.  lambda_0 = 0 makes it silent and draw-free (n_expect = 0: no binomial
# or Poisson draw), so membrane, synaptic currents and the adaptive threshold (which moves once
# the initial N leave the len_kernel history) are compared exactly; the escape law and the
# binomial/Poisson counts are compared by statistics over 20 seeds at h = 0.5 ms (1.0 ms for the
# BinoRand pair), where the automatic history stays short (len_kernel ~ 1600 steps).
GP_REC = ["E_sfa", "I_syn_ex", "I_syn_in", "V_m", "mean", "n_events"]
input_proto("gif_pop_psc_exp_subthreshold",
            "gif_pop_psc_exp (N 50) with lambda_0 = 0 (silent: n_expect = 0, no random draws), I_e = 100 pA, E_L -2 mV, V_m 3 mV, len_kernel 400 (the initial N leave the history at 40 ms and move E_sfa), two adaptation components, excitatory (40 pA) and inhibitory (-60 pA) spike trains (weight x multiplicity into I_syn_ex / I_syn_in by sign) and a step current; all recordables every 0.1 ms over 2 x 75 ms.",
            "gif_pop_psc_exp", {"N": 50, "lambda_0": 0.0, "I_e": 100.0, "E_L": -2.0, "V_m": 3.0, "len_kernel": 400,
                                "tau_sfa": [20.0, 200.0], "q_sfa": [3.0, 1.0]},
            GP_REC, EXACT, w_ex=40.0, w_in=-60.0, step=40.0, simulate=(75.0, 75.0))
GP_POP = {"N": 500, "V_T_star": 10.0, "I_e": 500.0, "tau_sfa": [500.0], "q_sfa": [1.0], "tau_syn_in": 2.0}
proto("gif_pop_psc_exp_population",
      "10 gif_pop_psc_exp of N 500 (V_T_star 10 mV, I_e 500 pA, one adaptation component q_sfa 1 mV / tau_sfa 500 ms, t_ref 4 ms, BinoRand) at h = 0.5 ms; every population spike (multiplicity n_events) is n_events spikes in the spike_recorder: spike-train statistics of the 10 populations over 2 x 500 ms and 20 seeds.",
      [node("p", "gif_pop_psc_exp", GP_POP, n=10), node("sr", "spike_recorder")],
      [conn("p", "sr")], [500.0, 500.0], ["sr"], res=0.5, category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p"})


def gp_signals(rec, quantities, prefix=""):
    return [dict({"recorder": rec, "quantity": q, "key": prefix + q, "t_min": 200.0}, **({"fano": True} if q == "n_events" else {}))
            for q in quantities]


proto("gif_pop_psc_exp_moments",
      "5 gif_pop_psc_exp as in gif_pop_psc_exp_population: mean and variance of the spike count per step (n_events, with its Fano factor), of its expectation (mean) and of E_sfa, sampled every step (0.5 ms) after 200 ms of 1000 ms, 20 seeds.",
      [node("p", "gif_pop_psc_exp", GP_POP, n=5), node("mm", "multimeter", {"interval": 0.5, "record_from": ["n_events", "mean", "E_sfa"]})],
      [conn("mm", "p")], [1000.0], ["mm"], res=0.5, category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "signal_moments", "signals": gp_signals("mm", ["n_events", "mean", "E_sfa"])})
GP_HIGH = {"N": 50, "V_T_star": 10.0, "I_e": 700.0, "t_ref": 1.0, "tau_sfa": [30.0, 300.0], "q_sfa": [1.0, 0.5], "Delta_V": 3.0, "lambda_0": 20.0}
proto("gif_pop_psc_exp_binorand",
      "5 gif_pop_psc_exp with BinoRand true (binomial counts) and 5 with BinoRand false (Poisson counts, clipped to N) at a high rate (N 50, about 65 Hz, 3 spikes per 1 ms step, t_ref 1 ms, two adaptation components), h = 1 ms: mean, variance and Fano factor of n_events and the moments of mean and E_sfa per group after 200 ms of 1000 ms, 20 seeds (the Poisson count variance is about 10 % above the binomial one).",
      [node("pb", "gif_pop_psc_exp", dict(GP_HIGH, BinoRand=True), n=5), node("pp", "gif_pop_psc_exp", dict(GP_HIGH, BinoRand=False), n=5),
       node("mb", "multimeter", {"interval": 1.0, "record_from": ["n_events", "mean", "E_sfa"]}),
       node("mp", "multimeter", {"interval": 1.0, "record_from": ["n_events", "mean", "E_sfa"]})],
      [conn("mb", "pb"), conn("mp", "pp")], [1000.0], ["mb", "mp"], res=1.0, category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "signal_moments",
                  "signals": gp_signals("mb", ["n_events", "mean", "E_sfa"], "bino_") + gp_signals("mp", ["n_events", "mean", "E_sfa"], "poisson_")})
proto("gif_pop_psc_exp_spike_input",
      "5 gif_pop_psc_exp (N 200, I_e 300 pA, V_T_star 10 mV, q_sfa 1 mV / tau_sfa 100 ms) with independent Poisson input of both signs (2000 Hz at +30 pA, delay 1 ms, into I_syn_ex; 1000 Hz at -40 pA, delay 1.5 ms, into I_syn_in) and each population inhibiting itself (one_to_one, -2 pA x n_events, delay 1 ms), h = 0.5 ms: moments of n_events (with its Fano factor), mean, V_m, E_sfa, I_syn_ex and I_syn_in after 200 ms of 2 x 500 ms, 20 seeds.",
      [node("p", "gif_pop_psc_exp", {"N": 200, "I_e": 300.0, "V_T_star": 10.0, "tau_sfa": [100.0], "q_sfa": [1.0]}, n=5),
       node("pe", "poisson_generator", {"rate": 2000.0}), node("pi", "poisson_generator", {"rate": 1000.0}),
       node("mm", "multimeter", {"interval": 0.5, "record_from": GP_REC})],
      [conn("pe", "p", weight=30.0, delay=1.0), conn("pi", "p", weight=-40.0, delay=1.5),
       conn("p", "p", rule="one_to_one", weight=-2.0, delay=1.0), conn("mm", "p")],
      [500.0, 500.0], ["mm"], res=0.5, category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "signal_moments", "signals": gp_signals("mm", GP_REC)})

# Binary neurons (ginzburg_neuron, mcculloch_pitts_neuron, erfc_neuron) and spin_detector ----------
# Exact: the binary code of spikes. Three spike_generators send up transitions (two spikes at one
# time), down transitions (one spike) and a multiplicity-2 spike to a spin_detector and to
# mcculloch_pitts_neurons whose summed input h is recorded (h does not depend on the random update
# times). Generator 2 sends lone spikes at the times of generator 3's lone spikes, so the
# spin_detector meets two held-back events of different senders in one delivery (NEST writes the
# first and consumes the second). Delays of 1 ms: each delivery holds ten steps.
BIN_T1 = [2.0, 2.0, 5.0, 9.3, 9.3, 14.0, 21.5, 21.5, 21.5, 30.0]
BIN_T2 = [3.0, 7.7, 7.7, 12.0, 25.0]
BIN_T3 = [3.0, 12.0, 12.0, 17.2, 25.0]
for m in ["mcculloch_pitts_neuron", "ginzburg_neuron", "erfc_neuron"]:
    proto(f"{m}_binary_input",
          f"{m} (tau_m 1e9 ms: no update) under binary-coded input: three spike_generators (two spikes at one time = up, one = down, a multiplicity-2 spike), weights 1, -2 and 0.5, delay 1 ms; h every 0.1 ms over 2 x 20 ms, and a spin_detector decoding the generators.",
          [node("n", m, {"tau_m": 1e9}),
           node("sg_1", "spike_generator", {"spike_times": BIN_T1}),
           node("sg_2", "spike_generator", {"spike_times": BIN_T2}),
           node("sg_3", "spike_generator", {"spike_times": BIN_T3, "spike_multiplicities": [1, 2, 1, 1, 1]}),
           node("mm", "multimeter", {"interval": 0.1, "record_from": ["S", "h"]}),
           node("sd", "spin_detector")],
          [conn("sg_1", "n", weight=1.0, delay=1.0), conn("sg_2", "n", weight=-2.0, delay=1.0),
           conn("sg_3", "n", weight=0.5, delay=1.0), conn("mm", "n"),
           conn("sg_1", "sd", delay=1.0), conn("sg_2", "sd", delay=1.0), conn("sg_3", "sd", delay=1.0)],
          [20.0, 20.0], ["mm", "sd"])


def binary_net_proto(name, description, model, params, n, w, simulate, t_min):
    """A recurrent population of binary neurons (all_to_all, weight w): transitions (spike-train
    statistics of the spike_recorder: two spikes per up, one per down) and the moments of S and h."""
    proto(name + "_transitions", description + " Spike-train statistics of the transitions, 20 seeds.",
          [node("p", model, params, n=n), node("sr", "spike_recorder")],
          [conn("p", "p", weight=w), conn("p", "sr")], simulate, ["sr"], category="stochastic",
          stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p"})
    proto(name + "_moments", description + f" Mean and variance of S and h sampled every 1 ms after {t_min} ms, 20 seeds.",
          [node("p", model, params, n=n), node("mm", "multimeter", {"interval": 1.0, "record_from": ["S", "h"]})],
          [conn("p", "p", weight=w), conn("mm", "p")], simulate, ["mm"], category="stochastic",
          stochastic={"seeds": SEEDS, "stat": "signal_moments",
                      "signals": [{"recorder": "mm", "quantity": q, "key": q, "t_min": t_min} for q in ["S", "h"]]})


binary_net_proto("ginzburg_neuron_network",
                 "100 ginzburg_neuron (theta -2 mV, c_3 1/mV, tau_m 5 ms) inhibiting each other all-to-all (weight -0.04 mV): h = -0.04 x (neurons up), 2 x 250 ms.",
                 "ginzburg_neuron", {"theta": -2.0, "c_3": 1.0, "tau_m": 5.0}, 100, -0.04, [250.0, 250.0], 50.0)
binary_net_proto("erfc_neuron_network",
                 "100 erfc_neuron (theta -1 mV, sigma 0.5 mV, tau_m 10 ms) inhibiting each other all-to-all (weight -0.03 mV), 2 x 250 ms.",
                 "erfc_neuron", {"theta": -1.0, "sigma": 0.5, "tau_m": 10.0}, 100, -0.03, [250.0, 250.0], 50.0)
binary_net_proto("mcculloch_pitts_neuron_network",
                 "100 mcculloch_pitts_neuron (theta -2.5 mV, tau_m 10 ms; only the update times are random) inhibiting each other all-to-all (weight -0.05 mV): up while fewer than 50 are up, 2 x 250 ms.",
                 "mcculloch_pitts_neuron", {"theta": -2.5, "tau_m": 10.0}, 100, -0.05, [250.0, 250.0], 50.0)

# ht_neuron and ht_synapse (Hill & Tononi 2005) ---------------------------------------------------
# ht_neuron has no I_e: the drive is a dc_generator ("currents" of this model are in mV). Spike
# input goes to receptors AMPA = 1, NMDA = 2, GABA_A = 3, GABA_B = 4. Traces are sampled every
# 0.2 / 0.5 ms to keep the references compact.
HT_REC = ["I_KNa", "I_NaP", "I_T", "I_h", "V_m", "g_AMPA", "g_GABA_A", "g_GABA_B", "g_NMDA", "theta"]
HT_RECEPTORS = [(EX_TIMES, 2.0), (sorted(EX2_TIMES + [31.0, 31.0, 72.0]), 6.0), (IN_TIMES, 3.0), ([12.0, 40.0, 40.0, 41.0, 95.0], 25.0)]


def ht_multimeter(rec, interval):
    return node("mm", "multimeter", {"interval": interval, "record_from": rec})


proto("ht_neuron_dc",
      "ht_neuron driven by a dc_generator of 25 (mV, the model's current unit): adaptive-threshold spiking slowed by I_KNa over 150 + 150 ms (two Simulate calls); all recordables (V_m, theta, the four intrinsic currents, the four conductances) every 0.5 ms.",
      [node("n", "ht_neuron"), node("dc", "dc_generator", {"amplitude": 25.0}), ht_multimeter(HT_REC, 0.5), node("sr", "spike_recorder")],
      [conn("dc", "n", weight=1.0, delay=1.0), conn("mm", "n"), conn("n", "sr")],
      [150.0, 150.0], ["mm", "sr"], category=ADAPTIVE)

ht_nodes = [node("n", "ht_neuron"), node("n2", "ht_neuron", {"instant_unblock_NMDA": True, "t_ref": 0.5, "N_T": 3.0, "tau_spike": 1.0})]
ht_conns = []
for i, (train, w) in enumerate(HT_RECEPTORS, start=1):
    ht_nodes.append(node(f"sg_{i}", "spike_generator", {"spike_times": train}))
    ht_conns.append(conn(f"sg_{i}", "n", weight=w, delay=1.0, receptor_type=i))
    ht_conns.append(conn(f"sg_{i}", "n2", weight=w, delay=1.0, receptor_type=i))
ht_nodes.append(node("scg", "step_current_generator", {"amplitude_times": STEP_TIMES, "amplitude_values": [r * 10.0 for r in STEP_REL]}))
ht_conns += [conn("scg", "n", weight=1.0, delay=1.0), conn("scg", "n2", weight=1.0, delay=1.0)]
ht_nodes += [ht_multimeter(HT_REC, 0.2), node("sr", "spike_recorder")]
ht_conns += rec_conns(HT_REC, ("n", "n2"))
proto("ht_neuron_spike_input",
      "two ht_neurons (defaults; instant_unblock_NMDA with t_ref 0.5, N_T 3, tau_spike 1) driven by one spike_generator on each receptor (AMPA w 2, NMDA w 6, GABA_A w 3, GABA_B w 25; duplicates, bursts that make them fire, input during refractoriness) and a step_current_generator; all recordables every 0.2 ms over 75 + 75 ms.",
      ht_nodes, ht_conns, [75.0, 75.0], ["mm", "sr"], category=ADAPTIVE)

vc_nodes = [node("n", "ht_neuron", {"voltage_clamp": True, "V_m": -55.0, "equilibrate": True})]
vc_conns = []
for i, (train, w) in enumerate(HT_RECEPTORS, start=1):
    vc_nodes.append(node(f"sg_{i}", "spike_generator", {"spike_times": train}))
    vc_conns.append(conn(f"sg_{i}", "n", weight=w, delay=1.0, receptor_type=i))
vc_nodes += [ht_multimeter(HT_REC, 0.5), node("sr", "spike_recorder")]
vc_conns += rec_conns(HT_REC)
proto("ht_neuron_voltage_clamp",
      "ht_neuron with voltage_clamp at V_m = -55 mV (set with equilibrate), spike input on all four receptors: the conductances (NMDA unblocking at a fixed V), the intrinsic currents relaxing at -55 mV and theta; every 0.5 ms over 150 ms.",
      vc_nodes, vc_conns, [150.0], ["mm", "sr"], category=ADAPTIVE)

HT_TRAIN = [20.0, 40.0, 60.0, 80.0, 100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 170.0, 300.0, 305.0, 310.0, 600.0]
proto("ht_synapse_depression",
      "ht_synapse: a spike_generator -> parrot_neuron train (50/100 Hz bursts, a 200 Hz triplet, a late recovery spike) to ht_neurons on AMPA (defaults tau_P 500, delta_P 0.125, weight 1.5) and on AMPA with tau_P 100, delta_P 0.5, P 0.7 (weight 3, delay 2.5); a dc-driven ht_neuron (dc 25) to a third ht_neuron on AMPA (delta_P 0.3, weight 2); g_AMPA and V_m of the targets every 0.5 ms, Simulate [200, 300.5, 199.5].",
      [node("sg", "spike_generator", {"spike_times": HT_TRAIN}), node("pre", "parrot_neuron"),
       node("t0", "ht_neuron"), node("t1", "ht_neuron"), node("drv", "ht_neuron"), node("dc", "dc_generator", {"amplitude": 25.0}),
       node("t2", "ht_neuron"), node("mm", "multimeter", {"interval": 0.5, "record_from": ["V_m", "g_AMPA"]}), node("sr", "spike_recorder")],
      [conn("sg", "pre"),
       conn("pre", "t0", synapse_model="ht_synapse", weight=1.5, delay=1.0, receptor_type=1),
       conn("pre", "t1", synapse_model="ht_synapse", weight=3.0, delay=2.5, receptor_type=1, tau_P=100.0, delta_P=0.5, P=0.7),
       conn("dc", "drv", weight=1.0, delay=1.0),
       conn("drv", "t2", synapse_model="ht_synapse", weight=2.0, delay=1.0, receptor_type=1, delta_P=0.3),
       conn("mm", "t0"), conn("mm", "t1"), conn("mm", "t2"),
       conn("pre", "sr"), conn("drv", "sr"), conn("t0", "sr"), conn("t1", "sr"), conn("t2", "sr")],
      [200.0, 300.5, 199.5], ["mm", "sr"], category=ADAPTIVE)

# Models whose spikes carry a payload (iaf_tum_2000: the released fraction u*x; iaf_bw_2001: the
# NMDA jump), their spike-response relative iaf_chs_2007 and the exact Brunel-Wang model. NEST
# sends the payload in the spike's offset, so NEST's spike_recorder reports `stamp - payload` in
# ms; the recorders listed in "nest_time_in_steps" are run in NEST with time_in_steps = True and
# run_protocols.py writes their times back in ms on the grid (NEST's recommendation for
# iaf_bw_2001), dropping the offsets (the payload's effect is compared through the targets'
# traces).
TUM_REC = ["I_syn_ex", "I_syn_in", "V_m"]
BW_REC = ["I_AMPA", "I_GABA", "I_NMDA", "V_m", "s_AMPA", "s_GABA", "s_NMDA"]


def payload_proto(name, description, nodes, conns, simulate, targets, rec, cat, interval=0.1):
    nodes = nodes + [node("mm", "multimeter", {"interval": interval, "record_from": rec}), node("sr", "spike_recorder")]
    conns = conns + [conn("mm", t) for t in targets] + [conn(t, "sr") for t in targets]
    proto(name, description, nodes, conns, simulate, ["mm", "sr"], category=cat, nest_time_in_steps=["sr"])


# iaf_tum_2000 -------------------------------------------------------------------------------
payload_proto("iaf_tum_2000_dc",
              "iaf_tum_2000 n driven by I_e = 450 pA: regular firing over 150 + 150 ms (two Simulate calls); n drives a second iaf_tum_2000 (I_e 350 pA) through receptor 1 (built-in Tsodyks synapse, payload u*x), weight 5000 pA; I_syn_ex, I_syn_in, V_m of both every 0.2 ms.",
              [node("n", "iaf_tum_2000", {"I_e": 450.0}), node("post", "iaf_tum_2000", {"I_e": 350.0})],
              [conn("n", "post", weight=5000.0, delay=1.0, receptor_type=1)],
              [150.0, 150.0], ["n", "post"], TUM_REC, EXACT, interval=0.2)
payload_proto("iaf_tum_2000_spike_input",
              "iaf_tum_2000 (I_e 250 pA, t_ref 1.5 ms) with excitatory and inhibitory spike_generators on receptor 0, a spike_generator on receptor 1 (payload 0 from a generator: no effect, as in NEST), a step_current_generator on receptor 0 and a dc_generator (150 pA from 20 ms) on receptor 1 (filtered by the excitatory synapse); 150 ms.",
              [node("n", "iaf_tum_2000", {"I_e": 250.0, "t_ref": 1.5}),
               node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}),
               node("sg_in", "spike_generator", {"spike_times": IN_TIMES}),
               node("sg_1", "spike_generator", {"spike_times": EX2_TIMES}),
               node("scg", "step_current_generator", {"amplitude_times": STEP_TIMES, "amplitude_values": [r * 300.0 for r in STEP_REL]}),
               node("dc1", "dc_generator", {"amplitude": 150.0, "start": 20.0})],
              [conn("sg_ex", "n", weight=400.0, delay=1.0), conn("sg_in", "n", weight=-400.0, delay=1.0),
               conn("sg_1", "n", weight=400.0, delay=1.0, receptor_type=1),
               conn("scg", "n", weight=1.0, delay=1.0), conn("dc1", "n", weight=1.0, delay=1.0, receptor_type=1)],
              [150.0], ["n"], TUM_REC, EXACT)
payload_proto("iaf_tum_2000_network",
              "three iaf_tum_2000 connected through receptor 1 (every connection short-term plastic, payload u*x): e1 (I_e 450 pA, facilitating: U 0.1, tau_fac 300 ms, tau_rec 100 ms), e2 (I_e 370 pA, depressing defaults), i1 (I_e 330 pA, tau_syn_in 5 ms); e1<->e2 excitatory (800/600 pA), e1->i1 1000 pA, i1->e1/e2 inhibitory (-1500/-900 pA), delays 1-2 ms; 200 + 100 ms, all recordables every 0.5 ms.",
              [node("e1", "iaf_tum_2000", {"I_e": 450.0, "U": 0.1, "tau_fac": 300.0, "tau_rec": 100.0}),
               node("e2", "iaf_tum_2000", {"I_e": 370.0}),
               node("i1", "iaf_tum_2000", {"I_e": 330.0, "tau_syn_in": 5.0})],
              [conn("e1", "e2", weight=800.0, delay=1.0, receptor_type=1),
               conn("e2", "e1", weight=600.0, delay=1.5, receptor_type=1),
               conn("e1", "i1", weight=1000.0, delay=1.0, receptor_type=1),
               conn("i1", "e1", weight=-1500.0, delay=2.0, receptor_type=1),
               conn("i1", "e2", weight=-900.0, delay=1.0, receptor_type=1)],
              [200.0, 100.0], ["e1", "e2", "i1"], TUM_REC, EXACT, interval=0.5)

# iaf_chs_2007 (normalised units, threshold 1; no I_e, no currents) --------------------------
CHS_NOISE = [round(0.5 * math.sin(0.37 * k) + 0.3 * math.cos(0.0123 * k * k), 6) for k in range(2100)]
proto("iaf_chs_2007_spike_input",
      "iaf_chs_2007 with an excitatory spike_generator (weight 0.6; duplicates and bursts make it fire) and one with negative weight (-0.5, ignored as in NEST); V_m every 0.1 ms, 150 ms.",
      [node("n", "iaf_chs_2007"),
       node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}),
       node("sg_in", "spike_generator", {"spike_times": IN_TIMES}),
       node("mm", "multimeter", {"interval": 0.1, "record_from": ["V_m"]}), node("sr", "spike_recorder")],
      [conn("sg_ex", "n", weight=0.6, delay=1.0), conn("sg_in", "n", weight=-0.5, delay=1.0),
       conn("mm", "n"), conn("n", "sr")],
      [150.0], ["mm", "sr"], category=EXACT)
proto("iaf_chs_2007_noise",
      "iaf_chs_2007 (V_epsp 0.5, V_reset 1.5, tau_reset 10 ms) driven by a spike_generator every 2 ms (weight 0.45) plus a given noise signal of 2100 values scaled by V_noise 0.4; two Simulate calls of 100 ms (the signal also covers the harness's extra Simulate); V_m every 0.1 ms.",
      [node("n", "iaf_chs_2007", {"V_epsp": 0.5, "V_reset": 1.5, "tau_reset": 10.0, "V_noise": 0.4, "noise": CHS_NOISE}),
       node("sg", "spike_generator", {"spike_times": [2.0 * k for k in range(1, 100)]}),
       node("mm", "multimeter", {"interval": 0.1, "record_from": ["V_m"]}), node("sr", "spike_recorder")],
      [conn("sg", "n", weight=0.45, delay=1.0), conn("mm", "n"), conn("n", "sr")],
      [100.0, 100.0], ["mm", "sr"], category=EXACT)

# iaf_bw_2001 (adaptive RKF45; no I_e: dc_generators drive it) --------------------------------
payload_proto("iaf_bw_2001_dc",
              "iaf_bw_2001 driven by a dc_generator of 450 pA: regular firing over 150 + 150 ms (two Simulate calls); all recordables every 0.5 ms.",
              [node("n", "iaf_bw_2001"), node("dc", "dc_generator", {"amplitude": 450.0})],
              [conn("dc", "n", weight=1.0, delay=1.0)],
              [150.0, 150.0], ["n"], BW_REC, ADAPTIVE, interval=0.5)
payload_proto("iaf_bw_2001_spike_input",
              "iaf_bw_2001 n (dc_generator 330 pA) with spike_generators on AMPA (receptor 1, 8 nS) and GABA (receptor 2, 10 nS), a presynaptic iaf_bw_2001 (dc 420 pA) on NMDA (receptor 3, 5 nS; NEST refuses NMDA input from other models) and a step_current_generator; 150 ms, all recordables of n every 0.1 ms.",
              [node("n", "iaf_bw_2001"), node("dc", "dc_generator", {"amplitude": 330.0}),
               node("sg_1", "spike_generator", {"spike_times": EX_TIMES}),
               node("sg_2", "spike_generator", {"spike_times": IN_TIMES}),
               node("pre", "iaf_bw_2001"), node("dpre", "dc_generator", {"amplitude": 420.0}),
               node("scg", "step_current_generator", {"amplitude_times": STEP_TIMES, "amplitude_values": [r * 150.0 for r in STEP_REL]})],
              [conn("dc", "n", weight=1.0, delay=1.0),
               conn("sg_1", "n", weight=8.0, delay=1.0, receptor_type=1),
               conn("sg_2", "n", weight=10.0, delay=1.0, receptor_type=2),
               conn("dpre", "pre", weight=1.0, delay=1.0),
               conn("pre", "n", weight=5.0, delay=1.0, receptor_type=3),
               conn("scg", "n", weight=1.0, delay=1.0)],
              [150.0], ["n"], BW_REC, ADAPTIVE)
payload_proto("iaf_bw_2001_network",
              "three iaf_bw_2001: e1 (dc 480 pA) and e2 (dc 360 pA) excitatory with AMPA and NMDA connections (NMDA jump sent as payload), i1 (dc 380 pA) inhibitory through GABA; e1->e2 AMPA 4 nS + NMDA 3 nS, e2->e1 NMDA 2 nS, e1->i1 AMPA 5 nS + NMDA 2 nS, i1->e1 GABA 8 nS, i1->e2 GABA 4 nS, delays 1-2 ms; 150 + 100 ms, all recordables every 0.5 ms.",
              [node("e1", "iaf_bw_2001"), node("e2", "iaf_bw_2001"), node("i1", "iaf_bw_2001"),
               node("d1", "dc_generator", {"amplitude": 480.0}), node("d2", "dc_generator", {"amplitude": 360.0}),
               node("d3", "dc_generator", {"amplitude": 380.0})],
              [conn("d1", "e1", weight=1.0, delay=1.0), conn("d2", "e2", weight=1.0, delay=1.0), conn("d3", "i1", weight=1.0, delay=1.0),
               conn("e1", "e2", weight=4.0, delay=1.0, receptor_type=1),
               conn("e1", "e2", weight=3.0, delay=1.0, receptor_type=3),
               conn("e2", "e1", weight=2.0, delay=1.5, receptor_type=3),
               conn("e1", "i1", weight=5.0, delay=1.0, receptor_type=1),
               conn("e1", "i1", weight=2.0, delay=1.0, receptor_type=3),
               conn("i1", "e1", weight=8.0, delay=2.0, receptor_type=2),
               conn("i1", "e2", weight=4.0, delay=1.0, receptor_type=2)],
              [150.0, 100.0], ["e1", "e2", "i1"], BW_REC, ADAPTIVE, interval=0.5)

# iaf_bw_2001_exact: every NMDA connection has its own port and (x, s) state; no payload, but the
# same spike_recorder treatment keeps the protocols alike.
payload_proto("iaf_bw_2001_exact_dc",
              "iaf_bw_2001_exact driven by a dc_generator of 450 pA: regular firing over 150 + 150 ms (two Simulate calls); all recordables every 0.5 ms.",
              [node("n", "iaf_bw_2001_exact"), node("dc", "dc_generator", {"amplitude": 450.0})],
              [conn("dc", "n", weight=1.0, delay=1.0)],
              [150.0, 150.0], ["n"], BW_REC, ADAPTIVE, interval=0.5)
payload_proto("iaf_bw_2001_exact_spike_input",
              "iaf_bw_2001_exact (dc_generator 330 pA) with spike_generators on AMPA (receptor 1, 8 nS) and GABA (receptor 2, 10 nS), two NMDA connections from spike_generators (receptor 3 -> ports 3 and 4; 5 nS with duplicate spikes, 2 nS) and a step_current_generator; 150 ms, all recordables every 0.1 ms.",
              [node("n", "iaf_bw_2001_exact"), node("dc", "dc_generator", {"amplitude": 330.0}),
               node("sg_1", "spike_generator", {"spike_times": EX_TIMES}),
               node("sg_2", "spike_generator", {"spike_times": IN_TIMES}),
               node("sg_3", "spike_generator", {"spike_times": EX2_TIMES}),
               node("sg_4", "spike_generator", {"spike_times": EX_TIMES}),
               node("scg", "step_current_generator", {"amplitude_times": STEP_TIMES, "amplitude_values": [r * 150.0 for r in STEP_REL]})],
              [conn("dc", "n", weight=1.0, delay=1.0),
               conn("sg_1", "n", weight=8.0, delay=1.0, receptor_type=1),
               conn("sg_2", "n", weight=10.0, delay=1.0, receptor_type=2),
               conn("sg_3", "n", weight=5.0, delay=1.0, receptor_type=3),
               conn("sg_4", "n", weight=2.0, delay=1.5, receptor_type=3),
               conn("scg", "n", weight=1.0, delay=1.0)],
              [150.0], ["n"], BW_REC, ADAPTIVE)
payload_proto("iaf_bw_2001_exact_network",
              "three iaf_bw_2001_exact connected as in iaf_bw_2001_network (each NMDA connection its own port and state): e1 (dc 480 pA), e2 (dc 360 pA), i1 (dc 380 pA); e1->e2 AMPA 4 nS + NMDA 3 nS, e2->e1 NMDA 2 nS, e1->i1 AMPA 5 nS + NMDA 2 nS, i1->e1 GABA 8 nS, i1->e2 GABA 4 nS; 150 + 100 ms, all recordables every 0.5 ms.",
              [node("e1", "iaf_bw_2001_exact"), node("e2", "iaf_bw_2001_exact"), node("i1", "iaf_bw_2001_exact"),
               node("d1", "dc_generator", {"amplitude": 480.0}), node("d2", "dc_generator", {"amplitude": 360.0}),
               node("d3", "dc_generator", {"amplitude": 380.0})],
              [conn("d1", "e1", weight=1.0, delay=1.0), conn("d2", "e2", weight=1.0, delay=1.0), conn("d3", "i1", weight=1.0, delay=1.0),
               conn("e1", "e2", weight=4.0, delay=1.0, receptor_type=1),
               conn("e1", "e2", weight=3.0, delay=1.0, receptor_type=3),
               conn("e2", "e1", weight=2.0, delay=1.5, receptor_type=3),
               conn("e1", "i1", weight=5.0, delay=1.0, receptor_type=1),
               conn("e1", "i1", weight=2.0, delay=1.0, receptor_type=3),
               conn("i1", "e1", weight=8.0, delay=2.0, receptor_type=2),
               conn("i1", "e2", weight=4.0, delay=1.0, receptor_type=2)],
              [150.0, 100.0], ["e1", "e2", "i1"], BW_REC, ADAPTIVE, interval=0.5)

os.makedirs(OUT, exist_ok=True)
names = set()
for p in P:
    assert p["name"] not in names, p["name"]
    names.add(p["name"])
    with open(os.path.join(OUT, p["name"] + ".json"), "w") as f:
        f.write(fmt(p))
print(len(P), "protocols")
