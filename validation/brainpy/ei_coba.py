"""The seed's E/I network in brainpy.state, for rates and timing beside nestor.

4000 LIFRef (3200 E + 800 I), V_rest -60 mV, V_th -50 mV, V_reset -60 mV, tau 20 ms,
tau_ref 5 ms, V ~ Normal(-55, 2) mV; Expon 5/10 ms + COBA 0/-80 mV AlignPost projections with
EventFixedProb(0.02) and weights 0.6/6.7 mS; input 20 mA; 1000 ms at dt 0.1 ms.

Usage: python ei_coba.py [--seeds 0 1 2] [--x64] [--json OUT]
Prints per seed the mean rate and the wall time of the first (compiling) and second run.
"""
import argparse, json, time

import brainpy
import brainstate
import braintools
import brainunit as u
import jax
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--seeds", type=int, nargs="+", default=[0])
ap.add_argument("--x64", action="store_true")
ap.add_argument("--time", type=float, default=1000.0)
ap.add_argument("--json")
args = ap.parse_args()
if args.x64:
    jax.config.update("jax_enable_x64", True)
bs = brainpy.state


class EINet(brainstate.nn.Module):
    def __init__(self):
        super().__init__()
        self.n_exc, self.n_inh = 3200, 800
        self.num = self.n_exc + self.n_inh
        self.N = bs.LIFRef(self.num, V_rest=-60. * u.mV, V_th=-50. * u.mV, V_reset=-60. * u.mV,
                           tau=20. * u.ms, tau_ref=5. * u.ms,
                           V_initializer=braintools.init.Normal(-55., 2., unit=u.mV))
        self.E = bs.AlignPostProj(
            comm=brainstate.nn.EventFixedProb(self.n_exc, self.num, conn_num=0.02, conn_weight=0.6 * u.mS),
            syn=bs.Expon.desc(self.num, tau=5. * u.ms), out=bs.COBA.desc(E=0. * u.mV), post=self.N)
        self.I = bs.AlignPostProj(
            comm=brainstate.nn.EventFixedProb(self.n_inh, self.num, conn_num=0.02, conn_weight=6.7 * u.mS),
            syn=bs.Expon.desc(self.num, tau=10. * u.ms), out=bs.COBA.desc(E=-80. * u.mV), post=self.N)

    def update(self, t, inp):
        with brainstate.environ.context(t=t):
            spk = self.N.get_spike() != 0.
            self.E(spk[:self.n_exc])
            self.I(spk[self.n_exc:])
            self.N(inp)
            return self.N.get_spike()


results = []
for seed in args.seeds:
    brainstate.random.seed(seed)
    np.random.seed(seed)
    with brainstate.environ.context(dt=0.1 * u.ms):
        net = EINet()
        brainstate.nn.init_all_states(net)
        times = u.math.arange(0. * u.ms, args.time * u.ms, brainstate.environ.get_dt())
        run = lambda: brainstate.transform.for_loop(lambda t: net.update(t, 20. * u.mA), times)
        t0 = time.time(); spikes = jax.block_until_ready(run()); first = time.time() - t0
        brainstate.nn.init_all_states(net)
        t0 = time.time(); spikes = jax.block_until_ready(run()); second = time.time() - t0
    rate = float(np.asarray(spikes).sum()) / net.num / (args.time / 1000.0)
    results.append({"seed": seed, "rate_hz": rate, "first_s": first, "second_s": second})
    print(f"seed {seed}: rate {rate:.2f} Hz, first run {first:.2f} s, second run {second:.2f} s", flush=True)
if args.json:
    json.dump(results, open(args.json, "w"), indent=1)
