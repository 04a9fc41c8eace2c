//! Live heap bytes after each phase of `kith lint`, counted by the allocator:
//!
//!     cargo run --release --example memprobe -- VAULT [YYYY-MM-DD]

mod common;

use kithkin::engine::note::Note;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size() as isize, Relaxed) + layout.size() as isize;
        PEAK.fetch_max(live, Relaxed);
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let live =
            LIVE.fetch_add(new as isize - layout.size() as isize, Relaxed) + new as isize - layout.size() as isize;
        PEAK.fetch_max(live, Relaxed);
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn mb(n: isize) -> String {
    format!("{:.1} MB", n as f64 / 1e6)
}

fn report(what: &str) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let get =
        |k: &str| s.lines().find(|l| l.starts_with(k)).map(|l| l[k.len()..].trim().to_string()).unwrap_or_default();
    eprintln!(
        "{what:<10} live {:>10}  peak {:>10}  rss {} hwm {}",
        mb(LIVE.load(Relaxed)),
        mb(PEAK.load(Relaxed)),
        get("VmRSS:"),
        get("VmHWM:")
    );
}

fn main() {
    sizes();
    let (root, today) = common::vault_and_day("memprobe VAULT [DATE]");
    let (config, vault_root, texts) = common::read_notes(&root);
    let text_bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    report("read");
    let before = LIVE.load(Relaxed);
    let notes: Vec<Box<Note>> =
        texts.into_iter().map(|(path, text)| Box::new(Note::parse(&path, text, Default::default(), &config))).collect();
    report("parse");
    let parsed = LIVE.load(Relaxed) - before;
    let (mut items, mut links, mut lines, mut keys, mut tags, mut problems) = (0, 0, 0, 0, 0, 0);
    let mut lens = (0, 0, 0, 0);
    for n in &notes {
        items += n.items.capacity();
        links += n.links.capacity();
        lines += n.lines.line_count() * 4;
        keys += n.front.keys.capacity();
        tags += n.kind_tags.capacity();
        problems += n.problems.len();
        lens.0 += n.items.len();
        lens.1 += n.links.len();
        lens.2 += n.front.keys.len();
        lens.3 += n.kind_tags.len();
    }
    eprintln!("  lengths: items {} links {} keys {} kind tags {}", lens.0, lens.1, lens.2, lens.3);
    eprintln!(
        "  {} notes, text {}, note structs {} (Note {} B, Item {} B x {items}, Link {} B x {links}, KeyEntry {} B x {keys}, KindTag {} B x {tags}, lines {}, problems {problems})",
        notes.len(),
        mb(text_bytes as isize),
        mb(parsed),
        std::mem::size_of::<Note>(),
        std::mem::size_of::<kithkin::engine::note::Item>(),
        std::mem::size_of::<kithkin::engine::note::Link>(),
        std::mem::size_of::<kithkin::engine::note::KeyEntry>(),
        std::mem::size_of::<kithkin::engine::note::KindTag>(),
        mb(lines as isize),
    );
    let vault = kithkin::engine::vault::Vault::from_notes(config.clone(), notes, Vec::new());
    report("index");
    drop(vault);
    report("dropped");
    let (vault, _) = kithkin::io::load_vault(&vault_root, config.clone());
    report("load_vault");
    let findings = kithkin::engine::analysis::analyze(&vault, today);
    report("analyze");
    eprintln!("  {} findings, Finding {} B", findings.len(), std::mem::size_of_val(&findings[0]));
    let len: usize = findings.iter().map(|f| f.message.len()).sum();
    let cap: usize = findings.iter().map(|f| f.message.capacity()).sum();
    let sug: usize = findings.iter().filter(|f| f.suggestion.is_some()).count();
    let contacts: usize = findings.iter().filter(|f| f.contact.is_some()).count();
    eprintln!(
        "  messages: len {} cap {}; {sug} suggestions, {contacts} with contact",
        mb(len as isize),
        mb(cap as isize)
    );
}

#[allow(dead_code)]
fn sizes() {
    use kithkin::engine::note::*;
    eprintln!(
        "FrontMatter {} LineIndex {} Origin {} Heading {} Spanned<CS> {} Birthday {} Date {} Span {}",
        std::mem::size_of::<FrontMatter>(),
        std::mem::size_of::<kithkin::engine::text::LineIndex>(),
        std::mem::size_of::<Origin>(),
        std::mem::size_of::<Heading>(),
        std::mem::size_of::<Spanned<compact_str::CompactString>>(),
        std::mem::size_of::<kithkin::engine::date::Birthday>(),
        std::mem::size_of::<kithkin::engine::date::Date>(),
        std::mem::size_of::<kithkin::engine::date::Span>(),
    );
}
