"""NEST's hpc_benchmark network in NEST 3.10, built as nestor's `networks::hpc_benchmark` (fixed
V_m and weights instead of NEST's normal draws, so both sides run the same description).

Prints one JSON line: build and simulate wall times, spikes, rate, connections, peak RSS.
Usage: python bench/hpc_nest.py [--scale S] [--threads N] [--time MS] [--seed N]
"""
import argparse, json, math, resource, time

import nest

ap = argparse.ArgumentParser()
ap.add_argument("--scale", type=float, default=1.0)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--time", type=float, default=1000.0)
ap.add_argument("--seed", type=int, default=12345)
a = ap.parse_args()

nest.set_verbosity("M_ERROR")
nest.ResetKernel()
nest.SetKernelStatus({"local_num_threads": a.threads, "rng_seed": a.seed, "resolution": 0.1})
NE, NI = round(9000 * a.scale), round(2250 * a.scale)
CE, CI = max(NE // 10, 1), max(NI // 10, 1)
tau_syn, JE = 0.32582722403722841, 45.61
t0 = time.time()
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
build = time.time() - t0
t1 = time.time()
nest.Simulate(a.time)
sim = time.time() - t1
n_spikes = sr.n_events
print(json.dumps({
    "build_s": build, "simulate_s": sim, "spikes": n_spikes,
    "rate_hz": n_spikes / (NE + NI) / (a.time / 1000.0),
    "connections": nest.GetKernelStatus("num_connections"),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
}))
