//! Physical units: `376.0 pA` makes a checked quantity (design.md §5). The SI factors and
//! dimensions come from `uom`; a bare number keeps NEST's unit.

use crate::bi;
use crate::eval::{Interp, SliErr, R};
use crate::value::{fmt_g, Builtin, Obj};
use nestor_kernel::units::{Dim, Quantity, Unit};
use std::rc::Rc;

macro_rules! u {
    ($word:expr, $q:ident, $m:ident :: $u:ident) => {
        ($word, uom::si::f64::$q::new::<uom::si::$m::$u>(1.0).value, Dim::of::<uom::si::$m::Dimension>())
    };
}

/// The unit words: (word, size in SI base units, dimension), all read off `uom`.
pub fn unit_table() -> Vec<(&'static str, f64, Dim)> {
    vec![
        u!("s", Time, time::second),
        u!("ms", Time, time::millisecond),
        u!("us", Time, time::microsecond),
        u!("V", ElectricPotential, electric_potential::volt),
        u!("mV", ElectricPotential, electric_potential::millivolt),
        u!("uV", ElectricPotential, electric_potential::microvolt),
        u!("A", ElectricCurrent, electric_current::ampere),
        u!("mA", ElectricCurrent, electric_current::milliampere),
        u!("uA", ElectricCurrent, electric_current::microampere),
        u!("nA", ElectricCurrent, electric_current::nanoampere),
        u!("pA", ElectricCurrent, electric_current::picoampere),
        u!("F", Capacitance, capacitance::farad),
        u!("uF", Capacitance, capacitance::microfarad),
        u!("nF", Capacitance, capacitance::nanofarad),
        u!("pF", Capacitance, capacitance::picofarad),
        u!("S", ElectricalConductance, electrical_conductance::siemens),
        u!("mS", ElectricalConductance, electrical_conductance::millisiemens),
        u!("uS", ElectricalConductance, electrical_conductance::microsiemens),
        u!("nS", ElectricalConductance, electrical_conductance::nanosiemens),
        u!("pS", ElectricalConductance, electrical_conductance::picosiemens),
        u!("Hz", Frequency, frequency::hertz),
        u!("kHz", Frequency, frequency::kilohertz),
        u!("Ohm", ElectricalResistance, electrical_resistance::ohm),
        u!("MOhm", ElectricalResistance, electrical_resistance::megaohm),
        u!("GOhm", ElectricalResistance, electrical_resistance::gigaohm),
        u!("pC", ElectricCharge, electric_charge::picocoulomb),
    ]
}

/// Factor of NEST's canonical unit for dimension `d`: the kernel's storage unit when it has one
/// (mV, pA, pF, nS, ms, Hz), otherwise the consistent system ms/pA/mV that NEST's units form.
pub fn canonical_factor(d: Dim) -> f64 {
    // Only NEST's own storage units; the BrainPy family's units (mA, mS, ohm, ...) are not
    // NEST's canonical ones.
    const NEST: [Unit; 7] = [
        Unit::MilliVolt,
        Unit::PicoAmpere,
        Unit::PicoFarad,
        Unit::NanoSiemens,
        Unit::Millisecond,
        Unit::Hertz,
        Unit::PicoAmpereSquared,
    ];
    for u in NEST {
        if u.dim() == d {
            return u.si_factor();
        }
    }
    // Base factors: m, kg, s, A, K, mol, cd, chosen so that ms, pA and mV come out as 1.
    let base = [1.0, 1e-24, 1e-3, 1e-12, 1.0, 1.0, 1.0];
    d.0.iter().zip(base).map(|(&e, b): (&i8, f64)| b.powi(e as i32)).product()
}

/// The value of `q` in NEST's canonical unit of its dimension.
pub fn to_canonical(q: &Quantity) -> f64 {
    q.si / canonical_factor(q.dim)
}

/// A quantity from a bare number read in the canonical unit of `d`.
pub fn from_canonical(x: f64, d: Dim) -> Quantity {
    Quantity { si: x * canonical_factor(d), dim: d }
}

/// Prints a quantity in a readable unit.
pub fn display_quantity(q: &Quantity) -> String {
    for w in ["mV", "pA", "pF", "nS", "ms", "Hz", "GOhm", "pC"] {
        if let Some((_, f, d)) = unit_table().into_iter().find(|e| e.0 == w) {
            if d == q.dim {
                return format!("{} {w}", fmt_g(q.si / f, 6));
            }
        }
    }
    format!("{} [{} in ms/pA/mV units]", fmt_g(to_canonical(q), 6), q.dim.name())
}

/// Makes an object from a quantity: dimensionless results become plain doubles.
pub fn qobj(q: Quantity) -> Obj {
    if q.dim == Dim::NONE {
        Obj::Double(q.si)
    } else {
        Obj::Quantity(Rc::new(q))
    }
}

fn apply_unit(i: &mut Interp, word: &str) -> R {
    i.need(1)?;
    let (_, f, d) = unit_table().into_iter().find(|e| e.0 == word).expect("unit word");
    let q = match i.at(0) {
        Obj::Int(x) => Quantity { si: *x as f64 * f, dim: d },
        Obj::Double(x) => Quantity { si: x * f, dim: d },
        Obj::Quantity(q) => Quantity { si: q.si * f, dim: q.dim.times(d) },
        o => return Err(SliErr::arg_type(format!("unit {word}: expected a number, got {}", o.type_name()))),
    };
    i.ret(1, qobj(q))
}

macro_rules! unit_fns {
    ($($f:ident = $w:expr),*) => { $( fn $f(i: &mut Interp) -> R { apply_unit(i, $w) } )* };
}
unit_fns!(
    u_s = "s",
    u_ms = "ms",
    u_us = "us",
    u_v = "V",
    u_mv = "mV",
    u_uv = "uV",
    u_a = "A",
    u_ma = "mA",
    u_ua = "uA",
    u_na = "nA",
    u_pa = "pA",
    u_f = "F",
    u_uf = "uF",
    u_nf = "nF",
    u_pf = "pF",
    u_sie = "S",
    u_ms2 = "mS",
    u_us2 = "uS",
    u_ns = "nS",
    u_ps = "pS",
    u_hz = "Hz",
    u_khz = "kHz",
    u_ohm = "Ohm",
    u_mohm = "MOhm",
    u_gohm = "GOhm",
    u_pc = "pC"
);

fn unitless(i: &mut Interp) -> R {
    i.need(1)?;
    match i.at(0).clone() {
        Obj::Quantity(q) => i.ret(1, Obj::Double(to_canonical(&q))),
        Obj::Int(_) | Obj::Double(_) => Ok(()),
        o => Err(SliErr::arg_type(format!("unitless: expected a number, got {}", o.type_name()))),
    }
}
fn in_unit(i: &mut Interp) -> R {
    // quantity /mV in -> double
    i.need(2)?;
    let w = i.sym_at(0)?.name().to_string();
    let Some((_, f, d)) = unit_table().into_iter().find(|e| e.0 == w) else {
        return Err(SliErr::new("UnknownUnit", format!("'{w}' is not a unit")));
    };
    let x = match i.at(1) {
        Obj::Quantity(q) if q.dim == d => q.si / f,
        Obj::Quantity(q) => {
            return Err(SliErr::new(
                "DimensionMismatch",
                format!("{} is a {}, not a {}", display_quantity(q), q.dim.name(), d.name()),
            ))
        }
        Obj::Int(_) | Obj::Double(_) => from_canonical(i.num_at(1)?, d).si / f,
        o => return Err(SliErr::arg_type(format!("in: expected a quantity, got {}", o.type_name()))),
    };
    i.ret(2, Obj::Double(x))
}

/// Nothing beyond the unit words themselves.
pub fn define_constants(_i: &mut Interp) {}

/// The unit words.
pub static BUILTINS: &[Builtin] = &[
    bi!("s", u_s, "number s -> quantity", "2 s -> 2000 ms", "ms, unitless"),
    bi!("ms", u_ms, "number ms -> quantity", "1000 ms Simulate", "s, us"),
    bi!("us", u_us, "number us -> quantity", "100 us", "ms"),
    bi!("V", u_v, "number V -> quantity", "-0.07 V", "mV"),
    bi!("mV", u_mv, "number mV -> quantity", "-70 mV", "V, uV"),
    bi!("uV", u_uv, "number uV -> quantity", "500 uV", "mV"),
    bi!("A", u_a, "number A -> quantity", "1e-12 A", "pA"),
    bi!("mA", u_ma, "number mA -> quantity", "1 mA", "pA"),
    bi!("uA", u_ua, "number uA -> quantity", "1 uA", "nA"),
    bi!("nA", u_na, "number nA -> quantity", "0.376 nA", "pA"),
    bi!("pA", u_pa, "number pA -> quantity", "376.0 pA", "nA"),
    bi!("F", u_f, "number F -> quantity", "2.5e-10 F", "pF"),
    bi!("uF", u_uf, "number uF -> quantity", "1 uF", "nF"),
    bi!("nF", u_nf, "number nF -> quantity", "0.25 nF", "pF"),
    bi!("pF", u_pf, "number pF -> quantity", "250 pF", "nF"),
    bi!("S", u_sie, "number S -> quantity", "1e-9 S", "nS"),
    bi!("mS", u_ms2, "number mS -> quantity", "1 mS", "nS"),
    bi!("uS", u_us2, "number uS -> quantity", "0.006 uS", "nS"),
    bi!("nS", u_ns, "number nS -> quantity", "6 nS", "uS"),
    bi!("pS", u_ps, "number pS -> quantity", "100 pS", "nS"),
    bi!("Hz", u_hz, "number Hz -> quantity", "8000 Hz", "kHz"),
    bi!("kHz", u_khz, "number kHz -> quantity", "8 kHz", "Hz"),
    bi!("Ohm", u_ohm, "number Ohm -> quantity", "1e8 Ohm", "MOhm"),
    bi!("MOhm", u_mohm, "number MOhm -> quantity", "100 MOhm", "GOhm"),
    bi!("GOhm", u_gohm, "number GOhm -> quantity", "0.1 GOhm", "MOhm"),
    bi!("pC", u_pc, "number pC -> quantity", "1 pC", "pA"),
    bi!("unitless", unitless, "quantity unitless -> double (NEST unit)", "2 s unitless -> 2000.", "cvd, in"),
    bi!("in", in_unit, "quantity /unit in -> double", "-0.07 V /mV in -> -70.", "unitless"),
];
