//! The seed's E/I network in the BrainPy family: 4000 `LIFRef` (3200 E, 800 I), `Expon` +
//! `COBA` AlignPost projections with fixed probability 0.02, weights 0.6 / 6.7 mS, input 20 mA,
//! 1000 ms at dt = 0.1 ms. Writes the spike raster to HDF5 and prints rate and timings.
//!
//! `cargo run --release --example ei_coba -- [--threads N] [--time MS] [--seed S] [--out DIR]`

use nestor::brainpy::{ei_coba, EiParams};
use nestor::prelude::*;
use std::time::Instant;

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let threads: i64 = arg(&args, "--threads", 1);
    let t_sim: f64 = arg(&args, "--time", 1000.0);
    let seed: u64 = arg(&args, "--seed", 42);
    let out: String = arg(&args, "--out", "out".to_string());
    std::fs::create_dir_all(&out).map_err(|e| Error::new(ErrorKind::IoError, format!("cannot create {out}: {e}")))?;
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! {
        "local_num_threads" => threads, "resolution" => 0.1, "rng_seed" => seed as i64,
        "data_path" => out.as_str(), "data_prefix" => "ei_coba_", "overwrite_files" => true
    })?;
    let t0 = Instant::now();
    let pop = ei_coba(&mut k, &EiParams { seed, ..EiParams::default() })?;
    let sr = k.create("spike_recorder", 1, Some(&dict! { "record_to" => "hdf5", "label" => "raster" }))?;
    k.connect(&pop, &sr, &ConnSpec::new(Rule::AllToAll), &SynSpec::new())?;
    let build = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    k.simulate(t_sim)?;
    let sim = t1.elapsed().as_secs_f64();
    k.close_backends()?;
    let n_spikes = match k.get_status(sr.first().unwrap_or(0))?.get("n_events") {
        Some(Value::Int(x)) => *x as f64,
        _ => 0.0,
    };
    println!(
        "E/I network (BrainPy family): {} neurons, {} synapses, {threads} thread(s)",
        pop.len(),
        k.num_connections()
    );
    println!("build {build:.3} s, simulate {sim:.3} s for {t_sim} ms");
    println!("mean rate {:.2} Hz ({} spikes)", n_spikes / pop.len() as f64 / (t_sim / 1000.0), n_spikes as usize);
    println!("connection memory {} bytes", k.connection_memory_bytes());
    println!("HDF5 file: {out}/ei_coba_nestor.h5 (group 'raster')");
    Ok(())
}
