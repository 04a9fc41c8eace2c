//! Where `kith lint`'s CPU goes beside the floor's, from memory (no I/O):
//! the floor's parse of every note, kith's parse, indexing and the rules,
//! each timed over the same texts. Run it on one core to compare work, not
//! parallelism:
//!
//!     RAYON_NUM_THREADS=1 cargo run --release --example breakdown -- VAULT [YYYY-MM-DD]

mod common;

use common::split_front_matter;
use kithkin::engine::note::Note;
use kithkin::engine::vault::Vault;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let (root, today) = common::vault_and_day("breakdown VAULT [DATE]");
    let (config, _, files) = common::read_notes(&root);
    for round in 1..=3 {
        let t = Instant::now();
        let mut events = 0usize;
        for (_, text) in &files {
            let (yaml, body) = split_front_matter(text);
            let mut parser = saphyr_parser::Parser::new_from_str(yaml);
            while let Some(Ok(_)) = parser.next_event() {
                events += 1;
            }
            events += pulldown_cmark::Parser::new(body).into_offset_iter().count();
        }
        let floor = t.elapsed();
        let texts: Vec<(String, String)> = files.clone();
        let t = Instant::now();
        let notes: Vec<Box<Note>> = texts
            .into_iter()
            .map(|(path, text)| Box::new(Note::parse(&path, text, Default::default(), &config)))
            .collect();
        let parse = t.elapsed();
        let t = Instant::now();
        let vault = Vault::from_notes(config.clone(), notes, Vec::new());
        let index = t.elapsed();
        let t = Instant::now();
        let findings = kithkin::engine::analysis::analyze(&vault, today);
        let rules = t.elapsed();
        println!(
            "round {round}: floor parse {floor:.0?} ({events} events) | kith parse {parse:.0?}, index {index:.0?}, rules {rules:.0?} ({} findings)",
            findings.len()
        );
    }
}
