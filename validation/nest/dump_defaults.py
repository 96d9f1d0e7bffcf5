#!/usr/bin/env python3
"""Dump NEST model defaults and the kernel status to JSON.

Usage:
    python validation/nest/dump_defaults.py [--out DIR]

Writes ``<DIR>/<model>.json`` with ``nest.GetDefaults(model)`` for the models
nestor implements, and ``<DIR>/kernel.json`` with ``nest.GetKernelStatus()``
taken right after ``ResetKernel()``.  Default DIR: validation/reference/defaults.

Conversion to plain JSON: numpy arrays -> lists, numpy scalars -> numbers,
non-finite floats -> the strings "inf", "-inf", "nan" (JSON has no literal for
them); values that cannot be represented (e.g. NodeCollection) are skipped and
listed under "_skipped".
"""

import argparse
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(os.path.dirname(HERE), "reference", "defaults")

MODELS = [
    "iaf_psc_alpha", "iaf_psc_exp", "iaf_psc_delta", "parrot_neuron", "static_synapse", "stdp_synapse", "tsodyks2_synapse", "stdp_pl_synapse_hom",
    "static_synapse_hom_w", "stdp_synapse_hom", "tsodyks_synapse", "stdp_triplet_synapse", "stdp_nn_symm_synapse",
    "stdp_nn_pre_centered_synapse", "stdp_nn_restr_synapse", "vogels_sprekeler_synapse", "quantal_stp_synapse", "bernoulli_synapse",
    "iaf_cond_exp", "iaf_cond_alpha", "hh_cond_exp_traub",
    "aeif_cond_alpha", "aeif_cond_exp", "aeif_psc_alpha", "aeif_psc_exp", "aeif_psc_delta", "izhikevich", "hh_psc_alpha",
    "iaf_cond_beta", "aeif_cond_alpha_multisynapse", "aeif_cond_beta_multisynapse", "iaf_psc_alpha_multisynapse",
    "iaf_psc_exp_multisynapse", "iaf_cond_exp_sfa_rr", "mat2_psc_exp", "amat2_psc_exp", "iaf_tum_2000", "iaf_chs_2007", "iaf_bw_2001", "iaf_bw_2001_exact", "iaf_psc_exp_htum",
    "iaf_chxk_2008", "ignore_and_fire", "glif_psc", "glif_cond", "glif_psc_double_alpha",
    "pp_psc_delta", "gif_psc_exp", "gif_cond_exp", "gif_psc_exp_multisynapse", "gif_cond_exp_multisynapse", "gif_pop_psc_exp",
    "ginzburg_neuron", "mcculloch_pitts_neuron", "erfc_neuron", "spin_detector",
    "ht_neuron", "ht_synapse",
    "dc_generator", "ac_generator", "step_current_generator", "noise_generator",
    "poisson_generator", "sinusoidal_poisson_generator", "inhomogeneous_poisson_generator", "pulsepacket_generator",
    "spike_generator", "voltmeter", "multimeter", "spike_recorder", "weight_recorder",
]


class Skip(Exception):
    pass


def plain(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if math.isfinite(v):
            return v
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, str):
        return v
    if v is None:
        return None
    if isinstance(v, np.ndarray):
        return [plain(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            try:
                out[str(k)] = plain(x)
            except Skip:
                pass
        return out
    raise Skip(type(v).__name__)


def convert(d):
    out, skipped = {}, []
    for k in sorted(d):
        try:
            out[k] = plain(d[k])
        except Skip as ex:
            skipped.append(f"{k} ({ex})")
    if skipped:
        out["_skipped"] = skipped
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    import nest  # noqa: PLC0415

    try:
        nest.verbosity = nest.VerbosityLevel.ERROR
    except AttributeError:
        nest.set_verbosity("M_ERROR")

    os.makedirs(args.out, exist_ok=True)

    def write(name, data):
        data = dict(data)
        data["_nest_version"] = nest.__version__
        with open(os.path.join(args.out, name + ".json"), "w") as f:
            json.dump(data, f, indent=1, sort_keys=True, allow_nan=False)
            f.write("\n")

    nest.ResetKernel()
    write("kernel", convert(nest.GetKernelStatus()))
    for m in MODELS:
        nest.ResetKernel()
        write(m, convert(nest.GetDefaults(m)))
    print(f"wrote {len(MODELS) + 1} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
