"""Every validation protocol, run by PyNEST's own driver script (validation/nest/run_protocols.py,
the script that makes the NEST references) with `import nest` bound to nestor, must match the
NEST 3.10 references: the same comparison as `nestor validate` (exact ≤ 1e-9, adaptive ≤ 1e-6,
same spike steps, stochastic statistics within 4 σ)."""

import json
import os
import subprocess
import sys

from conftest import ROOT


def test_all_protocols_through_pynest_driver(tmp_path):
    out = tmp_path / "results"
    run = subprocess.run(
        [sys.executable, "-m", "nestor", str(ROOT / "validation/nest/run_protocols.py"), "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    protocols = sorted(p.stem for p in (ROOT / "validation/protocols").glob("*.json"))
    written = sorted(p.stem for p in out.glob("*.json"))
    assert written == protocols
    nestor_bin = os.environ.get("NESTOR_BIN", str(ROOT / "target/release/nestor"))
    report = tmp_path / "REPORT.md"
    cmp = subprocess.run([nestor_bin, "validate", "--dir", str(ROOT / "validation"), "--results", str(out),
                          "--report", str(report)], capture_output=True, text=True, cwd=ROOT)
    assert cmp.returncode == 0, cmp.stdout[-4000:] + cmp.stderr[-2000:]
    assert f"{len(protocols)} passed, 0 failed, 0 unvalidated" in cmp.stdout
    # The results really come from nestor.
    first = json.loads((out / f"{protocols[0]}.json").read_text())
    import nestor

    assert first["nest_version"] == nestor.__version__ != "3.10.0"
