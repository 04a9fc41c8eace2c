//! Criterion benchmarks of the core: parsing, indexing, the rules, the work
//! one keystroke costs, and completing a contact's name in the language
//! server. Run with `cargo bench`; `scripts/bench` measures the whole binary
//! and the language server against the floor.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kithkin::engine::analysis;
use kithkin::engine::config::Config;
use kithkin::engine::note::{Note, Origin};
use kithkin::engine::vault::{SourceFile, Vault};
use std::hint::black_box;

const KINDS: [&str; 8] = ["met", "call", "msg", "gave", "got", "thanks", "news", "ask"];

fn contact(i: usize, entries: usize) -> String {
    let mut text = format!(
        "---\ntype: contact\nname: Jörg Müller {i}\naliases: [Jörg {i}]\norg: Acme GmbH\ncadence: 2m\nbirthday: --0{}-1{}\n---\n# Jörg Müller {i}\n\n## Log\n",
        1 + i % 9,
        i % 10
    );
    for e in 0..entries {
        let day = 1 + (e * 7 + i) % 28;
        let month = 1 + (e / 4) % 12;
        let kind = KINDS[(e + i) % KINDS.len()];
        text.push_str(&format!(
            "- 2026-{month:02}-{day:02} #{kind} Coffee near the office 😀 with [[Jörg Müller {}]]\n",
            (i + e) % 1000
        ));
    }
    text.push_str("- [ ] 2026-11-20 Send the article\n");
    text
}

fn journal(day: usize) -> String {
    let mut text = format!("# 2026-{:02}-{:02}\n\n", 1 + day % 12, 1 + day % 28);
    for k in 0..10 {
        text.push_str(&format!("- #met [[Jörg Müller {}]] talked about the new team\n", (day * 10 + k) % 1000));
    }
    text
}

fn vault_files(contacts: usize) -> Vec<SourceFile> {
    let mut files: Vec<SourceFile> = (0..contacts)
        .map(|i| SourceFile { path: format!("people/p{i}.md"), text: contact(i, 12), origin: Origin::default() })
        .collect();
    files.extend((0..contacts / 10).map(|d| SourceFile {
        path: format!("journal/2026-{:02}-{:02}-{d}.md", 1 + d % 12, 1 + d % 28),
        text: journal(d),
        origin: Origin::default(),
    }));
    files
}

fn today() -> kithkin::engine::Date {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn parse(c: &mut Criterion) {
    let config = Config::default();
    let mut group = c.benchmark_group("parse");
    for entries in [12, 500] {
        let text = contact(1, entries);
        group.bench_with_input(BenchmarkId::new("contact", entries), &text, |b, text| {
            b.iter(|| Note::parse("people/p1.md", black_box(text.clone()), Origin::default(), &config))
        });
    }
    group.finish();
}

fn index_and_rules(c: &mut Criterion) {
    let files = vault_files(1000);
    c.bench_function("index/1000-contacts", |b| {
        b.iter(|| Vault::build(Config::default(), black_box(files.clone()), Vec::new()))
    });
    let vault = Vault::build(Config::default(), files, Vec::new());
    c.bench_function("rules/1000-contacts", |b| b.iter(|| analysis::analyze(black_box(&vault), today())));
}

fn keystroke(c: &mut Criterion) {
    // A keystroke in a contact note with 500 entries: re-parse it, update the
    // index, and re-run its own and its contacts' rules — not the vault.
    let mut vault = Vault::build(Config::default(), vault_files(1000), Vec::new());
    let base = contact(7, 500);
    let mut n = 0;
    c.bench_function("keystroke/500-entries", |b| {
        b.iter(|| {
            n += 1;
            let text = format!("{base}- 2026-11-30 #met typed {n}\n");
            let id = vault.upsert("people/p7.md", text, Origin::default());
            vault.refresh();
            let mut found = analysis::note_findings(&vault, id, today());
            found.extend(analysis::contact_findings(&vault, id, today()));
            black_box(found)
        })
    });
}

fn completion(c: &mut Criterion) {
    // `[[Jör` in a journal note of a 10,000-contact vault, answered from the
    // language server's world as a request handler sees it.
    use kithkin::lsp::features::{Ctx, completion::completion};
    use kithkin::lsp::state::{Space, World};
    use tower_lsp_server::UriExt;
    use tower_lsp_server::lsp_types::{Position, Uri};
    let root = std::env::temp_dir().join("kith-bench-vault");
    let mut files = vault_files(10_000);
    files.push(SourceFile {
        path: "journal/today.md".into(),
        text: "- #met [[Jör\n".into(),
        origin: Origin::default(),
    });
    let mut world = World::new(today());
    world.root = Some(root.clone());
    world.main = Space::of(Vault::build(Config::default(), files, Vec::new()));
    world.main.index_names();
    world.indexed = true;
    let uri = Uri::from_file_path(root.join("journal/today.md")).expect("an absolute path");
    let ctx = Ctx::of(&world, &uri).expect("the note is in the vault");
    let items = match completion(&ctx, Position::new(0, 12)) {
        Some(tower_lsp_server::lsp_types::CompletionResponse::List(list)) => list.items,
        Some(tower_lsp_server::lsp_types::CompletionResponse::Array(items)) => items,
        None => Vec::new(),
    };
    assert!(
        items.iter().any(|i| i.label.starts_with("Jörg")),
        "completion offers the contacts: {:?}",
        items.iter().map(|i| &i.label).take(5).collect::<Vec<_>>()
    );
    c.bench_function("completion/10000-contacts", |b| {
        b.iter(|| {
            let ctx = Ctx::of(&world, &uri).expect("the note is in the vault");
            black_box(completion(&ctx, Position::new(0, 12)))
        })
    });
}

criterion_group!(benches, parse, index_and_rules, keystroke, completion);
criterion_main!(benches);
