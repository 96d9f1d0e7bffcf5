"""Brette et al. (2007) COBA / HH-COBA benchmark in NEST 3.10, the network of nestor's
`networks::brette_coba` (NEST's Brette_et_al_2007 examples' parameters).

Prints one JSON line (see nest_common.py).
Usage: python bench/coba_nest.py [--model iaf_cond_exp|hh_cond_exp_traub] [--scale S] [--threads N] [--time MS]
"""
import sys

import nest
from nest_common import run_and_report, start

model = "iaf_cond_exp"
if "--model" in sys.argv:
    k = sys.argv.index("--model")
    model = sys.argv[k + 1]
    del sys.argv[k : k + 2]
a, t0 = start()
NE, NI = max(round(3200 * a.scale), 1), max(round(800 * a.scale), 1)
params = {"E_L": -60.0, "g_L": 10.0, "C_m": 200.0, "E_ex": 0.0, "E_in": -80.0, "tau_syn_ex": 5.0, "tau_syn_in": 10.0}
if model == "hh_cond_exp_traub":
    params.update({"g_Na": 20000.0, "g_K": 6000.0, "E_Na": 50.0, "E_K": -90.0})
else:
    params.update({"V_th": -50.0, "V_reset": -60.0, "t_ref": 5.0})
exc = nest.Create(model, NE, params=params)
inh = nest.Create(model, NI, params=params)
alln = exc + inh
CE, CI = max(int(0.02 * NE), 1), max(int(0.02 * NI), 1)
ex = {"weight": 6.0, "delay": 0.1}
nest.Connect(exc, alln, {"rule": "fixed_indegree", "indegree": CE}, ex)
nest.Connect(inh, alln, {"rule": "fixed_indegree", "indegree": CI}, {"weight": -67.0, "delay": 0.1})
stim = nest.Create("poisson_generator", params={"rate": 300.0, "start": 1.0, "stop": 51.0, "origin": 0.0})
nest.Connect(stim, exc[: min(50, NE)], "all_to_all", ex)
sr = nest.Create("spike_recorder")
nest.Connect(alln, sr)
run_and_report(a, t0, sr, NE + NI)
