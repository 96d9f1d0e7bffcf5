"""record_to "ascii" from Python, with NEST 3.10's file layout and per-run opening (the layout
itself is checked line for line against NEST's files in tests/ascii_backend.rs)."""

import os

import numpy as np
import pytest

import nestor as nest


@pytest.fixture(autouse=True)
def _reset():
    nest.ResetKernel()


def _rows(path):
    with open(path) as f:
        lines = f.read().splitlines()
    assert lines[0].startswith("# NEST version: 3.10.0")
    assert lines[1] == "# RecordingBackendASCII version: 2"
    return lines[2].split("\t"), [ln.split("\t") for ln in lines[3:]]


def test_ascii_equals_memory(tmp_path):
    nest.SetKernelStatus({"data_path": str(tmp_path), "data_prefix": "x_"})
    n = nest.Create("iaf_psc_alpha", 3, {"I_e": [376.0, 400.0, 450.0]})
    a = nest.Create("spike_recorder", params={"record_to": "ascii", "precision": 17})
    m = nest.Create("spike_recorder")
    v = nest.Create("voltmeter", params={"record_to": "ascii", "precision": 17, "label": "vm"})
    nest.Connect(n, a)
    nest.Connect(n, m)
    nest.Connect(v, n)
    nest.Simulate(200.0)
    (path,) = a.get("filenames")
    assert os.path.basename(path) == f"x_spike_recorder-{a.global_id}-0.dat"
    head, rows = _rows(path)
    assert head == ["sender", "time_ms"]
    ev = m.events
    assert [int(r[0]) for r in rows] == list(ev["senders"])
    assert np.array_equal([float(r[1]) for r in rows], ev["times"])
    assert a.n_events == len(rows) > 10
    head, rows = _rows(v.get("filenames")[0])
    assert head == ["sender", "time_ms", "V_m"] and len(rows) == 3 * 199


def test_ascii_files_per_run(tmp_path):
    nest.SetKernelStatus({"data_path": str(tmp_path)})
    n = nest.Create("iaf_psc_alpha", 1, {"I_e": 500.0})
    sr = nest.Create("spike_recorder", params={"record_to": "ascii"})
    nest.Connect(n, sr)
    nest.Simulate(50.0)
    with pytest.raises(nest.NESTErrors.IOError):
        nest.Simulate(50.0)
    nest.overwrite_files = True
    with nest.RunManager():
        nest.Run(100.0)
        nest.Run(100.0)
    _, rows = _rows(sr.get("filenames")[0])
    times = [float(t) for _, t in rows]
    # Started anew (nothing from the first 50 ms), both Run calls in one file.
    assert min(times) > 50.0 and max(times) > 150.0
    with pytest.raises(nest.NESTError):
        sr.set(precision="high")


def test_screen_backend_prints_nests_lines(capfd):
    # NEST 3.10 prints exactly these lines for this network (checked live): sender, time with
    # the recorder's precision, then the recorded values.
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", params={"I_e": 450.0})
    sr = nest.Create("spike_recorder", params={"record_to": "screen"})
    vm = nest.Create("voltmeter", params={"record_to": "screen", "interval": 5.0, "precision": 2})
    nest.Connect(n, sr)
    nest.Connect(vm, n)
    nest.Simulate(20.0)
    out = capfd.readouterr().out.splitlines()
    assert out[-4:] == ["1\t5.00\t-62.92", "1\t10.00\t-58.62", "1\t15.00\t-56.02", "1\t18.000"]
    assert sr.n_events == 1
    assert "screen" in nest.GetKernelStatus("recording_backends")
