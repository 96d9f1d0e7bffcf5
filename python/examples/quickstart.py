"""A small Brunel-style network in PyNEST; runs unchanged in NEST 3.10 (`python quickstart.py`)
and in nestor (`python -m nestor quickstart.py`, or `import nestor as nest`)."""

import sys

import matplotlib

matplotlib.use("Agg")
import nest  # noqa: E402
import nest.raster_plot  # noqa: E402

nest.ResetKernel()
nest.resolution = 0.1
nest.rng_seed = 12
exc = nest.Create("iaf_psc_delta", 800, params={"V_m": nest.random.uniform(-70.0, -55.0), "V_th": 20.0,
                                                "E_L": 0.0, "V_reset": 10.0, "C_m": 1.0, "tau_m": 20.0, "t_ref": 2.0})
exc.V_m = nest.random.uniform(0.0, 20.0)
inh = nest.Create("iaf_psc_delta", 200, params=exc[0].get(["V_th", "E_L", "V_reset", "C_m", "tau_m", "t_ref"]))
inh.V_m = nest.random.uniform(0.0, 20.0)
noise = nest.Create("poisson_generator", params={"rate": 20000.0})
sr = nest.Create("spike_recorder")
nest.Connect(noise, exc + inh, syn_spec={"weight": 0.1, "delay": 1.5})
nest.Connect(exc, exc + inh, {"rule": "fixed_indegree", "indegree": 80}, {"weight": 0.1, "delay": 1.5})
nest.Connect(inh, exc + inh, {"rule": "fixed_indegree", "indegree": 20}, {"weight": -0.5, "delay": 1.5})
nest.Connect(exc[:100], sr)
nest.Simulate(300.0)
rate = sr.n_events / 100 / 0.3
print(f"excitatory rate: {rate:.1f} spikes/s")
nest.raster_plot.from_device(sr, hist=True)
matplotlib.pyplot.savefig(sys.argv[1] if len(sys.argv) > 1 else "raster.png", dpi=80)
