//! The `nestor` command line.

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "nestor",
    version,
    about = "A fast NEST-compatible spiking-network simulator",
    long_about = "A fast NEST-compatible spiking-network simulator that runs NEST's SLI scripts.\n\n\
        With no arguments on a terminal nestor starts the SLI REPL; with a script piped to its standard \
        input it runs that script. Exit codes follow NEST: 0 success, the argument of quit_i (1 assertion \
        failed, 2 error in a must-pass block, 3 missing error in a must-fail block, 200-206 skipped), \
        126 an uncaught SLI error."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Cmd>,
    /// Run this SLI code and exit.
    #[arg(short = 'c', value_name = "CODE")]
    code: Option<String>,
    /// Number of threads (kernel status local_num_threads), also after ResetKernel.
    #[arg(long)]
    threads: Option<usize>,
    /// Random seed (kernel status rng_seed), also after ResetKernel.
    #[arg(long)]
    seed: Option<u64>,
    /// No banner, no progress bar, only warnings and errors from `message`.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run an SLI script (NEST's exit codes).
    Run {
        /// The script.
        file: PathBuf,
        /// Arguments, available in statusdict/argv and statusdict/userargs.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The interactive SLI REPL.
    Repl,
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
        /// Compare the result files in this folder (written by validation/nest/run_protocols.py
        /// under another simulator, e.g. `python -m nestor`) with the references instead of
        /// running the protocols here.
        #[arg(long)]
        results: Option<PathBuf>,
    },
    /// List the models nestor has.
    Models,
    /// A benchmark network in nestor and in NEST 3.10 side by side: times, ratios, memory.
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
        /// The network: `brunel` (static synapses), `hpc` (NEST's hpc_benchmark with
        /// stdp_pl_synapse_hom; scale 1.0 = 11 250 neurons), `coba` / `hh_coba` (Brette et al.
        /// 2007 COBA benchmarks, iaf_cond_exp / hh_cond_exp_traub; scale 1.0 = 4000 neurons) or
        /// `aeif` (aeif_cond_alpha network; scale 1.0 = 10 000 neurons).
        #[arg(long, default_value = "brunel")]
        network: String,
    },
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|x| x.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}

fn bench(network: &str, scale: f64, threads: usize, time: f64, nest_python: Option<PathBuf>) -> anyhow::Result<()> {
    use nestor::networks::{aeif_network, brette_coba, brunel, hpc_benchmark, BrunelParams};
    use nestor::{dict, Value};
    use std::time::Instant;
    let mut k = nestor::kernel();
    k.set_kernel_status(&dict! { "local_num_threads" => threads as i64, "rng_seed" => 12345i64 })?;
    let t0 = Instant::now();
    let (net, title, script) = match network {
        "brunel" => (brunel(&mut k, &BrunelParams::scaled(scale))?, "Brunel 2000", "/bench/brunel_nest.py"),
        "hpc" => (hpc_benchmark(&mut k, scale)?, "hpc_benchmark (stdp_pl_synapse_hom E->E)", "/bench/hpc_nest.py"),
        "coba" => (
            brette_coba(&mut k, "iaf_cond_exp", scale)?,
            "Brette et al. 2007 COBA (iaf_cond_exp)",
            "/bench/coba_nest.py",
        ),
        "hh_coba" => (
            brette_coba(&mut k, "hh_cond_exp_traub", scale)?,
            "Brette et al. 2007 HH-COBA (hh_cond_exp_traub)",
            "/bench/coba_nest.py",
        ),
        "aeif" => (aeif_network(&mut k, scale)?, "AdEx network (aeif_cond_alpha)", "/bench/aeif_nest.py"),
        other => bail!("unknown network '{other}' (brunel, hpc, coba, hh_coba, aeif)"),
    };
    let build = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    k.simulate(time)?;
    let sim = t1.elapsed().as_secs_f64();
    let n = (net.exc.len() + net.inh.len()) as f64;
    let spikes = match k.get_status(net.spikes.and_then(|s| s.first()).unwrap_or(0))?.get("n_events") {
        Some(Value::Int(x)) => *x as f64,
        _ => 0.0,
    };
    let syn = k.num_connections() as f64;
    let bps = k.connection_memory_bytes() as f64 / syn;
    let rss = peak_rss_mb();
    println!(
        "{title}, scale {scale}, {} neurons, {} synapses, {time} ms, {threads} thread(s)",
        n as usize, syn as usize
    );
    println!(
        "nestor: build {build:.2} s, simulate {sim:.2} s, rate {:.2} Hz, {bps:.2} bytes/synapse, peak RSS {rss:.0} MB",
        spikes / n / (time / 1000.0)
    );
    let (pb, pn) = k.plastic_memory();
    if pn > 0 {
        println!("nestor: {pn} plastic synapses, {:.2} bytes per plastic synapse", pb as f64 / pn as f64);
    }
    let Some(py) = nest_python else {
        println!("(no --nest-python: NEST not run)");
        return Ok(());
    };
    let script = format!("{}{script}", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(&py)
        .args([&script, "--scale", &scale.to_string(), "--threads", &threads.to_string(), "--time", &time.to_string()])
        .args(if network == "hh_coba" { &["--model", "hh_cond_exp_traub"][..] } else { &[][..] })
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

/// An SLI interpreter with the full kernel and the command-line kernel settings.
fn interpreter(cli: &Cli, argv: Vec<String>) -> anyhow::Result<nestor_lang::Interp> {
    use nestor::{Dict, Value};
    let mut i = nestor_lang::Interp::new(nestor::kernel());
    let mut d = Dict::new();
    if let Some(t) = cli.threads {
        d.insert("local_num_threads".into(), Value::Int(t as i64));
    }
    if let Some(s) = cli.seed {
        d.insert("rng_seed".into(), Value::Int(s as i64));
    }
    if !d.is_empty() {
        i.kernel.set_kernel_status(&d).map_err(|e| anyhow::anyhow!("{e}"))?;
        i.kernel_overrides = d;
    }
    use std::io::IsTerminal;
    i.progress = !cli.quiet && std::io::stderr().is_terminal();
    if cli.quiet {
        i.verbosity = 20;
    }
    i.set_argv(argv);
    let flag = i.interrupt.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
    Ok(i)
}

/// Runs SLI source and exits with NEST's exit code.
fn run_sli(cli: &Cli, name: &str, text: &str, argv: Vec<String>) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let mut i = interpreter(cli, argv)?;
    let code = nestor_lang::run_script(&mut i, name, text, std::io::stderr().is_terminal());
    let _ = i.kernel.close_backends();
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

fn main() -> anyhow::Result<()> {
    // The SLI interpreter never recurses per SLI call, but dropping or comparing very deeply
    // nested arrays does; a large (lazily committed) stack makes that safe.
    std::thread::Builder::new()
        .name("nestor".into())
        .stack_size(1 << 30)
        .spawn(real_main)?
        .join()
        .map_err(|_| anyhow::anyhow!("the interpreter thread panicked"))?
}

fn real_main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(code) = cli.code.clone() {
        return run_sli(&cli, "<command line>", &code, vec!["nestor".into()]);
    }
    let Some(cmd) = cli.cmd.as_ref() else {
        use std::io::{IsTerminal, Read};
        if std::io::stdin().is_terminal() {
            let mut i = interpreter(&cli, vec!["nestor".into()])?;
            std::process::exit(nestor_lang::repl::run(&mut i, cli.quiet));
        }
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        return run_sli(&cli, "<stdin>", &text, vec!["nestor".into()]);
    };
    match cmd {
        Cmd::Run { file, args } => {
            let text = match std::fs::read_to_string(file) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error[FileNotFound]: cannot read {}: {e}", file.display());
                    std::process::exit(126);
                }
            };
            let mut argv = vec!["nestor".to_string(), file.display().to_string()];
            argv.extend(args.iter().cloned());
            return run_sli(&cli, &file.display().to_string(), &text, argv);
        }
        Cmd::Repl => {
            let mut i = interpreter(&cli, vec!["nestor".into()])?;
            std::process::exit(nestor_lang::repl::run(&mut i, cli.quiet));
        }
        Cmd::Validate { dir, against, only, report, results } => {
            let rows = match results {
                Some(r) => nestor::validate::compare_results(dir, r, only.as_deref())?,
                None => nestor::validate::run_all(dir, against.as_deref(), only.as_deref())?,
            };
            let text = nestor::validate::report(&rows);
            println!("{text}");
            let fails = rows.iter().filter(|r| matches!(r.status, nestor::validate::Status::Fail(_))).count();
            let passes = rows.iter().filter(|r| r.status == nestor::validate::Status::Pass).count();
            let unval = rows.len() - fails - passes;
            let out = report.clone().unwrap_or_else(|| dir.join("REPORT.md"));
            let header = format!(
                "# nestor validation report\n\nGenerated by `nestor validate` against NEST 3.10.0 references. {passes} PASS, {fails} FAIL, {unval} UNVALIDATED.\nTolerances: see TOLERANCES.md.\n\n"
            );
            std::fs::write(&out, header + &text).with_context(|| format!("writing {}", out.display()))?;
            println!("{passes} passed, {fails} failed, {unval} unvalidated; report written to {}", out.display());
            if fails > 0 {
                bail!("{fails} protocol(s) failed");
            }
        }
        Cmd::Bench { scale, threads, time, nest_python, network } => {
            bench(network, *scale, *threads, *time, nest_python.clone())?
        }
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
