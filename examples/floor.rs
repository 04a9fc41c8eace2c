//! The floor for `kith lint`: what no indexer of a vault can avoid. Walk the
//! vault, read every Markdown file, parse its front matter with the YAML
//! parser kith uses (every event) and its body with pulldown-cmark (every
//! event, with offsets), on all cores. `scripts/bench` times this beside
//! kith; kith's targets are ratios to it.
//!
//!     cargo run --release --example floor -- VAULT

mod common;

use common::split_front_matter;
use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: floor VAULT"));
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let events: usize = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).expect("readable");
            let text = String::from_utf8_lossy(&bytes);
            let (yaml, body) = split_front_matter(&text);
            let mut n = 0;
            let mut parser = saphyr_parser::Parser::new_from_str(yaml);
            while let Some(Ok(_)) = parser.next_event() {
                n += 1;
            }
            n + pulldown_cmark::Parser::new(body).into_offset_iter().count()
        })
        .sum();
    println!("{} files, {events} events", files.len());
}
