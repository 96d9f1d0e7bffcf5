//! Two more classic networks in the BrainPy family (beside `ei_coba`):
//!
//! * `--net brunel`: the Brunel (2000) sparse network with `LIFRef` neurons (tau 20 ms,
//!   V_th 20 mV, V_reset 10 mV, tau_ref 2 ms; 10 000 E + 2 500 I scaled by `--scale`), delta
//!   projections (J = 0.1 mV, g = 5, delay 1.5 ms, 10 % connectivity drawn per presynaptic
//!   neuron) and external `PoissonInput` at eta = 2 (1000 sources per neuron at
//!   rate eta · V_th / (J · C_E · tau)).
//! * `--net coba_hh`: a COBA network of brainpy's `HH` neurons after Brette et al. (2007)
//!   benchmark 3 (3200 E + 800 I, Expon 5/10 ms, COBA 0/−80 mV, p = 0.02, weights 0.03 / 0.335
//!   mS per cm² — the benchmark's 6 nS / 67 nS over its 20 000 µm² area). brainpy's `HH` has the
//!   squid-axon rate functions (the benchmark uses Traub's), so a constant drive of 7 µA/cm²
//!   replaces the benchmark's self-sustained start.
//!
//! `cargo run --release --example brainpy_networks -- --net brunel [--scale 0.2] [--time 500]`

use nestor::brainpy::{align_post_proj, delta_proj, Comm, Out, Syn};
use nestor::prelude::*;
use std::time::Instant;

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn brunel(k: &mut Kernel, scale: f64) -> Result<NodeCollection> {
    let ne = (10_000.0 * scale) as usize;
    let ni = (2_500.0 * scale) as usize;
    let (j, g, eta, tau, theta) = (0.1, 5.0, 2.0, 20.0, 20.0);
    let ce = ne / 10;
    let pop = k.create(
        "LIFRef",
        ne + ni,
        Some(&dict! {
            "tau" => tau, "V_th" => theta, "V_reset" => 10.0, "V_rest" => 0.0, "tau_ref" => 2.0,
            "V" => Value::Dict(dict! { "distribution" => "uniform", "low" => 0.0, "high" => theta }),
            "spk_reset" => "hard"
        }),
    )?;
    let e = pop.slice(0, ne, 1)?;
    let i = pop.slice(ne, ne + ni, 1)?;
    delta_proj(k, &e, &pop, &Comm::fixed_prob(0.1, j).with_delay(1.4))?;
    delta_proj(k, &i, &pop, &Comm::fixed_prob(0.1, -g * j).with_delay(1.4))?;
    // Threshold rate nu_th = theta / (J C_E tau); external rate eta * nu_th per source, C_E sources.
    let nu_ext = eta * theta / (j * ce as f64 * tau) * 1000.0;
    let ext = k.create("PoissonInput", ne + ni, Some(&dict! { "num_input" => ce as i64, "freq" => nu_ext }))?;
    let mut syn = SynSpec::new().weight(j).delay(0.1);
    syn.receptor_type = Some(1);
    k.connect(&ext, &pop, &ConnSpec::new(Rule::OneToOne), &syn)?;
    Ok(pop)
}

fn coba_hh(k: &mut Kernel) -> Result<NodeCollection> {
    let pop = k.create(
        "HH",
        4000,
        Some(&dict! {
            "I_ext" => 7.0,
            "V" => Value::Dict(dict! { "distribution" => "normal", "mu" => -65.0, "sigma" => 5.0 })
        }),
    )?;
    let e = pop.slice(0, 3200, 1)?;
    let i = pop.slice(3200, 4000, 1)?;
    align_post_proj(k, &e, &pop, &Comm::fixed_prob(0.02, 0.03), &Syn::expon(5.0), &Out::coba(0.0))?;
    align_post_proj(k, &i, &pop, &Comm::fixed_prob(0.02, 0.335), &Syn::expon(10.0), &Out::coba(-80.0))?;
    Ok(pop)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let net: String = arg(&args, "--net", "brunel".to_string());
    let t_sim: f64 = arg(&args, "--time", 500.0);
    let scale: f64 = arg(&args, "--scale", 0.2);
    let threads: i64 = arg(&args, "--threads", 1);
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads, "resolution" => 0.1 })?;
    let t0 = Instant::now();
    let pop = match net.as_str() {
        "brunel" => brunel(&mut k, scale)?,
        "coba_hh" => coba_hh(&mut k)?,
        other => return Err(Error::bad_parameter(format!("--net must be brunel or coba_hh, got {other}"))),
    };
    let sr = k.create("spike_recorder", 1, None)?;
    k.connect(&pop, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    let build = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    k.simulate(t_sim)?;
    let sim = t1.elapsed().as_secs_f64();
    let n = match k.get_status(sr.first().unwrap_or(0))?.get("n_events") {
        Some(Value::Int(x)) => *x as f64,
        _ => 0.0,
    };
    println!(
        "{net}: {} neurons, {} connections, build {build:.2} s, simulate {sim:.2} s for {t_sim} ms",
        pop.len(),
        k.num_connections()
    );
    println!("mean rate {:.2} Hz", n / pop.len() as f64 / (t_sim / 1000.0));
    Ok(())
}
