"""Statistical references for brainpy.state's random inputs (WienerProcessInput, OUProcessInput,
PoissonSpike, PoissonEncoder, PoissonInput).

nestor draws from its own random streams, so sample paths cannot match brainpy's; the laws must.
Each protocol below runs the input in brainpy.state 0.1.0 (brainpy 2.8.2, JAX on the CPU, float64)
with many independent nodes, computes per-node statistics (time mean, variance, autocorrelation,
spike counts, Fano factor, per-step counts) and stores their mean over nodes and its standard
error in validation/brainpy/reference/bp_stat_<name>.json ("kind": "statistics"). nestor's harness
(src/brainpy_stats.rs) computes the same statistics from its own run and requires
|nestor - brainpy| <= K_SE * sqrt(se_brainpy^2 + se_nestor^2) for each (TOLERANCES.md).

The per-node estimators are the ones of src/brainpy_stats.rs; the standard error is the spread
over nodes / sqrt(nodes), which is valid however correlated the samples of one node are in time.

Usage: v/bin/python validation/brainpy/make_statistics.py [--out DIR] [--only NAME] [--seed S]
"""
import argparse
import json
import os

import jax

jax.config.update("jax_enable_x64", True)
import brainpy  # noqa: E402
import brainstate  # noqa: E402
import brainunit as u  # noqa: E402
import numpy as np  # noqa: E402

brainstate.environ.set(precision=64)
bs = brainpy.state
DT = 0.1
brainstate.environ.set(dt=DT * u.ms)
K_SE = 4.0


def node_stats(x):
    """Mean over nodes and its standard error of per-node values x[node]."""
    x = np.asarray(x, dtype=float)
    return {"mean": float(x.mean()), "se": float(x.std(ddof=1) / np.sqrt(len(x)))}


def trace_stats(xs, times, window, after, lag):
    """Statistics of a sampled current xs[sample][node] at `times` (ms)."""
    w = (times >= window[0]) & (times < window[1])
    x = xs[w]
    m = x.mean(axis=0)
    # Deviations from the mean over all nodes and samples: a node's own time mean would bias its
    # variance down by about 2*tau/T (7 % for the OU protocol); the grand mean's bias is N times
    # smaller.
    d = x - x.mean()
    var = (d ** 2).mean(axis=0)
    acf = (d[:-lag] * d[lag:]).mean(axis=0) / var
    a = xs[times >= after]
    return {"mean": node_stats(m), "var": node_stats(var), f"acf_lag{lag}": node_stats(acf),
            "max_abs_after": {"mean": float(np.abs(a).max()), "se": 0.0}}


def spike_stats(spk, phases, window_steps):
    """spk[step][node] (bool); counts per node in each phase (start, end steps) and the Fano
    factor of counts in windows of window_steps within it."""
    out = {}
    for k, (s0, s1) in enumerate(phases):
        x = spk[s0:s1].astype(float)
        out[f"count_{k}"] = node_stats(x.sum(axis=0))
        nw = (s1 - s0) // window_steps
        c = x[: nw * window_steps].reshape(nw, window_steps, -1).sum(axis=1)
        out[f"fano_{k}"] = node_stats(c.var(axis=0, ddof=1) / c.mean(axis=0))
    return out


def count_stats(counts):
    """counts[step][node]: per-step counts delivered to each target."""
    return {"mean": node_stats(counts.mean(axis=0)), "var": node_stats(counts.var(axis=0, ddof=1))}


def run_loop(f, steps):
    times = u.math.arange(0. * u.ms, steps * DT * u.ms, DT * u.ms)

    def step(t):
        with brainstate.environ.context(t=t):
            return f()

    return np.asarray(brainstate.transform.for_loop(step, times))


def protocols():
    return [
        # White noise: variance sigma^2*dt per step, zero after `duration`.
        {"name": "bp_stat_WienerProcessInput", "model": "WienerProcessInput", "n": 1000, "steps": 1000,
         "params": {"sigma": 2.0, "duration": 80.0}, "record": "trace", "interval": 0.1,
         "window": [1.0, 79.0], "after": 81.0, "lag": 1,
         "expected": {"mean": 0.0, "var": 2.0 ** 2 * DT, "acf_lag1": 0.0}},
        # OU: stationary mean `mean`, variance sigma^2*tau/(2 - dt/tau) of the Euler scheme,
        # autocorrelation (1 - dt/tau)^(lag/dt) at lag 10 ms = tau.
        {"name": "bp_stat_OUProcessInput", "model": "OUProcessInput", "n": 1000, "steps": 4500,
         "params": {"mean": 1.0, "sigma": 0.5, "tau": 10.0, "duration": 400.0}, "record": "trace",
         "interval": 1.0, "window": [100.0, 399.0], "after": 401.0, "lag": 10,
         "expected": {"mean": 1.0, "var": 0.5 ** 2 * 10.0 / (2 - DT / 10.0), "acf_lag10": (1 - DT / 10.0) ** 100}},
        # Bernoulli spikes with p = 1 - exp(-f*dt): counts over 1 s and Fano factor (1 - p) of
        # counts in 50 ms windows.
        {"name": "bp_stat_PoissonSpike", "model": "PoissonSpike", "n": 1000, "steps": 10000,
         "params": {"freqs": 40.0}, "record": "spikes", "phases": [[0, 10000]], "window_steps": 500,
         "expected": {"count_0": 10000 * -np.expm1(-40.0 * DT / 1000), "fano_0": np.exp(-40.0 * DT / 1000)}},
        # The encoder's rate changes between runs: 500 ms at 20 Hz, then 500 ms at 80 Hz.
        {"name": "bp_stat_PoissonEncoder", "model": "PoissonEncoder", "n": 1000, "steps": 10000,
         "params": {"freqs": 20.0}, "phase_freqs": [20.0, 80.0], "record": "spikes",
         "phases": [[0, 5000], [5000, 10000]], "window_steps": 500,
         "expected": {"count_0": 5000 * -np.expm1(-20.0 * DT / 1000), "count_1": 5000 * -np.expm1(-80.0 * DT / 1000)}},
        # Per-step counts of 10 sources at 2 kHz (mean 1.81 <= 5: brainpy's binomial branch,
        # variance n*p*(1-p) = 0.82 of a Poisson count's).
        {"name": "bp_stat_PoissonInput_binomial", "model": "PoissonInput", "n": 500, "steps": 2000,
         "params": {"num_input": 10, "freq": 2000.0}, "record": "counts",
         "expected": {"mean": 10 * -np.expm1(-0.2), "var": 10 * -np.expm1(-0.2) * np.exp(-0.2)}},
        # 200 sources at 500 Hz (mean 9.75 > 5 and n(1-p) > 5: brainpy's rounded normal branch,
        # variance n*p*(1-p) + 1/12).
        {"name": "bp_stat_PoissonInput_normal", "model": "PoissonInput", "n": 500, "steps": 2000,
         "params": {"num_input": 200, "freq": 500.0}, "record": "counts",
         "expected": {"mean": 200 * -np.expm1(-0.05), "var": 200 * -np.expm1(-0.05) * np.exp(-0.05) + 1 / 12}},
    ]


def run(proto):
    n, steps, p = proto["n"], proto["steps"], proto["params"]
    m = proto["model"]
    if m == "WienerProcessInput":
        inp = bs.WienerProcessInput(n, sigma=p["sigma"] * u.mA, duration=p["duration"] * u.ms)
    elif m == "OUProcessInput":
        inp = bs.OUProcessInput(n, mean=p["mean"] * u.mA, sigma=p["sigma"] * u.mA, tau=p["tau"] * u.ms,
                                duration=p["duration"] * u.ms)
    elif m == "PoissonSpike":
        inp = bs.PoissonSpike(n, freqs=p["freqs"] * u.Hz)
    elif m == "PoissonEncoder":
        inp = bs.PoissonEncoder(n)
    if m == "PoissonInput":
        # brainpy's PoissonInput.update is poisson_input(freq, num_input, weight, target, indices);
        # with weight 1 on a zero state the state's increase is the per-step count per target.
        target = brainstate.State(jax.numpy.zeros(n))

        def f():
            target.value = jax.numpy.zeros(n)
            bs.poisson_input(p["freq"] * u.Hz, p["num_input"], 1.0, target)
            return target.value

        return count_stats(run_loop(f, steps))
    brainstate.nn.init_all_states(inp)
    if m == "PoissonEncoder":
        parts = []
        for (s0, s1), fr in zip(proto["phases"], proto["phase_freqs"]):
            parts.append(run_loop(lambda fr=fr: inp.update(fr * u.Hz), s1 - s0))
        out = np.concatenate(parts)
    else:
        out = run_loop(lambda: u.get_mantissa(inp.update()) if m.endswith("ProcessInput") else inp.update(), steps)
    if proto["record"] == "trace":
        every = int(round(proto["interval"] / DT))
        # brainpy's value at step k is for t = k*dt; nestor samples every `interval` ms.
        idx = np.arange(every, steps, every)
        return trace_stats(out[idx], idx * DT, proto["window"], proto["after"], proto["lag"])
    return spike_stats(out != 0, proto["phases"], proto["window_steps"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "reference"))
    ap.add_argument("--only")
    ap.add_argument("--seed", type=int, default=20240601)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    brainstate.random.seed(a.seed)
    for proto in protocols():
        if a.only and a.only not in proto["name"]:
            continue
        proto = dict(proto, dt=DT, kind="statistics", k_se=K_SE)
        proto["expected"] = {k: float(v) for k, v in proto["expected"].items()}
        proto["reference"] = run(proto)
        proto["reference_from"] = f"brainpy 2.8.2 / brainpy_state 0.1.0, float64, seed {a.seed}"
        with open(os.path.join(a.out, proto["name"] + ".json"), "w") as f:
            json.dump(proto, f, indent=1)
        line = ", ".join(f"{k} {v['mean']:.5g}±{v['se']:.2g}" for k, v in proto["reference"].items())
        print(proto["name"], line, "| expected", proto["expected"], flush=True)


if __name__ == "__main__":
    main()
