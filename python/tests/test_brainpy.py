"""``nestor.brainpy`` against brainpy.state itself.

Oracle: the traces in validation/brainpy/reference/ (brainpy 2.8.2 / brainpy_state 0.1.0, float64,
written by validation/brainpy/make_references.py). Tolerance: validation/TOLERANCES.md, category
`brainpy` (the same as `nestor::brainpy::compare_protocol` and `cargo test --test
brainpy_reference`): identical spikes (step, neuron) and, after every step,
|V_nestor − V_brainpy| ≤ 1e-9 + rtol·|V| with the protocol's rtol (1e-12 unless it carries its
own). Every protocol is rebuilt through the Python API only (populations, projections, inputs,
monitors of ``nestor.brainpy``), so a wrong argument mapping, unit, timing or recording offset in
the Python layer fails here.
"""

import json

import numpy as np
import pytest

import nestor as nest
import nestor.brainpy as bp
from conftest import ROOT
from nestor.brainpy import u

REF = ROOT / "validation/brainpy/reference"
V_TOL = 1e-9
V_RTOL = 1e-12
DETERMINISTIC = sorted(p.stem for p in REF.glob("bp_*.json") if not p.stem.startswith("bp_stat_"))


def load(name):
    return json.loads((REF / f"{name}.json").read_text())


def build(proto):
    """The protocol's network through nestor.brainpy; returns the recorded population and
    variable."""
    nest.resolution = proto["dt"]
    pops = []
    for p in proto["populations"]:
        if p["model"] == "LeakyRateReadout":
            pops.append(None)  # made by its readout projection, as brainpy's readout owns the weights
            continue
        params = dict(p.get("params", {}))
        params.update({f"{k}_initializer": v for k, v in p.get("init", {}).items()})
        if "I_ext" in p:
            params["I_ext"] = p["I_ext"]
        if "spk_reset" in p:
            params["spk_reset"] = p["spk_reset"]
        pop = bp.population(p["model"], p["n"], **params)
        for ip in p.get("inputs", []):
            # `from_step` is how the reference reproduces nestor's one-step input latency
            # (TOLERANCES.md); nestor's inputs have it by construction.
            bp.add_current_input(pop, bp.population(ip["model"], p["n"], **ip["params"]))
        pops.append(pop)
    for pr in proto.get("projections", []):
        pre, post = pops[pr["pre"]], pops[pr["post"]]
        t = pr["type"]
        if t == "readout":
            tau = proto["populations"][pr["post"]].get("params", {}).get("tau", 5.0)
            pops[pr["post"]] = bp.LeakyRateReadout(pre, proto["populations"][pr["post"]]["n"], tau=tau,
                                                   w_init=pr["weights"])
            continue
        comm = bp.AllToAll(pr["weight"])
        syn = getattr(bp, pr["syn"]["model"]).desc(**{k: v for k, v in pr["syn"].items() if k != "model"}) \
            if "syn" in pr else None
        out = getattr(bp, pr["out"]["model"]).desc(**{k: v for k, v in pr["out"].items() if k != "model"}) \
            if "out" in pr else None
        if t == "align_post":
            bp.AlignPostProj(pre, comm, syn, out, post)
        elif t == "align_pre":
            stp = getattr(bp, pr["stp"]["model"])(**{k: v for k, v in pr["stp"].items() if k != "model"}) \
                if "stp" in pr else None
            bp.AlignPreProj(pre, comm, syn, out, post, stp=stp)
        elif t == "delta":
            bp.DeltaProj(pre, comm, post)
        elif t == "current":
            bp.CurrentProj(bp.prefetch(pre, pr.get("prefetch", "V")), comm, out, post)
        elif t == "gap":
            i, j = zip(*pr["pairs"])
            sparse = bp.Sparse(i, j, pr["weight"])
            if "back_weight" in pr:
                bp.AsymmetryGapJunction(pre, post, sparse, pr["back_weight"])
            else:
                bp.SymmetryGapJunction(pre, post, sparse)
        else:
            raise AssertionError(f"unknown projection type {t}")
    return pops[proto["record"]], proto.get("record_var", "V")


def run_and_compare(proto):
    """Runs the protocol and returns (max |dV|, worst ratio to the band, nestor spikes,
    brainpy spikes)."""
    rec, var = build(proto)
    mon = bp.StateMonitor(rec, [var])
    spk = bp.SpikeMonitor(rec) if var == "V" else None
    bp.run(proto["steps"] * proto["dt"])
    v = mon[var]
    ref = np.asarray(proto["reference"]["V"], dtype=float)
    assert v.shape == ref.shape, f"{proto['name']}: recorded {v.shape}, reference {ref.shape}"
    d = np.abs(v - ref)
    assert not np.isnan(d).any(), f"{proto['name']}: missing samples"
    ratio = d / (V_TOL + proto.get("rtol", V_RTOL) * np.abs(ref))
    spikes = spk.spikes if spk is not None else []
    ref_spikes = sorted(tuple(s) for s in proto["reference"]["spikes"])
    return float(d.max()), float(ratio.max()), spikes, ref_spikes


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_reference_protocol(name):
    proto = load(name)
    dv, worst, spikes, ref_spikes = run_and_compare(proto)
    assert spikes == ref_spikes, f"{name}: {len(spikes)} spikes vs brainpy {len(ref_spikes)}; first " \
        f"difference {next(((a, b) for a, b in zip(spikes, ref_spikes) if a != b), None)}"
    assert worst <= 1.0, f"{name}: max |dV| = {dv:.3e} is {worst:.3g} times the band"


def test_reference_set_is_complete():
    # Every deterministic reference of the brainpy validation is covered above.
    assert len(DETERMINISTIC) >= 40


# ------------------------------------------------------------------ written out by hand
# The same oracles as above, built the way a user writes them (quantities, brainpy spelling),
# so that the spelling of the public API itself is tested, not only the protocol translator.


def test_single_population_lif_drive_by_hand():
    """bp_LIF_drive: one LIF (brainpy defaults) driven by x = 2 mA for 2000 steps."""
    proto = load("bp_LIF_drive")
    nest.resolution = 0.1
    n = bp.LIF(1, I_ext=2.0 * u.mA)
    mon, spk = bp.StateMonitor(n, "V"), bp.SpikeMonitor(n)
    bp.run(200.0)
    ref = np.asarray(proto["reference"]["V"])
    assert mon["V"].shape == ref.shape
    assert np.max(np.abs(mon["V"] - ref)) <= V_TOL + V_RTOL * np.max(np.abs(ref))
    assert spk.spikes == sorted(tuple(s) for s in proto["reference"]["spikes"]) and len(spk.spikes) == 57
    np.testing.assert_allclose(mon.times[:3], [0.0, 0.1, 0.2])


def test_step_input_by_hand():
    """bp_input_StepInput: brainpy's StepInput into two LIF neurons."""
    proto = load("bp_input_StepInput")
    nest.resolution = 0.1
    n = bp.LIF(2, tau=10.0 * u.ms)
    bp.add_current_input(n, bp.StepInput(2, amplitudes=[2.0, 0.5, 3.0], step_times=[5.0, 20.0, 40.0]))
    mon, spk = bp.StateMonitor(n), bp.SpikeMonitor(n)
    bp.run(150.0)
    assert np.max(np.abs(mon["V"] - np.asarray(proto["reference"]["V"]))) <= 1e-9 + 1e-12 * 2
    assert spk.spikes == sorted(tuple(s) for s in proto["reference"]["spikes"])


@pytest.mark.parametrize("name, syn, out", [
    ("bp_syn_expon_coba", bp.Expon.desc(tau=5.0 * u.ms), bp.COBA.desc(E=0.0 * u.mV)),
    ("bp_syn_dualexpon_cuba", bp.DualExpon.desc(2, tau_decay=10.0 * u.ms, tau_rise=1.0 * u.ms), bp.CUBA.desc()),
])
def test_align_post_network_by_hand(name, syn, out):
    """Two driven LIF onto two LIF through AlignPostProj (all-to-all): Expon + COBA (42
    spikes) and DualExpon + CUBA (12 spikes), weights as quantities in mS."""
    proto = load(name)
    w = proto["projections"][0]["weight"]
    nest.resolution = 0.1
    pre = bp.LIF(2, tau=10.0 * u.ms, I_ext=3.0)
    post = bp.LIF(2, V_rest=-60.0 * u.mV, V_th=-50.0 * u.mV, V_reset=-60.0 * u.mV, tau=20.0 * u.ms,
                  V_initializer=bp.init.Constant(-60.0 * u.mV), I_ext=0.5 * u.mA)
    proj = bp.AlignPostProj(pre=pre, comm=bp.AllToAll(w * u.mS), syn=syn, out=out, post=post)
    assert proj.receptor >= 2
    mon, spk = bp.StateMonitor(post), bp.SpikeMonitor(post)
    bp.run(200.0)
    ref = np.asarray(proto["reference"]["V"])
    dv = np.max(np.abs(mon["V"] - ref))
    assert dv <= V_TOL + V_RTOL * np.max(np.abs(ref)), dv
    ref_spikes = sorted(tuple(s) for s in proto["reference"]["spikes"])
    assert spk.spikes == ref_spikes and len(ref_spikes) > 0


def test_merged_align_post_shares_one_receptor():
    """brainpy merges AlignPost projections with equal (syn, out) onto one population; nestor
    shares the receptor (bp_syn_merged_alignpost checks the trace above)."""
    nest.resolution = 0.1
    a, b, post = bp.LIF(2), bp.LIF(2), bp.LIF(2)
    p1 = bp.AlignPostProj(a, bp.AllToAll(1.0), bp.Expon(tau=5.0), bp.COBA(E=0.0), post)
    p2 = bp.AlignPostProj(b, bp.AllToAll(1.0), bp.Expon(tau=5.0), bp.COBA(E=0.0), post)
    p3 = bp.AlignPostProj(b, bp.AllToAll(1.0), bp.Expon(tau=6.0), bp.COBA(E=0.0), post)
    assert p1.receptor == p2.receptor != p3.receptor


def test_align_pre_ports_are_per_presynaptic_neuron():
    nest.resolution = 0.1
    pre, post = bp.LIF(3, I_ext=3.0), bp.LIF(2)
    proj = bp.AlignPreProj(pre, bp.AllToAll(2.0), bp.AMPA(), bp.COBA(E=0.0), post, stp=bp.STD(tau=200.0, U=0.2))
    assert len(proj.ports) == 3


def test_dense_and_sparse_comm_make_the_given_connections():
    nest.resolution = 0.1
    pre, post = bp.LIF(3), bp.LIF(2)
    w = np.array([[1.0, 0.0], [0.0, 2.0], [0.5, 0.0]])
    bp.DeltaProj(pre, bp.Dense(w), post)
    c = nest.GetConnections(pre, post)
    got = sorted(zip(c.source, c.target, c.weight))
    first_pre, first_post = pre.tolist()[0], post.tolist()[0]
    assert got == [(first_pre, first_post, 1.0), (first_pre + 1, first_post + 1, 2.0),
                   (first_pre + 2, first_post, 0.5)]
    # brainpy's one-step projection delay plus the comm's extra delay.
    other = bp.LIF(2)
    bp.DeltaProj(pre, bp.Sparse([0, 2], [1, 1], [3.0, 4.0], delay=1.0), other)
    c = nest.GetConnections(pre, other)
    assert sorted(c.weight) == [3.0, 4.0] and set(c.delay) == {1.1}
    bp.DeltaProj(pre, bp.Dense(w, delay=0.5), other)
    assert sorted(set(nest.GetConnections(pre, other).delay)) == [0.6, 1.1]


def test_quantities_print_in_their_unit():
    assert repr(0.6 * u.mS) == "0.6 mS" and repr(-60.0 * u.mV) == "-60 mV"
    assert (2.0 * u.mV).to(u.V) == pytest.approx(0.002)
    with pytest.raises(nest.NESTErrors.BadProperty):
        (2.0 * u.mV).to(u.ms)


def test_fixed_prob_draws_floor_n_post_p_targets():
    nest.resolution = 0.1
    pre, post = bp.LIF(50), bp.LIF(200)
    bp.AlignPostProj(pre, bp.FixedProb(0.05, 0.1), bp.Expon(), bp.COBA(E=0.0), post)
    c = nest.GetConnections(pre, post)
    # brainpy's EventFixedProb: conn_num = int(n_post · p) = 10 targets per presynaptic neuron.
    assert len(c) == 50 * 10
    assert np.all(np.bincount(np.asarray(c.source) - pre.tolist()[0]) == 10)


def test_per_neuron_parameters_and_initializers():
    nest.resolution = 0.1
    n = bp.LIF(3, tau=[5.0, 10.0, 20.0], V_initializer=np.array([0.1, 0.2, 0.3]))
    assert n.tau == (5.0, 10.0, 20.0) and n.V == (0.1, 0.2, 0.3)
    m = bp.LIFRef(2000, V_initializer=bp.init.Normal(-55.0 * u.mV, 2.0 * u.mV))
    v = np.asarray(m.V)
    assert abs(v.mean() + 55.0) < 0.2 and abs(v.std() - 2.0) < 0.15
    w = bp.LIF(500, V_initializer=bp.init.Uniform(-1.0, 1.0))
    assert -1.0 <= min(w.V) and max(w.V) < 1.0


def test_poisson_input_adds_counts():
    """brainpy's PoissonInput: per step a Binomial(num_input, 1 − exp(−f·dt)) count times
    weight added to V. A LIF that neither leaks nor fires integrates the counts: mean
    n·p per step (10 sources at 100 Hz: p = 1 − e^(−0.01), mean 0.0995 per step)."""
    nest.resolution = 0.1
    tgt = bp.LIF(200, V_rest=0.0, V_reset=0.0, V_th=1e12, tau=1e12)
    inp = bp.PoissonInput(tgt, num_input=10, freq=100.0 * u.Hz, weight=1.0 * u.mV)
    assert len(inp) == 200
    bp.run(100.0)
    mean_per_step = np.mean(tgt.V) / 999  # the first value arrives at step 1
    p = 1 - np.exp(-100.0 * 1e-4)
    # 200 targets × 999 steps: the standard error of the mean count is about 2e-4.
    assert abs(mean_per_step - 10 * p) < 5 * np.sqrt(10 * p * (1 - p) / (200 * 999))


def test_run_hands_over_every_step():
    """After bp.run(T) the monitors hold all T/dt steps (NEST's recorders hold back the last
    min_delay slice until the next Simulate; brainpy.state records every step)."""
    nest.resolution = 0.1
    n = bp.LIF(1, I_ext=2.0)
    mon = bp.StateMonitor(n)
    bp.run(10.0)
    assert mon["V"].shape == (100, 1)
    bp.run(5.0)
    assert mon["V"].shape == (150, 1) and not np.isnan(mon["V"]).any()


# ------------------------------------------------------------------ the E/I COBA network


def ei_coba(seed, threads=1, t=1000.0):
    nest.ResetKernel()
    nest.set(resolution=0.1, rng_seed=seed, local_num_threads=threads)
    n = bp.LIFRef(4000, V_rest=-60.0 * u.mV, V_th=-50.0 * u.mV, V_reset=-60.0 * u.mV, tau=20.0 * u.ms,
                  tau_ref=5.0 * u.ms, V_initializer=bp.init.Normal(-55.0 * u.mV, 2.0 * u.mV), I_ext=20.0 * u.mA)
    e, i = n[:3200], n[3200:]
    bp.AlignPostProj(e, comm=bp.EventFixedProb(0.02, 0.6 * u.mS), syn=bp.Expon.desc(4000, tau=5.0 * u.ms),
                     out=bp.COBA.desc(E=0.0 * u.mV), post=n)
    bp.AlignPostProj(i, comm=bp.EventFixedProb(0.02, 6.7 * u.mS), syn=bp.Expon.desc(4000, tau=10.0 * u.ms),
                     out=bp.COBA.desc(E=-80.0 * u.mV), post=n)
    spk = bp.SpikeMonitor(n)
    bp.run(t)
    return spk


def test_ei_coba_rate_matches_brainpy():
    """brainpy.state's COBA E/I example (validation/brainpy/ei_coba.py, 4000 LIFRef, 1 s):
    50.71–50.72 Hz over seeds 0, 1, 2 (README, bench/ei_coba_compare.sh). The connectivity and
    initial V are random and nestor's streams are its own, so only the rate can agree. Measured
    for this test: seeds 1–6 give 50.699–50.723 Hz (spread about 0.01 Hz). The band, 0.1 Hz
    around 50.715, is several times that spread; what it catches (measured with seed 1, base
    50.72 Hz): inhibitory weight 10 % low 51.11 Hz, excitatory weight 10 % high 50.87 Hz,
    excitatory tau 5.5 ms 50.87 Hz, input 19 instead of 20 mA 47.83 Hz. Not caught: an extra
    0.1 ms delay (50.72 Hz; the input-driven rate does not depend on it) — the timing is
    checked by the spike-by-spike protocols above (bp_spiketime_*, bp_syn_*)."""
    rates = [len(ei_coba(seed).steps) / 4000 / 1.0 for seed in (1, 2, 3)]
    for r in rates:
        assert abs(r - 50.715) <= 0.1, rates


def test_ei_coba_is_thread_invariant():
    a = ei_coba(7, threads=1, t=200.0).spikes
    b = ei_coba(7, threads=2, t=200.0).spikes
    assert a == b and len(a) > 1000


# ------------------------------------------------------------------ errors


def test_wrong_dimension_is_a_nest_error():
    nest.resolution = 0.1
    a, b = bp.LIF(4), bp.LIF(3)
    # mS into a current-based output with a dimensionless scale (it wants currents).
    with pytest.raises(nest.NESTErrors.BadProperty, match="wrong dimension.*current|current.*wrong dimension"):
        bp.AlignPostProj(a, bp.AllToAll(0.6 * u.mS), bp.Expon(tau=5.0), bp.CUBA(scale=1.0), b)
    # A delta projection adds mV.
    with pytest.raises(nest.NESTErrors.KernelException, match="voltage"):
        bp.DeltaProj(a, bp.AllToAll(0.6 * u.mS), b)
    # A time constant in mV.
    with pytest.raises(nest.NESTErrors.BadProperty, match="time"):
        bp.LIF(2, tau=5.0 * u.mV)
    with pytest.raises(nest.NESTErrors.KernelException):
        bp.AlignPostProj(a, bp.AllToAll(1.0), bp.Expon(tau=5.0 * u.mV), bp.COBA(E=0.0), b)


def test_unknown_models_and_parameters():
    nest.resolution = 0.1
    with pytest.raises(nest.NESTErrors.UnknownModelName):
        bp.population("NoSuchNeuron", 3)
    a, b = bp.LIF(2), bp.LIF(2)
    with pytest.raises(nest.NESTErrors.KernelException, match="tau_x"):
        bp.AlignPostProj(a, bp.AllToAll(1.0), bp.Expon(tau_x=5.0), bp.COBA(E=0.0), b)
    with pytest.raises(nest.NESTErrors.KernelException):
        bp.LIF(2, no_such_parameter=1.0)
    # A non-linear synapse cannot be aligned post (brainpy refuses it too).
    with pytest.raises(nest.NESTErrors.KernelException, match="AMPA"):
        bp.AlignPostProj(a, bp.AllToAll(1.0), bp.AMPA(), bp.COBA(E=0.0), b)
    with pytest.raises(nest.NESTErrors.KernelException, match="E"):
        bp.AlignPostProj(a, bp.AllToAll(1.0), bp.Expon(), bp.COBA(), b)


def test_bad_connectivity_and_arguments():
    nest.resolution = 0.1
    a, b = bp.LIF(3), bp.LIF(2)
    with pytest.raises(nest.NESTErrors.KernelException, match="probability"):
        bp.AlignPostProj(a, bp.FixedProb(1.5, 0.1), bp.Expon(), bp.COBA(E=0.0), b)
    with pytest.raises(nest.NESTErrors.KernelException, match="weights"):
        bp.DeltaProj(a, bp.Sparse([0, 1], [0, 1], [1.0, 2.0, 3.0]), b)
    with pytest.raises(nest.NESTErrors.KernelException):
        bp.DeltaProj(a, bp.Sparse([0, 5], [0, 1], 1.0), b)
    with pytest.raises(nest.NESTErrors.BadProperty):
        bp.Dense([1.0, 2.0])
    with pytest.raises(nest.NESTErrors.KernelException, match="delay"):
        bp.DeltaProj(a, bp.Dense(np.ones((3, 2)), delay=-0.5), b)
    with pytest.raises(nest.NESTErrors.KernelException, match="size|one_to_one"):
        bp.DeltaProj(a, bp.OneToOne(1.0), b)
    with pytest.raises(nest.NESTErrors.KernelException, match="delay"):
        bp.DeltaProj(a, bp.AllToAll(1.0, delay=-1.0), b)
    with pytest.raises(nest.NESTErrors.KernelException, match="W"):
        bp.CurrentProj(bp.prefetch(a, "W"), bp.AllToAll(1.0), bp.CUBA(), b)
    with pytest.raises(nest.NESTErrors.BadProperty):
        bp.add_current_input(a, bp.ConstantInput(2, value=1.0))
    with pytest.raises(nest.NESTErrors.BadProperty):
        bp.LeakyRateReadout(a, 2, w_init=np.ones((2, 2)))
    with pytest.raises(TypeError):
        bp.AlignPostProj(a, "all_to_all", bp.Expon(), bp.COBA(E=0.0), b)
    with pytest.raises(TypeError):
        bp.AlignPostProj(a, bp.AllToAll(), bp.COBA(E=0.0), bp.Expon(), b)
    with pytest.raises(TypeError):
        bp.Expon(5.0)  # a tau given by position would silently be taken as brainpy's in_size
    with pytest.raises(TypeError):
        bp.LIF(2.5)
    # The kernel is still usable after all of these.
    bp.run(1.0)
