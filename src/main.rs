//! The `nestor` command line.

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "nestor", version, about = "A fast NEST-compatible spiking-network simulator")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the validation protocols against the NEST references and print/write the report.
    Validate {
        /// The validation folder (protocols/ and reference/).
        #[arg(long, default_value = "validation")]
        dir: PathBuf,
        /// Compare against references in this folder instead of DIR/reference.
        #[arg(long)]
        against: Option<PathBuf>,
        /// Only protocols whose name contains this.
        #[arg(long)]
        only: Option<String>,
        /// Where to write the Markdown report.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// List the models nestor has.
    Models,
    /// Brunel (2000) network in nestor and in NEST 3.10 side by side: times, ratios, memory.
    Bench {
        /// Network scale (1.0 = 12 500 neurons, 15.6 M synapses).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Threads for both simulators.
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Biological time (ms).
        #[arg(long, default_value_t = 1000.0)]
        time: f64,
        /// Python with nest-simulator 3.10 (e.g. .venv-nest/bin/python); nestor only if absent.
        #[arg(long)]
        nest_python: Option<PathBuf>,
    },
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|x| x.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn bench(scale: f64, threads: usize, time: f64, nest_python: Option<PathBuf>) -> anyhow::Result<()> {
    use nestor::networks::{brunel, BrunelParams};
    use nestor::{dict, Value};
    use std::time::Instant;
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads as i64, "rng_seed" => 12345i64 })?;
    let p = BrunelParams::scaled(scale);
    let t0 = Instant::now();
    let net = brunel(&mut k, &p)?;
    let build = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    k.simulate(time)?;
    let sim = t1.elapsed().as_secs_f64();
    let n = (p.ne + p.ni) as f64;
    let spikes = match k.get_status(net.spikes.and_then(|s| s.first()).unwrap_or(0))?.get("n_events") {
        Some(Value::Int(x)) => *x as f64,
        _ => 0.0,
    };
    let syn = k.num_connections() as f64;
    let bps = k.connection_memory_bytes() as f64 / syn;
    let rss = peak_rss_mb();
    println!(
        "Brunel 2000, scale {scale}, {} neurons, {} synapses, {time} ms, {threads} thread(s)",
        n as usize, syn as usize
    );
    println!(
        "nestor: build {build:.2} s, simulate {sim:.2} s, rate {:.2} Hz, {bps:.2} bytes/synapse, peak RSS {rss:.0} MB",
        spikes / n / (time / 1000.0)
    );
    let Some(py) = nest_python else {
        println!("(no --nest-python: NEST not run)");
        return Ok(());
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/brunel_nest.py");
    let out = std::process::Command::new(&py)
        .args([script, "--scale", &scale.to_string(), "--threads", &threads.to_string(), "--time", &time.to_string()])
        .output()
        .with_context(|| format!("running {}", py.display()))?;
    if !out.status.success() {
        bail!("NEST run failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().rev().find(|l| l.starts_with('{')).context("no JSON line from the NEST script")?;
    let j: serde_json::Value = serde_json::from_str(line)?;
    let nb = j["build_s"].as_f64().unwrap_or(f64::NAN);
    let ns = j["simulate_s"].as_f64().unwrap_or(f64::NAN);
    println!(
        "NEST 3.10: build {nb:.2} s, simulate {ns:.2} s, rate {:.2} Hz, peak RSS {:.0} MB",
        j["rate_hz"].as_f64().unwrap_or(f64::NAN),
        j["peak_rss_mb"].as_f64().unwrap_or(f64::NAN)
    );
    println!("ratio NEST/nestor: simulate {:.1}x, build {:.1}x", ns / sim, nb / build);
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Validate { dir, against, only, report } => {
            let rows = nestor::validate::run_all(&dir, against.as_deref(), only.as_deref())?;
            let text = nestor::validate::report(&rows);
            println!("{text}");
            let fails = rows.iter().filter(|r| matches!(r.status, nestor::validate::Status::Fail(_))).count();
            let passes = rows.iter().filter(|r| r.status == nestor::validate::Status::Pass).count();
            let unval = rows.len() - fails - passes;
            let out = report.unwrap_or_else(|| dir.join("REPORT.md"));
            let header = format!(
                "# nestor validation report\n\nGenerated by `nestor validate` against NEST 3.10.0 references. {passes} PASS, {fails} FAIL, {unval} UNVALIDATED.\nTolerances: see TOLERANCES.md.\n\n"
            );
            std::fs::write(&out, header + &text).with_context(|| format!("writing {}", out.display()))?;
            println!("{passes} passed, {fails} failed, {unval} unvalidated; report written to {}", out.display());
            if fails > 0 {
                bail!("{fails} protocol(s) failed");
            }
        }
        Cmd::Bench { scale, threads, time, nest_python } => bench(scale, threads, time, nest_python)?,
        Cmd::Models => {
            let r = nestor::registry();
            for m in &r.models {
                println!("{:<28} {:<11} {}", m.name, m.factory.kind().element_type(), m.factory.doc());
            }
            for s in &r.synapses {
                println!("{:<28} {:<11} {}", s.name, "synapse", s.base.doc());
            }
        }
    }
    Ok(())
}
