"""What the NEST side of `nestor bench` shares between networks: the command line, the kernel
set-up, and the timed Simulate with its one-line JSON report (build and simulate wall times,
spikes, rate, connections, peak RSS)."""
import argparse, json, resource, time

import nest


def start():
    """Parses --scale/--threads/--time/--seed, resets NEST's kernel; returns (args, t0)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--time", type=float, default=1000.0)
    ap.add_argument("--seed", type=int, default=12345)
    a = ap.parse_args()
    nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    nest.SetKernelStatus({"local_num_threads": a.threads, "rng_seed": a.seed, "resolution": 0.1})
    return a, time.time()


def run_and_report(a, t0, sr, n_neurons):
    """Simulates a.time ms and prints the JSON line; `t0` is when building began."""
    build = time.time() - t0
    t1 = time.time()
    nest.Simulate(a.time)
    sim = time.time() - t1
    n_spikes = sr.n_events
    print(json.dumps({
        "build_s": build, "simulate_s": sim, "spikes": n_spikes,
        "rate_hz": n_spikes / n_neurons / (a.time / 1000.0),
        "connections": nest.GetKernelStatus("num_connections"),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }))
