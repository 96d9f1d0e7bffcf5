#!/usr/bin/env python3
"""Run nestor validation protocols in NEST and write reference files.

Usage:
    python validation/nest/run_protocols.py [--out DIR] [--protocols DIR] [NAME_OR_PATH ...]

Without positional arguments every ``validation/protocols/*.json`` is run.
A positional argument may be a protocol name (``iaf_psc_alpha_dc376``), a
file name (``iaf_psc_alpha_dc376.json``) or a path to a protocol file.

Output: one ``<name>.json`` per protocol in ``--out`` (default
``validation/reference``).  See ``validation/README.md`` for the format of
protocols and reference files, and for how the NEST recorder quirk (samples of
the last min_delay slice are only handed over by the *next* Simulate call) is
handled.
"""

import argparse
import glob
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VALIDATION = os.path.dirname(HERE)
DEFAULT_PROTOCOLS = os.path.join(VALIDATION, "protocols")
DEFAULT_OUT = os.path.join(VALIDATION, "reference")

# Keys allowed in syn_spec / conn_spec of a protocol (anything else is an error,
# so that protocols stay buildable by the Rust harness).
SYN_KEYS = {"synapse_model", "weight", "delay", "receptor_type", "tau_plus", "lambda", "alpha", "mu_plus", "mu_minus", "Wmax", "Kplus", "U", "u", "x", "tau_rec", "tau_fac", "tau_psc", "y", "tau_plus_triplet", "Aplus", "Aminus", "Aplus_triplet", "Aminus_triplet", "Kplus_triplet", "tau", "eta", "n", "a", "p_transmit", "tau_P", "delta_P", "P"}
CONN_RULES = ("all_to_all", "one_to_one", "fixed_indegree", "fixed_outdegree", "fixed_total_number", "pairwise_bernoulli")


def import_nest():
    import nest  # noqa: PLC0415

    try:
        nest.verbosity = nest.VerbosityLevel.ERROR
    except AttributeError:  # older PyNEST
        nest.set_verbosity("M_ERROR")
    return nest


def to_plain(value):
    """numpy / NEST values -> plain Python values for json."""
    if isinstance(value, np.ndarray):
        return [to_plain(v) for v in value.tolist()]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


def load_protocol(path):
    with open(path) as f:
        proto = json.load(f)
    for key in ("name", "category", "kernel", "nodes", "connections", "simulate", "record"):
        if key not in proto:
            raise ValueError(f"{path}: missing key '{key}'")
    if proto["category"] not in ("exact", "adaptive", "stochastic"):
        raise ValueError(f"{path}: bad category {proto['category']!r}")
    if proto["category"] == "stochastic" and "stochastic" not in proto:
        raise ValueError(f"{path}: stochastic protocol without 'stochastic' block")
    ids = [n["id"] for n in proto["nodes"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate node ids")
    for c in proto["connections"]:
        if c["pre"] not in ids or c["post"] not in ids:
            raise ValueError(f"{path}: connection refers to unknown node: {c}")
        if c.get("conn_spec", {}).get("rule", "all_to_all") not in CONN_RULES:
            raise ValueError(f"{path}: unsupported rule in {c}")
        bad = set(c.get("syn_spec", {})) - SYN_KEYS
        if bad:
            raise ValueError(f"{path}: unsupported syn_spec keys {bad}")
    for r in proto["record"]:
        if r not in ids:
            raise ValueError(f"{path}: record refers to unknown node {r}")
    return proto


def build_and_run(nest, proto, seed):
    """Build the network in a fresh kernel, run the Simulate calls.

    Returns (node_ids, T, kernel_info, events) where events holds the recorded
    events of every recorder in proto['record'] restricted to times <= T.
    """
    nest.ResetKernel()
    kernel = dict(proto["kernel"])
    kernel["rng_seed"] = int(seed)
    nest.SetKernelStatus(kernel)
    res = nest.GetKernelStatus("resolution")

    for cm in proto.get("copy_models", []):
        if "weight_recorder" not in cm:
            nest.CopyModel(cm["from"], cm["to"], cm.get("params", {}))

    nodes = {}
    node_ids = {}
    in_steps = set(proto.get("nest_time_in_steps", []))
    for spec in proto["nodes"]:
        params = dict(spec.get("params", {}) or {})
        if spec["id"] in in_steps:
            # Senders that put a payload into the spike's offset (iaf_tum_2000, iaf_bw_2001):
            # record the step and convert it back to ms below.
            params["time_in_steps"] = True
        nc = nest.Create(spec["model"], int(spec.get("n", 1)), params=params or None)
        nodes[spec["id"]] = nc
        node_ids[spec["id"]] = [int(x) for x in nc.tolist()]

    # Copies whose weight_recorder is a node of the protocol come after the nodes.
    for cm in proto.get("copy_models", []):
        if "weight_recorder" in cm:
            nest.CopyModel(cm["from"], cm["to"], dict(cm.get("params", {}), weight_recorder=nodes[cm["weight_recorder"]]))

    for c in proto["connections"]:
        conn_spec = dict(c.get("conn_spec", {"rule": "all_to_all"}))
        syn_spec = dict(c.get("syn_spec", {}))
        nest.Connect(nodes[c["pre"]], nodes[c["post"]], conn_spec=conn_spec, syn_spec=syn_spec or None)

    ks = nest.GetKernelStatus()
    kernel_info = {
        "min_delay_after_connect": float(ks["min_delay"]),
        "max_delay_after_connect": float(ks["max_delay"]),
    }

    for t in proto["simulate"]:
        nest.Simulate(float(t))
    T = float(nest.GetKernelStatus("biological_time"))
    expected_T = float(sum(proto["simulate"]))
    if abs(T - expected_T) > 0.5 * res:
        raise RuntimeError(f"biological_time {T} != sum(simulate) {expected_T}")
    T = expected_T

    ks = nest.GetKernelStatus()
    kernel_info["min_delay"] = float(ks["min_delay"])
    kernel_info["max_delay"] = float(ks["max_delay"])

    # Final weights of plastic connections, read before the extra Simulate below changes them.
    weights = []
    for w in proto.get("weights", []):
        c = nest.GetConnections(nodes[w["pre"]], nodes[w["post"]], synapse_model=w["synapse_model"])
        ws = sorted(zip(c.get("source"), c.get("target"), c.get("weight"))) if len(c) > 1 else (
            [(c.get("source"), c.get("target"), c.get("weight"))] if len(c) == 1 else [])
        weights.append([[int(s), int(t), float(x)] for s, t, x in ws])
    if proto.get("weights"):
        kernel_info["weights"] = weights

    # NEST quirk: multimeters/voltmeters hand over the samples of the last
    # min_delay slice only during the next Simulate call (and spikes emitted in
    # the last slice reach a spike_recorder only then).  Run a little longer
    # and drop everything recorded after T.
    extra = float(ks["max_delay"]) + float(ks["min_delay"]) + 1.0
    nest.Simulate(extra)
    kernel_info["extra_simulate"] = extra

    t_limit_steps = int(round(T / res))
    events = {}
    for rid in proto["record"]:
        nc = nodes[rid]
        if len(nc) != 1:
            raise ValueError(f"recorder '{rid}' must have n == 1")
        ev = nc.get("events")
        ev = {k: np.asarray(v) for k, v in ev.items()}
        if rid in in_steps:
            # NEST's time of step s: (s * tics_per_step) * ms_per_tic; the offsets (payloads, not
            # times) are dropped.
            tics_per_step = int(round(res * 1000.0))
            ev["times"] = np.array([float(int(s) * tics_per_step) * 0.001 for s in ev["times"]])
            ev.pop("offsets", None)
        times = ev["times"].astype(float)
        if "offsets" in ev:  # precise spike times: t = stamp - offset
            t_eff = times - ev["offsets"].astype(float)
        else:
            t_eff = times
        # keep every event with time <= T (compare on the step grid)
        keep = np.array([t <= (t_limit_steps + 0.5) * res for t in t_eff], dtype=bool) if len(t_eff) else np.zeros(0, bool)
        out = {}
        for k, v in ev.items():
            v = v[keep] if len(v) == len(keep) else v
            if k == "senders":
                out[k] = [int(x) for x in v]
            else:
                out[k] = [float(x) for x in v]
        events[rid] = out
    return node_ids, T, kernel_info, events


# ---------------------------------------------------------------------------
# stochastic statistics
# ---------------------------------------------------------------------------

def _mean_std(values):
    a = np.asarray(values, dtype=float)
    return {
        "mean": float(np.mean(a)),
        "std": float(np.std(a, ddof=1)) if len(a) > 1 else 0.0,
        "per_seed": [float(x) for x in a],
    }


def stat_spike_train(proto, node_ids, T, events):
    st = proto["stochastic"]
    ev = events[st["recorder"]]
    targets = node_ids[st["population"]]
    times = np.asarray(ev["times"], dtype=float)
    senders = np.asarray(ev["senders"], dtype=int)
    counts = []
    isis = []
    for gid in targets:
        t = np.sort(times[senders == gid])
        counts.append(len(t))
        if len(t) > 1:
            isis.append(np.diff(t))
    counts = np.asarray(counts, dtype=float)
    isis = np.concatenate(isis) if isis else np.zeros(0)
    out = {
        "mean_count": float(np.mean(counts)),
        "var_count": float(np.var(counts, ddof=1)) if len(counts) > 1 else 0.0,
        "rate_hz": float(np.mean(counts) / (T / 1000.0)),
        "cv_isi": float(np.std(isis) / np.mean(isis)) if len(isis) > 1 else float("nan"),
        "fano": float(np.var(counts, ddof=1) / np.mean(counts)) if len(counts) > 1 and np.mean(counts) > 0 else float("nan"),
    }
    # "bin_ms": B adds bin<k>, the mean count per neuron in (k·B, (k+1)·B] (a PSTH: catches a
    # rate whose time course is wrong although its average is right).
    if "bin_ms" in st:
        b = float(st["bin_ms"])
        pop = np.isin(senders, np.asarray(targets, dtype=int))
        for k in range(int(round(T / b))):
            sel = pop & (times > k * b) & (times <= (k + 1) * b)
            out[f"bin{k}"] = float(np.count_nonzero(sel) / len(targets))
    return out


def stat_signal_moments(proto, node_ids, T, events):
    st = proto["stochastic"]
    out = {}
    for sig in st["signals"]:
        ev = events[sig["recorder"]]
        t = np.asarray(ev["times"], dtype=float)
        x = np.asarray(ev[sig["quantity"]], dtype=float)
        t_min = float(sig.get("t_min", 0.0))
        x = x[t > t_min]
        key = sig.get("key", f"{sig['recorder']}_{sig['quantity']}")
        out[f"{key}_mean"] = float(np.mean(x))
        out[f"{key}_var"] = float(np.var(x))
        out[f"{key}_n"] = int(len(x))
        if sig.get("fano"):
            out[f"{key}_fano"] = float(np.var(x) / np.mean(x)) if np.mean(x) != 0 else float("nan")
    return out


STATS = {"spike_train": stat_spike_train, "signal_moments": stat_signal_moments}


# ---------------------------------------------------------------------------

def run_protocol(nest, proto):
    base = {
        "protocol": proto["name"],
        "category": proto["category"],
        "nest_version": nest.__version__,
        "resolution": float(proto["kernel"]["resolution"]),
    }
    if proto["category"] in ("exact", "adaptive"):
        seed = proto["kernel"].get("rng_seed", 1)
        node_ids, T, kernel_info, events = build_and_run(nest, proto, seed)
        base.update({
            "rng_seed": int(seed),
            "simulate": [float(t) for t in proto["simulate"]],
            "T": T,
            "node_ids": node_ids,
            "kernel_status": kernel_info,
            "events": events,
        })
        return base

    st = proto["stochastic"]
    fn = STATS[st["stat"]]
    per_seed = []
    node_ids = kernel_info = None
    T = None
    for seed in st["seeds"]:
        node_ids, T, kernel_info, events = build_and_run(nest, proto, seed)
        per_seed.append(fn(proto, node_ids, T, events))
    keys = list(per_seed[0].keys())
    stats = {k: _mean_std([s[k] for s in per_seed]) for k in keys}
    base.update({
        "rng_seed": None,
        "seeds": [int(s) for s in st["seeds"]],
        "stat": st["stat"],
        "simulate": [float(t) for t in proto["simulate"]],
        "T": T,
        "node_ids": node_ids,
        "kernel_status": kernel_info,
        "stats": stats,
    })
    if "expected" in st:
        base["expected"] = st["expected"]
    return base


def resolve(args_protocols, proto_dir):
    if not args_protocols:
        return sorted(glob.glob(os.path.join(proto_dir, "*.json")))
    paths = []
    for a in args_protocols:
        if os.path.isfile(a):
            paths.append(a)
            continue
        name = a[:-5] if a.endswith(".json") else a
        p = os.path.join(proto_dir, name + ".json")
        if not os.path.isfile(p):
            raise SystemExit(f"unknown protocol: {a}")
        paths.append(p)
    return paths


def json_safe(x):
    """Replace non-finite floats (not valid JSON) by strings."""
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if isinstance(x, dict):
        return {k: json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [json_safe(v) for v in x]
    return x


def dumps(x, indent=0):
    """JSON with nested objects indented and lists kept on one line."""
    pad = "  " * (indent + 1)
    if isinstance(x, dict):
        if not x:
            return "{}"
        items = [f"{pad}{json.dumps(k)}: {dumps(v, indent + 1)}" for k, v in x.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    return json.dumps(x, allow_nan=False, separators=(", ", ": "))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("protocols", nargs="*", help="protocol names or files (default: all)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: validation/reference)")
    ap.add_argument("--protocols-dir", default=DEFAULT_PROTOCOLS, help="where protocol names are looked up")
    args = ap.parse_args(argv)

    nest = import_nest()
    os.makedirs(args.out, exist_ok=True)
    failed = []
    for path in resolve(args.protocols, args.protocols_dir):
        try:
            proto = load_protocol(path)
            ref = run_protocol(nest, proto)
        except Exception as ex:  # keep going, report at the end
            failed.append((path, ex))
            print(f"FAIL {os.path.basename(path)}: {type(ex).__name__}: {ex}", file=sys.stderr)
            continue
        out = os.path.join(args.out, proto["name"] + ".json")
        with open(out, "w") as f:
            f.write(dumps(json_safe(ref)) + "\n")
        if proto["category"] in ("exact", "adaptive"):
            summary = ", ".join(f"{k}: {len(v['times'])} events" for k, v in ref["events"].items())
        else:
            summary = ", ".join(f"{k}={v['mean']:.6g}+-{v['std']:.3g}" for k, v in ref["stats"].items())
        print(f"ok   {proto['name']}: {summary}")
    if failed:
        print(f"{len(failed)} protocol(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
