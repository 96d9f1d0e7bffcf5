//! One iaf_psc_alpha neuron driven by a constant current, as NEST's `one_neuron` example:
//! parameters given with uom units, V_m recorded by a voltmeter, spikes printed.

use nestor::prelude::*;
use uom::si::electric_current::picoampere;
use uom::si::electric_potential::millivolt;
use uom::si::f64::{ElectricCurrent, ElectricPotential};

fn main() -> Result<()> {
    let mut k = nestor::kernel();
    let params = dict! {
        "I_e" => ElectricCurrent::new::<picoampere>(376.0),
        "V_th" => ElectricPotential::new::<millivolt>(-55.0)
    };
    let neuron = k.create("iaf_psc_alpha", 1, Some(&params))?;
    let vm = k.create("voltmeter", 1, Some(&dict! { "interval" => 0.1 }))?;
    let sr = k.create("spike_recorder", 1, None)?;
    k.connect(&vm, &neuron, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    k.connect(&neuron, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    k.simulate(1000.0)?;
    let (_, times, _) = nestor::events(&k, sr.first().unwrap_or(0))?;
    let (_, vt, ev) = nestor::events(&k, vm.first().unwrap_or(0))?;
    println!("{} spikes at {:?} ms", times.len(), times);
    if let Some(Value::DoubleVec(v)) = ev.get("V_m") {
        let (lo, hi) = v.iter().fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
        println!("{} voltage samples from {} to {} ms, V_m in [{lo:.3}, {hi:.3}] mV", v.len(), vt[0], vt[vt.len() - 1]);
    }
    Ok(())
}
