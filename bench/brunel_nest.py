"""Brunel (2000) network in NEST 3.10 with the same parameters as nestor's `networks::brunel`.

Prints one JSON line: build and simulate wall times, spikes, rate, connections, peak RSS.
Usage: python bench/brunel_nest.py [--scale S] [--threads N] [--time MS] [--seed N]
"""
import argparse, json, resource, time

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
NE, NI = round(10000 * a.scale), round(2500 * a.scale)
CE, CI = max(NE // 10, 1), max(NI // 10, 1)
J, g, eta, delay, tau_m, theta = 0.1, 5.0, 2.0, 1.5, 20.0, 20.0
t0 = time.time()
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
