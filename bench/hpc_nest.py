"""NEST's hpc_benchmark network in NEST 3.10, built as nestor's `networks::hpc_benchmark` (fixed
V_m and weights instead of NEST's normal draws, so both sides run the same description).

Prints one JSON line: build and simulate wall times, spikes, rate, connections, peak RSS.
Usage: python bench/hpc_nest.py [--scale S] [--threads N] [--time MS] [--seed N]
"""
import math

import nest
from nest_common import run_and_report, start

a, t0 = start()
NE, NI = round(9000 * a.scale), round(2250 * a.scale)
CE, CI = max(NE // 10, 1), max(NI // 10, 1)
tau_syn, JE = 0.32582722403722841, 45.61
p = dict(E_L=0.0, C_m=250.0, tau_m=10.0, t_ref=0.5, V_th=20.0, V_reset=0.0, tau_syn_ex=tau_syn,
         tau_syn_in=tau_syn, tau_minus=30.0, V_m=5.7)
ex = nest.Create("iaf_psc_alpha", NE, p)
inh = nest.Create("iaf_psc_alpha", NI, p)
alln = ex + inh
nu_th = 20.0 / (CE * 10.0 / 250.0 * JE * math.e * tau_syn)
noise = nest.Create("poisson_generator", params={"rate": 1.685 * nu_th * CE * 1000.0})
nest.CopyModel("stdp_pl_synapse_hom", "stdp_pl_hpc", {"alpha": 0.0513, "lambda": 0.1, "mu": 0.4, "tau_plus": 15.0})
nest.Connect(noise, alln, syn_spec={"weight": JE, "delay": 1.5})
nest.Connect(ex, ex, {"rule": "fixed_indegree", "indegree": CE}, {"synapse_model": "stdp_pl_hpc", "weight": JE, "delay": 1.5})
nest.Connect(ex, inh, {"rule": "fixed_indegree", "indegree": CE}, {"weight": JE, "delay": 1.5})
nest.Connect(inh, alln, {"rule": "fixed_indegree", "indegree": CI}, {"weight": -5.0 * JE, "delay": 1.5})
sr = nest.Create("spike_recorder")
nest.Connect(alln, sr)
run_and_report(a, t0, sr, NE + NI)
