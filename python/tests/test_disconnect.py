"""Disconnect from Python with PyNEST 3.10's forms and errors (expectations from NEST 3.10's
documentation of Disconnect and SynapseCollection.disconnect)."""

import pytest

import nestor as nest


@pytest.fixture(autouse=True)
def _reset():
    nest.ResetKernel()


def test_disconnect_rules_and_defaults():
    n = nest.Create("iaf_psc_alpha", 5)
    nest.Connect(n, n)
    assert nest.num_connections == 25
    nest.Disconnect(n, n)  # one_to_one, static_synapse: the diagonal
    assert nest.num_connections == 20
    assert all(s != t for s, t in zip(nest.GetConnections().sources(), nest.GetConnections().targets()))
    nest.Disconnect(n[:2], n[2:4], conn_spec="all_to_all", syn_spec="static_synapse")
    assert nest.num_connections == 16
    assert len(nest.GetConnections(n[:2], n[2:4])) == 0


def test_disconnect_by_synapse_model_and_missing_connection():
    n = nest.Create("iaf_psc_alpha", 4)
    nest.Connect(n[0], n[2], "one_to_one", {"synapse_model": "stdp_synapse"})
    nest.Connect(n[1], n[3], "one_to_one", {"synapse_model": "stdp_synapse"})
    assert len(nest.GetConnections(n[0], n[2], "stdp_synapse")) == 1
    nest.Disconnect(n[0], n[2], syn_spec={"synapse_model": "stdp_synapse"})
    assert len(nest.GetConnections(n[0], n[2], "stdp_synapse")) == 0
    with pytest.raises(nest.NESTError):
        nest.Disconnect(n[0], n[1], syn_spec={"synapse_model": "stdp_synapse"})
    with pytest.raises(nest.NESTErrors.InexistentConnection):
        nest.Disconnect(n[1], n[3])  # the connection is an stdp_synapse, not static
    assert nest.num_connections == 1


def test_disconnect_synapsecollection_and_argument_errors():
    n = nest.Create("parrot_neuron", 10)
    nest.Connect(n, n)
    c = nest.GetConnections()
    c[::3].disconnect()
    assert nest.num_connections == 100 - 34
    left = nest.GetConnections()
    nest.Disconnect(left[:6])
    assert nest.num_connections == 60
    with pytest.raises(TypeError):
        nest.Disconnect([1])
    with pytest.raises(ValueError):
        nest.Disconnect(left, conn_spec="one_to_one")
    with pytest.raises(TypeError):
        nest.Disconnect(n, n, left)
    g = nest.Create("spike_generator", params={"spike_times": [1.0]})
    nest.Connect(g, n)
    nest.Simulate(3.0)


def test_spikes_after_disconnect_equal_a_network_without_them():
    def net(remove):
        nest.ResetKernel()
        n = nest.Create("iaf_psc_alpha", 6, {"I_e": 380.0})
        pairs = [(i, j) for i in range(6) for j in range(6) if i != j]
        keep = [p for p in pairs if (p[0] + p[1]) % 3]
        for i, j in pairs if remove else keep:
            nest.Connect(n[i], n[j], syn_spec={"weight": 60.0 + 5 * i + j})
        if remove:
            gone = [p for p in pairs if p not in keep]
            for i, j in gone:
                nest.Disconnect(n[i], n[j])
        sr = nest.Create("spike_recorder")
        nest.Connect(n, sr)
        nest.Simulate(200.0)
        return list(zip(sr.events["senders"], sr.events["times"]))

    a = net(True)
    assert len(a) > 20
    assert a == net(False)
