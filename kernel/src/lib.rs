//! # nestor-kernel
//!
//! The simulation kernel of nestor: integer-step time, populations stored as structure of arrays,
//! target-side connection tables, slice-based delivery and scheduling (NEST's min_delay slices),
//! per-node random streams, parameters with physical units, and recording sinks.
//!
//! Main design choice: the kernel knows no concrete model. Models and devices implement
//! [`model::Model`] and [`model::Node`] and are registered by the facade crate; the kernel drives
//! them one *chunk* (a contiguous range of one population) at a time, so per-neuron work happens in
//! tight loops inside the model and threads never share a chunk.
#![deny(missing_docs)]
// Checks such as `!(x > 0.0)` are written that way on purpose: they must also reject NaN.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod error;
pub mod model;
pub mod registry;
pub mod schema;
pub mod units;
pub mod value;

pub use error::{Error, ErrorKind, Result};
pub use value::{Dict, Value};
pub mod archive;
pub mod conn;
pub mod kernel;
pub mod nodes;
pub mod projection;
pub mod record;
pub mod rng;
pub mod spec;

pub use kernel::{ConnFilter, ConnId, ConnectionInfo, Kernel};
pub use nodes::NodeCollection;
pub use spec::{ConnSpec, Distribution, ParamValue, Rule, SynSpec};
pub use units::{Quantity, Unit};
