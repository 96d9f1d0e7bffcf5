"""Runs protocols in NEST 3.10 with the `ascii` recording backend, as a user would for
`nestor validate --against DIR` (regression runs against a user's own NEST output).

Usage: python ascii_example.py OUT_DIR PROTOCOL [PROTOCOL ...]
Each recorder `rid` of protocol `name` writes `OUT_DIR/<name>-<rid>-<gid>-<vp>.dat` (NEST's own
file naming with label = "<name>-<rid>"), at full double precision.
"""
import json
import os
import pathlib
import sys

import nest

out = pathlib.Path(sys.argv[1]).resolve()
out.mkdir(parents=True, exist_ok=True)
proto_dir = pathlib.Path(__file__).resolve().parent.parent / "protocols"
for name in sys.argv[2:]:
    p = json.loads((proto_dir / f"{name}.json").read_text())
    nest.ResetKernel()
    nest.SetKernelStatus(dict(p["kernel"], data_path=str(out), overwrite_files=True))
    nodes = {}
    for spec in p["nodes"]:
        params = dict(spec.get("params", {}))
        if spec["id"] in p["record"]:
            params.update(record_to="ascii", label=f"{name}-{spec['id']}")
        nodes[spec["id"]] = nest.Create(spec["model"], int(spec.get("n", 1)), params=params or None)
        if spec["id"] in p["record"]:
            nodes[spec["id"]].set(precision=17)
    for c in p["connections"]:
        nest.Connect(nodes[c["pre"]], nodes[c["post"]], conn_spec=c.get("conn_spec"), syn_spec=c.get("syn_spec") or None)
    # The ascii backend reopens (and truncates) its files at every Simulate call, so the whole
    # protocol runs as one call (nestor gives identical results for one call or several). NEST
    # hands over the last slice of samples only in a later call, so simulate a little longer;
    # nestor's reader drops events after the protocol's total time.
    extra = nest.GetKernelStatus("max_delay") + nest.GetKernelStatus("min_delay") + 1.0
    nest.Simulate(float(sum(p["simulate"])) + extra)
    print("wrote", sorted(f.name for f in out.glob(f"{name}-*.dat")))
