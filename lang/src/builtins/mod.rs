//! Builtin operators, grouped by topic. Each module ends with one registration table of
//! (name, function, doc) entries; `help` is generated from these docs.

use crate::eval::Interp;
use crate::value::Builtin;

pub mod arrays;
pub mod control;
pub mod dicts;
pub mod math;
pub mod nest;
pub mod params;
pub mod projections;
pub mod stack;
pub mod strings;
pub mod types;
pub mod units;

/// Builds a [`Builtin`] table entry: name, function, stack effect, example, see also.
#[macro_export]
macro_rules! bi {
    ($name:expr, $f:expr, $effect:expr, $example:expr, $see:expr) => {
        $crate::value::Builtin {
            name: $name,
            f: $f,
            doc: concat!($effect, "\nExample: ", $example, "\nSee also: ", $see),
        }
    };
}

/// Registers every builtin table.
pub fn register_all(i: &mut Interp) {
    let tables: [&'static [Builtin]; 12] = [
        stack::BUILTINS,
        control::BUILTINS,
        math::BUILTINS,
        arrays::BUILTINS,
        dicts::BUILTINS,
        strings::BUILTINS,
        types::BUILTINS,
        units::BUILTINS,
        nest::BUILTINS,
        params::BUILTINS,
        nest::HELP,
        projections::BUILTINS,
    ];
    for t in tables {
        i.register(t);
    }
    units::define_constants(i);
    strings::define_constants(i);
    nest::define_constants(i);
}

/// Definitions written in SLI itself, run when the interpreter starts (nestor's own text).
pub const INIT_SLI: &str = include_str!("../lib/init.sli");

/// The array library, loaded by `(arraylib) run` (nestor's own text).
pub const ARRAYLIB_SLI: &str = include_str!("../lib/arraylib.sli");

/// The unittest library, loaded by `(unittest) run` (nestor's own text).
pub const UNITTEST_SLI: &str = include_str!("../lib/unittest.sli");
