//! Times each phase of `kith lint` on a vault, for profiling:
//!
//!     cargo run --release --example phases -- VAULT [YYYY-MM-DD]

mod common;

use kithkin::engine::analysis;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get =
        |k: &str| s.lines().find(|l| l.starts_with(k)).map(|l| l[k.len()..].trim().to_string()).unwrap_or_default();
    format!("rss {} peak {}", get("VmRSS:"), get("VmHWM:"))
}

fn main() {
    let (root, today) = common::vault_and_day("phases VAULT [DATE]");
    let t = Instant::now();
    let found = kithkin::io::find_root(&root).expect("vault");
    let config = kithkin::io::load_config(&found).expect("config");
    let walk = kithkin::io::walk::walk(&found.root, &config);
    eprintln!("walk      {:>8.1} ms  ({} notes)", t.elapsed().as_secs_f64() * 1e3, walk.notes.len());
    eprintln!("          {}", rss());
    let t = Instant::now();
    let (vault, _) = kithkin::io::load_vault(&found.root, config);
    eprintln!("load      {:>8.1} ms  (walk + read + parse + index)", t.elapsed().as_secs_f64() * 1e3);
    eprintln!("          {}", rss());
    let t = Instant::now();
    let dups = analysis::vault_findings(&vault);
    eprintln!("  vault   {:>8.1} ms  ({} duplicate findings)", t.elapsed().as_secs_f64() * 1e3, dups.len());
    eprintln!("          {}", rss());
    let t = Instant::now();
    let findings = analysis::analyze(&vault, today);
    eprintln!("analyze   {:>8.1} ms  ({} findings)", t.elapsed().as_secs_f64() * 1e3, findings.len());
    eprintln!("          {}", rss());
    let t = Instant::now();
    let report = kithkin::cli::report::Report::new(&vault, &findings);
    eprintln!("locate    {:>8.1} ms", t.elapsed().as_secs_f64() * 1e3);
    eprintln!("          {}", rss());
    let t = Instant::now();
    let mut out = std::io::BufWriter::new(std::io::sink());
    kithkin::cli::format::write(kithkin::cli::format::Format::Json, &report, Default::default(), &mut out).unwrap();
    eprintln!("json      {:>8.1} ms", t.elapsed().as_secs_f64() * 1e3);
    eprintln!("          {}", rss());
    let t = Instant::now();
    drop(report);
    drop(findings);
    drop(vault);
    eprintln!("drop      {:>8.1} ms", t.elapsed().as_secs_f64() * 1e3);
    eprintln!("          {}", rss());
}
