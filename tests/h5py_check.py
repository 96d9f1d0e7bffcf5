"""Reads a nestor HDF5 file with h5py and checks the documented layout.

Usage: python h5py_check.py FILE SPIKE_GROUP VM_GROUP N_SPIKES N_SAMPLES
Exit code 0 when everything matches; prints what is wrong otherwise.
"""
import sys

import h5py
import numpy as np

path, sg, vg, n_spikes, n_samples = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
with h5py.File(path, "r") as f:
    assert "nestor_version" in f.attrs, "file attribute nestor_version missing"
    s = f[sg]
    for a in ("model", "global_id", "resolution", "interval", "rng_seed", "nestor_version", "time_unit"):
        assert a in s.attrs, f"{sg}: attribute {a} missing"
    assert s.attrs["model"] == "spike_recorder", s.attrs["model"]
    assert s["senders"].dtype == np.int64 and s["times"].dtype == np.float64
    assert len(s["senders"]) == len(s["times"]) == n_spikes, (len(s["senders"]), n_spikes)
    assert s["times"].chunks is not None and s["times"].compression == "gzip"
    v = f[vg]
    assert v.attrs["model"] == "voltmeter"
    assert abs(v.attrs["interval"] - 0.1) < 1e-12
    assert len(v["V_m"]) == len(v["times"]) == len(v["senders"]) == n_samples, (len(v["V_m"]), n_samples)
    assert v["V_m"].attrs["unit"] == "mV"
    assert np.all(np.diff(s["times"][:]) >= -2.0), "spike times go back by more than a slice"
print("h5py: layout OK")
