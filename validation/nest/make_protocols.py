#!/usr/bin/env python3
"""Generate validation/protocols/*.json (plain Python, NEST not needed).

The protocol files are the source of truth for the harnesses; this script only
records how they were made.  Re-running it rewrites every protocol file it
defines (hand edits to those files are lost).  Usage:
    python3 validation/nest/make_protocols.py
"""
import json, os, sys
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

REC = {"iaf_psc_alpha": ["V_m", "I_syn_ex", "I_syn_in"], "iaf_psc_exp": ["V_m", "I_syn_ex", "I_syn_in"], "iaf_psc_delta": ["V_m"]}

# 1. DC-driven reference case -------------------------------------------------
proto("iaf_psc_alpha_dc376",
      "iaf_psc_alpha with constant I_e = 376 pA (just above rheobase 375 pA), V_m every step and spikes over 1 s.",
      [node("n", "iaf_psc_alpha", {"I_e": 376.0}), node("vm", "voltmeter", {"interval": 0.1}), node("sr", "spike_recorder")],
      [conn("vm", "n"), conn("n", "sr")], [1000.0], ["vm", "sr"])

# 2. spike-driven neurons --------------------------------------------------------
# Excitatory train with duplicate times, inhibitory train with one spike simultaneous
# to an excitatory one, a burst that makes the neuron fire and input arriving while
# the neuron is refractory (t_ref = 2 ms).
EX_TIMES = [5.0, 10.0, 10.0, 20.0, 30.0, 30.5, 31.0, 31.5, 32.0, 32.5, 33.0, 33.5, 34.0, 34.5, 35.0, 60.0, 60.0, 60.0, 60.0, 61.0, 61.0, 61.5, 62.0, 70.0, 70.1, 70.2, 70.3, 70.4, 70.5, 70.6, 70.7, 70.8, 70.9, 71.0]
IN_TIMES = [10.0, 15.0, 15.0, 45.0, 80.0]
SPIKE_MODELS = {
    "iaf_psc_alpha": {"params": {"I_e": 250.0}, "w_ex": 250.0, "w_in": -400.0},
    "iaf_psc_exp":   {"params": {"I_e": 250.0}, "w_ex": 300.0, "w_in": -450.0},
    "iaf_psc_delta": {"params": {"I_e": 250.0}, "w_ex": 1.5, "w_in": -2.5},
}

def spike_input(model, res, suffix, simulate=[100.0], extra_desc=""):
    cfg = SPIKE_MODELS[model]
    proto(f"{model}_spike_input{suffix}",
          f"{model} driven by an excitatory and an inhibitory spike_generator (duplicate/simultaneous spikes, input during refractoriness), resolution {res} ms{extra_desc}.",
          [node("n", model, cfg["params"]),
           node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}),
           node("sg_in", "spike_generator", {"spike_times": IN_TIMES}),
           node("mm", "multimeter", {"interval": res, "record_from": REC[model]}),
           node("sr", "spike_recorder")],
          [conn("sg_ex", "n", weight=cfg["w_ex"], delay=1.0),
           conn("sg_in", "n", weight=cfg["w_in"], delay=1.0),
           conn("mm", "n"), conn("n", "sr")],
          simulate, ["mm", "sr"], res=res)

for m in SPIKE_MODELS:
    spike_input(m, 0.1, "")
    spike_input(m, 0.05, "_res0p05")
    spike_input(m, 0.01, "_res0p01")
spike_input("iaf_psc_alpha", 0.1, "_multisim", simulate=[30.0, 25.5, 44.5], extra_desc=", run as three Simulate calls [30, 25.5, 44.5]")


# 3. special parameter cases ----------------------------------------------------
for model in ["iaf_psc_alpha", "iaf_psc_exp"]:
    cfg = SPIKE_MODELS[model]
    proto(f"{model}_equal_tau",
          f"{model} with tau_m == tau_syn_ex == tau_syn_in = 10 ms (singular propagator case), spike input plus I_e.",
          [node("n", model, {"I_e": 250.0, "tau_m": 10.0, "tau_syn_ex": 10.0, "tau_syn_in": 10.0}),
           node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}),
           node("sg_in", "spike_generator", {"spike_times": IN_TIMES}),
           node("mm", "multimeter", {"interval": 0.1, "record_from": REC[model]}),
           node("sr", "spike_recorder")],
          [conn("sg_ex", "n", weight=cfg["w_ex"] / 4, delay=1.0),
           conn("sg_in", "n", weight=cfg["w_in"] / 4, delay=1.0),
           conn("mm", "n"), conn("n", "sr")],
          [100.0], ["mm", "sr"])

for model in SPIKE_MODELS:
    cfg = SPIKE_MODELS[model]
    proto(f"{model}_tref0",
          f"{model} with t_ref = 0 driven by a strong I_e and spike input: spikes on consecutive steps are possible.",
          [node("n", model, {"I_e": 2000.0, "t_ref": 0.0}),
           node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}),
           node("mm", "multimeter", {"interval": 0.1, "record_from": REC[model]}),
           node("sr", "spike_recorder")],
          [conn("sg_ex", "n", weight=cfg["w_ex"] * 4, delay=1.0),
           conn("mm", "n"), conn("n", "sr")],
          [50.0], ["mm", "sr"])

for model in SPIKE_MODELS:
    proto(f"{model}_vreset_near_vth",
          f"{model} with V_reset = -55.1 mV just below V_th = -55 mV, t_ref = 0.5 ms and I_e = 500 pA: fast regular firing.",
          [node("n", model, {"I_e": 500.0, "V_reset": -55.1, "V_th": -55.0, "t_ref": 0.5}),
           node("vm", "voltmeter", {"interval": 0.1}),
           node("sr", "spike_recorder")],
          [conn("vm", "n"), conn("n", "sr")],
          [50.0], ["vm", "sr"])

proto("iaf_psc_delta_refractory_input",
      "iaf_psc_delta with refractory_input = true: spikes arriving during the refractory period are added after it ends (compare iaf_psc_delta_refractory_input_off).",
      [node("n", "iaf_psc_delta", {"I_e": 350.0, "refractory_input": True, "t_ref": 3.0}),
       node("sg", "spike_generator", {"spike_times": [20.0, 20.5, 21.0, 21.5, 22.0, 40.0, 40.3, 40.6, 41.0, 41.2, 41.4, 41.8]}),
       node("vm", "voltmeter", {"interval": 0.1}),
       node("sr", "spike_recorder")],
      [conn("sg", "n", weight=2.0, delay=1.0), conn("vm", "n"), conn("n", "sr")],
      [100.0], ["vm", "sr"])
proto("iaf_psc_delta_refractory_input_off",
      "Same as iaf_psc_delta_refractory_input but refractory_input = false: spikes arriving during refractoriness are discarded.",
      [node("n", "iaf_psc_delta", {"I_e": 350.0, "refractory_input": False, "t_ref": 3.0}),
       node("sg", "spike_generator", {"spike_times": [20.0, 20.5, 21.0, 21.5, 22.0, 40.0, 40.3, 40.6, 41.0, 41.2, 41.4, 41.8]}),
       node("vm", "voltmeter", {"interval": 0.1}),
       node("sr", "spike_recorder")],
      [conn("sg", "n", weight=2.0, delay=1.0), conn("vm", "n"), conn("n", "sr")],
      [100.0], ["vm", "sr"])

for model, w in [("iaf_psc_delta", -6.0), ("iaf_psc_alpha", -3000.0)]:
    proto(f"{model}_vmin",
          f"{model} with V_min = -72 mV hit by strong inhibition: V_m is clamped at V_min.",
          [node("n", model, {"I_e": 100.0, "V_min": -72.0}),
           node("sg", "spike_generator", {"spike_times": [10.0, 10.5, 11.0, 30.0]}),
           node("vm", "voltmeter", {"interval": 0.1})],
          [conn("sg", "n", weight=w, delay=1.0), conn("vm", "n")],
          [60.0], ["vm"])

# 4. delays ------------------------------------------------------------------------
proto("delays_iaf_psc_alpha",
      "Neuron-to-neuron spikes with a one-step delay (0.1 ms) and a multi-step delay (2.3 ms); min_delay becomes 0.1 ms.",
      [node("a", "iaf_psc_alpha", {"I_e": 450.0}),
       node("b", "iaf_psc_alpha", {"I_e": 300.0}),
       node("c", "iaf_psc_alpha", {"I_e": 300.0}),
       node("sg", "spike_generator", {"spike_times": [5.0, 5.1, 17.3]}),
       node("mm", "multimeter", {"interval": 0.1, "record_from": ["V_m", "I_syn_ex"]}),
       node("sr", "spike_recorder")],
      [conn("a", "b", weight=800.0, delay=0.1),
       conn("a", "c", weight=800.0, delay=2.3),
       conn("sg", "b", weight=500.0, delay=0.1),
       conn("sg", "c", weight=500.0, delay=2.3),
       conn("mm", "a"), conn("mm", "b"), conn("mm", "c"),
       conn("a", "sr"), conn("b", "sr"), conn("c", "sr")],
      [100.0], ["mm", "sr"])

proto("delays_mixed_models",
      "iaf_psc_alpha -> iaf_psc_exp (delay 0.1) and -> iaf_psc_delta (delay 2.3) with a 3-neuron population connected one_to_one.",
      [node("src", "iaf_psc_alpha", {"I_e": 500.0}, n=1),
       node("pe", "iaf_psc_exp", {"I_e": 300.0}, n=2),
       node("pd", "iaf_psc_delta", {"I_e": 300.0}, n=2),
       node("mm_e", "multimeter", {"interval": 0.1, "record_from": ["V_m", "I_syn_ex"]}),
       node("vm_d", "voltmeter", {"interval": 0.1}),
       node("sr", "spike_recorder")],
      [conn("src", "pe", weight=700.0, delay=0.1),
       conn("src", "pd", weight=4.0, delay=2.3),
       conn("pe", "pd", rule="one_to_one", weight=3.0, delay=0.5),
       conn("mm_e", "pe"), conn("vm_d", "pd"),
       conn("src", "sr"), conn("pe", "sr"), conn("pd", "sr")],
      [100.0], ["mm_e", "vm_d", "sr"])

proto("iaf_psc_exp_current_receptor1",
      "iaf_psc_exp receiving DC on receptor 0 (direct current) and on receptor 1 (filtered through the excitatory synapse), plus spikes.",
      [node("n", "iaf_psc_exp", {}),
       node("dc0", "dc_generator", {"amplitude": 300.0, "start": 10.0, "stop": 60.0}),
       node("dc1", "dc_generator", {"amplitude": 300.0, "start": 30.0, "stop": 80.0}),
       node("sg", "spike_generator", {"spike_times": [40.0, 50.0, 50.0]}),
       node("mm", "multimeter", {"interval": 0.1, "record_from": ["V_m", "I_syn_ex", "I_syn_in"]}),
       node("sr", "spike_recorder")],
      [conn("dc0", "n"), conn("dc1", "n", receptor_type=1),
       conn("sg", "n", weight=-300.0, delay=1.0),
       conn("mm", "n"), conn("n", "sr")],
      [100.0], ["mm", "sr"])

# 5. parrot ------------------------------------------------------------------------
proto("parrot_spike_generator",
      "spike_generator with spike_multiplicities -> parrot_neuron -> spike_recorder; the generator is also recorded directly.",
      [node("sg", "spike_generator", {"spike_times": [1.0, 2.0, 2.0, 3.5, 10.0, 10.1, 20.0], "spike_multiplicities": [1, 3, 1, 2, 1, 4, 2]}),
       node("p", "parrot_neuron", n=2),
       node("sr_p", "spike_recorder"),
       node("sr_g", "spike_recorder")],
      [conn("sg", "p", weight=1.0, delay=1.0), conn("p", "sr_p"), conn("sg", "sr_g")],
      [30.0], ["sr_p", "sr_g"])

# 6. current generators ---------------------------------------------------------------
GENS = {
    "dc_generator": {"amplitude": 500.0, "origin": 10.0, "start": 20.5, "stop": 120.3},
    "ac_generator": {"amplitude": 250.0, "offset": 300.0, "frequency": 37.0, "phase": 45.0, "origin": 10.0, "start": 20.5, "stop": 120.3},
    "step_current_generator": {"amplitude_times": [5.0, 40.0, 60.2, 100.5, 140.0], "amplitude_values": [100.0, 500.0, -200.0, 800.0, 50.0], "origin": 10.0, "start": 20.5, "stop": 120.3},
}
for g, params in GENS.items():
    proto(f"{g}_iaf_psc_alpha",
          f"{g} with origin/start/stop driving an iaf_psc_alpha; the generator's own current 'I' is recorded by a multimeter.",
          [node("g", g, params),
           node("n", "iaf_psc_alpha", {}),
           node("vm", "voltmeter", {"interval": 0.1}),
           node("mm_g", "multimeter", {"interval": 0.1, "record_from": ["I"]}),
           node("sr", "spike_recorder")],
          [conn("g", "n", weight=1.0, delay=1.0), conn("vm", "n"), conn("mm_g", "g"), conn("n", "sr")],
          [150.0], ["vm", "mm_g", "sr"])

proto("dc_generator_weight_delay",
      "Two dc_generators with connection weights 2.5 and -0.5 and delays 0.1 / 3.0 ms into one iaf_psc_exp.",
      [node("g1", "dc_generator", {"amplitude": 200.0, "start": 5.0, "stop": 25.0}),
       node("g2", "dc_generator", {"amplitude": 300.0, "start": 15.0, "stop": 35.0}),
       node("n", "iaf_psc_exp", {}),
       node("vm", "voltmeter", {"interval": 0.1})],
      [conn("g1", "n", weight=2.5, delay=0.1), conn("g2", "n", weight=-0.5, delay=3.0), conn("vm", "n")],
      [50.0], ["vm"])

# 7. spike_generator timing --------------------------------------------------------------
def sg_proto(name, desc, sgparams, res=0.1, simulate=[30.0]):
    proto(name, desc,
          [node("sg", "spike_generator", sgparams),
           node("p", "parrot_neuron"),
           node("n", "iaf_psc_delta", {}),
           node("sr_p", "spike_recorder"),
           node("sr_g", "spike_recorder"),
           node("vm", "voltmeter", {"interval": res})],
          [conn("sg", "p", weight=1.0, delay=1.0), conn("sg", "n", weight=2.0, delay=1.0),
           conn("p", "sr_p"), conn("sg", "sr_g"), conn("vm", "n")],
          simulate, ["sr_p", "sr_g", "vm"], res=res)

sg_proto("spike_generator_ongrid",
         "spike_generator with on-grid times, precise_times false, spike_weights (multiplied with the connection weight) -> parrot and iaf_psc_delta.",
         {"spike_times": [1.0, 2.5, 2.5, 4.0, 7.3, 12.0], "spike_weights": [1.0, -2.0, 0.5, 3.0, 1.0, -1.0], "precise_times": False})
sg_proto("spike_generator_offgrid",
         "spike_generator with allow_offgrid_times true: off-grid times are moved to the end of their step.",
         {"spike_times": [1.03, 2.05, 2.15, 3.57, 4.01, 5.099, 6.1, 8.0000001, 9.95], "allow_offgrid_times": True, "precise_times": False})
sg_proto("spike_generator_window",
         "spike_generator with origin 2, start 3, stop 15: spike times are relative to origin; a spike at t is emitted at origin+t iff start < t <= stop.",
         {"spike_times": [1.0, 2.0, 3.0, 3.1, 4.5, 5.0, 10.0, 13.0, 13.1, 15.0, 17.0, 17.1, 20.0], "origin": 2.0, "start": 3.0, "stop": 15.0})
sg_proto("spike_generator_shift_now",
         "spike_generator with shift_now_spikes true and a spike at t = 0, which is shifted to the first step.",
         {"spike_times": [0.0, 0.1, 0.2, 5.0], "shift_now_spikes": True})
sg_proto("spike_generator_res0p01",
         "spike_generator at resolution 0.01 with off-grid times (allow_offgrid_times) and multiplicities.",
         {"spike_times": [0.503, 1.0, 1.005, 1.015, 2.2222], "spike_multiplicities": [1, 2, 1, 3, 1], "allow_offgrid_times": True},
         res=0.01, simulate=[10.0])

# 8. recorder windows ----------------------------------------------------------------------
proto("recorder_windows",
      "voltmeters and spike_recorders with start/stop/origin, interval 0.3 ms and offset, on a fast-firing iaf_psc_alpha.",
      [node("n", "iaf_psc_alpha", {"I_e": 1000.0}),
       node("vm_all", "voltmeter", {"interval": 0.3}),
       node("vm_win", "voltmeter", {"interval": 0.3, "origin": 10.0, "start": 5.0, "stop": 40.0}),
       node("vm_off", "voltmeter", {"interval": 0.3, "offset": 0.2, "start": 2.0, "stop": 20.0}),
       node("sr_all", "spike_recorder"),
       node("sr_win", "spike_recorder", {"origin": 10.0, "start": 5.0, "stop": 40.0}),
       node("sg", "spike_generator", {"spike_times": [14.9, 15.0, 15.1, 49.9, 50.0, 50.1]}),
       node("sr_gwin", "spike_recorder", {"origin": 10.0, "start": 5.0, "stop": 40.0})],
      [conn("vm_all", "n"), conn("vm_win", "n"), conn("vm_off", "n"), conn("n", "sr_all"), conn("n", "sr_win"), conn("sg", "sr_gwin")],
      [30.0, 30.0], ["vm_all", "vm_win", "vm_off", "sr_all", "sr_win", "sr_gwin"])

proto("recorder_event_order",
      "One multimeter and one spike_recorder attached to a 3-neuron population and three single iaf_psc_alpha with different I_e: shows NEST's event order for several senders.",
      [node("pop", "iaf_psc_alpha", {"I_e": 2000.0}, n=3),
       node("n1", "iaf_psc_alpha", {"I_e": 2000.0}),
       node("n2", "iaf_psc_alpha", {"I_e": 2500.0}),
       node("n3", "iaf_psc_alpha", {"I_e": 3000.0}),
       node("mm", "multimeter", {"interval": 0.5, "record_from": ["V_m"]}),
       node("sr", "spike_recorder")],
      [conn("mm", "pop"), conn("mm", "n1"), conn("mm", "n2"), conn("mm", "n3"),
       conn("pop", "sr"), conn("n3", "sr"), conn("n2", "sr"), conn("n1", "sr")],
      [20.0], ["mm", "sr"])

# 9. stochastic ------------------------------------------------------------------------------
SEEDS = list(range(1, 21))
proto("poisson_generator_parrot",
      "poisson_generator (1000 Hz) -> 50 parrot_neurons -> spike_recorder over 1000 ms; statistics over 20 seeds.",
      [node("pg", "poisson_generator", {"rate": 1000.0}),
       node("p", "parrot_neuron", n=50),
       node("sr", "spike_recorder")],
      [conn("pg", "p", weight=1.0, delay=1.0), conn("p", "sr")],
      [1000.0], ["sr"], category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p",
                  "expected": {"mean_count": 1000.0, "var_count": 1000.0, "rate_hz": 1000.0, "fano": 1.0}})
for dt, name in [(1.0, "noise_generator_dt1"), (0.1, "noise_generator_dt0p1")]:
    proto(name,
          f"noise_generator (mean 50 pA, std 100 pA, dt {dt} ms) -> one iaf_psc_alpha; generator 'I' and neuron V_m via multimeters; 20 seeds.",
          [node("ng", "noise_generator", {"mean": 50.0, "std": 100.0, "dt": dt}),
           node("n", "iaf_psc_alpha", {"V_th": 1000.0}),
           node("mm_g", "multimeter", {"interval": dt, "record_from": ["I"]}),
           node("vm", "voltmeter", {"interval": 1.0})],
          [conn("ng", "n", weight=1.0, delay=1.0), conn("mm_g", "ng"), conn("vm", "n")],
          [1000.0], ["mm_g", "vm"], category="stochastic",
          stochastic={"seeds": SEEDS, "stat": "signal_moments",
                      "signals": [{"recorder": "mm_g", "quantity": "I", "key": "I"},
                                  {"recorder": "vm", "quantity": "V_m", "key": "V_m", "t_min": 50.0}],
                      "expected": {"I_mean": 50.0, "I_var": 10000.0, "V_m_mean": -68.0}})

# 9. GSL-integrated models (adaptive RKF45 in NEST) ------------------------------
# Same spike trains as section 2, weights in nS (negative = inhibitory), a DC drive that makes
# the neuron fire, and a step current (I_stim) switched on and off mid-run.
COND_REC = {
    "iaf_cond_exp": ["V_m", "g_ex", "g_in"],
    "iaf_cond_alpha": ["V_m", "g_ex", "g_in", "t_ref_remaining"],
    "hh_cond_exp_traub": ["V_m", "g_ex", "g_in", "Act_m", "Inact_h", "Act_n"],
}
COND_MODELS = {
    "iaf_cond_exp": {"params": {"I_e": 250.0}, "w_ex": 30.0, "w_in": -40.0},
    "iaf_cond_alpha": {"params": {"I_e": 250.0}, "w_ex": 8.0, "w_in": -10.0},
    "hh_cond_exp_traub": {"params": {"I_e": 200.0}, "w_ex": 10.0, "w_in": -20.0},
}
for m, cfg in COND_MODELS.items():
    for res, suffix in [(0.1, ""), (0.01, "_res0p01")]:
        proto(f"{m}_spike_input{suffix}",
              f"{m} driven by excitatory and inhibitory spike_generators (duplicate/simultaneous spikes, input during refractoriness), I_e and a step current; resolution {res} ms.",
              [node("n", m, cfg["params"]),
               node("sg_ex", "spike_generator", {"spike_times": EX_TIMES}),
               node("sg_in", "spike_generator", {"spike_times": IN_TIMES}),
               node("scg", "step_current_generator", {"amplitude_times": [40.0, 50.0, 85.0], "amplitude_values": [300.0, -200.0, 0.0]}),
               node("mm", "multimeter", {"interval": res, "record_from": COND_REC[m]}),
               node("sr", "spike_recorder")],
              [conn("sg_ex", "n", weight=cfg["w_ex"], delay=1.0),
               conn("sg_in", "n", weight=cfg["w_in"], delay=1.0),
               conn("scg", "n", weight=1.0, delay=1.0),
               conn("mm", "n"), conn("n", "sr")],
              [100.0], ["mm", "sr"], res=res, category="adaptive")
    proto(f"{m}_dc_1s",
          f"{m} with a suprathreshold DC (dc_generator) over 1 s in two Simulate calls: regular firing, V_m every step.",
          [node("n", m, {}), node("dc", "dc_generator", {"amplitude": 600.0 if m != "hh_cond_exp_traub" else 300.0}),
           node("vm", "voltmeter", {"interval": 0.1}), node("sr", "spike_recorder")],
          [conn("dc", "n", weight=1.0, delay=1.0), conn("vm", "n"), conn("n", "sr")],
          [400.0, 600.0], ["vm", "sr"], category="adaptive")

# A small recurrent COBA network without randomness: 40 iaf_cond_exp neurons (30 excitatory,
# 10 inhibitory), all-to-all, excitation from a regular spike_generator and heterogeneous I_e.
proto("iaf_cond_exp_recurrent",
      "40 iaf_cond_exp (30 E, I_e 300 pA; 10 I, I_e 285 pA) all-to-all with w_ex 2 nS, w_in -12 nS, delay 0.5 ms, heterogeneous V_m, driven by a spike_generator; spikes of all and V_m of all.",
      [node("e", "iaf_cond_exp", {"I_e": 300.0, "V_m": [-70.0 + 0.4 * i for i in range(30)]}, n=30),
       node("i", "iaf_cond_exp", {"I_e": 285.0, "V_m": [-69.0 + 0.3 * i for i in range(10)]}, n=10),
       node("sg", "spike_generator", {"spike_times": [float(t) for t in range(5, 200, 7)]}),
       node("vm", "voltmeter", {"interval": 0.1}), node("sr", "spike_recorder")],
      [conn("sg", "e", weight=40.0, delay=1.0), conn("sg", "i", weight=40.0, delay=1.0),
       conn("e", "e", weight=2.0, delay=0.5), conn("e", "i", weight=2.0, delay=0.5),
       conn("i", "e", weight=-12.0, delay=0.5), conn("i", "i", weight=-12.0, delay=0.5),
       conn("vm", "e"), conn("vm", "i"), conn("e", "sr"), conn("i", "sr")],
      [200.0], ["vm", "sr"], category="adaptive")

# 10. rate-modulated Poisson generators ------------------------------------------------------
SIN = {"rate": 1000.0, "amplitude": 800.0, "frequency": 4.0, "phase": 90.0}
proto("sinusoidal_poisson_generator_rate",
      "sinusoidal_poisson_generator (500 Hz, amplitude 400 Hz, 10 Hz, phase 30 deg, start 20 ms): its 'rate' every step through a multimeter, two Simulate calls (the oscillator restarts from the current time).",
      [node("g", "sinusoidal_poisson_generator", {"rate": 500.0, "amplitude": 400.0, "frequency": 10.0, "phase": 30.0, "start": 20.0}),
       node("mm", "multimeter", {"interval": 0.1, "record_from": ["rate"]})],
      [conn("mm", "g")], [200.0, 150.0], ["mm"])
proto("sinusoidal_poisson_generator_parrot",
      "sinusoidal_poisson_generator (1000 Hz, amplitude 800 Hz, 4 Hz, phase 90 deg) -> 50 parrot_neurons over 1000 ms: one train per target; counts, Fano factor and the 50 ms PSTH over 20 seeds.",
      [node("g", "sinusoidal_poisson_generator", SIN), node("p", "parrot_neuron", n=50), node("sr", "spike_recorder")],
      [conn("g", "p", weight=1.0, delay=1.0), conn("p", "sr")],
      [1000.0], ["sr"], category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p", "bin_ms": 50.0})
proto("sinusoidal_poisson_generator_shared",
      "sinusoidal_poisson_generator copied with individual_spike_trains false (CopyModel) -> 50 parrot_neurons: every parrot repeats the one train (count variance 0 across neurons); counts and the 50 ms PSTH over 20 seeds.",
      [node("g", "spg_shared", SIN), node("p", "parrot_neuron", n=50), node("sr", "spike_recorder")],
      [conn("g", "p", weight=1.0, delay=1.0), conn("p", "sr")],
      [1000.0], ["sr"], category="stochastic",
      copy_models=[{"from": "sinusoidal_poisson_generator", "to": "spg_shared", "params": {"individual_spike_trains": False}}],
      stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p", "bin_ms": 50.0})
proto("inhomogeneous_poisson_generator_parrot",
      "inhomogeneous_poisson_generator (rate 2000 Hz from 100 ms, 500 Hz from 300 ms, 0 from 500 ms, 1000 Hz from 700.05 ms rounded up with allow_offgrid_times; start 50 ms) -> 50 parrot_neurons over 1000 ms, two Simulate calls; counts and the 50 ms PSTH over 20 seeds.",
      [node("g", "inhomogeneous_poisson_generator", {"allow_offgrid_times": True, "rate_times": [100.0, 300.0, 500.0, 700.05], "rate_values": [2000.0, 500.0, 0.0, 1000.0], "start": 50.0}),
       node("p", "parrot_neuron", n=50), node("sr", "spike_recorder")],
      [conn("g", "p", weight=1.0, delay=1.0), conn("p", "sr")],
      [600.0, 400.0], ["sr"], category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p", "bin_ms": 50.0})

proto("pulsepacket_generator_sdev0",
      "pulsepacket_generator with sdev 0 (every spike at its packet's centre: exact) -> spike_recorder and a parrot_neuron: centres on and off the 0.1 ms grid (10.03, 25.0, 40.05, 40.07 ms), activity 3, a packet before start (start 20 ms), two Simulate calls.",
      [node("g", "pulsepacket_generator", {"pulse_times": [40.07, 10.03, 25.0, 40.05, 60.0], "activity": 3, "sdev": 0.0, "start": 20.0}),
       node("p", "parrot_neuron"), node("sr", "spike_recorder"), node("srp", "spike_recorder")],
      [conn("g", "sr"), conn("g", "p", weight=1.0, delay=0.5), conn("p", "srp")],
      [45.0, 30.0], ["sr", "srp"])
proto("pulsepacket_generator_parrot",
      "pulsepacket_generator (packets at 100, 250, 252, 600 ms; activity 40, sdev 8 ms) -> 50 parrot_neurons (every parrot repeats the one realisation) over 1000 ms; counts and the 10 ms PSTH over 20 seeds.",
      [node("g", "pulsepacket_generator", {"pulse_times": [100.0, 250.0, 252.0, 600.0], "activity": 40, "sdev": 8.0}),
       node("p", "parrot_neuron", n=50), node("sr", "spike_recorder")],
      [conn("g", "p", weight=1.0, delay=1.0), conn("p", "sr")],
      [1000.0], ["sr"], category="stochastic",
      stochastic={"seeds": SEEDS, "stat": "spike_train", "recorder": "sr", "population": "p", "bin_ms": 10.0})

os.makedirs(OUT, exist_ok=True)
names = set()
for p in P:
    assert p["name"] not in names, p["name"]
    names.add(p["name"])
    with open(os.path.join(OUT, p["name"] + ".json"), "w") as f:
        f.write(fmt(p))
print(len(P), "protocols")
