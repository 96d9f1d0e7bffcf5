"""``nestor.brainpy``: the BrainPy-style model family from Python, spelled like brainpy.state.

::

    import nestor as nest
    import nestor.brainpy as bp
    from nestor.brainpy import u

    nest.ResetKernel()
    nest.resolution = 0.1
    N = bp.LIFRef(4000, V_rest=-60. * u.mV, V_th=-50. * u.mV, V_reset=-60. * u.mV, tau=20. * u.ms,
                  tau_ref=5. * u.ms, V_initializer=bp.init.Normal(-55., 2.), I_ext=20.)
    E, I = N[:3200], N[3200:]
    bp.AlignPostProj(E, comm=bp.FixedProb(0.02, 0.6 * u.mS), syn=bp.Expon.desc(tau=5. * u.ms),
                     out=bp.COBA.desc(E=0. * u.mV), post=N)
    bp.AlignPostProj(I, comm=bp.FixedProb(0.02, 6.7 * u.mS), syn=bp.Expon.desc(tau=10. * u.ms),
                     out=bp.COBA.desc(E=-80. * u.mV), post=N)
    spikes = bp.SpikeMonitor(N)
    bp.run(1000.)
    print(len(spikes.steps) / len(N), "Hz")

Everything is a thin layer over the kernel's projections (``nestor_kernel::projection``, the
functions the Rust facade ``nestor::brainpy`` and SLI's ``AlignPostProj`` use): this module only
turns arguments into dictionaries. Populations are ordinary NodeCollections, so they mix with
PyNEST calls (``nest.Connect``, ``N.V``, recorders).

API
---
* Neurons (the registry's BrainPy family): ``IF``, ``LIF``, ``LIFRef``, ``ALIF``, ``ExpIF``,
  ``ExpIFRef``, ``AdExIF``, ``AdExIFRef``, ``QuaIF``, ``AdQuaIF``, ``AdQuaIFRef``, ``Gif``,
  ``GifRef``, ``CubaLIF``, ``CobaLIF``, ``HH``, ``MorrisLecar``, ``WangBuzsakiHH``, ``Izhikevich``,
  ``IzhikevichRef``, ``FitzHughNagumo``, ``HindmarshRose``: ``bp.LIF(in_size, **params)`` creates a
  population (a NodeCollection). Parameters have brainpy's names; numbers are in the units
  nestor shows for the model (``nest.GetDefaults("LIF")``: mV, ms, ohm, mA …), quantities
  (``-60. * u.mV``) are converted and dimension-checked by the kernel. ``X_initializer=`` sets
  the initial value of state ``X`` (a number, quantity, ``bp.init.Constant/Normal/Uniform`` or
  any ``nest.random`` parameter); a sequence of ``in_size`` values gives one value per neuron.
  ``I_ext`` is the constant input brainpy passes as ``x`` to ``update``.
* Synapse kinetics: ``Expon``, ``DualExpon``, ``Alpha``, ``AMPA``, ``GABAa``, ``BioNMDA``;
  outputs ``COBA``, ``CUBA``, ``MgBlock``; short-term plasticity ``STP``, ``STD``. Each as
  ``bp.Expon.desc(tau=5.)`` or ``bp.Expon(tau=5.)`` (the same description).
* Connectivity (brainpy's ``comm``): ``FixedProb(prob, weight)`` (= brainstate's
  ``EventFixedProb(conn_num=prob, conn_weight=weight)``: floor(n_post·prob) targets per
  presynaptic neuron, drawn with replacement), ``FixedNum(num, weight)``,
  ``AllToAll(weight, include_self=True)``, ``OneToOne(weight)``, ``Dense(w)`` (``w[pre][post]``,
  zeros not connected), ``Sparse(pre_indices, post_indices, weight)``; all take ``delay=`` (ms,
  brainpy's extra delay). Weights: a number in the receptor's unit (mS for COBA/MgBlock and for
  CUBA with its default 1 V scale, mV for DeltaProj, a factor of the presynaptic g for
  align-pre), a quantity, one value per connection, or a ``nest.random`` parameter.
* Projections: ``AlignPostProj(pre, comm, syn, out, post)`` (``.receptor``),
  ``AlignPreProj(pre, comm, syn, out, post, stp=None)`` (``.ports``: the nodes carrying g),
  ``DeltaProj(pre, comm, post)``, ``CurrentProj(bp.prefetch(pre, "V"), comm, out, post)``,
  ``SymmetryGapJunction(pre, post, comm)``, ``AsymmetryGapJunction(pre, post, comm, back_weight)``.
* Inputs: currents ``ConstantInput``, ``SectionInput``, ``StepInput``, ``RampInput``,
  ``SinusoidalInput``, ``WienerProcessInput``, ``OUProcessInput`` (``bp.X(in_size, **params)``, fed
  to neurons with ``bp.add_current_input(target, inp)``); spike sources ``PoissonSpike``,
  ``PoissonEncoder``, ``SpikeTime`` (usable as ``pre`` of any projection); and
  ``PoissonInput(target, num_input, freq, weight)``.
* Readout: ``LeakyRateReadout(pre, out_size, tau=5., w_init=w)`` (records ``r``).
* Running and recording: ``bp.run(duration)`` (``nest.Simulate`` plus handing the recorders the
  last slice at once, as brainpy.state records every step), ``StateMonitor(pop, ["V"])``
  (``mon["V"]``: array [step, neuron]), ``SpikeMonitor(pop)`` (``.steps``, ``.indices``,
  ``.spikes``). Row k of a monitor is the state after brainpy's step k (time k·dt).
* Units: ``u.mV``, ``u.ms``, ``u.mS``, ``u.mA`` … (the kernel's unit table), ``u.V``, ``u.second``.

Differences from brainpy.state
------------------------------
* A projection names its presynaptic population when it is built (``AlignPostProj(pre, …)``);
  brainpy passes the spikes at every call. There is no per-step Python ``update``: the network
  runs in the kernel (``bp.run``).
* Component sizes (``Expon.desc(in_size, …)``) are taken from the populations; a positional size
  is accepted and ignored.
* Numbers without units are in the model's units as nestor shows them; brainpy's defaults are
  the same numbers with units attached.
* Timing: brainpy's projections see the previous step's spikes (nestor: a delay of one
  resolution step, plus the comm's ``delay``). Current inputs reach a neuron one step after
  their generator computes, so a drive from step 0 on is the neuron's ``I_ext`` (see
  validation/TOLERANCES.md).
* Random draws (``FixedProb``, ``init.Normal``, Poisson inputs) come from nestor's streams: the
  laws are brainpy's, the numbers are not.
* Only the forward pass of the surrogate spike functions exists (``spk_fun`` is kept by name).
"""

import numbers

import numpy

from . import _nestor
from ._api import Create, Connect, Simulate  # noqa: F401  (re-exported for convenience)
from ._types import NodeCollection, Parameter
from .errors import NESTErrors

__all__ = [
    "u", "init", "run", "prefetch",
    "Expon", "DualExpon", "Alpha", "AMPA", "GABAa", "BioNMDA", "COBA", "CUBA", "MgBlock", "STP", "STD",
    "FixedProb", "EventFixedProb", "FixedNum", "AllToAll", "OneToOne", "Dense", "Sparse",
    "AlignPostProj", "AlignPreProj", "DeltaProj", "CurrentProj", "SymmetryGapJunction", "AsymmetryGapJunction",
    "add_current_input", "PoissonInput", "LeakyRateReadout", "StateMonitor", "SpikeMonitor",
    "population", "NEURONS", "CURRENT_INPUTS", "SPIKE_INPUTS",
]


# ------------------------------------------------------------------ units

_DIM_NAMES = ("[length]", "[mass]", "[time]", "[current]", "[temperature]", "[substance]", "[luminosity]")


class Quantity:
    """A number with a unit, in SI base units and the kernel's dimension exponents. The kernel
    converts it to a parameter's unit or reports the wrong dimension (as for pint quantities)."""

    __slots__ = ("magnitude", "dims", "_label", "_unit")

    def __init__(self, si, dims, label=None, unit=None):
        self.magnitude = float(si)
        self.dims = tuple(int(d) for d in dims)
        self._label = label
        # The named unit this quantity was scaled from (for printing it in that unit).
        self._unit = self if label else unit

    # What the kernel reads (the duck type of pint's quantities in nestor's conversion).
    @property
    def dimensionality(self):
        return {n: e for n, e in zip(_DIM_NAMES, self.dims) if e}

    def to_base_units(self):
        return self

    def _scaled(self, f):
        return Quantity(self.magnitude * f, self.dims, unit=self._unit)

    def __mul__(self, other):
        if isinstance(other, Quantity):
            return Quantity(self.magnitude * other.magnitude, [a + b for a, b in zip(self.dims, other.dims)])
        if isinstance(other, numbers.Real):
            return self._scaled(float(other))
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, Quantity):
            return Quantity(self.magnitude / other.magnitude, [a - b for a, b in zip(self.dims, other.dims)])
        if isinstance(other, numbers.Real):
            return self._scaled(1.0 / float(other))
        return NotImplemented

    def __rtruediv__(self, other):
        if isinstance(other, numbers.Real):
            return Quantity(float(other) / self.magnitude, [-a for a in self.dims])
        return NotImplemented

    def __neg__(self):
        return self._scaled(-1.0)

    def __eq__(self, other):
        return isinstance(other, Quantity) and (self.magnitude, self.dims) == (other.magnitude, other.dims)

    def __hash__(self):
        return hash((self.magnitude, self.dims))

    def to(self, unit):
        """The magnitude in `unit` (a Quantity such as ``u.mV``)."""
        if unit.dims != self.dims:
            raise NESTErrors.BadProperty(f"cannot express {self} in {unit}: the dimensions differ")
        return self.magnitude / unit.magnitude

    def __repr__(self):
        if self._unit is not None:
            return f"{self.magnitude / self._unit.magnitude:g} {self._unit._label}"
        for q in vars(u).values():
            if isinstance(q, Quantity) and q.dims == self.dims:
                return f"{self.magnitude / q.magnitude:g} {q._label}"
        return f"{self.magnitude:g} (SI base units, dimension exponents {self.dims})"


class _Units:
    """brainunit-style unit constants: ``-60. * u.mV``, ``5. * u.ms``, ``0.6 * u.mS``."""

    def __init__(self):
        for symbol, si, dims in _nestor.bp_units():
            if symbol.isidentifier():
                setattr(self, symbol, Quantity(si, dims, symbol))
        self.V = Quantity(1.0, self.mV.dims, "V")
        self.second = Quantity(1.0, self.ms.dims, "second")


u = _Units()


def _kv(v):
    """A value as the kernel takes it: Quantities stay (the kernel checks them), initializers and
    surrogate objects become their kernel form."""
    if isinstance(v, _Init):
        return v._value
    if isinstance(v, (list, tuple)) and v and all(isinstance(x, Quantity) for x in v):
        raise NESTErrors.BadProperty("give arrays as numbers in the model's unit (lists of quantities are not supported)")
    return v


# ------------------------------------------------------------------ initializers


class _Init:
    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = value

    def __repr__(self):
        return f"{type(self).__name__}({self._value!r})"


class _InitNamespace:
    """braintools.init-style initializers for ``X_initializer=`` (drawn per neuron from the
    kernel's streams, keyed by node id)."""

    class Constant(_Init):
        """The same value for every neuron."""

        def __init__(self, value):
            super().__init__(value)

    class Normal(_Init):
        """Normal(mean, std) per neuron (numbers in the state's unit, or quantities)."""

        def __init__(self, mean, std):
            super().__init__(Parameter({"distribution": "normal", "mean": mean, "std": std}))

    class Uniform(_Init):
        """Uniform on [min_val, max_val) per neuron."""

        def __init__(self, min_val, max_val):
            super().__init__(Parameter({"distribution": "uniform", "min": min_val, "max": max_val}))


init = _InitNamespace()


# ------------------------------------------------------------------ populations

#: The BrainPy-family neurons of the registry (models/src/brainpy/).
NEURONS = (
    "IF", "LIF", "LIFRef", "ALIF", "ExpIF", "ExpIFRef", "AdExIF", "AdExIFRef", "QuaIF", "AdQuaIF",
    "AdQuaIFRef", "Gif", "GifRef", "CubaLIF", "CobaLIF", "HH", "MorrisLecar", "WangBuzsakiHH",
    "Izhikevich", "IzhikevichRef", "FitzHughNagumo", "HindmarshRose",
)
#: Current inputs (devices/src/brainpy_inputs.rs), fed with ``add_current_input``.
CURRENT_INPUTS = (
    "ConstantInput", "SectionInput", "StepInput", "RampInput", "SinusoidalInput", "WienerProcessInput",
    "OUProcessInput",
)
#: Spike sources, usable as the presynaptic side of projections.
SPIKE_INPUTS = ("PoissonSpike", "PoissonEncoder", "SpikeTime")


def _size(in_size, what):
    """brainpy's in_size: an int or a shape tuple (its product)."""
    if isinstance(in_size, (tuple, list)):
        n = 1
        for d in in_size:
            n *= _size(d, what)
        return n
    if isinstance(in_size, (numbers.Integral, numpy.integer)) and not isinstance(in_size, bool):
        if int(in_size) < 1:
            raise NESTErrors.BadProperty(f"{what}: in_size must be at least 1, got {in_size}")
        return int(in_size)
    raise TypeError(f"{what}: in_size must be an int or a tuple of ints, got {in_size!r}")


def _per_node(v, n):
    if isinstance(v, numpy.ndarray):
        return v.ndim == 1 and len(v) == n
    return isinstance(v, (list, tuple)) and len(v) == n and all(isinstance(x, (numbers.Real, Quantity)) for x in v)


def population(model, in_size, **params):
    """`in_size` neurons (or input nodes) of the BrainPy-family `model` with brainpy-spelled
    parameters; returns their NodeCollection. Neuron parameters given as sequences of in_size
    values set one value per neuron."""
    if not isinstance(model, str):
        raise TypeError(f"model must be a model name (str), got {type(model).__name__}")
    n = _size(in_size, model)
    common, per = {}, {}
    for key, v in params.items():
        if key.endswith("_initializer"):
            key = key[: -len("_initializer")]
        if key == "spk_fun" and not isinstance(v, str):
            # braintools.surrogate objects: the kernel keeps the surrogate by class name.
            v = type(v).__name__
        v = _kv(v)
        if model in NEURONS and _per_node(v, n) and not isinstance(_default(model, key), numpy.ndarray):
            per[key] = list(v.tolist() if isinstance(v, numpy.ndarray) else v)
        else:
            common[key] = v
    first = _nestor.create(model, n, common)
    nodes = NodeCollection._from_ranges([(first, first + n - 1)])
    if per:
        _nestor.set_status(nodes._ranges, [{k: vals[i] for k, vals in per.items()} for i in range(n)])
    return nodes


def _default(model, key):
    return _nestor.get_defaults(model).get(key)


def _factory(model):
    def make(in_size, **params):
        return population(model, in_size, **params)

    make.__name__ = make.__qualname__ = model
    make.__doc__ = (f"``{model}(in_size, **params)``: a population of brainpy.state's {model} "
                    f"(parameters and units: ``nest.GetDefaults('{model}')``).")
    return make


for _m in NEURONS + CURRENT_INPUTS + SPIKE_INPUTS:
    globals()[_m] = _factory(_m)
    __all__.append(_m)


def _ranges(nodes, what):
    if isinstance(nodes, _Prefetch):
        nodes = nodes.pre
    if not isinstance(nodes, NodeCollection):
        raise TypeError(f"{what} must be a NodeCollection (a population), got {type(nodes).__name__}")
    if len(nodes) == 0:
        raise NESTErrors.BadProperty(f"{what} is empty")
    return nodes._ranges


# ------------------------------------------------------------------ components


class _Component:
    """A synapse, output or plasticity description: a model name and parameters (checked by
    the kernel when a projection uses it)."""

    model = None

    def __init__(self, *in_size, **params):
        if len(in_size) > 1 or (in_size and not _is_size(in_size[0])):
            raise TypeError(
                f"{self.model}: give parameters by name ({self.model}(tau=...)); the only positional "
                f"argument is brainpy's in_size, got {in_size!r}")
        self.params = params

    @classmethod
    def desc(cls, *in_size, **params):
        """brainpy's ``X.desc(in_size, **params)``: the description a projection instantiates."""
        return cls(*in_size, **params)

    def _to_dict(self):
        d = {"model": self.model}
        d.update({k: _kv(v) for k, v in self.params.items()})
        return d

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.model}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and self.params == other.params


def _is_size(x):
    return isinstance(x, (tuple, NodeCollection)) or (
        isinstance(x, (numbers.Integral, numpy.integer)) and not isinstance(x, bool))


def _component(name, doc):
    cls = type(name, (_Component,), {"model": name, "__doc__": doc})
    globals()[name] = cls
    return cls


_component("Expon", "Exponential synapse: tau (ms, default 8).")
_component("DualExpon", "Difference of exponentials: tau_decay (10 ms), tau_rise (1 ms), amplitude, normalize.")
_component("Alpha", "Alpha synapse: tau (ms, default 8).")
_component("AMPA", "Kinetic AMPA receptor: alpha, beta, T, T_dur (align-pre only).")
_component("GABAa", "Kinetic GABAa receptor: alpha, beta, T, T_dur (align-pre only).")
_component("BioNMDA", "Kinetic NMDA receptor: alpha1, beta1, alpha2, beta2, T, T_dur (align-pre only).")
_component("COBA", "Conductance-based output g·(E − V): E (mV, required).")
_component("CUBA", "Current-based output g·scale: scale (default 1 V).")
_component("MgBlock", "NMDA magnesium block: E, cc_Mg, alpha, beta, V_offset.")
_component("STP", "Tsodyks–Markram short-term plasticity: U, tau_f, tau_d.")
_component("STD", "Short-term depression: tau, U.")


def _as_component(x, what, kinds):
    if isinstance(x, _Component) and x.model in kinds:
        return x._to_dict()
    raise TypeError(f"{what} must be one of {', '.join('bp.' + k for k in kinds)} (e.g. bp.{kinds[0]}.desc(...)), "
                    f"got {x!r}")


_SYN = ("Expon", "DualExpon", "Alpha", "AMPA", "GABAa", "BioNMDA")
_OUT = ("COBA", "CUBA", "MgBlock")
_STP = ("STP", "STD")


# ------------------------------------------------------------------ connectivity


class _Comm:
    """A connectivity with weights and an extra delay (ms)."""

    def __init__(self, spec, weight, delay):
        self._spec = dict(spec)
        self.weight = weight
        self.delay = delay

    def _to_dict(self):
        d = dict(self._spec)
        if self.weight is not None:
            d["weight"] = _kv(self.weight)
        if self.delay:
            d["delay"] = self.delay
        return d

    def __repr__(self):
        return f"{type(self).__name__}({self._spec}, weight={self.weight!r}, delay={self.delay!r})"


class FixedProb(_Comm):
    """brainpy's ``EventFixedProb``: every presynaptic neuron gets floor(n_post·prob) targets
    drawn uniformly with replacement; homogeneous `weight`."""

    def __init__(self, prob, weight=1.0, delay=0.0):
        super().__init__({"rule": "fixed_prob", "p": float(prob)}, weight, delay)


#: brainstate's name of the same connectivity.
EventFixedProb = FixedProb


class FixedNum(_Comm):
    """`num` targets per presynaptic neuron (``EventFixedProb`` with an integer conn_num)."""

    def __init__(self, num, weight=1.0, delay=0.0):
        super().__init__({"rule": "fixed_num", "n": int(num)}, weight, delay)


class AllToAll(_Comm):
    """Every pre to every post neuron (``include_self=False`` drops i → i within one population)."""

    def __init__(self, weight=1.0, include_self=True, delay=0.0):
        super().__init__({"rule": "all_to_all", "include_self": bool(include_self)}, weight, delay)


class OneToOne(_Comm):
    """Pre neuron i to post neuron i."""

    def __init__(self, weight=1.0, delay=0.0):
        super().__init__({"rule": "one_to_one"}, weight, delay)


class Dense(_Comm):
    """A dense weight matrix ``w[pre][post]`` (brainstate's ``Linear``/``AllToAll`` with a
    matrix); zero entries are not connected."""

    def __init__(self, w, delay=0.0):
        w = numpy.asarray(w, dtype=float)
        if w.ndim != 2:
            raise NESTErrors.BadProperty(f"Dense: the weights must be a 2-d array w[pre][post], got shape {w.shape}")
        super().__init__({"rule": "dense", "weights": w}, None, delay)


class Sparse(_Comm):
    """Explicit (pre index, post index) pairs, local to the populations, with one weight or one
    per pair."""

    def __init__(self, pre_indices, post_indices, weight=1.0, delay=0.0):
        pre = numpy.asarray(pre_indices, dtype=numpy.int64)
        post = numpy.asarray(post_indices, dtype=numpy.int64)
        super().__init__({"rule": "pairs", "pre": pre, "post": post}, weight, delay)


def _as_comm(x):
    if isinstance(x, _Comm):
        return x._to_dict()
    raise TypeError(f"comm must be bp.FixedProb, FixedNum, AllToAll, OneToOne, Dense or Sparse, got {x!r}")


# ------------------------------------------------------------------ projections


class AlignPostProj:
    """brainpy's ``AlignPostProj(comm, syn, out, post)`` from `pre`: one synapse state per
    postsynaptic neuron (linear kinetics Expon/DualExpon/Alpha); equal (syn, out) pairs onto
    one population share it, as brainpy merges them. ``.receptor`` is the receptor on `post`."""

    def __init__(self, pre, comm, syn, out, post):
        self.pre, self.post, self.comm, self.syn, self.out = pre, post, comm, syn, out
        self.receptor = _nestor.bp_align_post_proj(
            _ranges(pre, "pre"), _ranges(post, "post"), _as_comm(comm), _as_component(syn, "syn", _SYN),
            _as_component(out, "out", _OUT))


class AlignPreProj:
    """brainpy's ``align_pre_projection(spikes, stp, syn, comm, out, post)`` from `pre`: STP and
    synapse state per presynaptic neuron; every step the post neurons receive Σ w·g through
    `out`. ``.ports`` are the nodes that carry each presynaptic neuron's g."""

    def __init__(self, pre, comm, syn, out, post, stp=None):
        self.pre, self.post, self.comm, self.syn, self.out, self.stp = pre, post, comm, syn, out, stp
        ports = _nestor.bp_align_pre_proj(
            _ranges(pre, "pre"), _ranges(post, "post"), _as_comm(comm), _as_component(syn, "syn", _SYN),
            _as_component(out, "out", _OUT), None if stp is None else _as_component(stp, "stp", _STP))
        self.ports = NodeCollection._from_ranges(ports)


#: brainpy.state's function spelling.
align_pre_projection = AlignPreProj


class DeltaProj:
    """brainpy's ``DeltaProj(comm, post)`` from `pre`: spikes add Σ w (mV) to V."""

    def __init__(self, pre, comm, post):
        self.pre, self.post, self.comm = pre, post, comm
        _nestor.bp_delta_proj(_ranges(pre, "pre"), _ranges(post, "post"), _as_comm(comm))


class _Prefetch:
    __slots__ = ("pre", "var")

    def __init__(self, pre, var):
        self.pre, self.var = pre, var

    def __repr__(self):
        return f"prefetch({self.pre!r}, {self.var!r})"


def prefetch(pre, var="V"):
    """brainpy's ``pre.prefetch('V')``: a presynaptic variable, read at the start of every step."""
    if not isinstance(var, str):
        raise TypeError(f"prefetch: the variable must be a name such as 'V', got {var!r}")
    return _Prefetch(pre, var)


class CurrentProj:
    """brainpy's ``CurrentProj(pre.prefetch('V'), comm, out, post)``: every step the post
    neurons receive Σ w·(the presynaptic variable) through `out`. ``.receptor`` is the receptor
    on `post`."""

    def __init__(self, prefetch, comm, out, post):
        var = prefetch.var if isinstance(prefetch, _Prefetch) else "V"
        self.pre = prefetch.pre if isinstance(prefetch, _Prefetch) else prefetch
        self.post, self.comm, self.out, self.var = post, comm, out, var
        self.receptor = _nestor.bp_current_proj(
            _ranges(self.pre, "pre"), _ranges(post, "post"), var, _as_comm(comm), _as_component(out, "out", _OUT))


class SymmetryGapJunction:
    """brainpy's ``SymmetryGapJunction``: for every pair (i, j) of `comm` (OneToOne, AllToAll or
    Sparse) with weight w, post j receives w·(V_i − V_j) and pre i receives w·(V_j − V_i)."""

    def __init__(self, pre, post, comm):
        self.pre, self.post, self.comm = pre, post, comm
        _nestor.bp_gap_junction(_ranges(pre, "pre"), _ranges(post, "post"), _as_comm(comm))


class AsymmetryGapJunction:
    """brainpy's ``AsymmetryGapJunction``: as the symmetric one, with `back_weight` for the
    current into the pre neurons."""

    def __init__(self, pre, post, comm, back_weight):
        self.pre, self.post, self.comm, self.back_weight = pre, post, comm, back_weight
        _nestor.bp_gap_junction(_ranges(pre, "pre"), _ranges(post, "post"), _as_comm(comm), _kv(back_weight))


# ------------------------------------------------------------------ inputs and readout


def _one_or_each(src, target, weight):
    """One input node feeds every target; n nodes feed n targets one to one."""
    if len(src) == 1 and len(target) != 1:
        return AllToAll(weight)
    if len(src) != len(target):
        raise NESTErrors.BadProperty(
            f"an input of {len(src)} nodes feeds 1 or {len(src)} neurons, not {len(target)}")
    return OneToOne(weight)


def add_current_input(target, inp):
    """Feeds the current input `inp` (``bp.ConstantInput(...)`` & co.) to the neurons `target`
    (brainstate's ``add_current_input``): into receptor 0, in the model's current unit."""
    _nestor.bp_connect_comm(_ranges(inp, "inp"), _ranges(target, "target"), _one_or_each(inp, target, 1.0)._to_dict(), 0)
    return inp


def PoissonInput(target, num_input, freq, weight):
    """brainpy's ``PoissonInput``: per step and target neuron, the count of `num_input` Poisson
    sources of rate `freq` (Hz) times `weight` (mV) is added to V. Returns the input nodes."""
    n = len(target)
    nodes = population("PoissonInput", n, num_input=num_input, freq=freq)
    _nestor.bp_connect_comm(nodes._ranges, _ranges(target, "target"), OneToOne(weight)._to_dict(), 1)
    return nodes


def LeakyRateReadout(pre, out_size, tau=5.0, w_init=None):
    """brainpy's ``LeakyRateReadout(in_size, out_size, tau, w_init)`` reading the spikes of
    `pre`: r ← exp(−dt/τ)·r + spikes @ w. `w_init` is the matrix w[pre][out] (zeros are not
    connected). Returns the readout nodes (record ``r``)."""
    if w_init is None:
        raise NESTErrors.BadProperty("LeakyRateReadout: give the weight matrix w_init[pre][out]")
    ro = population("LeakyRateReadout", out_size, tau=tau)
    w = numpy.asarray(w_init, dtype=float)
    if w.shape != (len(pre), len(ro)):
        raise NESTErrors.BadProperty(f"LeakyRateReadout: w_init has shape {w.shape}, expected {(len(pre), len(ro))}")
    _nestor.bp_connect_comm(_ranges(pre, "pre"), ro._ranges, Dense(w)._to_dict(), 0)
    return ro


# ------------------------------------------------------------------ running and recording


def run(duration):
    """Simulates `duration` ms and hands the recorders every step at once (brainpy.state's
    for_loop returns all steps; NEST holds the last slice back until the next Simulate)."""
    Simulate(duration)
    _nestor.bp_flush_recorders()


def _dt():
    return _nestor.kernel_status()["resolution"]


def _index_of(pop, senders):
    ids = numpy.asarray(pop.tolist(), dtype=numpy.int64)
    return numpy.searchsorted(ids, numpy.asarray(senders, dtype=numpy.int64))


class StateMonitor:
    """Records `variables` of `pop` after every step (a multimeter at the resolution).
    ``mon["V"]`` is an array [step, neuron]: row k is the state after brainpy's step k."""

    def __init__(self, pop, variables=("V",)):
        if isinstance(variables, str):
            variables = [variables]
        self.pop, self.variables = pop, list(variables)
        self.recorder = Create("multimeter", 1, {"interval": _dt(), "record_from": self.variables})
        Connect(self.recorder, pop)

    def __getitem__(self, var):
        if var not in self.variables:
            raise KeyError(f"StateMonitor records {self.variables}, not {var!r}")
        ev = self.recorder.get("events")
        dt = _dt()
        steps = numpy.rint(numpy.asarray(ev["times"]) / dt).astype(numpy.int64) - 1
        out = numpy.full((int(steps.max()) + 1 if len(steps) else 0, len(self.pop)), numpy.nan)
        out[steps, _index_of(self.pop, ev["senders"])] = ev[var]
        return out

    @property
    def times(self):
        """brainpy's time of each row (k·dt), ms."""
        return numpy.arange(len(self[self.variables[0]])) * _dt()


class SpikeMonitor:
    """Records the spikes of `pop` (a spike_recorder). ``steps``/``indices``: brainpy's step of
    each spike and the neuron's index in `pop`, ordered by step then index."""

    def __init__(self, pop):
        self.pop = pop
        self.recorder = Create("spike_recorder")
        Connect(pop, self.recorder)

    def _events(self):
        ev = self.recorder.get("events")
        steps = numpy.rint(numpy.asarray(ev["times"]) / _dt()).astype(numpy.int64) - 1
        idx = _index_of(self.pop, ev["senders"])
        order = numpy.lexsort((idx, steps))
        return steps[order], idx[order]

    @property
    def steps(self):
        return self._events()[0]

    @property
    def indices(self):
        return self._events()[1]

    @property
    def times(self):
        """brainpy's time of each spike's step (k·dt), ms."""
        return self._events()[0] * _dt()

    @property
    def spikes(self):
        """[(step, index), …] in order."""
        s, i = self._events()
        return list(zip(s.tolist(), i.tolist()))

    def raster(self, steps):
        """A boolean array [step, neuron] over `steps` steps."""
        out = numpy.zeros((int(steps), len(self.pop)), dtype=bool)
        s, i = self._events()
        keep = s < steps
        out[s[keep], i[keep]] = True
        return out
