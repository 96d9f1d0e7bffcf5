"""Checks that freshly generated NEST references equal the stored ones.

Usage: python compare_references.py STORED_DIR FRESH_DIR
Compares every JSON file of STORED_DIR (recursively) with the file of the same name in FRESH_DIR.
Values that NEST itself does not reproduce between runs (the kernel's `memory_size`) are ignored.
Exits 1 and lists the differences when anything differs.
"""
import json
import pathlib
import sys

IGNORED = {"memory_size"}

stored, fresh = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])


def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in IGNORED}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x


problems = []
n = 0
for f in sorted(stored.rglob("*.json")):
    rel = f.relative_to(stored)
    g = fresh / rel
    n += 1
    if not g.exists():
        problems.append(f"{rel}: not regenerated")
        continue
    if strip(json.loads(f.read_text())) != strip(json.loads(g.read_text())):
        problems.append(f"{rel}: differs from the live NEST output")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{n} stored reference files equal the live NEST 3.10 output")
