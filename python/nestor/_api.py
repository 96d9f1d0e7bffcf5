"""PyNEST 3.10's functions (Create, Connect, Simulate, GetStatus, …) over nestor's kernel."""

import contextlib
import enum
import numbers
import sys
import warnings

import numpy

from . import _nestor
from ._types import CollocatedSynapses, NodeCollection, Parameter, SynapseCollection, _ranges_of, is_iterable
from .errors import NESTErrors

__all__ = [
    "Create", "Connect", "Disconnect", "Simulate", "Run", "Prepare", "Cleanup", "RunManager", "ResetKernel",
    "GetStatus", "SetStatus", "GetDefaults", "SetDefaults", "CopyModel", "GetKernelStatus", "SetKernelStatus",
    "GetConnections", "GetNodes", "GetLocalNodeCollection", "PrintNodes", "NumProcesses", "Rank",
    "GetLocalVPs", "Install", "set_verbosity", "get_verbosity", "VerbosityLevel", "CreateParameter",
    "TripartiteConnect", "EnableStructuralPlasticity", "DisableStructuralPlasticity", "message",
]


class VerbosityLevel(enum.IntEnum):
    """NEST's message levels (``nest.verbosity = nest.VerbosityLevel.WARNING``)."""

    ALL = 0
    DEBUG = 5
    STATUS = 7
    INFO = 10
    PROGRESS = 15
    DEPRECATED = 18
    WARNING = 20
    ERROR = 30
    FATAL = 40
    QUIET = 100


_state = {"verbosity": VerbosityLevel.INFO, "prepared": False}


def message(message, severity=VerbosityLevel.INFO, *, function=None, filename=None, lineno=None):
    """Issues `message` through the log (PyNEST 3.10's ``nest.message``): printed to stdout as
    ``[SEVERITY] [time] message`` when `severity` is at or above the verbosity; the caller's
    file, line and function are added at DEBUG verbosity, as NEST does."""
    import datetime
    import inspect

    if severity < _state["verbosity"]:
        return
    name = VerbosityLevel(severity).name if severity in VerbosityLevel._value2member_map_ else str(int(severity))
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    if _state["verbosity"] <= VerbosityLevel.DEBUG:
        frame = inspect.stack()[1]
        where = f"{filename or frame.filename}:{lineno or frame.lineno} @ {function or frame.function}"
        stamp = f"{stamp} {where}"
    print(f"[{name}] [{stamp}] {message}", flush=True)


def set_verbosity(level):
    """Sets the verbosity: a ``VerbosityLevel``, its name, or NEST 2's ``'M_WARNING'`` style."""
    if isinstance(level, str):
        name = level[2:] if level.startswith("M_") else level
        try:
            level = VerbosityLevel[name.upper()]
        except KeyError:
            raise ValueError(f"unknown verbosity level {level!r}; known: {[v.name for v in VerbosityLevel]}") from None
    _state["verbosity"] = VerbosityLevel(int(level))


def get_verbosity():
    return _state["verbosity"]


# ------------------------------------------------------------------ nodes


def Create(model, n=1, params=None, positions=None):
    """Creates `n` nodes of `model`; `params` is a dict for all of them (list values and
    Parameters give per-node values) or a list with one dict per node."""
    if isinstance(n, dict):
        if not (params is None and positions is None):
            raise ValueError(
                "A parameter dictionary can be passed as second argument only of Create() is called with two arguments."
            )
        params, n = n, 1
    if positions is not None:
        raise NESTErrors.NotImplemented(
            "Create: spatial networks (positions=...) are not available in nestor yet")
    if int(n) != n:
        raise TypeError("n must have an integer value")
    n = int(n)
    if n < 1:
        raise NESTErrors.BadProperty(f"Create: the number of nodes must be at least 1, got {n}")
    if isinstance(params, (list, tuple)) and len(params) != n:
        raise TypeError("list of params must have one dictionary per node")
    if params is not None and not (
        isinstance(params, dict) or (isinstance(params, (list, tuple)) and all(isinstance(e, dict) for e in params))
    ):
        raise TypeError("params must be either a dict of parameters or a list or tuple of dicts")
    if not isinstance(model, str):
        raise TypeError(f"model must be a model name (str), got {type(model).__name__}")
    first = _nestor.create(model, n)
    nodes = NodeCollection._from_ranges([(first, first + n - 1)])
    if (isinstance(params, dict) and params) or isinstance(params, (list, tuple)):
        nodes.set(params)
    return nodes


def GetNodes(properties=None, local_only=False):
    """All nodes, or those whose status matches every entry of `properties`."""
    n = _nestor.network_size()
    if n == 0:
        return NodeCollection()
    ids = list(range(1, n + 1))
    if properties:
        keep = []
        for i, d in zip(ids, _nestor.get_status([(1, n)])):
            if all(k in d and _same(d[k], v) for k, v in properties.items()):
                keep.append(i)
        ids = keep
    return NodeCollection._from_ranges(_ranges_of(ids))


def _same(a, b):
    try:
        return bool(numpy.all(a == b))
    except Exception:
        return False


def GetLocalNodeCollection(nc):
    return nc


def PrintNodes():
    """Prints the id ranges and models of all nodes."""
    n = _nestor.network_size()
    if n == 0:
        return
    models = _nestor.models_of([(1, n)])
    start = 1
    for i in range(1, n + 1):
        if i == n or models[i] != models[i - 1]:
            print(f"{start:>3} .. {i:>3} {models[i - 1]}" if i > start else f"{start:>10} {models[i - 1]}")
            start = i + 1


# ------------------------------------------------------------------ connections

_RULES_1D = ("one_to_one", "fixed_total_number")


def _process_conn_spec(conn_spec):
    if conn_spec is None:
        return {"rule": "all_to_all"}
    if isinstance(conn_spec, str):
        return {"rule": conn_spec}
    if isinstance(conn_spec, dict):
        return dict(conn_spec)
    raise TypeError("conn_spec must be a string or dict")


def _process_syn_spec(syn_spec, conn_spec, n_pre, n_post, arrays):
    if syn_spec is None:
        return {}
    if isinstance(syn_spec, str):
        return {"synapse_model": syn_spec}
    if not isinstance(syn_spec, dict):
        raise TypeError("syn_spec must be a string, dict or CollocatedSynapses object")
    if "synapse_model" in syn_spec and not isinstance(syn_spec["synapse_model"], str):
        raise TypeError("'synapse_model' must be specified by a 'str'.")
    spec = dict(syn_spec)
    rule = conn_spec.get("rule", "all_to_all")
    for key, value in syn_spec.items():
        if isinstance(value, (list, tuple)):
            value = numpy.asarray(value)
        if isinstance(value, numpy.ndarray):
            if value.ndim == 1:
                if rule == "one_to_one":
                    if value.shape[0] != n_pre:
                        raise ValueError(
                            f"'{key}' has to be an array of dimension {n_pre}"
                            + ("." if arrays else ", a scalar or a dictionary."))
                elif rule == "fixed_total_number":
                    if "N" in conn_spec and value.shape[0] != conn_spec["N"]:
                        raise ValueError(
                            f"'{key}' has to be an array of dimension {conn_spec['N']}, a scalar or a dictionary")
                else:
                    raise TypeError(
                        f"'{key}' has the wrong type. One-dimensional parameter arrays can only be used in "
                        "conjunction with rule 'one_to_one' or 'fixed_total_number'.")
                spec[key] = value
            elif value.ndim == 2:
                shapes = {"all_to_all": (n_post, n_pre, "n_target x n_sources"),
                          "fixed_indegree": (n_post, conn_spec.get("indegree"), "n_target x indegree"),
                          "fixed_outdegree": (n_pre, conn_spec.get("outdegree"), "n_sources x outdegree")}
                if rule not in shapes:
                    raise TypeError(
                        f"'{key}' has the wrong type. Two-dimensional parameter arrays can only be used in "
                        "conjunction with rules 'all_to_all', 'fixed_indegree' or fixed_outdegree'.")
                r, c, what = shapes[rule]
                if value.shape != (r, c):
                    raise ValueError(
                        f"'{key}' has to be an array of dimension {r}x{c} ({what}), a scalar or a dictionary.")
                spec[key] = value.flatten()
    return spec


def _process_nodes(pre, post, conn_spec):
    rule = conn_spec if not isinstance(conn_spec, dict) else conn_spec.get("rule", "all_to_all")
    one_to_one = rule == "one_to_one"
    arrays = False
    out = []
    for x in (pre, post):
        if isinstance(x, NodeCollection):
            out.append(x)
            continue
        ids = list(numpy.asarray(x).ravel().tolist()) if not isinstance(x, (list, tuple)) else list(x)
        if not one_to_one and len(set(ids)) == len(ids):
            out.append(NodeCollection(sorted(ids)) if ids == sorted(ids) else NodeCollection(ids))
        else:
            arrays = True
            out.append(ids)
    if arrays:
        pre_ids = out[0].tolist() if isinstance(out[0], NodeCollection) else out[0]
        post_ids = out[1].tolist() if isinstance(out[1], NodeCollection) else out[1]
        if len(pre_ids) != len(post_ids):
            raise ValueError("If 'pre' or 'post' contain non-unique IDs, then they must have the same length.")
        for name, ids in (("pre", pre_ids), ("post", post_ids)):
            if not all(isinstance(i, (numbers.Integral, numpy.integer)) for i in ids):
                raise TypeError(f"'{name}' node IDs must be integers.")
        if not one_to_one:
            raise ValueError("When connecting two arrays with non-unique IDs, `conn_spec` must be 'one_to_one'.")
        return True, pre_ids, post_ids
    return False, out[0], out[1]


def _ranges_any(x):
    if isinstance(x, NodeCollection):
        return x._ranges
    return _ranges_of(x)


def Connect(pre, post, conn_spec=None, syn_spec=None, return_synapsecollection=False):
    """Connects `pre` to `post` (NEST 3's rules and syn_spec forms)."""
    arrays, pre, post = _process_nodes(pre, post, conn_spec)
    cspec = _process_conn_spec(conn_spec)
    if arrays and return_synapsecollection:
        raise ValueError("SynapseCollection cannot be returned when connecting two arrays of node IDs")
    specs = syn_spec.syn_specs if isinstance(syn_spec, CollocatedSynapses) else [syn_spec]
    if len(specs) > 1 and cspec["rule"] not in ("one_to_one", "all_to_all"):
        raise NESTErrors.NotImplemented(
            f"CollocatedSynapses with the random rule '{cspec['rule']}' are not available in nestor yet "
            "(they need one draw of pairs shared by all synapse specifications)")
    n_pre, n_post = len(pre), len(post)
    processed = [_process_syn_spec(s, cspec, n_pre, n_post, arrays) for s in specs]
    for s in processed:
        if arrays:
            for k in ("weights", "delays"):
                if k in s:
                    raise ValueError(f"To specify {k[:-1]}s, use '{k[:-1]}' in syn_spec.")
        s.setdefault("synapse_model", "static_synapse")
        _nestor.connect(_ranges_any(pre), _ranges_any(post), cspec, s)
    if return_synapsecollection:
        return GetConnections(pre, post)
    return None


def TripartiteConnect(pre, post, third, conn_spec, third_factor_conn_spec, syn_specs=None):
    raise NESTErrors.NotImplemented("TripartiteConnect: astrocyte (third-factor) connections are not available in nestor")


def Disconnect(*args, conn_spec=None, syn_spec=None):
    """Removes the connections of a SynapseCollection, or those from `pre` to `post` that a rule
    names (``one_to_one`` by default, or ``all_to_all``): for each pair the oldest connection of
    the synapse model (``static_synapse`` by default). A pair without one raises
    InexistentConnection and nothing is removed."""
    if len(args) == 1:
        conns = args[0]
        if not isinstance(conns, SynapseCollection):
            raise TypeError("Arguments must be either a SynapseCollection or two NodeCollections")
        if conn_spec is not None or syn_spec is not None:
            raise ValueError("When disconnecting with a SynapseCollection, conn_spec and syn_spec cannot be specified")
        conns.disconnect()
        return
    if len(args) != 2:
        raise TypeError("Arguments must be either a SynapseCollection or two NodeCollections")
    pre, post = args
    if not isinstance(pre, NodeCollection) or not isinstance(post, NodeCollection):
        raise TypeError("Arguments must be either a SynapseCollection or two NodeCollections")
    conn_spec = {"rule": "one_to_one"} if conn_spec is None else conn_spec
    syn_spec = {"synapse_model": "static_synapse"} if syn_spec is None else syn_spec
    if isinstance(conn_spec, str):
        conn_spec = {"rule": conn_spec}
    if isinstance(syn_spec, str):
        syn_spec = {"synapse_model": syn_spec}
    if not isinstance(conn_spec, dict) or not isinstance(syn_spec, dict):
        raise TypeError("conn_spec and syn_spec must be a string or a dictionary")
    if syn_spec and "synapse_model" not in syn_spec:
        raise NESTErrors.BadProperty("Disconnect: a non-empty syn_spec must name its 'synapse_model'")
    model = syn_spec.get("synapse_model", "static_synapse")
    _nestor.disconnect(pre._ranges, post._ranges, conn_spec.get("rule", "one_to_one"), model)


def EnableStructuralPlasticity():
    raise NESTErrors.NotImplemented("structural plasticity is not available in nestor yet")


def DisableStructuralPlasticity():
    return None


def GetConnections(source=None, target=None, synapse_model=None, synapse_label=None):
    """The connections from `source` to `target` (either may be None for all), optionally only
    those of `synapse_model`, as a SynapseCollection."""
    if synapse_label is not None:
        raise NESTErrors.NotImplemented("GetConnections: synapse_label is not available in nestor yet")

    def rng(x, name):
        if x is None:
            return None
        if isinstance(x, NodeCollection):
            return x._ranges
        raise TypeError(f"{name} must be a NodeCollection")

    conns = _nestor.get_connections(rng(source, "source"), rng(target, "target"), synapse_model)
    return SynapseCollection(conns)


# ------------------------------------------------------------------ status


def _as_nodes(nodes):
    if isinstance(nodes, (NodeCollection, SynapseCollection)):
        return nodes
    if isinstance(nodes, (numbers.Integral, numpy.integer)):
        return NodeCollection([int(nodes)])
    if is_iterable(nodes):
        return NodeCollection(list(nodes))
    raise TypeError("nodes must be a NodeCollection or a SynapseCollection")


def GetStatus(nodes, keys=None, output=""):
    """A tuple with the status of every node (or connection); with `keys`, only those values."""
    nodes = _as_nodes(nodes)
    if len(nodes) == 0:
        return ()
    if isinstance(nodes, SynapseCollection):
        dicts = nodes._dicts()
    else:
        dicts = nodes._status_dicts()
    if keys is None:
        result = tuple(dicts)
    elif isinstance(keys, str):
        result = tuple(d[keys] for d in dicts)
    elif is_iterable(keys):
        result = tuple(tuple(d[k] for k in keys) for d in dicts)
    else:
        raise TypeError("keys should be either a string or an iterable")
    if output == "json":
        import json

        from ._types import _serialize

        return json.dumps(_serialize(result))
    return result


def SetStatus(nodes, params, val=None):
    """Sets parameters of nodes or connections (NEST 2 style; same as ``nodes.set``)."""
    nodes = _as_nodes(nodes)
    if val is not None and isinstance(params, str):
        params = {params: val}
    if isinstance(params, (list, tuple)) and len(params) == 1:
        params = params[0]
    nodes.set(params)


def GetDefaults(model, keys=None, output=""):
    """The default parameters of `model` (all, one key, or several)."""
    d = _nestor.get_defaults(model)
    if keys is None:
        result = d
    elif isinstance(keys, str):
        if keys not in d:
            raise KeyError(keys)
        result = d[keys]
    elif is_iterable(keys):
        result = tuple(d[k] for k in keys)
    else:
        raise TypeError("keys must be a string or an iterable of strings")
    if output == "json":
        import json

        from ._types import _serialize

        return json.dumps(_serialize(result))
    return result


def SetDefaults(model, params, val=None):
    """Changes the defaults of `model` for nodes created afterwards."""
    if val is not None:
        params = {params: val}
    current = _nestor.get_defaults(model)
    for k, v in params.items():
        if (isinstance(v, Parameter) or is_iterable(v)) and k in current and not is_iterable(current[k]):
            raise ValueError(f"SetDefaults: '{k}' of {model} takes one value, not {type(v).__name__} "
                             "(per-node values and random parameters are given to Create or set)")
    _nestor.set_defaults(model, params)


def CopyModel(existing, new, params=None):
    """A new model name with `existing`'s dynamics and changed defaults."""
    _nestor.copy_model(existing, new, params or {})


_NO_EFFECT_KERNEL_KEYS = {
    # Communication and memory layout switches of NEST's MPI kernel: they change no result.
    "use_compressed_spikes", "sort_connections_by_source", "spike_buffer_grow_extra",
    "spike_buffer_resize_log", "spike_buffer_shrink_limit", "spike_buffer_shrink_spare", "adaptive_target_buffers",
    "buffer_size_target_data", "max_buffer_size_target_data", "growth_factor_buffer_spike_data",
    "growth_factor_buffer_target_data", "max_update_time", "min_update_time", "update_time_limit",
    "use_wfr", "dict_miss_is_error",
    # Waveform relaxation settings: used only by NEST's gap-junction and rate models.
    "wfr_comm_interval", "wfr_tol", "wfr_max_iterations", "wfr_interpolation_order",
}
_EXTRA_DEFAULTS = {"use_wfr": True, "use_compressed_spikes": True, "sort_connections_by_source": True,
                   "dict_miss_is_error": True, "wfr_comm_interval": 1.0,
                   "wfr_tol": 0.0001, "wfr_max_iterations": 15, "wfr_interpolation_order": 3}
_extra_kernel = dict(_EXTRA_DEFAULTS)


def _kernel_status():
    d = _nestor.kernel_status()
    # The BrainPy family is reached through nestor.brainpy; NEST's list has NEST's models only.
    node_models, _brainpy_models, synapse_models = _nestor.models()
    d["node_models"] = tuple(node_models)
    d["synapse_models"] = tuple(synapse_models)
    d["connection_rules"] = ("all_to_all", "fixed_indegree", "fixed_outdegree", "fixed_total_number",
                             "one_to_one", "pairwise_bernoulli")
    d["verbosity"] = _state["verbosity"]
    for k, v in _extra_kernel.items():
        d.setdefault(k, v)
    d.setdefault("T_max", 1152921504606846.8)
    d.setdefault("T_min", -1152921504606846.8)
    d.setdefault("rng_type", "pcg64")
    d.setdefault("rng_types", ("pcg64",))
    d.setdefault("num_processes", 1)
    d.setdefault("print_time", False)
    d.setdefault("to_do", 0)
    d.setdefault("max_num_syn_models", 512)
    d["build_info"] = _BUILD_INFO
    d["memory_size"] = _memory_size_kb()
    return d


def _memory_size_kb():
    """The process's virtual memory size in kB, as NEST 3.10's ``memory_size`` reports it (VmSize
    of /proc/self/status; -1 where that is not available, as in NEST)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return -1


# What a PyNEST build reports about itself, answered for nestor: threads (rayon), the GSL
# models (nestor's own RKF45), HDF5 recording; no MPI, MUSIC, SIONlib or libneurosim yet.
_BUILD_INFO = {
    "built": "nestor", "version": "nestor-0.1.0", "have_threads": True, "threads_model": "rayon",
    "have_gsl": True, "have_hdf5": True, "have_boost": True, "have_mpi": False, "have_music": False,
    "have_sionlib": False, "have_libneurosim": False, "mpiexec": "mpirun", "mpiexec_max_numprocs": 1,
    "mpiexec_numproc_flag": "-np", "mpiexec_preflags": "", "mpiexec_postflags": "", "test_exitcodes": {},
    "datadir": "", "docdir": "", "prefix": "", "exitcode": 0, "host": "", "hostos": "linux",
    "hostvendor": "", "hostcpu": "", "ndebug": True,
}


def GetKernelStatus(keys=None):
    """The kernel's status: all of it, one key, or a tuple for several keys."""
    d = _kernel_status()
    if keys is None:
        return d
    if isinstance(keys, str):
        if keys not in d:
            raise KeyError(keys)
        return d[keys]
    if is_iterable(keys):
        return tuple(d[k] for k in keys)
    raise TypeError("keys should be either a string or an iterable")


def SetKernelStatus(params):
    """Sets kernel parameters (resolution, rng_seed, local_num_threads, data_path, …)."""
    params = dict(params)
    if "verbosity" in params:
        set_verbosity(params.pop("verbosity"))
    if "total_num_virtual_procs" in params:
        vps = params.pop("total_num_virtual_procs")
        params.setdefault("local_num_threads", vps)
    if "rng_type" in params:
        t = params.pop("rng_type")
        if t != "pcg64":
            warnings.warn(f"nestor has one random generator family (PCG); rng_type {t!r} is ignored")
    for k in list(params):
        if k in _NO_EFFECT_KERNEL_KEYS:
            _extra_kernel[k] = params.pop(k)
    if params:
        _nestor.set_kernel_status(params)


def ResetKernel():
    """Removes all nodes and connections and restores every default (NEST's ResetKernel)."""
    _nestor.reset_kernel()
    _state["prepared"] = False
    _extra_kernel.clear()
    _extra_kernel.update(_EXTRA_DEFAULTS)


def NumProcesses():
    return 1


def Rank():
    return 0


def GetLocalVPs():
    return range(GetKernelStatus("total_num_virtual_procs"))


def Install(module_name):
    raise NESTErrors.DynamicModuleManagementError(
        f"Install: nestor has no loadable modules; '{module_name}' cannot be installed")


def CreateParameter(parametertype, specs):
    """A Parameter from NEST's type name and specification (``'uniform', {'min': 0., 'max': 1.}``)."""
    from . import random as _random

    makers = {"uniform": _random.uniform, "normal": _random.normal, "lognormal": _random.lognormal,
              "exponential": _random.exponential, "uniform_int": _random.uniform_int}
    if parametertype == "constant":
        return Parameter(float(specs.get("value", 0.0)))
    if parametertype not in makers:
        raise NESTErrors.NotImplemented(f"CreateParameter: parameter type {parametertype!r} is not available in nestor")
    return makers[parametertype](**specs)


# ------------------------------------------------------------------ simulation


def Simulate(t):
    """Simulates `t` ms (the GIL is released; Ctrl-C stops at a slice boundary)."""
    t = float(t)
    if t < 0:
        raise NESTErrors.BadParameter(f"Simulate: the time must be non-negative, got {t} ms")
    if _state["prepared"]:
        raise NESTErrors.KernelException("Simulate: call Cleanup() first, or use Run() inside a RunManager")
    _nestor.simulate(t)


def Prepare():
    """Starts a series of Run() calls (NEST's Prepare)."""
    if _state["prepared"]:
        raise NESTErrors.KernelException("Prepare: the kernel is already prepared; call Cleanup() first")
    _nestor.begin_runs()
    _state["prepared"] = True


def Run(t):
    """Simulates `t` ms after Prepare(), without the set-up and clean-up of Simulate."""
    if not _state["prepared"]:
        raise NESTErrors.KernelException("Run: call Prepare() first")
    t = float(t)
    if t < 0:
        raise NESTErrors.BadParameter(f"Run: the time must be non-negative, got {t} ms")
    _nestor.simulate(t)


def Cleanup():
    """Ends a series of Run() calls."""
    _state["prepared"] = False
    _nestor.end_runs()


@contextlib.contextmanager
def RunManager():
    """``with nest.RunManager(): nest.Run(...)`` (Prepare on entry, Cleanup on exit)."""
    Prepare()
    try:
        yield
    finally:
        Cleanup()


