//! A lower bound for any run of kith: walk, read and parse every note the
//! way kith does (`Note::parse`, on all cores), keep the notes, and stop —
//! no index, no rules, no output. Timed beside the floor (`examples/floor.rs`)
//! it shows how much of `kith lint`'s ratio is parsing itself.
//!
//! `cargo run --release --example bound -- VAULT`

mod common;

use kithkin::engine::note::Note;
use kithkin::io::walk::{self, ReadNote};
use rayon::prelude::*;
use std::path::PathBuf;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).expect("usage: bound VAULT"));
    let found = kithkin::io::find_root(&root).expect("vault");
    let config = kithkin::io::load_config(&found).expect("config");
    let max = config.max_file_size;
    let files = walk::walk(&found.root, &config).notes;
    let notes: Vec<Box<Note>> = files
        .par_iter()
        .filter_map(|f| match walk::read_note(&f.abs, max).ok()? {
            ReadNote::Text(text, origin) => Some(Box::new(Note::parse(&f.rel, text, origin, &config))),
            ReadNote::TooLarge(size) => Some(Box::new(Note::skipped(&f.rel, size, max))),
        })
        .collect();
    println!("{} notes, {} items", notes.len(), notes.iter().map(|n| n.items.len()).sum::<usize>());
    // As `kith lint` does: the OS reclaims the memory at exit.
    std::mem::forget(notes);
}
