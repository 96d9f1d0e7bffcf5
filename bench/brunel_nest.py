"""Brunel (2000) network in NEST 3.10 with the same parameters as nestor's `networks::brunel`.

Prints one JSON line: build and simulate wall times, spikes, rate, connections, peak RSS.
Usage: python bench/brunel_nest.py [--scale S] [--threads N] [--time MS] [--seed N]
"""
import nest
from nest_common import run_and_report, start

a, t0 = start()
NE, NI = round(10000 * a.scale), round(2500 * a.scale)
CE, CI = max(NE // 10, 1), max(NI // 10, 1)
J, g, eta, delay, tau_m, theta = 0.1, 5.0, 2.0, 1.5, 20.0, 20.0
params = {"C_m": 1.0, "tau_m": tau_m, "t_ref": 2.0, "E_L": 0.0, "V_reset": 10.0, "V_m": 0.0, "V_th": theta}
ex = nest.Create("iaf_psc_delta", NE, params=params)
inh = nest.Create("iaf_psc_delta", NI, params=params)
nu_th = theta / (J * CE * tau_m)
noise = nest.Create("poisson_generator", params={"rate": 1000.0 * eta * nu_th * CE})
sr = nest.Create("spike_recorder")
alln = ex + inh
nest.Connect(noise, alln, syn_spec={"weight": J, "delay": delay})
nest.Connect(ex, alln, {"rule": "fixed_indegree", "indegree": CE}, {"weight": J, "delay": delay})
nest.Connect(inh, alln, {"rule": "fixed_indegree", "indegree": CI}, {"weight": -g * J, "delay": delay})
nest.Connect(alln, sr)
run_and_report(a, t0, sr, NE + NI)
