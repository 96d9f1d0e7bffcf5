"""NEST's exception classes, as PyNEST 3.10 has them.

Every kernel error is raised as ``NESTErrors.<Name>``, a subclass of ``NESTErrors.KernelException``
(which PyNEST also exports as ``nest.NESTError``). The names are NEST's C++ exception names;
nestor's own kinds map to them (``ArgumentType`` is a ``TypeMismatch`` and a ``TypeError``,
``SystemSignal`` is what an interrupted Simulate reports).
"""

import types as _types


class KernelException(Exception):
    """Base class of every error raised by the simulation kernel."""

    def __init__(self, message="", *args):
        super().__init__(message, *args)
        self.errorname = type(self).__name__
        self.errormessage = message

    def __str__(self):
        return f"{self.errorname} in nestor: {self.errormessage}"


_NAMES = [
    "DynamicModuleManagementError", "NotImplemented", "TypeMismatch", "UnaccessedDictionaryEntry",
    "UnknownModelName", "UnknownComponent", "NewModelNameExists", "ModelInUse", "UnknownSynapseType",
    "UnknownNode", "NoThreadSiblingsAvailable", "LocalNodeExpected", "NodeWithProxiesExpected",
    "UnknownCompartment", "UnknownReceptorType", "IncompatibleReceptorType", "UnknownPort",
    "IllegalConnection", "InexistentConnection", "UnknownThread", "BadDelay", "UnexpectedEvent",
    "UnsupportedEvent", "BadProperty", "BadParameter", "BadParameterValue", "DimensionMismatch",
    "DistributionError", "InvalidDefaultResolution", "InvalidTimeInModel", "StepMultipleRequired",
    "TimeMultipleRequired", "GSLSolverFailure", "NumericalInstability", "NamingConflict", "RangeCheck",
    "IOError", "KeyError", "InternalError", "UnmatchedSteps", "BackendPrepared",
    "BackendAlreadyRegistered", "BackendNotPrepared", "LayerExpected", "LayerNodeExpected",
    "UndefinedName", "SystemSignal",
]

NESTErrors = _types.SimpleNamespace(KernelException=KernelException)
for _n in _NAMES:
    _cls = type(_n, (KernelException,), {"__module__": "NESTErrors", "__qualname__": _n})
    setattr(NESTErrors, _n, _cls)
    globals()[_n] = _cls

# nestor's kinds that NEST spells differently.
ArgumentType = type("ArgumentType", (NESTErrors.TypeMismatch, TypeError), {"__module__": "NESTErrors"})
NESTErrors.ArgumentType = ArgumentType
NESTError = KernelException

__all__ = ["NESTError", "NESTErrors", "KernelException"]
