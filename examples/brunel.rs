//! The Brunel (2000) balanced network (NEST's brunel_delta_nest): 10 000 excitatory and 2 500
//! inhibitory iaf_psc_delta neurons, 15.6 M synapses, Poisson input; all spikes and a few
//! voltage traces go to an HDF5 file.
//!
//! `cargo run --release --example brunel -- [--scale S] [--threads N] [--time MS] [--out DIR]`

use nestor::networks::{brunel, BrunelParams};
use nestor::prelude::*;
use std::time::Instant;

fn arg<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let scale: f64 = arg(&args, "--scale", 1.0);
    let threads: i64 = arg(&args, "--threads", 1);
    let t_sim: f64 = arg(&args, "--time", 1000.0);
    let out: String = arg(&args, "--out", "out".to_string());
    std::fs::create_dir_all(&out).map_err(|e| Error::new(ErrorKind::IoError, format!("cannot create {out}: {e}")))?;

    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! {
        "local_num_threads" => threads, "rng_seed" => 12345i64,
        "data_path" => out.as_str(), "data_prefix" => "brunel_", "overwrite_files" => true
    })?;
    let mut p = BrunelParams::scaled(scale);
    p.record_to = "hdf5".into();
    p.record_vm = 5;
    let t0 = Instant::now();
    let net = brunel(&mut k, &p)?;
    let build = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    k.simulate(t_sim)?;
    let sim = t1.elapsed().as_secs_f64();
    k.close_backends()?;

    let n = (p.ne + p.ni) as f64;
    let sr = net.spikes.and_then(|s| s.first()).unwrap_or(0);
    let n_spikes = match k.get_status(sr)?.get("n_events") {
        Some(Value::Int(x)) => *x as f64,
        _ => 0.0,
    };
    let file = format!("{out}/brunel_nestor.h5");
    println!("Brunel network: {} neurons, {} synapses, {threads} thread(s)", n as usize, k.num_connections());
    println!("build {build:.2} s, simulate {sim:.2} s for {t_sim} ms");
    let ks = k.kernel_status();
    let tm = |key: &str| match ks.get(key) {
        Some(Value::Double(x)) => *x,
        _ => 0.0,
    };
    println!(
        "phases: prepare {:.2} s, update {:.2} s, deliver {:.2} s, record {:.2} s",
        tm("time_prepare"),
        tm("time_update"),
        tm("time_deliver"),
        tm("time_record")
    );
    println!("mean rate {:.2} Hz ({} spikes)", n_spikes / n / (t_sim / 1000.0), n_spikes as usize);
    println!("connection memory {:.2} bytes/synapse", k.connection_memory_bytes() as f64 / k.num_connections() as f64);
    println!("spikes and voltage traces written to {file} (groups /brunel_spikes, /brunel_vm)");
    Ok(())
}
