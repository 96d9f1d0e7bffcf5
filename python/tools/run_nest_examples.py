#!/usr/bin/env python3
"""Runs NEST 3.10's PyNEST examples (pynest/examples of a nest-simulator checkout) unmodified under
nestor (``python -m nestor EXAMPLE.py``) and under a live NEST 3.10 for comparison, and writes a
results file: per example the status on both sides and the rates the example prints, side by side,
plus the reasons of the failures grouped.

Usage:
    python python/tools/run_nest_examples.py NEST_SOURCE_DIR [--out python/NEST_EXAMPLES_RESULTS.md]
        [--nest-python /work/main/.venv-nest/bin/python] [--timeout 300] [--only NAME ...]
        [--json results.json] [--reuse-nest] [--nest-json nest_results.json]

NEST_SOURCE_DIR is a checkout of nest/nest-simulator at tag v3.10; its examples are GPL-2 and are
not part of nestor, so they are only read from there. The examples are chosen the way NEST's own
``pynest/examples/run_examples.sh`` chooses them: every ``*.py`` of ``examples/`` and of its
subdirectories, except that a subdirectory with a ``run_example.py`` is run through that file only
(its other files are modules it imports), and NEST's own skip list (files that are libraries or
need MUSIC, CSA or data files that are not in the checkout).

Each example runs in a fresh temporary copy of its directory (so it finds its data files and
helper modules, and writes its output files outside the checkout), with ``MPLBACKEND=Agg`` and a
time limit. ``--json`` keeps the raw results; with ``--reuse-nest`` the NEST side is taken from
that file instead of being run again (NEST 3.10 does not change between runs of this tool).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY_DIR = os.path.dirname(HERE)

# NEST's run_examples.sh skip list, with the reason it gives.
NEST_SKIPS = {
    "brette_et_al_2007_benchmark.py": "a module imported by the other brette_et_al_2007 scripts",
    "nest_script.py": "needs MUSIC",
    "receiver_script.py": "needs MUSIC",
    "eprop_supervised_classification_neuromorphic_mnist.py": "needs the N-MNIST data set (download)",
    "csa_example.py": "needs libneurosim/CSA",
    "csa_spatial_example.py": "needs libneurosim/CSA",
}

# Failure reasons, most specific first: (label, pattern on the exception text). "Needs" labels
# mean nestor lacks a model or a feature, the others are differences to look at.
REASONS = [
    ("needs: spatial networks (issue #18)",
     r"spatial|positions=|CreateMask|GetPosition|Displacement|layer|nest\.spatial"),
    ("needs: structural plasticity / Disconnect (issue #18)",
     r"Disconnect|[Ss]tructural|synaptic_elements|growth_curve"),
    ("needs: recording backend (ascii/…) not in nestor yet", r"record_to|recording backend|'ascii'"),
    ("needs: astrocytes / TripartiteConnect", r"Tripartite|astrocyte"),
    ("needs: SONATA", r"SONATA|[Ss]onata"),
    ("needs: model option not in nestor yet (ignore_and_spike)", r"no parameter 'ignore_and_spike'"),
    ("needs: e-prop models (eprop_*) not in nestor yet", r"eprop"),
    ("needs: model not in nestor yet",
     r"UnknownModelName|UnknownSynapseType|[Uu]nknown model|unknown synapse model|no model named"),
    ("needs: precise timing / time base (issue #14)", r"precise|_ps\b|off-grid|tics_per_ms|tic length"),
    ("needs: connection rule not in nestor yet", r"unknown connection rule"),
    ("needs: feature not implemented in nestor (other)", r"NotImplemented"),
]

# A printed rate: a label containing "rate" or "frequency", a colon, and numbers (optionally
# "a / b"), e.g. "Excitatory rate   : 12.34 spks/s" or "firing rate (actual / calculated): 1 / 2".
RATE_RE = re.compile(r"^\s*(?P<label>[^:\n]*(?:rate|[Ff]requency)[^:\n]*?)\s*:\s*(?P<vals>[-+0-9.eE\s/]+?)"
                     r"\s*(?P<unit>Hz|spks/s|spikes/s|1/s)?\s*$", re.IGNORECASE | re.MULTILINE)
# What was found out about failures that are not a missing model or feature (kept by hand; the
# table says whether they still fail).
NOTES = {
    "hh_phaseplane.py":
        "The scan sets V_m = -40 mV (and -55 mV) exactly, where hh_psc_alpha's alpha_m (alpha_n) is 0/0. "
        "NEST 3.10 has no check on the state and silently continues with NaN (the next set() overwrites "
        "it); nestor's hh_psc_alpha and hh_cond_exp_traub now do the same (the other adaptive models still "
        "stop with NumericalInstability on a non-finite state).",
    "repeated_stimulation.py":
        "Connects a poisson_generator directly to a spike_recorder. As in NEST 3.10 the generator draws a "
        "count for that connection like for any target and the recorder records it.",
    "artificial_synchrony.py":
        "Sets tics_per_ms = 32 and resolution = 2^-5 ms; nestor's time base is fixed at 1000 tics/ms (issue #14).",
    "hpc_benchmark.py":
        "Earlier, with the memory backend substituted (bench/python_speed.py --record-to memory, scale 0.2, "
        "2 threads), its logged average rate was 61.5 Hz under nestor against NEST 3.10's 42.1 Hz: a real "
        "difference, not yet explained (candidates: stdp_pl_synapse_hom_hpc's common properties set by "
        "SetDefaults, the normal V_m draw, the 300 ms of counted spikes).",
    "brunel_exp_multisynapse_nest.py":
        "Draws receptor_type per connection (1 + uniform_int(99)) for iaf_psc_exp_multisynapse with 100 "
        "synaptic time constants. Runs, but the rates are about 25 % lower than NEST's (not yet explained). "
        "Checked: single-neuron traces with these parameters agree bitwise; the drawn receptors have NEST's "
        "range and distribution; the same network at order 500 (seed 1, one thread) gives exactly NEST's "
        "rate with every receptor fixed to 50 (21.14 spikes/s on both sides) and 26.16 against NEST's "
        "25.18 with random receptors. Still to try: the full size, and the example's 4 threads.",
    "coba.py":
        "The COBA network is bistable: the 50 ms Poisson kick either starts self-sustained activity or it "
        "dies out. With nest.rng_seed = 1, 2, 3, 4 NEST 3.10 gives 13.99/13.87, 14.49/13.94, 0.52/0.32 and "
        "14.85/14.67 spikes/s (E/I); nestor gives 13.9/13.84, 14.01/14.03, 13.86/14.35, 14.14/14.27. NEST's "
        "default seed happens to fall in the dying branch, hence the large difference in the table.",
    "eprop_plasticity":
        "These scripts import IPython (not installed on either side here) before anything else; nestor "
        "lacks the eprop_* models anyway.",
}

NUM_RE = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def discover(examples_dir):
    """Example scripts (relative paths) and the skipped ones with their reason."""
    run, skipped = [], []
    for entry in sorted(os.listdir(examples_dir)):
        path = os.path.join(examples_dir, entry)
        if os.path.isfile(path) and entry.endswith(".py"):
            run.append(entry)
        elif os.path.isdir(path):
            if os.path.exists(os.path.join(path, "run_example.py")):
                run.append(os.path.join(entry, "run_example.py"))
            else:
                run += [os.path.join(entry, f) for f in sorted(os.listdir(path)) if f.endswith(".py")]
    keep = []
    for rel in run:
        reason = NEST_SKIPS.get(os.path.basename(rel))
        (skipped.append((rel, reason)) if reason else keep.append(rel))
    return keep, skipped


def last_exception(stderr):
    """The first line of the last exception in a traceback (``Type: message``), or None."""
    lines = stderr.rstrip().splitlines()
    tb = max((i for i, l in enumerate(lines) if l.startswith("Traceback (most recent call last)")), default=None)
    if tb is None:
        return None
    for line in lines[tb + 1:]:
        if line and not line.startswith((" ", "\t")) and not line.startswith("During handling"):
            return line.strip()
    return lines[-1].strip() if lines else None


def rates(stdout):
    """(label, [numbers]) for every printed rate line, in order."""
    out = []
    for m in RATE_RE.finditer(stdout):
        nums = [float(x) for x in NUM_RE.findall(m.group("vals"))]
        if nums:
            out.append((re.sub(r"\s+", " ", m.group("label").strip()), nums))
    return out


def run_one(examples_dir, rel, cmd_prefix, timeout, env_extra):
    """Runs one example in a temporary copy of its directory; returns a result dict."""
    src_dir = os.path.join(examples_dir, os.path.dirname(rel))
    tmp = tempfile.mkdtemp(prefix="nest_example_")
    work = os.path.join(tmp, "ex")
    shutil.copytree(src_dir, work, ignore=shutil.ignore_patterns("*.png", "*.svg", "*.gif", "__pycache__"))
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONUNBUFFERED="1", **env_extra)
    env.pop("PYTHONPATH", None)
    cmd = cmd_prefix + [os.path.basename(rel)]
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
        wall = time.monotonic() - t0
        if p.returncode == 0:
            res = {"status": "ran", "error": None}
        else:
            exc = last_exception(p.stderr) or (p.stderr.strip().splitlines() or [f"exit code {p.returncode}"])[-1]
            res = {"status": "failed", "error": exc[:300]}
        res.update(stdout=p.stdout, stderr_tail=p.stderr[-3000:], wall=wall)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        res = {"status": "timeout", "error": f"no result within {timeout} s", "stdout": out, "stderr_tail": "",
               "wall": timeout}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res["rates"] = rates(res.get("stdout") or "")
    res["stdout"] = (res.get("stdout") or "")[-4000:]
    if res["status"] == "failed":
        res["reason"] = reason_of(res["error"] + "\n" + res["stderr_tail"][-1500:])
        if res["reason"].startswith("needs:"):
            res["status"] = "needs"
    return res


def reason_of(text):
    # The exception line decides first; the traceback tail only if that line says nothing known.
    first = text.split("\n", 1)[0]
    for scope in (first, text):
        for label, pat in REASONS:
            if re.search(pat, scope):
                return label
    return "other: " + re.sub(r"\s+", " ", first)[:160]


def fmt_rates(rs):
    # Long lists (a bisection printing each estimate) are shown by their last lines.
    shown = rs if len(rs) <= 4 else rs[-3:]
    text = "<br>".join(f"{lab}: {' / '.join(f'{v:g}' for v in vals)}" for lab, vals in shown)
    return (f"… ({len(rs)} lines, last 3)<br>" if len(rs) > 4 else "") + text


def compare_rates(a, b):
    """Relative differences |nestor - NEST| / |NEST| of matching printed numbers, as text."""
    diffs = []
    for (la, va), (lb, vb) in zip(a, b):
        if la != lb:
            continue
        for x, y in zip(va, vb):
            diffs.append(abs(x - y) / abs(y) if y else (0.0 if x == y else float("inf")))
    if not diffs:
        return ""
    return "max rel. diff " + (f"{max(diffs):.1%}" if max(diffs) != float("inf") else "inf")


STATUS_TEXT = {"ran": "ran", "failed": "FAILED", "timeout": "timeout", "needs": "needs"}


def cell(res):
    if res is None:
        return "not run"
    s = STATUS_TEXT[res["status"]]
    if res["status"] == "ran":
        return f"{s} ({res['wall']:.1f} s)"
    if res["status"] == "needs":
        return f"{s}: {res['reason'][7:]} — `{md(res['error'])[:120]}`"
    return f"{s}: `{md(res['error'])[:160]}`"


def md(s):
    return (s or "").replace("|", "/").replace("`", "'").replace("\n", " ")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("nest_source")
    ap.add_argument("--out", default=os.path.join(PY_DIR, "NEST_EXAMPLES_RESULTS.md"))
    ap.add_argument("--nest-python", default="/work/main/.venv-nest/bin/python",
                    help="a Python with NEST 3.10's PyNEST ('' to skip the NEST side)")
    ap.add_argument("--nestor-python", default=sys.executable, help="a Python with the nestor package ('' to skip the nestor side)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per example and side")
    ap.add_argument("--only", nargs="*", help="run only these examples (path relative to examples/)")
    ap.add_argument("--json", help="keep raw results here (and read them with --reuse-nest)")
    ap.add_argument("--reuse-nest", action="store_true", help="take the NEST side from --json")
    ap.add_argument("--nest-json", help="take the NEST side from this results file (of a run with "
                    "--nestor-python '', e.g. run in parallel) instead of running it")
    ap.add_argument("--speed-log", help="output of bench/python_speed.py to include in the report")
    args = ap.parse_args(argv)

    examples_dir = os.path.join(args.nest_source, "pynest", "examples")
    if not os.path.isdir(examples_dir):
        sys.exit(f"no pynest/examples in {args.nest_source}")
    examples, skipped = discover(examples_dir)
    old = {}
    if args.json and os.path.exists(args.json):
        with open(args.json) as fh:
            old = json.load(fh)
    results = old.get("results", {})
    if args.nest_json:
        with open(args.nest_json) as fh:
            for rel, r in json.load(fh)["results"].items():
                if r.get("nest"):
                    results.setdefault(rel, {})["nest"] = r["nest"]
        args.nest_python = ""
    todo = [e for e in examples if not args.only or e in args.only or os.path.basename(e) in args.only]
    for rel in todo:
        r = results.setdefault(rel, {})
        print(f"{rel}:", end="", flush=True)
        if args.nestor_python:
            r["nestor"] = run_one(examples_dir, rel, [args.nestor_python, "-m", "nestor"], args.timeout, {})
            print(f" nestor {r['nestor']['status']}", end="", flush=True)
        if args.nest_python and not (args.reuse_nest and r.get("nest")):
            r["nest"] = run_one(examples_dir, rel, [args.nest_python], args.timeout, {})
            print(f" NEST {r['nest']['status']}", end="", flush=True)
        print(flush=True)
        if args.json:
            # write and rename, so an interrupted run leaves the previous file intact
            with open(args.json + ".tmp", "w") as fh:
                json.dump({"results": results}, fh, indent=1)
            os.replace(args.json + ".tmp", args.json)
    speed = open(args.speed_log).read() if args.speed_log else None
    write_report(args.out, examples, skipped, results, args.timeout, speed)
    print(f"results written to {args.out}")


def write_report(out, examples, skipped, results, timeout, speed=None):
    count = {side: collections.Counter() for side in ("nestor", "nest")}
    reasons = collections.defaultdict(list)
    for rel in examples:
        for side in ("nestor", "nest"):
            res = results.get(rel, {}).get(side)
            count[side][res["status"] if res else "not run"] += 1
        res = results.get(rel, {}).get("nestor")
        if res and res["status"] != "ran":
            reasons[res.get("reason") or res["status"]].append(rel)

    def counts(c):
        return (f"{c['ran']} ran, {c['needs']} need a model/feature (nestor lacks it, or NEST was built without it), {c['failed']} failed, "
                f"{c['timeout']} timed out" + (f", {c['not run']} not run" if c["not run"] else ""))

    lines = [
        "# NEST 3.10's PyNEST examples under nestor",
        "",
        "Generated by `python/tools/run_nest_examples.py` from NEST's `pynest/examples` at tag v3.10 (not",
        "part of nestor). Each example runs unmodified, in a temporary copy of its directory, with",
        f"`MPLBACKEND=Agg` and a limit of {timeout} s, once as `python -m nestor EXAMPLE.py` and once under",
        "NEST 3.10. The selection is that of NEST's `run_examples.sh`. \"needs\" means the example uses a",
        "model or feature nestor does not have (yet); \"FAILED\" is any other error.",
        "",
        f"**{len(examples)} examples.** nestor: {counts(count['nestor'])}. NEST 3.10: {counts(count['nest'])}.",
        "",
        "Printed rates are compared with the relative difference |nestor − NEST| / NEST of each printed",
        "number. The networks draw random numbers from different generators, so the rates of",
        "stochastic examples are statistically, not bitwise, equal.",
        "",
        "## Why examples do not run under nestor",
        "",
        "| examples | reason | which |",
        "|---:|---|---|",
    ]
    for r, rels in sorted(reasons.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"| {len(rels)} | {md(r)} | {', '.join(os.path.basename(x) if os.path.dirname(x) == '' else x for x in rels)} |")
    lines += ["", "## Per example", "",
              "| example | nestor | NEST 3.10 | rates under nestor | rates under NEST | difference |",
              "|---|---|---|---|---|---|"]
    for rel in examples:
        r = results.get(rel, {})
        a, b = r.get("nestor"), r.get("nest")
        # rates printed before a failure are not results
        ra = a["rates"] if a and a["status"] == "ran" else []
        rb = b["rates"] if b and b["status"] == "ran" else []
        diff = compare_rates(ra, rb) if a and b and a["status"] == "ran" and b["status"] == "ran" else ""
        lines.append(f"| {rel} | {cell(a)} | {cell(b)} | {md(fmt_rates(ra))} | {md(fmt_rates(rb))} | {diff} |")
    notes = [(rel, NOTES.get(os.path.basename(rel)) or NOTES.get(os.path.dirname(rel))) for rel in examples]
    notes = [(rel, text) for rel, text in notes if text]
    if notes:
        lines += ["", "## Notes on particular examples", ""]
        lines += [f"- **{rel}** ({cell(results.get(rel, {}).get('nestor')).split(':')[0]} under nestor): {text}"
                  for rel, text in notes]
    lines += ["", "## Not run (NEST's own skip list)", ""]
    lines += [f"- {rel}: {why}" for rel, why in skipped]
    if speed:
        lines += ["", "## Speed: whole process, nestor vs NEST 3.10", "",
                  "Measured by `bench/python_speed.py` (wall clock and peak RSS from `/usr/bin/time`, whole",
                  "process: interpreter, imports, build, simulation, the example's analysis and plots). Both sides",
                  "get the same file text; see the script's docstring for the substitutions.", "", "```"]
        lines += speed.rstrip().splitlines() + ["```"]
    with open(out, "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
