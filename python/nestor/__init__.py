"""nestor: a fast NEST-compatible spiking network simulator, with PyNEST 3.10's API.

``import nestor as nest`` and write PyNEST: ``nest.Create``, ``nest.Connect``, ``nest.Simulate``,
NodeCollections with ``get``/``set`` and attribute access, ``nest.random`` parameters, kernel
attributes (``nest.resolution = 0.1``), ``nest.NESTErrors``. ``python -m nestor script.py`` runs
an unmodified PyNEST script with ``import nest`` bound to nestor.

Everything runs in nestor's Rust kernel (``nestor._nestor``); this package arranges arguments
and results the way PyNEST does.
"""

import sys as _sys
import types as _pytypes

from . import _nestor  # noqa: F401  (the kernel)
from . import logic, math, random  # noqa: F401
from ._api import *  # noqa: F401,F403
from ._api import _kernel_status, SetKernelStatus, VerbosityLevel, get_verbosity, set_verbosity
from ._types import CollocatedSynapses, NodeCollection, Parameter, SynapseCollection, to_json  # noqa: F401
from .errors import NESTError, NESTErrors  # noqa: F401

__version__ = "0.1.0"

# PyNEST's `nest.kernel` namespace (tests write `nest.kernel.NESTError`).
kernel = _pytypes.SimpleNamespace(NESTError=NESTError, NESTErrors=NESTErrors)

_READ_ONLY = {
    "biological_time", "network_size", "num_connections", "node_models", "synapse_models", "connection_rules",
    "recording_backends", "local_spike_counter", "min_delay", "max_delay", "T_max", "T_min", "ms_per_tic",
    "tics_per_ms", "tics_per_step", "num_processes", "rng_types", "time_simulate", "time_prepare", "time_update",
    "time_deliver", "time_record", "time_simulate_cpu", "time_communicate_prepare", "time_construction_create",
    "time_construction_create_cpu", "time_construction_connect", "time_construction_connect_cpu", "nestor_version", "to_do", "max_num_syn_models", "build_info",
    "kernel_status", "memory_size",
}


class _NestModule(_pytypes.ModuleType):
    """Kernel attributes as module attributes: ``nest.resolution``, ``nest.biological_time``,
    ``nest.verbosity = nest.VerbosityLevel.WARNING`` (PyNEST 3's KernelAttribute)."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "verbosity":
            return get_verbosity()
        if name in ("raster_plot", "voltage_trace", "visualization"):
            import importlib

            return importlib.import_module(f"{__name__}.{name}")
        if name == "spatial":
            import importlib

            return importlib.import_module(f"{__name__}.spatial")
        status = _kernel_status()
        if name == "kernel_status":
            return status
        if name in status:
            return status[name]
        raise AttributeError(f"module 'nest' has no attribute '{name}'")

    def __setattr__(self, name, value):
        if name == "verbosity":
            set_verbosity(value)
            return
        if name in _READ_ONLY:
            raise AttributeError(f"`{name}` is a read-only kernel attribute.")
        if not name.startswith("_") and name in _kernel_status():
            SetKernelStatus({name: value})
            return
        super().__setattr__(name, value)

    def set(self, **kwargs):
        """Sets kernel attributes (``nest.set(resolution=0.1, rng_seed=3)``)."""
        SetKernelStatus(kwargs)

    def get(self, *keys):
        """Kernel attributes: all (dict), one, or several (dict)."""
        status = _kernel_status()
        if not keys:
            return status
        if len(keys) == 1 and isinstance(keys[0], str):
            return status[keys[0]]
        names = keys[0] if len(keys) == 1 else keys
        return {k: status[k] for k in names}


_sys.modules[__name__].__class__ = _NestModule
