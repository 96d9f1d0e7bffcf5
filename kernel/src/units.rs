//! Physical units at the edge of the kernel.
//!
//! Inside the kernel every value is a plain `f64` in NEST's canonical unit (mV, pA, pF, nS, ms, Hz).
//! A value that arrives with a unit is a [`Quantity`]: an SI magnitude plus the exponents of the
//! seven SI base dimensions. Dimensions and conversion factors are read off `uom`, never from a
//! hand-written table, so a `uom` quantity from the Rust API and a unit word from SLI convert alike.

use crate::error::{Error, Result};
use std::fmt;
use uom::si::Dimension;
use uom::typenum::Integer;

/// Exponents of the SI base dimensions (length, mass, time, current, temperature, amount,
/// luminous intensity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dim(pub [i8; 7]);

impl Dim {
    /// The dimensionless dimension.
    pub const NONE: Dim = Dim([0; 7]);

    /// The dimension of a `uom` quantity type.
    pub fn of<D: Dimension + ?Sized>() -> Dim {
        Dim([D::L::to_i8(), D::M::to_i8(), D::T::to_i8(), D::I::to_i8(), D::Th::to_i8(), D::N::to_i8(), D::J::to_i8()])
    }
    /// Dimension of a product.
    pub fn times(self, o: Dim) -> Dim {
        let mut r = [0i8; 7];
        for (i, x) in r.iter_mut().enumerate() {
            *x = self.0[i] + o.0[i];
        }
        Dim(r)
    }
    /// Dimension of a quotient.
    pub fn per(self, o: Dim) -> Dim {
        let mut r = [0i8; 7];
        for (i, x) in r.iter_mut().enumerate() {
            *x = self.0[i] - o.0[i];
        }
        Dim(r)
    }
    /// A short human name for the dimension, e.g. "voltage".
    pub fn name(self) -> String {
        for u in Unit::ALL {
            if u.dim() == self && *u != Unit::Integer && *u != Unit::Bool {
                return u.dimension_name().to_string();
            }
        }
        let sym = ["m", "kg", "s", "A", "K", "mol", "cd"];
        let parts: Vec<String> = self
            .0
            .iter()
            .zip(sym)
            .filter(|(e, _)| **e != 0)
            .map(|(e, s)| if *e == 1 { s.to_string() } else { format!("{s}^{e}") })
            .collect();
        if parts.is_empty() {
            "dimensionless".into()
        } else {
            parts.join("·")
        }
    }
}

/// A value with a physical dimension, stored in SI base units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    /// Magnitude in SI base units (V, A, F, S, s, Hz, ...).
    pub si: f64,
    /// Its dimension.
    pub dim: Dim,
}

impl Quantity {
    /// A quantity of `value` in `unit` (e.g. `Quantity::new(-70.0, Unit::MilliVolt)`).
    pub fn new(value: f64, unit: Unit) -> Quantity {
        Quantity { si: value * unit.si_factor(), dim: unit.dim() }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for u in Unit::ALL {
            if u.dim() == self.dim && !u.symbol().is_empty() {
                return write!(f, "{} {}", self.si / u.si_factor(), u.symbol());
            }
        }
        write!(f, "{} [{}]", self.si, self.dim.name())
    }
}

macro_rules! uom_unit {
    ($q:ident, $m:ident :: $u:ident) => {
        (uom::si::f64::$q::new::<uom::si::$m::$u>(1.0).value, Dim::of::<uom::si::$m::Dimension>())
    };
}

/// The unit a parameter is stored in (NEST's canonical units), or a non-physical kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// mV
    MilliVolt,
    /// pA
    PicoAmpere,
    /// pF
    PicoFarad,
    /// nS
    NanoSiemens,
    /// ms
    Millisecond,
    /// Hz
    Hertz,
    /// pA² (variance of a current)
    PicoAmpereSquared,
    /// 1/ms (a rate per millisecond)
    PerMillisecond,
    /// degrees (phase)
    Degree,
    /// mA (BrainPy-style models' currents)
    MilliAmpere,
    /// µA (BrainPy-style Hodgkin–Huxley currents)
    MicroAmpere,
    /// mS
    MilliSiemens,
    /// S
    Siemens,
    /// µF
    MicroFarad,
    /// Ω
    Ohm,
    /// 1/mV
    PerMillivolt,
    /// mV/ms (Izhikevich's current unit)
    MilliVoltPerMillisecond,
    /// mM (transmitter concentration)
    MilliMolar,
    /// 1/(ms·mM) (binding rates)
    PerMillisecondPerMilliMolar,
    /// A plain number without dimension.
    Dimensionless,
    /// A plain integer (counts, ids).
    Integer,
    /// A boolean.
    Bool,
}

impl Unit {
    /// Every unit, for look-ups.
    pub const ALL: &'static [Unit] = &[
        Unit::MilliVolt,
        Unit::PicoAmpere,
        Unit::PicoFarad,
        Unit::NanoSiemens,
        Unit::Millisecond,
        Unit::Hertz,
        Unit::PicoAmpereSquared,
        Unit::PerMillisecond,
        Unit::Degree,
        Unit::MilliAmpere,
        Unit::MicroAmpere,
        Unit::MilliSiemens,
        Unit::Siemens,
        Unit::MicroFarad,
        Unit::Ohm,
        Unit::PerMillivolt,
        Unit::MilliVoltPerMillisecond,
        Unit::MilliMolar,
        Unit::PerMillisecondPerMilliMolar,
        Unit::Dimensionless,
        Unit::Integer,
        Unit::Bool,
    ];

    fn factor_dim(self) -> (f64, Dim) {
        match self {
            Unit::MilliVolt => uom_unit!(ElectricPotential, electric_potential::millivolt),
            Unit::PicoAmpere => uom_unit!(ElectricCurrent, electric_current::picoampere),
            Unit::PicoFarad => uom_unit!(Capacitance, capacitance::picofarad),
            Unit::NanoSiemens => uom_unit!(ElectricalConductance, electrical_conductance::nanosiemens),
            Unit::Millisecond => uom_unit!(Time, time::millisecond),
            Unit::Hertz => uom_unit!(Frequency, frequency::hertz),
            Unit::PerMillisecond => uom_unit!(Frequency, frequency::kilohertz),
            Unit::PicoAmpereSquared => {
                let (f, d) = uom_unit!(ElectricCurrent, electric_current::picoampere);
                (f * f, d.times(d))
            }
            Unit::MilliAmpere => uom_unit!(ElectricCurrent, electric_current::milliampere),
            Unit::MicroAmpere => uom_unit!(ElectricCurrent, electric_current::microampere),
            Unit::MilliSiemens => uom_unit!(ElectricalConductance, electrical_conductance::millisiemens),
            Unit::Siemens => uom_unit!(ElectricalConductance, electrical_conductance::siemens),
            Unit::MicroFarad => uom_unit!(Capacitance, capacitance::microfarad),
            Unit::Ohm => uom_unit!(ElectricalResistance, electrical_resistance::ohm),
            Unit::PerMillivolt => {
                let (f, d) = uom_unit!(ElectricPotential, electric_potential::millivolt);
                (1.0 / f, Dim::NONE.per(d))
            }
            Unit::MilliVoltPerMillisecond => {
                let (f, d) = uom_unit!(ElectricPotential, electric_potential::millivolt);
                let (g, e) = uom_unit!(Time, time::millisecond);
                (f / g, d.per(e))
            }
            Unit::MilliMolar => uom_unit!(MolarConcentration, molar_concentration::millimole_per_liter),
            Unit::PerMillisecondPerMilliMolar => {
                let (f, d) = uom_unit!(Time, time::millisecond);
                let (g, e) = uom_unit!(MolarConcentration, molar_concentration::millimole_per_liter);
                (1.0 / (f * g), Dim::NONE.per(d).per(e))
            }
            Unit::Degree | Unit::Dimensionless | Unit::Integer | Unit::Bool => (1.0, Dim::NONE),
        }
    }
    /// The size of one of this unit in SI base units (from `uom`).
    pub fn si_factor(self) -> f64 {
        self.factor_dim().0
    }
    /// The physical dimension.
    pub fn dim(self) -> Dim {
        self.factor_dim().1
    }
    /// The symbol, e.g. "mV"; empty for plain numbers.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::MilliVolt => "mV",
            Unit::PicoAmpere => "pA",
            Unit::PicoFarad => "pF",
            Unit::NanoSiemens => "nS",
            Unit::Millisecond => "ms",
            Unit::Hertz => "Hz",
            Unit::PicoAmpereSquared => "pA^2",
            Unit::PerMillisecond => "1/ms",
            Unit::Degree => "deg",
            Unit::MilliAmpere => "mA",
            Unit::MicroAmpere => "uA",
            Unit::MilliSiemens => "mS",
            Unit::Siemens => "S",
            Unit::MicroFarad => "uF",
            Unit::Ohm => "ohm",
            Unit::PerMillivolt => "1/mV",
            Unit::MilliVoltPerMillisecond => "mV/ms",
            Unit::MilliMolar => "mM",
            Unit::PerMillisecondPerMilliMolar => "1/(ms*mM)",
            Unit::Dimensionless | Unit::Integer | Unit::Bool => "",
        }
    }
    /// The name of the dimension, e.g. "voltage".
    pub fn dimension_name(self) -> &'static str {
        match self {
            Unit::MilliVolt => "voltage",
            Unit::PicoAmpere => "current",
            Unit::PicoFarad => "capacitance",
            Unit::NanoSiemens => "conductance",
            Unit::Millisecond => "time",
            Unit::Hertz | Unit::PerMillisecond => "frequency",
            Unit::PicoAmpereSquared => "current squared",
            Unit::MilliAmpere | Unit::MicroAmpere => "current",
            Unit::MilliSiemens | Unit::Siemens => "conductance",
            Unit::MicroFarad => "capacitance",
            Unit::Ohm => "resistance",
            Unit::PerMillivolt => "inverse voltage",
            Unit::MilliVoltPerMillisecond => "voltage rate",
            Unit::MilliMolar => "concentration",
            Unit::PerMillisecondPerMilliMolar => "rate per concentration",
            Unit::Degree | Unit::Dimensionless => "dimensionless",
            Unit::Integer => "integer",
            Unit::Bool => "boolean",
        }
    }
    /// Converts `q` into this unit, or explains the dimension mismatch for parameter `param`.
    pub fn convert(self, q: &Quantity, param: &str) -> Result<f64> {
        let (factor, dim) = self.factor_dim();
        if q.dim != dim {
            return Err(Error::bad_property(format!(
                "parameter '{param}' expects a {} (in {}), but {q} is a {}",
                self.dimension_name(),
                if self.symbol().is_empty() { "plain numbers" } else { self.symbol() },
                q.dim.name()
            )));
        }
        Ok(q.si / factor)
    }
}

/// Conversions from `uom` quantities into kernel values, for the Rust API.
macro_rules! from_uom {
    ($($q:ident : $m:ident),*) => {$(
        impl From<uom::si::f64::$q> for Quantity {
            fn from(q: uom::si::f64::$q) -> Quantity {
                Quantity { si: q.value, dim: Dim::of::<uom::si::$m::Dimension>() }
            }
        }
    )*};
}
from_uom!(
    ElectricPotential: electric_potential,
    ElectricCurrent: electric_current,
    Capacitance: capacitance,
    ElectricalConductance: electrical_conductance,
    Time: time,
    Frequency: frequency,
    ElectricalResistance: electrical_resistance,
    ElectricCharge: electric_charge
);

#[cfg(test)]
mod tests {
    use super::*;
    use uom::si::electric_potential::{millivolt, volt};
    use uom::si::f64::ElectricPotential;

    #[test]
    fn uom_quantities_convert_to_nest_units() {
        let q: Quantity = ElectricPotential::new::<volt>(-0.07).into();
        let mv = Unit::MilliVolt.convert(&q, "V_m").unwrap();
        assert!((mv + 70.0).abs() < 1e-12);
        let q: Quantity = ElectricPotential::new::<millivolt>(5.0).into();
        assert!(Unit::PicoAmpere.convert(&q, "I_e").is_err());
        let c = Quantity::new(0.25, Unit::PicoFarad);
        assert_eq!(Unit::PicoFarad.convert(&c, "C_m").unwrap(), 0.25);
    }

    #[test]
    fn wrong_dimension_names_both_dimensions() {
        let q = Quantity::new(3.0, Unit::MilliVolt);
        let e = Unit::PicoAmpere.convert(&q, "I_e").unwrap_err();
        assert!(e.message.contains("I_e"), "{}", e.message);
        assert!(e.message.contains("current"), "{}", e.message);
        assert!(e.message.contains("voltage"), "{}", e.message);
    }
}

macro_rules! value_from_uom {
    ($($q:ident),*) => {$(
        impl From<uom::si::f64::$q> for crate::value::Value {
            fn from(q: uom::si::f64::$q) -> crate::value::Value {
                crate::value::Value::Quantity(Quantity::from(q))
            }
        }
    )*};
}
value_from_uom!(
    ElectricPotential,
    ElectricCurrent,
    Capacitance,
    ElectricalConductance,
    Time,
    Frequency,
    ElectricalResistance,
    ElectricCharge
);
