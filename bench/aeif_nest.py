"""The AdEx network of nestor's `networks::aeif_network` in NEST 3.10 (aeif_cond_alpha with
NEST's defaults, 2 % fixed indegree, 8 kHz Poisson drive).

Prints one JSON line (see nest_common.py).
Usage: python bench/aeif_nest.py [--scale S] [--threads N] [--time MS]
"""
import nest
from nest_common import run_and_report, start

a, t0 = start()
NE, NI = max(round(8000 * a.scale), 1), max(round(2000 * a.scale), 1)
exc = nest.Create("aeif_cond_alpha", NE)
inh = nest.Create("aeif_cond_alpha", NI)
alln = exc + inh
CE, CI = max(int(0.02 * NE), 1), max(int(0.02 * NI), 1)
drive = nest.Create("poisson_generator", params={"rate": 8000.0})
nest.Connect(drive, alln, syn_spec={"weight": 4.0, "delay": 1.0})
nest.Connect(exc, alln, {"rule": "fixed_indegree", "indegree": CE}, {"weight": 1.0, "delay": 1.5})
nest.Connect(inh, alln, {"rule": "fixed_indegree", "indegree": CI}, {"weight": -4.0, "delay": 1.5})
sr = nest.Create("spike_recorder")
nest.Connect(alln, sr)
run_and_report(a, t0, sr, NE + NI)
