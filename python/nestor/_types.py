"""PyNEST's collection types over nestor's kernel: NodeCollection, SynapseCollection, Parameter.

These classes only arrange arguments and results; every value comes from, and every change goes
to, the kernel through ``nestor._nestor``.
"""

import json
import numbers

import numpy

from . import _nestor
from .errors import NESTErrors

__all__ = ["NodeCollection", "SynapseCollection", "Parameter", "CollocatedSynapses", "is_iterable"]


def is_iterable(x):
    """True for lists, tuples, arrays and other iterables that are not strings or dicts."""
    if isinstance(x, (str, bytes, dict)):
        return False
    try:
        iter(x)
    except TypeError:
        return False
    return True


def _ranges_of(ids):
    """Inclusive (first, last) runs of consecutive ids, in the given order."""
    out = []
    for i in ids:
        i = int(i)
        if out and out[-1][1] + 1 == i:
            out[-1][1] = i
        else:
            out.append([i, i])
    return [tuple(r) for r in out]


def _tupled(v):
    """NEST returns per-node values as tuples."""
    return tuple(v)


def _restructure(dicts):
    """List of status dictionaries → dict of key → tuple of values (None where a node lacks it)."""
    keys = sorted({k for d in dicts for k in d})
    return {k: tuple(d.get(k) for d in dicts) for k in keys}


class NodeCollection:
    """An ordered set of node ids (NEST's NodeCollection).

    Created by :func:`Create`; ``NodeCollection([ids])`` makes one from existing ids. Supports
    ``len``, iteration (one-node collections), indexing and slicing, ``+``, ``in``, ``==``,
    ``get``/``set`` and attribute access to node parameters (``nodes.V_m``).
    """

    __slots__ = ("_ranges", "_len", "_spatial")

    def __init__(self, data=None):
        if data is None:
            ranges = []
        elif isinstance(data, NodeCollection):
            ranges = list(data._ranges)
        else:
            ids = [int(x) for x in (data.tolist() if hasattr(data, "tolist") else data)]
            if any(i <= 0 for i in ids):
                raise NESTErrors.UnknownNode(f"node ids must be positive, got {[i for i in ids if i <= 0][:5]}")
            if sorted(set(ids)) != ids:
                raise NESTErrors.BadProperty("node ids of a NodeCollection must be unique and sorted")
            n = _nestor.network_size()
            if ids and ids[-1] > n:
                raise NESTErrors.UnknownNode(f"node id {ids[-1]} does not exist; the network has {n} nodes")
            ranges = _ranges_of(ids)
        object.__setattr__(self, "_ranges", ranges)
        object.__setattr__(self, "_len", sum(b - a + 1 for a, b in ranges))
        object.__setattr__(self, "_spatial", None)

    @classmethod
    def _from_ranges(cls, ranges):
        nc = cls.__new__(cls)
        object.__setattr__(nc, "_ranges", [tuple(r) for r in ranges])
        object.__setattr__(nc, "_len", sum(b - a + 1 for a, b in ranges))
        object.__setattr__(nc, "_spatial", None)
        return nc

    # ------------------------------------------------------------ sequence protocol
    def __len__(self):
        return self._len

    def __bool__(self):
        return self._len > 0

    def __iter__(self):
        for a, b in self._ranges:
            for i in range(a, b + 1):
                yield NodeCollection._from_ranges([(i, i)])

    def _ids(self):
        for a, b in self._ranges:
            yield from range(a, b + 1)

    def tolist(self):
        """The node ids as a list of ints."""
        return list(self._ids())

    def _to_kernel(self):
        return self.tolist()

    def _to_array(self, selection="all"):
        """PyNEST's debugging helper: the ids on all ranks, on this rank, or per thread
        (nestor runs one process; its nodes report thread 0)."""
        ids = self.tolist()
        if selection == "all":
            return {"All": ids}
        if selection == "rank":
            return {"Rank 0": ids}
        if selection == "thread":
            return {0: ids} if ids else {}
        raise ValueError(f"selection must be 'all', 'rank' or 'thread', got {selection!r}")

    def __array__(self, dtype=None, copy=None):
        return numpy.array(self.tolist(), dtype=dtype)

    def _id_at(self, i):
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("index value outside of the NodeCollection")
        for a, b in self._ranges:
            n = b - a + 1
            if i < n:
                return a + i
            i -= n
        raise IndexError("index value outside of the NodeCollection")

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step is not None and key.step < 1:
                raise IndexError("slicing step for NodeCollection must be strictly positive")
            ids = self.tolist()[key]
            return NodeCollection._from_ranges(_ranges_of(ids))
        if isinstance(key, (numbers.Integral, numpy.integer)):
            i = self._id_at(int(key))
            return NodeCollection._from_ranges([(i, i)])
        if is_iterable(key):
            key = list(key)
            if key and all(isinstance(k, (bool, numpy.bool_)) for k in key):
                if len(key) != self._len:
                    raise IndexError("bool index array must be the same length as NodeCollection")
                ids = [i for i, keep in zip(self._ids(), key) if keep]
            else:
                if any(not isinstance(k, (numbers.Integral, numpy.integer)) for k in key):
                    raise TypeError("indices must be integers or bools")
                ids = [self._id_at(int(k)) for k in key]
                if len(set(ids)) != len(ids):
                    raise ValueError("all node IDs in a NodeCollection have to be unique")
                if ids != sorted(ids):
                    raise ValueError("node IDs in a NodeCollection have to be sorted")
            return NodeCollection._from_ranges(_ranges_of(ids))
        raise IndexError("only integers, slices, lists, tuples, and numpy arrays are valid indices")

    def __contains__(self, other):
        if isinstance(other, NodeCollection):
            return all(i in self for i in other._ids())
        if isinstance(other, (numbers.Integral, numpy.integer)):
            x = int(other)
            return any(a <= x <= b for a, b in self._ranges)
        return False

    def index(self, node_id):
        """The position of `node_id` in this collection."""
        pos = 0
        for a, b in self._ranges:
            if a <= node_id <= b:
                return pos + node_id - a
            pos += b - a + 1
        raise ValueError(f"{node_id} is not in NodeCollection")

    def __eq__(self, other):
        if not isinstance(other, NodeCollection):
            return NotImplemented
        return self.tolist() == other.tolist()

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    def __hash__(self):
        return hash(tuple(self._ranges))

    def __add__(self, other):
        if isinstance(other, numbers.Integral) and not isinstance(other, bool) and other == 0:
            return self
        if not isinstance(other, NodeCollection):
            raise NotImplementedError("can only add NodeCollections to NodeCollections")
        a, b = set(self._ids()), set(other._ids())
        if a & b:
            raise NESTErrors.BadProperty("cannot join overlapping NodeCollections")
        return NodeCollection._from_ranges(_ranges_of(sorted(a | b)))

    def __radd__(self, other):
        # sum(collections) starts from 0
        if isinstance(other, numbers.Integral) and other == 0:
            return self
        return NotImplemented

    def __lt__(self, other):
        return self.tolist() < other.tolist()

    # ------------------------------------------------------------ printing
    def _models(self):
        return _nestor.models_of(self._ranges)

    def __str__(self):
        if not self._ranges:
            return "NodeCollection(<empty>)"
        parts = []
        for a, b in self._ranges:
            m = _nestor.model_of(a)
            size = b - a + 1
            if size == 1:
                parts.append(f"model={m}, size=1, first={a}")
            else:
                parts.append(f"model={m}, size={size}, first={a}, last={b}")
        if len(parts) == 1:
            return f"NodeCollection(metadata=None, {parts[0]})"
        return "NodeCollection(metadata=None,\n" + "\n".join("    " + p + ";" for p in parts) + ")"

    __repr__ = __str__

    # ------------------------------------------------------------ parameters
    @property
    def global_id(self):
        ids = self.tolist()
        return ids[0] if len(ids) == 1 else tuple(ids)

    @property
    def spatial(self):
        return self._spatial

    @property
    def local(self):
        return True if self._len == 1 else (True,) * self._len

    def _status_dicts(self):
        return _nestor.get_status(self._ranges)

    def get(self, *params, output=""):
        """Node parameters: ``get()`` all, ``get('V_m')`` one, ``get(['V_m', 'C_m'])`` several,
        ``get('events', 'times')`` inside a dictionary entry. One node gives plain values, several
        give tuples (NEST 3.10's rules)."""
        if not self:
            raise ValueError("Cannot get parameter of empty NodeCollection")
        if output not in ("", "json", "pandas"):
            raise TypeError(f"output must be '', 'json' or 'pandas', got {output!r}")
        if len(params) == 0:
            dicts = self._status_dicts()
            result = dicts[0] if len(dicts) == 1 else _restructure(dicts)
        elif len(params) == 1:
            result = self._get_param(params[0])
        else:
            if not isinstance(params[0], str):
                raise TypeError("First argument must be a string, specifying path into hierarchical dictionary")
            inner = self.get(params[0])
            if self._len == 1:
                inner = (inner,)
            merged = inner[0] if len(inner) == 1 else _restructure(list(inner))
            last = params[-1]
            result = merged[last] if isinstance(last, str) else {k: merged[k] for k in last}
        if output == "json":
            return json.dumps(_serialize(result))
        if output == "pandas":
            import pandas

            index = self.tolist()
            if isinstance(result, dict):
                data = {k: (list(v) if self._len > 1 else [v]) for k, v in result.items()}
            else:
                data = {params[-1]: (list(result) if self._len > 1 else [result])}
            return pandas.DataFrame(data, index=index)
        return result

    def _get_param(self, param):
        if isinstance(param, str):
            values = _nestor.get_values(self._ranges, param)
            return values[0] if len(values) == 1 else tuple(values)
        if is_iterable(param):
            return {p: self._get_param(p) for p in param}
        raise TypeError("Params should be either a string or an iterable")

    def set(self, params=None, **kwargs):
        """Sets node parameters: a dictionary for all nodes (a list value for a scalar parameter
        gives one value per node), a list of dictionaries (one per node), or keyword arguments."""
        if not self:
            return
        if kwargs and params is None:
            params = kwargs
        elif kwargs and params:
            raise TypeError("must either provide params or kwargs, but not both.")
        if params is None:
            return
        if isinstance(params, dict):
            if any(is_iterable(v) and not isinstance(v, Parameter) for v in params.values()):
                first = self[0].get()
                per_node = [k for k, v in params.items()
                            if is_iterable(v) and not isinstance(v, Parameter) and k in first and not is_iterable(first[k])]
                if per_node:
                    dicts = [{} for _ in range(self._len)]
                    for k, v in params.items():
                        if k in per_node:
                            v = list(v)
                            # PyNEST 3.10 takes the first len(nodes) values of a longer list and
                            # fails only on a shorter one; examples rely on it (store_restore_network
                            # restores 2000 nodes from a 2500-value column).
                            if len(v) < self._len:
                                raise IndexError(
                                    f"'{k}' has {len(v)} values for {self._len} nodes; give one per node")
                            for d, x in zip(dicts, v):
                                d[k] = x
                        else:
                            for d in dicts:
                                d[k] = v
                    _nestor.set_status(self._ranges, dicts)
                    return
            _nestor.set_status(self._ranges, [params])
            return
        if isinstance(params, (list, tuple)):
            if len(params) != self._len:
                raise TypeError(f"{len(params)} dictionaries given for {self._len} nodes")
            if not all(isinstance(p, dict) for p in params):
                raise TypeError("params must be a dict or a list of dicts")
            _nestor.set_status(self._ranges, list(params))
            return
        raise TypeError("params must be a dict or a list of dicts")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if not self:
            raise AttributeError("Cannot get attribute of empty NodeCollection")
        try:
            return self.get(name)
        except KeyError:
            raise AttributeError(f"'{name}' is not a parameter of these nodes") from None

    def __setattr__(self, name, value):
        if name in NodeCollection.__slots__:
            object.__setattr__(self, name, value)
        else:
            self.set({name: value})

    def __dir__(self):
        return sorted(set(super().__dir__()) | (set(self[0].get().keys()) if self else set()))


def _serialize(x):
    if isinstance(x, numpy.ndarray):
        return x.tolist()
    if isinstance(x, (numpy.integer,)):
        return int(x)
    if isinstance(x, numpy.floating):
        return float(x)
    if isinstance(x, (list, tuple)):
        return [_serialize(v) for v in x]
    if isinstance(x, dict):
        return {k: _serialize(v) for k, v in x.items()}
    if isinstance(x, NodeCollection):
        return x.tolist()
    if isinstance(x, SynapseCollection):
        return _serialize(x.get())
    if isinstance(x, numpy.bool_):
        return bool(x)
    if hasattr(x, "value") and hasattr(x, "name"):  # enums (VerbosityLevel)
        return int(x.value)
    return x


def to_json(data, **kwargs):
    """`data` (status dictionaries, arrays, collections) as a JSON string."""
    return json.dumps(_serialize(data), **kwargs)


class SynapseCollection:
    """Connections as GetConnections returns them (NEST's SynapseCollection)."""

    __slots__ = ("_conns",)

    def __init__(self, conns=None):
        object.__setattr__(self, "_conns", conns)

    def __len__(self):
        return 0 if self._conns is None else len(self._conns)

    def __bool__(self):
        return len(self) > 0

    def __iter__(self):
        for i in range(len(self)):
            yield SynapseCollection(self._conns.take([i]))

    def __getitem__(self, key):
        n = len(self)
        if isinstance(key, slice):
            idx = list(range(n))[key]
        elif isinstance(key, (numbers.Integral, numpy.integer)):
            k = int(key)
            if k < 0:
                k += n
            if not 0 <= k < n:
                raise IndexError("index value outside of the SynapseCollection")
            idx = [k]
        elif is_iterable(key):
            idx = [int(k) + (n if int(k) < 0 else 0) for k in key]
        else:
            raise IndexError("only integers, slices and lists are valid indices")
        return SynapseCollection(self._conns.take(idx))

    def __add__(self, other):
        if not isinstance(other, SynapseCollection):
            raise NotImplementedError("can only add SynapseCollections")
        if self._conns is None:
            return other
        if other._conns is None:
            return self
        return SynapseCollection(self._conns.concat(other._conns))

    def __eq__(self, other):
        if not isinstance(other, SynapseCollection):
            return NotImplemented
        return self.get(["source", "target", "synapse_model", "port"]) == other.get(
            ["source", "target", "synapse_model", "port"]
        )

    def disconnect(self):
        """Removes these connections from the network (NEST's SynapseCollection.disconnect)."""
        if self._conns is not None:
            self._conns.disconnect()

    def sources(self):
        """Source node ids (an iterator, as in PyNEST)."""
        return iter([] if self._conns is None else self._conns.sources().tolist())

    def targets(self):
        """Target node ids (an iterator, as in PyNEST)."""
        return iter([] if self._conns is None else self._conns.targets().tolist())

    def _dicts(self):
        return [] if self._conns is None else self._conns.status()

    def get(self, keys=None, output=""):
        """Connection parameters: one connection gives plain values, several give lists."""
        dicts = self._dicts()
        if isinstance(keys, str):
            missing = [d for d in dicts if keys not in d]
            if missing:
                raise KeyError(keys)
            vals = [d[keys] for d in dicts]
            result = vals[0] if len(vals) == 1 else vals
        elif keys is None:
            if len(dicts) == 1:
                result = dicts[0]
            else:
                ks = sorted({k for d in dicts for k in d})
                result = {k: [d.get(k) for d in dicts] for k in ks}
        elif is_iterable(keys):
            result = {k: self.get(k) for k in keys}
        else:
            raise TypeError("keys should be either a string or an iterable")
        if output == "json":
            return json.dumps(_serialize(result))
        if output == "pandas":
            import pandas

            if isinstance(result, dict):
                data = {k: (v if len(dicts) > 1 else [v]) for k, v in result.items()}
            else:
                data = {keys: result if len(dicts) > 1 else [result]}
            return pandas.DataFrame(data)
        return result

    def set(self, params=None, **kwargs):
        """Sets connection parameters: a dict (list values give one value per connection), a list
        of dicts, or keyword arguments."""
        if kwargs and params is None:
            params = kwargs
        elif kwargs and params:
            raise TypeError("must either provide params or kwargs, but not both.")
        if not self or params is None:
            return
        if isinstance(params, dict):
            if any(is_iterable(v) and not isinstance(v, Parameter) for v in params.values()):
                n = len(self)
                dicts = [{} for _ in range(n)]
                for k, v in params.items():
                    if is_iterable(v) and not isinstance(v, Parameter):
                        v = list(v)
                        if len(v) != n:
                            raise ValueError(f"'{k}' has {len(v)} values for {n} connections")
                        for d, x in zip(dicts, v):
                            d[k] = x
                    else:
                        for d in dicts:
                            d[k] = v
                self._conns.set(dicts)
            else:
                self._conns.set([params])
        elif isinstance(params, (list, tuple)):
            if len(params) != len(self):
                raise ValueError(f"{len(params)} dictionaries given for {len(self)} connections")
            self._conns.set(list(params))
        else:
            raise TypeError("params must be a dict or a list of dicts")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.get(name)
        except KeyError:
            raise AttributeError(f"'{name}' is not a parameter of these connections") from None

    def __setattr__(self, name, value):
        if name == "_conns":
            object.__setattr__(self, name, value)
        else:
            self.set({name: value})

    def __str__(self):
        if not self:
            return "The synapse collection does not contain any connections."
        src = self._conns.sources().tolist()
        tgt = self._conns.targets().tolist()
        models = self._conns.synapse_models()
        rows = [" source   target   synapse model", " -------- -------- -------------"]
        rows += [f" {s:>8} {t:>8} {m:>13}" for s, t, m in zip(src, tgt, models)]
        return "\n".join(rows)

    __repr__ = __str__


class Parameter:
    """A value drawn per node or per connection (``nest.random.*``, their arithmetic and
    ``nest.math``/``nest.logic`` functions), or a constant. Passed to Create/set/Connect, it
    reaches the kernel as a parameter dictionary; the kernel evaluates it for every node or
    connection with that node's (connection's) random stream."""

    __slots__ = ("_spec",)

    def __init__(self, spec):
        self._spec = spec

    def _to_kernel(self):
        return self._spec

    def GetValue(self):
        """One evaluation (NEST's ``Parameter.GetValue``)."""
        if isinstance(self._spec, dict):
            return _nestor.draw(self._spec)
        return float(self._spec)

    def __repr__(self):
        return f"Parameter({self._spec})"

    def __add__(self, other):
        return _expr("add", self, other)

    def __radd__(self, other):
        return _expr("add", other, self)

    def __sub__(self, other):
        return _expr("sub", self, other)

    def __rsub__(self, other):
        return _expr("sub", other, self)

    def __mul__(self, other):
        return _expr("mul", self, other)

    def __rmul__(self, other):
        return _expr("mul", other, self)

    def __truediv__(self, other):
        return _expr("div", self, other)

    def __rtruediv__(self, other):
        return _expr("div", other, self)

    def __pow__(self, other):
        return _expr("pow", self, other)

    def __neg__(self):
        return _expr("neg", self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _expr("abs", self)

    def __lt__(self, other):
        return _expr("lt", self, other)

    def __le__(self, other):
        return _expr("le", self, other)

    def __eq__(self, other):
        return _expr("eq", self, other)

    def __ne__(self, other):
        return _expr("ne", self, other)

    def __ge__(self, other):
        return _expr("ge", self, other)

    def __gt__(self, other):
        return _expr("gt", self, other)

    __hash__ = object.__hash__


def _operand(x):
    if isinstance(x, Parameter):
        return x._spec
    if isinstance(x, (numbers.Real, numpy.number)) and not isinstance(x, bool):
        return float(x)
    raise TypeError(f"a Parameter can only be combined with numbers and Parameters, got {type(x).__name__}")


def _expr(op, *args):
    """The Parameter computing `op` of `args` (numbers or Parameters)."""
    return Parameter({"distribution": "expression", "op": op, "args": [_operand(a) for a in args]})


class CollocatedSynapses:
    """Several synapse specifications connecting the same pairs (NEST's CollocatedSynapses)."""

    def __init__(self, *args):
        if not all(isinstance(a, dict) for a in args):
            raise TypeError("CollocatedSynapses takes synapse specification dictionaries")
        self.syn_specs = list(args)

    def __len__(self):
        return len(self.syn_specs)
