"""Behaviour that NEST 3.10's PyNEST examples rely on (python/NEST_EXAMPLES_RESULTS.md), each
checked against what NEST 3.10 does with the same calls."""

import math

import numpy as np
import pytest

import nestor as nest


def test_poisson_generator_to_spike_recorder_records_the_drawn_train():
    # NEST 3.10 (repeated_stimulation.py): a poisson_generator may be connected to a
    # spike_recorder; the generator draws a count for that connection like for any target and
    # the recorder records that many spikes, stamped like the spikes the generator sends.
    # Oracle (NEST 3.10, rate 1e5/s, active (100, 600] ms, recorder window (0, 500] ms): times
    # run from 100.2 to 500.0 ms (to 600.1 ms for an open window), counts ~ rate * window, and
    # two connections to one recorder record two independent trains.
    pg = nest.Create("poisson_generator", params={"rate": 1e5, "start": 100.0, "stop": 600.0})
    sr = nest.Create("spike_recorder", params={"start": 0.0, "stop": 500.0})
    sr2 = nest.Create("spike_recorder")
    nest.Connect(pg, sr)
    nest.Connect(pg, sr2)
    nest.Connect(pg, sr2)
    nest.Simulate(1000.0)
    t, t2 = sr.events["times"], sr2.events["times"]
    assert (t.min(), t.max()) == (100.2, 500.0)
    assert math.isclose(t2.min(), 100.2) and math.isclose(t2.max(), 600.1)
    assert abs(len(t) - 40_000) < 5 * math.sqrt(40_000)
    assert abs(len(t2) - 100_000) < 5 * math.sqrt(100_000)
    assert set(sr.events["senders"]) == {pg.global_id}
    # The steps are on the grid and repeated for counts > 1 (multiplicity), as in NEST.
    steps = np.round(t2 / 0.1)
    assert np.allclose(steps * 0.1, t2)
    assert (np.diff(np.sort(steps)) == 0).sum() > 50_000
    assert len(nest.GetConnections(pg)) == 3


def test_poisson_generator_to_recorder_is_reproducible_and_leaves_targets_unchanged():
    def run(with_recorder):
        nest.ResetKernel()
        nest.rng_seed = 7
        pg = nest.Create("poisson_generator", params={"rate": 5000.0})
        n = nest.Create("iaf_psc_alpha")
        nest.Connect(pg, n, syn_spec={"weight": 10.0})
        sr = nest.Create("spike_recorder")
        if with_recorder:
            nest.Connect(pg, sr)
        nest.Simulate(200.0)
        return n.V_m, sr.events["times"]

    v1, t1 = run(True)
    v1b, t1b = run(True)
    v0, _ = run(False)
    assert v1 == v1b and np.array_equal(t1, t1b)
    # The recorder's draws come from its own stream: the neuron sees the same input.
    assert v0 == v1
    assert len(t1) > 0


def test_noise_generator_to_spike_recorder_stays_illegal():
    # NEST 3.10: noise_generator sends currents, spike_recorder takes spikes only.
    ng = nest.Create("noise_generator")
    sr = nest.Create("spike_recorder")
    with pytest.raises(nest.NESTErrors.IllegalConnection):
        nest.Connect(ng, sr)


def test_hh_models_carry_a_nan_state_on_like_nest():
    # NEST 3.10 (hh_phaseplane.py): V_m = -40 mV exactly is 0/0 in hh_psc_alpha's alpha_m
    # (-48 mV in hh_cond_exp_traub's alpha_n with V_T = -63 mV). NEST goes on with a NaN state
    # and no error; setting the state again makes it finite. Oracle (NEST 3.10): after
    # Simulate(10); V_m = -40; Simulate(0.1): V_m, Act_m, Act_n, Inact_h are all nan; after
    # setting V_m = -65, Act_m = 0.05, Act_n = 0.3, Inact_h = 0.6 and 5 ms: V_m = -64.05419563943138.
    nest.resolution = 0.1
    n = nest.Create("hh_psc_alpha")
    nest.Simulate(10.0)
    n.V_m = -40.0
    nest.Simulate(0.1)
    assert all(math.isnan(x) for x in (n.V_m, n.Act_m, n.Act_n, n.Inact_h))
    nest.Simulate(5.0)
    assert math.isnan(n.V_m)
    n.set(V_m=-65.0, Act_m=0.05, Act_n=0.3, Inact_h=0.6)
    nest.Simulate(5.0)
    assert abs(n.V_m - (-64.05419563943138)) < 1e-6
    traub = nest.Create("hh_cond_exp_traub")
    traub.V_m = -48.0
    nest.Simulate(0.1)
    assert math.isnan(traub.V_m)


def test_ascii_filenames_are_known_before_the_first_run(tmp_path):
    # NEST 3.10: GetStatus(recorder, "filenames") names the file from the start (data_path,
    # data_prefix, label or model, gid, vp 0); examples print or plot from it. Oracle (NEST
    # 3.10): ['lab-1-0.dat'] before Connect and Simulate, ['multimeter-2-0.dat'] for a multimeter.
    nest.data_path = str(tmp_path)
    sr = nest.Create("spike_recorder", params={"record_to": "ascii", "label": "lab"})
    mm = nest.Create("multimeter", params={"record_to": "ascii", "record_from": ["V_m"]})
    assert sr.get("filenames") == [str(tmp_path / "lab-1-0.dat")]
    assert mm.get("filenames") == [str(tmp_path / "multimeter-2-0.dat")]
    nest.data_prefix = "p_"
    sr.set(file_extension="gdf")
    assert sr.get("filenames") == [str(tmp_path / "p_lab-1-0.gdf")]
    n = nest.Create("iaf_psc_alpha", params={"I_e": 500.0})
    nest.Connect(n, sr)
    nest.Simulate(50.0)
    assert sr.get("filenames") == [str(tmp_path / "p_lab-1-0.gdf")]
    assert (tmp_path / "p_lab-1-0.gdf").exists()
    # A memory recorder has no files (no key, as in NEST).
    assert "filenames" not in nest.Create("spike_recorder").get()


def test_raster_plot_from_an_ascii_spike_recorder(tmp_path):
    # PyNEST's raster_plot.from_device reads the recorder's files when it records to ascii
    # (brunel_alpha_nest.py, brunel_delta_nest.py).
    import matplotlib

    matplotlib.use("Agg")
    import nestor.raster_plot

    nest.data_path = str(tmp_path)
    n = nest.Create("iaf_psc_alpha", 3, params={"I_e": 500.0})
    sr = nest.Create("spike_recorder", params={"record_to": "ascii"})
    nest.Connect(n, sr)
    nest.Simulate(200.0)
    axes = nestor.raster_plot.from_device(sr, hist=True)
    x, y = axes[0].lines[0].get_data()
    assert len(x) == sr.n_events > 10
    assert set(y) == set(n.tolist())
    sr.record_to = "memory"
    with pytest.raises(ValueError, match="No events"):
        nestor.raster_plot.from_device(sr)


def test_receptor_type_per_connection_from_a_parameter_or_an_array():
    # NEST 3.10 (brunel_exp_multisynapse_nest.py): syn_spec receptor_type may be a parameter
    # (drawn per connection) or an array; every connection keeps its own receptor.
    nest.rng_seed = 3
    a = nest.Create("iaf_psc_alpha", 20)
    b = nest.Create("iaf_psc_exp_multisynapse", 5, params={"tau_syn": [1.0, 2.0, 3.0]})
    nest.Connect(a, b, "all_to_all", {"receptor_type": 1 + nest.random.uniform_int(3), "weight": 2.0})
    r = np.array(nest.GetConnections(a, b).get("receptor"))
    assert len(r) == 100 and set(r) == {1, 2, 3}
    assert np.bincount(r)[1:].min() > 15
    # Receptor 0 does not exist on a multisynapse neuron (NEST: IncompatibleReceptorType), and a
    # receptor must be an integer; a failed Connect adds nothing.
    with pytest.raises(nest.NESTErrors.IncompatibleReceptorType):
        nest.Connect(a, b, "all_to_all", {"receptor_type": nest.random.uniform_int(3)})
    with pytest.raises(nest.NESTErrors.BadProperty):
        nest.Connect(a, b, "all_to_all", {"receptor_type": nest.random.uniform(1.0, 2.0)})
    assert nest.num_connections == 100

    # Each connection's events go to its own receptor: an array of receptors gives the same
    # membrane traces as one Connect per receptor.
    def traces(per_connection):
        nest.ResetKernel()
        sg = nest.Create("spike_generator", params={"spike_times": [1.0, 4.0]})
        p = nest.Create("parrot_neuron", 3)
        n = nest.Create("iaf_psc_exp_multisynapse", 3, params={"tau_syn": [0.5, 3.0, 9.0]})
        nest.Connect(sg, p)
        if per_connection:
            nest.Connect(p, n, "one_to_one", {"receptor_type": [3, 1, 2], "weight": 100.0})
        else:
            for i, rt in enumerate([3, 1, 2]):
                nest.Connect(p[i], n[i], syn_spec={"receptor_type": rt, "weight": 100.0})
        nest.Simulate(20.0)
        return n.V_m

    v_array, v_single = traces(True), traces(False)
    assert v_array == v_single
    assert len(set(v_array)) == 3
