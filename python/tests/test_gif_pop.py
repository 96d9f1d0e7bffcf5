"""gif_pop_psc_exp from Python: one node is a population whose spikes travel as one event of
multiplicity n_events, NEST 3.10's automatic len_kernel, the history rebuilt after SetStatus,
and NEST's errors. The statistics are compared with live NEST in validation/
(gif_pop_psc_exp_*)."""

import numpy as np
import pytest

import nestor as nest


def test_spikes_carry_the_population_count():
    nest.ResetKernel()
    nest.resolution = 0.5
    pop = nest.Create("gif_pop_psc_exp", params={"N": 200, "I_e": 400.0, "V_T_star": 10.0})
    mm = nest.Create("multimeter", params={"record_from": ["n_events", "mean"], "interval": 0.5})
    sr = nest.Create("spike_recorder")
    # A target that only integrates: every population spike adds weight x multiplicity.
    tgt = nest.Create("iaf_psc_delta", params={"tau_m": 1e9, "V_th": 1e9, "E_L": 0.0, "V_m": 0.0, "V_reset": 0.0})
    nest.Connect(mm, pop)
    nest.Connect(pop, sr)
    nest.Connect(pop, tgt, syn_spec={"weight": 0.01, "delay": 0.5})
    nest.Simulate(300.0)
    n = mm.events["n_events"]
    assert n.sum() > 1000 and n.max() > 1
    assert np.all(n == np.round(n)) and np.all(n <= 200)
    # Each population spike appears n_events times in the spike_recorder (last slice held back).
    t = mm.events["times"]
    assert len(sr.events["times"]) == int(n[t < 299.6].sum())
    assert tgt.V_m == pytest.approx(0.01 * n[t < 299.6].sum(), rel=1e-6)  # tau_m 1e9 ms: a leak of 3e-7
    # The first t_ref: every neuron starts as if it had just fired.
    assert np.all(n[t <= 4.0] == 0)


def test_len_kernel_is_chosen_at_simulate_and_history_rebuilt_by_set_status():
    nest.ResetKernel()
    pop = nest.Create("gif_pop_psc_exp")
    assert pop.len_kernel == -1
    nest.Simulate(1.0)
    assert pop.len_kernel == 2748
    pop.set({"I_e": 2000.0})
    mm = nest.Create("multimeter", params={"record_from": ["n_events"], "interval": 0.1})
    nest.Connect(mm, pop)
    nest.Simulate(100.0)
    n, t = mm.events["n_events"], mm.events["times"]
    # Rebuilt: nothing fires in the first t_ref = 4 ms after the SetStatus, then the drive fires.
    assert np.all(n[t <= 5.0] == 0) and n.sum() > 0


def test_nest_errors():
    nest.ResetKernel()
    with pytest.raises(nest.NESTErrors.BadProperty, match="Number of neurons must be positive"):
        nest.Create("gif_pop_psc_exp", params={"N": 0})
    with pytest.raises(nest.NESTErrors.BadProperty, match="same dimension"):
        nest.Create("gif_pop_psc_exp", params={"tau_sfa": [10.0, 100.0]})
    with pytest.raises(nest.NESTErrors.BadProperty, match="Delta_V must be strictly positive"):
        nest.Create("gif_pop_psc_exp", params={"Delta_V": 0.0})
    nest.Create("gif_pop_psc_exp", params={"tau_sfa": [], "q_sfa": []})
    with pytest.raises(nest.NESTErrors.BadProperty, match="Time constant array should not be empty"):
        nest.Simulate(1.0)
    nest.ResetKernel()
    pop = nest.Create("gif_pop_psc_exp")
    with pytest.raises(nest.NESTErrors.UnknownReceptorType):
        nest.Connect(nest.Create("spike_generator"), pop, syn_spec={"receptor_type": 1})
