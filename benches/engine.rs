//! Criterion benchmarks of the core: parsing, indexing, the rules, and the
//! work one keystroke costs. Run with `cargo bench`; `scripts/bench` measures
//! the whole binary and the language server against the floor.

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

criterion_group!(benches, parse, index_and_rules, keystroke);
criterion_main!(benches);
