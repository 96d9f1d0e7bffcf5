#!/usr/bin/env python3
"""Whole-process speed and memory of two of NEST 3.10's PyNEST examples, run unmodified under nestor
(``python -m nestor``) and under NEST 3.10: wall-clock time and peak RSS as ``/usr/bin/time``
measures them (so interpreter start, imports, network construction, simulation and the example's
own analysis and plotting all count), and the ratios nestor/NEST.

Usage:
    python bench/python_speed.py [--nest-src /work/nest-src]
        [--nestor-python .venv/bin/python] [--nest-python /work/main/.venv-nest/bin/python]
        [--threads 2] [--hpc-scale 0.2] [--record-to ascii|memory] [--repeat 1]

The examples are read from NEST_SRC/pynest/examples (NEST's GPL files are not copied into nestor).
Each run uses a temporary copy outside the repository, with only these substitutions, identical
for both simulators:

- ``brunel_delta_nest.py``: none (it uses NEST's default of one thread on both sides).
- ``hpc_benchmark.py``: its ``params`` dictionary at the top gets ``num_threads`` = --threads and
  ``scale`` = --hpc-scale. The default scale 1.0 (11 250 neurons, in-degree 11 250, 127 M
  synapses, 4 threads) is too large for a 2-core machine; the in-degree does not change with
  ``scale``, so scale 0.2 is 2 250 neurons and 25 M synapses.
- ``--record-to memory`` replaces the examples' ``record_to="ascii"`` spike recorders by the
  memory backend on both sides (for a nestor without the ascii backend); the default keeps the
  files as NEST ships them.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def prepare(src, dst, threads, scale, record_to):
    text = open(src).read()
    name = os.path.basename(src)
    if name == "hpc_benchmark.py":
        # Substitute the two entries of the params dictionary; fail loudly if NEST's file changed.
        for key, value in (("num_threads", threads), ("scale", scale)):
            text, n = re.subn(rf'("{key}":\s*)[0-9.]+', rf"\g<1>{value}", text, count=1)
            if n != 1:
                sys.exit(f"{name}: no '{key}' entry in params to substitute")
    if record_to == "memory":
        text = text.replace('record_to="ascii"', 'record_to="memory"').replace(
            '"record_to": "ascii"', '"record_to": "memory"')
    with open(dst, "w") as fh:
        fh.write(text)


def timed(cmd, cwd):
    """Runs cmd under /usr/bin/time; returns (exit code, wall seconds, max RSS in MiB, output)."""
    tfile = os.path.join(cwd, ".time")
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("PYTHONPATH", None)
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", tfile] + cmd, cwd=cwd, env=env,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    try:
        wall, rss_kb = open(tfile).read().split()[-2:]
        wall, rss = float(wall), int(rss_kb) / 1024
    except (OSError, ValueError):
        wall, rss = float("nan"), float("nan")
    return p.returncode, wall, rss, p.stdout + p.stderr


def last_error(out):
    lines = [l for l in out.strip().splitlines() if l.strip()]
    errs = [l for l in lines if re.match(r"^[A-Za-z_.]+(Error|Exception|Property|Name|Connection)\b.*:", l)]
    return (errs or lines or ["?"])[-1][:200]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nest-src", default="/work/nest-src")
    ap.add_argument("--nestor-python", default=os.path.join(ROOT, ".venv", "bin", "python"))
    ap.add_argument("--nest-python", default="/work/main/.venv-nest/bin/python")
    ap.add_argument("--threads", type=int, default=2, help="hpc_benchmark's num_threads on both sides")
    ap.add_argument("--hpc-scale", type=float, default=0.2, help="hpc_benchmark's scale on both sides")
    ap.add_argument("--record-to", choices=("ascii", "memory"), default="ascii")
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the fastest counts")
    ap.add_argument("--examples", nargs="*", default=["brunel_delta_nest.py", "hpc_benchmark.py"])
    args = ap.parse_args(argv)

    sides = [("nestor", [args.nestor_python, "-m", "nestor"]), ("NEST 3.10", [args.nest_python])]
    print(f"threads {args.threads} (hpc_benchmark; brunel_delta_nest: 1), hpc scale {args.hpc_scale}, "
          f"record_to {args.record_to}, best of {args.repeat}")
    print(f"{'example':<22} {'side':<10} {'wall s':>8} {'max RSS MiB':>12}  printed")
    rows = {}
    for ex in args.examples:
        for side, cmd in sides:
            best = None
            for _ in range(args.repeat):
                work = tempfile.mkdtemp(prefix="nestor_speed_")
                try:
                    prepare(os.path.join(args.nest_src, "pynest", "examples", ex), os.path.join(work, ex),
                            args.threads, args.hpc_scale, args.record_to)
                    rc, wall, rss, out = timed(cmd + [ex], work)
                    if rc == 0 and ex == "hpc_benchmark.py":
                        # the example logs its rate to log_00.dat ("... # average rate")
                        log = os.path.join(work, "log_00.dat")
                        out += open(log).read() if os.path.exists(log) else ""
                finally:
                    shutil.rmtree(work, ignore_errors=True)
                if rc != 0:
                    best = (rc, wall, rss, out)
                    break
                if best is None or wall < best[1]:
                    best = (rc, wall, rss, out)
            rc, wall, rss, out = best
            rates = re.findall(r"(?:(?:Excitatory|Inhibitory) rate\s*:\s*[0-9.]+|[0-9.]+ # average rate)", out)
            # hpc_benchmark's logger prints each line to stdout, stderr and its log file: once is enough
            note = "; ".join(dict.fromkeys(r.strip() for r in rates)) if rc == 0 else f"FAILED: {last_error(out)}"
            print(f"{ex:<22} {side:<10} {wall:>8.2f} {rss:>12.0f}  {note}", flush=True)
            rows[(ex, side)] = (rc, wall, rss)
    print()
    for ex in args.examples:
        a, b = rows[(ex, "nestor")], rows[(ex, "NEST 3.10")]
        if a[0] == 0 and b[0] == 0:
            print(f"{ex:<22} nestor/NEST: time {a[1] / b[1]:.2f}x, max RSS {a[2] / b[2]:.2f}x")
        else:
            print(f"{ex:<22} nestor/NEST: not comparable (a side failed)")


if __name__ == "__main__":
    main()
