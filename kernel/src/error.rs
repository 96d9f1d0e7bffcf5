//! Typed errors of the kernel. Each kind maps one-to-one to the SLI error name that the language
//! layer raises, so scripts can catch them with `stopped` exactly as in NEST.

use std::fmt;

/// What went wrong, named after NEST's SLI error names.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A model name that is not registered.
    UnknownModelName,
    /// A synapse model name that is not registered.
    UnknownSynapseType,
    /// A node id that does not exist.
    UnknownNode,
    /// A property that does not exist, has the wrong type/dimension, or violates a constraint.
    BadProperty,
    /// A status dictionary entry the model does not read: an unknown name, or a read-only one.
    UnaccessedDictionaryEntry,
    /// A parameter value outside its allowed range (e.g. a probability outside [0, 1]).
    BadParameter,
    /// A delay below the resolution or otherwise not representable.
    BadDelay,
    /// A connection that the models involved cannot make.
    IllegalConnection,
    /// A connection to remove (Disconnect) that does not exist.
    InexistentConnection,
    /// A receptor type the target does not have.
    UnknownReceptorType,
    /// A receptor type the target has but that does not accept this kind of event (e.g. spikes
    /// on receptor 0 of a multisynapse neuron).
    IncompatibleReceptorType,
    /// A kernel state that forbids the request (e.g. resolution change after nodes exist).
    KernelException,
    /// A value of the wrong type.
    ArgumentType,
    /// An index or size out of range.
    RangeCheck,
    /// A file could not be written or read (recording backends).
    IoError,
    /// Simulation was interrupted by the user; the kernel is consistent at a slice boundary.
    Interrupted,
    /// A combination of options NEST does not implement either (e.g. `make_symmetric` with a
    /// rule other than `one_to_one`).
    NotImplemented,
    /// A neuron's state became non-finite or left its model's valid range during Simulate, or
    /// its adaptive integrator could not reach the requested accuracy.
    NumericalInstability,
}

impl ErrorKind {
    /// The SLI error name of this kind.
    pub fn sli_name(self) -> &'static str {
        match self {
            ErrorKind::UnknownModelName => "UnknownModelName",
            ErrorKind::UnknownSynapseType => "UnknownSynapseType",
            ErrorKind::UnknownNode => "UnknownNode",
            ErrorKind::BadProperty => "BadProperty",
            ErrorKind::BadParameter => "BadParameter",
            ErrorKind::UnaccessedDictionaryEntry => "UnaccessedDictionaryEntry",
            ErrorKind::BadDelay => "BadDelay",
            ErrorKind::IllegalConnection => "IllegalConnection",
            ErrorKind::InexistentConnection => "InexistentConnection",
            ErrorKind::NotImplemented => "NotImplemented",
            ErrorKind::UnknownReceptorType => "UnknownReceptorType",
            ErrorKind::IncompatibleReceptorType => "IncompatibleReceptorType",
            ErrorKind::KernelException => "KernelException",
            ErrorKind::ArgumentType => "ArgumentType",
            ErrorKind::RangeCheck => "RangeCheck",
            ErrorKind::IoError => "IOError",
            ErrorKind::Interrupted => "SystemSignal",
            ErrorKind::NumericalInstability => "NumericalInstability",
        }
    }
}

/// A kernel error: a kind plus a message that names the offending item, the value given and what
/// was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The kind, mapped to an SLI error name by the language layer.
    pub kind: ErrorKind,
    /// Human-readable explanation.
    pub message: String,
}

impl Error {
    /// Builds an error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }
    /// Shorthand for [`ErrorKind::BadProperty`].
    pub fn bad_property(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadProperty, message)
    }
    /// Shorthand for [`ErrorKind::UnaccessedDictionaryEntry`].
    pub fn unaccessed(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::UnaccessedDictionaryEntry, message)
    }
    /// Shorthand for [`ErrorKind::BadParameter`].
    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadParameter, message)
    }
    /// Shorthand for [`ErrorKind::ArgumentType`].
    pub fn argument_type(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ArgumentType, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.sli_name(), self.message)
    }
}

impl std::error::Error for Error {}

/// Result alias used throughout the kernel.
pub type Result<T> = std::result::Result<T, Error>;

/// The closest candidate to `name` among `candidates`, if it is close enough to be a useful hint.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let s = strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase());
        if s > 0.8 && best.is_none_or(|(_, b)| s > b) {
            best = Some((c, s));
        }
    }
    best.map(|(c, _)| c)
}

/// Appends " (did you mean 'x'?)" when a close match exists.
pub fn hint<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match suggest(name, candidates) {
        Some(c) => format!(" (did you mean '{c}'?)"),
        None => String::new(),
    }
}
