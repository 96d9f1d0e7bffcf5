"""Binary neurons (ginzburg_neuron, mcculloch_pitts_neuron, erfc_neuron), spin_detector and the
kernel entries they touch (local_spike_counter, keep_source_table), from Python. Expectations
are NEST 3.10's documented semantics; the traces themselves are compared with live NEST in
validation/ (<model>_binary_input, <model>_network_*)."""

import math

import numpy as np
import pytest

import nestor as nest

BINARY = ["ginzburg_neuron", "mcculloch_pitts_neuron", "erfc_neuron"]


@pytest.mark.parametrize("model", BINARY)
def test_two_spikes_at_one_time_are_up_one_spike_is_down(model):
    n = nest.Create(model, params={"tau_m": 1e9})
    sg = nest.Create("spike_generator", params={"spike_times": [4.0, 4.0, 8.0, 12.0, 12.0]})
    nest.Connect(sg, n, syn_spec={"weight": 3.0, "delay": 0.5})
    mm = nest.Create("multimeter", params={"record_from": ["h"], "interval": 0.5})
    nest.Connect(mm, n)
    nest.Simulate(15.0)
    t, h = mm.events["times"], mm.events["h"]
    expected = np.where(t > 12.4, 3.0, np.where(t > 8.4, 0.0, np.where(t > 4.4, 3.0, 0.0)))
    np.testing.assert_array_equal(h, expected)
    assert n.get("S") in (False, 0)


@pytest.mark.parametrize("model", BINARY)
def test_state_change_is_sent_and_counted(model):
    n = nest.Create(model, params={"theta": -10.0, "tau_m": 1.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Simulate(50.0)
    # Up: one transition sent as two spikes at one time.
    assert len(sr.events["times"]) == 2 and len(set(sr.events["times"])) == 1
    assert nest.local_spike_counter == 2
    n.theta = 10.0
    nest.Simulate(50.0)
    assert len(sr.events["times"]) == 3
    # The counter covers the last Run only.
    assert nest.local_spike_counter == 1
    nest.Simulate(50.0)
    assert nest.local_spike_counter == 0


def test_local_spike_counter_counts_neurons_not_devices():
    sg = nest.Create("spike_generator", params={"spike_times": [1.0, 2.0], "spike_multiplicities": [1, 3]})
    p = nest.Create("parrot_neuron")
    nest.Connect(sg, p)
    nest.Simulate(10.0)
    assert nest.local_spike_counter == 4


def test_binary_and_spiking_neurons_do_not_mix():
    b = nest.Create("mcculloch_pitts_neuron")
    s = nest.Create("iaf_psc_alpha")
    with pytest.raises(nest.NESTErrors.IllegalConnection):
        nest.Connect(b, s)
    with pytest.raises(nest.NESTErrors.IllegalConnection):
        nest.Connect(s, b)
    for dev in ["poisson_generator", "dc_generator"]:
        with pytest.raises(nest.NESTErrors.IllegalConnection):
            nest.Connect(nest.Create(dev), b)
    with pytest.raises(nest.NESTErrors.IllegalConnection):
        nest.Connect(s, nest.Create("spin_detector"))
    # Devices and parrots that carry both kinds.
    nest.Connect(nest.Create("spike_generator"), b)
    nest.Connect(nest.Create("noise_generator"), b)
    nest.Connect(b, nest.Create("spike_recorder"))
    nest.Connect(b, nest.Create("spin_detector"))
    pn = nest.Create("parrot_neuron")
    nest.Connect(b, pn)
    nest.Connect(pn, b)
    with pytest.raises(nest.NESTErrors.UnknownReceptorType):
        nest.Connect(nest.Create("spike_generator"), b, syn_spec={"receptor_type": 1})


def test_bad_tau_m_and_read_only_state():
    n = nest.Create("ginzburg_neuron")
    with pytest.raises(nest.NESTErrors.BadProperty, match="tau_m"):
        n.tau_m = 0.0
    with pytest.raises(nest.NESTErrors.BadProperty):
        n.h = 1.0
    assert n.tau_m == 10.0
    d = nest.GetDefaults("erfc_neuron")
    assert (d["theta"], d["sigma"], d["tau_m"], d["recordables"]) == (0.0, 1.0, 10.0, ["S", "h"])


def test_spin_detector_decodes_transitions():
    sg = nest.Create("spike_generator", params={"spike_times": [10.0, 10.0, 15.0]})
    sd = nest.Create("spin_detector")
    nest.Connect(sg, sd)
    nest.Simulate(20.0)
    assert list(sd.events["state"]) == [1, 0]
    assert list(sd.events["times"]) == [10.0, 15.0]
    assert sd.n_events == 2


def test_keep_source_table_false_stops_binary_networks():
    nest.keep_source_table = False
    a = nest.Create("ginzburg_neuron")
    b = nest.Create("mcculloch_pitts_neuron")
    nest.Connect(a, b)
    with pytest.raises(nest.NESTErrors.KernelException, match="keep_source_table"):
        nest.Simulate(10.0)
    nest.ResetKernel()
    assert nest.keep_source_table is True
    nest.keep_source_table = False
    n = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(n, n)
    nest.Simulate(10.0)


def test_erfc_activity_follows_its_gain():
    # A lone erfc_neuron is up with probability 0.5 erfc(theta / (sqrt(2) sigma)); estimated from
    # the time spent up over 20 s (about 2000 updates).
    for theta, sigma in [(-1.0, 1.0), (0.0, 0.5), (1.5, 2.0)]:
        nest.ResetKernel()
        nest.rng_seed = 3
        n = nest.Create("erfc_neuron", params={"theta": theta, "sigma": sigma})
        mm = nest.Create("multimeter", params={"record_from": ["S"], "interval": 1.0})
        nest.Connect(mm, n)
        nest.Simulate(20000.0)
        p = 0.5 * math.erfc(theta / (math.sqrt(2.0) * sigma))
        assert abs(np.mean(mm.events["S"]) - p) < 0.05
