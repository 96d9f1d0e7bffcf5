"""``python -m nestor SCRIPT.py [args]``: runs an unmodified PyNEST script on nestor.

The script's ``import nest`` (and ``from nest import …``, ``import nest.raster_plot``) gets the
``nestor`` package; ``sys.argv`` is the script and its arguments, as if run with ``python``.
"""

import os
import runpy
import sys


def _bind_nest():
    import nestor

    sys.modules["nest"] = nestor
    for sub in ("random", "math", "logic", "errors"):
        sys.modules[f"nest.{sub}"] = getattr(nestor, sub) if hasattr(nestor, sub) else __import__(f"nestor.{sub}")
    for sub in ("raster_plot", "voltage_trace", "visualization", "spatial"):
        try:
            mod = __import__(f"nestor.{sub}", fromlist=["_"])
        except ImportError:
            continue
        sys.modules[f"nest.{sub}"] = mod


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m nestor SCRIPT.py [ARGS...]\n       python -m nestor -m MODULE [ARGS...]\n\n"
              "Runs a PyNEST script (or module, e.g. pytest) with `import nest` bound to nestor.")
        return 0 if argv else 2
    if argv[0] == "-m":
        # python -m nestor -m pytest …: a module run with `import nest` bound to nestor.
        if len(argv) < 2:
            print("nestor: -m needs a module name", file=sys.stderr)
            return 2
        _bind_nest()
        sys.argv = argv[1:]
        sys.path.insert(0, os.getcwd())
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return 0
    script = argv[0]
    if not os.path.exists(script):
        print(f"nestor: no such script: {script}", file=sys.stderr)
        return 2
    _bind_nest()
    sys.argv = argv
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
