"""Writes NEST 3.10's ascii-backend files for one small network into OUT_DIR (the references of
tests/ascii_backend.rs): two iaf_psc_alpha neurons driven by I_e, the first also by a Poisson-free
spike_generator, a spike_recorder, a multimeter (V_m, I_syn_ex every 5 ms) and a weight_recorder
on an stdp_synapse; once with NEST's defaults (precision 3, times in ms) and once with
precision 17 and time_in_steps. Usage: python make_ascii_reference.py OUT_DIR
"""
import sys

import nest

out = sys.argv[1]
for prefix, extra in (("default_", {}), ("steps_", {"precision": 17, "time_in_steps": True})):
    nest.ResetKernel()
    nest.verbosity = nest.VerbosityLevel.ERROR
    nest.SetKernelStatus({"data_path": out, "data_prefix": prefix, "overwrite_files": True})
    n = nest.Create("iaf_psc_alpha", 2, {"I_e": [400.0, 380.0]})
    g = nest.Create("spike_generator", params={"spike_times": [3.0, 11.5, 30.2]})
    sr = nest.Create("spike_recorder", params=dict(record_to="ascii", **extra))
    mm = nest.Create(
        "multimeter",
        params=dict(record_to="ascii", record_from=["V_m", "I_syn_ex"], interval=5.0, label="mm", **extra),
    )
    wr = nest.Create("weight_recorder", params=dict(record_to="ascii", **extra))
    nest.CopyModel("stdp_synapse", "stdp_rec", {"weight_recorder": wr})
    nest.Connect(g, n, syn_spec={"weight": 200.0})
    nest.Connect(n, sr)
    nest.Connect(mm, n)
    nest.Connect(n[0], n[1], syn_spec={"synapse_model": "stdp_rec", "weight": 50.0, "delay": 1.5})
    nest.Simulate(60.0)
    nest.Simulate(40.0)
