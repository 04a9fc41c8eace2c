//! Robustness: "no panic, hang or unbounded memory on any input: binary
//! files, invalid UTF-8, huge files, YAML bombs, deep nesting, symlink loops.
//! A clear finding instead, and nothing else lost."
//!
//! - `pathological_*`: one hostile note (or a few) each, through the whole
//!   pure core ([`exercise`]): parse, a vault, every rule, every finding's
//!   position in all three encodings, the contact summary, the agenda, the
//!   edits that quick fixes and `kith log` make, and every output format.
//! - `linear_*`: inputs that once made (or could make) some stage quadratic,
//!   measured at two sizes: four or eight times the input may cost about as
//!   many times as much, not its square ([`assert_linear`]). `cargo test`
//!   weighs the work in bytes allocated and held (the same on every run);
//!   `<case>::timed` also compares time and runs only by hand (`--ignored`).
//! - `edits_*`: the snooze and log edits never lose what a note says.
//! - `mutations_*`: realistic notes and `kith.toml` mutated at random, with
//!   fixed seeds (a tiny xorshift generator, no extra crates).
//! - `cli_*`: the real `kith` binary on hostile vaults, each run with a
//!   timeout (a hang fails the test) and its peak memory watched.
//!
//! Each core test runs in a process of its own ([`in_own_process`]), and each
//! case in it on a watchdog thread ([`guarded`]): a panic fails the test with
//! the case's name and the stage it was in; a case not done within the budget
//! fails as a hang (and its runaway thread ends with its process); the heap is
//! counted by a small global allocator, so a blow-up fails the case instead
//! of the machine.

use chrono::NaiveDate;
use kithkin::cli::format::{self, Format, Style};
use kithkin::cli::report::Report;
use kithkin::engine::agenda::agenda;
use kithkin::engine::analysis::analyze;
use kithkin::engine::config::Config;
use kithkin::engine::date::Date;
use kithkin::engine::edit::{self, TextEdit};
use kithkin::engine::finding::Finding;
use kithkin::engine::kinds::Kind;
use kithkin::engine::note::{Note, Origin, TaskStatus};
use kithkin::engine::rules::Rule;
use kithkin::engine::summary::ContactSummary;
use kithkin::engine::text::{Encoding, LineCol};
use kithkin::engine::vault::{SourceFile, Vault};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Harness: heap accounting, watchdog, reference positions
// ---------------------------------------------------------------------------

/// Counts live heap bytes, so that a memory blow-up is a failed case with a
/// name, not an OOM-killed machine.
struct CountingAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Bytes allocated since the process started: a measure of work that, unlike
/// time, is the same on every run (see [`assert_linear`]).
static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

/// Past this much live heap the process stops at once: something grew without
/// bound, and the shared machine must not swap itself to death.
const HARD_HEAP_LIMIT: usize = 6 << 30;

/// What one case may add to the live heap (on top of what parallel tests use).
const CASE_HEAP_LIMIT: usize = 1536 << 20;

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            track(layout.size());
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            track(layout.size());
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            track(new_size);
        }
        new
    }
}

fn track(size: usize) {
    ALLOCATED.fetch_add(size, Ordering::Relaxed);
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    if live > HARD_HEAP_LIMIT {
        // No allocation here: write a fixed message and stop.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"\nrobustness: live heap over 6 GiB - memory blow-up, aborting\n",
        );
        std::process::abort();
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Time one case may take before it counts as a hang. Linear work on the
/// largest inputs here takes up to ~20 s in a debug build (several full
/// re-parses of a multi-megabyte note).
fn budget() -> Duration {
    Duration::from_secs(if cfg!(debug_assertions) { 120 } else { 40 })
}

/// Set in the child process that [`in_own_process`] starts.
const CHILD_ENV: &str = "KITH_ROBUSTNESS_CHILD";

/// Runs the calling test again in a child process (this test binary,
/// filtered to that one test) and checks that it passed there; returns
/// `true` in the parent, which then has nothing left to do, and `false` in
/// the child, which runs the test's body.
///
/// A case that hangs leaves its thread spinning: in a process of its own it
/// ends with that process instead of slowing every later test, and a stack
/// overflow (which aborts a process) fails one test, by name.
fn in_own_process() -> bool {
    if std::env::var_os(CHILD_ENV).is_some() {
        return false;
    }
    // libtest names each test's thread after the test.
    let Some(name) = thread::current().name().map(str::to_string).filter(|n| n != "main") else { return false };
    let out = tempfile::NamedTempFile::new().expect("temporary file");
    let mut child = Command::new(std::env::current_exe().expect("the test binary"))
        // `--include-ignored`: the parent runs only when asked to, and then so must the child.
        .args([name.as_str(), "--exact", "--include-ignored", "--test-threads=1", "--nocapture"])
        .env(CHILD_ENV, "1")
        .stdin(Stdio::null())
        // One open file for both: they share the write position.
        .stdout(out.as_file().try_clone().expect("clone"))
        .stderr(out.as_file().try_clone().expect("clone"))
        .spawn()
        .expect("run the test in its own process");
    // The child's watchdog ends it; this is only a backstop.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(1800) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(20));
    };
    let output = std::fs::read_to_string(out.path()).unwrap_or_default();
    // What the test printed, without libtest's own lines, and of any
    // backtrace only the frames in kith itself.
    let mut printed: Vec<&str> = Vec::new();
    let mut kith_frame = false;
    for line in output.lines() {
        let frame = line.starts_with(' ');
        if frame {
            let at = line.trim_start().starts_with("at ");
            if (at && kith_frame) || line.contains("kithkin::") {
                printed.push(line);
            }
            kith_frame = !at && line.contains("kithkin::");
            continue;
        }
        let libtest = ["running ", "test ", "successes:", "failures:", "stack backtrace:", "note: Some details"];
        if !line.trim().is_empty() && !libtest.iter().any(|p| line.starts_with(p)) {
            printed.push(line);
        }
    }
    let shown = printed[printed.len().saturating_sub(80)..].join("\n");
    match status {
        Some(status) if status.success() => {
            assert!(output.contains("1 passed"), "{name}: the child process ran no test:\n{output}");
            for line in output
                .lines()
                .filter(|l| l.starts_with("slow:") || l.starts_with("note:") || l.starts_with("mutations:"))
            {
                eprintln!("{line}");
            }
        }
        Some(status) => panic!("{name} failed in its own process ({status}):\n{shown}"),
        None => panic!("{name}: its process did not end within 30 minutes:\n{shown}"),
    }
    true
}

/// The stage a case is in, and how long the stages before it took, for
/// hang and panic messages.
#[derive(Clone, Default)]
struct Stage(Arc<Mutex<StageState>>);

#[derive(Default)]
struct StageState {
    current: String,
    started: Option<Instant>,
    /// The stages already done and how long each took.
    done: Vec<(String, Duration)>,
}

impl Stage {
    fn set(&self, stage: impl Into<String>) {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(started) = s.started {
            let done = std::mem::take(&mut s.current);
            s.done.push((done, started.elapsed()));
        }
        s.current = stage.into();
        s.started = Some(Instant::now());
    }
    fn get(&self) -> String {
        let s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let slow: Vec<String> = s
            .done
            .iter()
            .filter(|(_, d)| *d > Duration::from_millis(500))
            .map(|(name, d)| format!("{name} {:.1}s", d.as_secs_f64()))
            .collect();
        if slow.is_empty() {
            s.current.clone()
        } else {
            format!("{} (slow stages before: {})", s.current, slow.join(", "))
        }
    }
}

/// Runs `work` on a watchdog thread with the default (2 MiB) stack, like
/// rayon's workers that parse notes in `kith`: fails on a panic, on a hang
/// and on a heap blow-up, naming the case and the stage.
fn guarded<T: Send + 'static>(label: &str, work: impl FnOnce(&Stage) -> T + Send + 'static) -> T {
    let stage = Stage::default();
    let (tx, rx) = mpsc::channel();
    let thread_stage = stage.clone();
    let base = LIVE.load(Ordering::Relaxed);
    let started = Instant::now();
    let handle = thread::Builder::new()
        .name(format!("robustness: {label}"))
        .spawn(move || {
            let result = work(&thread_stage);
            let _ = tx.send(result);
        })
        .expect("spawn a worker");
    let mut peak = base;
    loop {
        match rx.recv_timeout(Duration::from_millis(5)) {
            Ok(value) => {
                let _ = handle.join();
                if started.elapsed() > Duration::from_secs(3) {
                    eprintln!("slow: `{label}` took {:.1}s: {}", started.elapsed().as_secs_f64(), stage.get());
                }
                let grown = peak.saturating_sub(base);
                assert!(
                    grown < CASE_HEAP_LIMIT,
                    "BLOW-UP in `{label}`: the heap grew by {} MiB (stage `{}`)",
                    grown >> 20,
                    stage.get()
                );
                return value;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                peak = peak.max(LIVE.load(Ordering::Relaxed));
                if peak.saturating_sub(base) > CASE_HEAP_LIMIT {
                    panic!(
                        "BLOW-UP in `{label}`: the heap grew by {} MiB in stage `{}`",
                        (peak - base) >> 20,
                        stage.get()
                    );
                }
                if started.elapsed() > budget() {
                    let stage = stage.get();
                    drop(rx);
                    panic!("HANG in `{label}`: not done after {:.0?}, in stage `{stage}`", started.elapsed());
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let payload = handle.join().expect_err("the worker ended without a result");
                let message = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panic!("PANIC in `{label}`, stage `{}`: {message}", stage.get());
            }
        }
    }
}

fn day(y: i32, m: u32, d: u32) -> Date {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

/// The `--today` of every case unless it says otherwise.
fn today() -> Date {
    day(2026, 12, 1)
}

/// Line and columns of an offset, computed independently of `LineIndex`:
/// one pass over the text with the spec's line ends (LF, CRLF, lone CR).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RefPos {
    line: u32,
    utf8: u32,
    utf16: u32,
    chars: u32,
}

impl RefPos {
    fn col(&self, enc: Encoding) -> u32 {
        match enc {
            Encoding::Utf8 => self.utf8,
            Encoding::Utf16 => self.utf16,
            Encoding::Chars => self.chars,
        }
    }
}

/// Reference positions of many offsets (each on a character boundary) in one pass.
fn reference_positions(text: &str, offsets: &[usize]) -> BTreeMap<usize, RefPos> {
    let mut wanted: Vec<usize> = offsets.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut out = BTreeMap::new();
    let mut next = wanted.iter().peekable();
    let mut pos = RefPos { line: 0, utf8: 0, utf16: 0, chars: 0 };
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        while next.peek().is_some_and(|&&o| o == i) {
            out.insert(i, pos);
            next.next();
        }
        let ends_line = c == '\n' || (c == '\r' && bytes.get(i + 1) != Some(&b'\n'));
        if ends_line {
            pos = RefPos { line: pos.line + 1, utf8: 0, utf16: 0, chars: 0 };
        } else {
            pos.utf8 += c.len_utf8() as u32;
            pos.utf16 += c.len_utf16() as u32;
            pos.chars += 1;
        }
    }
    for &o in next {
        if o == text.len() {
            out.insert(o, pos);
        }
    }
    out
}

/// A byte range that can be sliced out of `text`.
fn assert_range<R: Clone + Into<Range<usize>>>(text: &str, range: &R, what: &str) {
    let range: Range<usize> = range.clone().into();
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what}: range {range:?} is not inside the text ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: range {range:?} does not lie on character boundaries"
    );
}

/// Every span a parsed note exposes lies inside its text on character boundaries.
fn check_note(note: &Note) {
    let text = note.text.as_str();
    let p = &note.path;
    assert!(note.start <= note.body_start && note.body_start <= text.len(), "{p}: body start");
    assert!(text.is_char_boundary(note.body_start), "{p}: body start on a boundary");
    for problem in &note.problems {
        assert_range(text, &problem.range, &format!("{p}: problem {}", problem.rule));
    }
    let fm = &note.front;
    for range in [&fm.block, &fm.content, &fm.closing].into_iter().flatten() {
        assert_range(text, range, &format!("{p}: front matter"));
    }
    for key in &fm.keys {
        assert_range(text, &key.key_range, &format!("{p}: key {}", key.key));
        assert_range(text, &key.value_range, &format!("{p}: value of {}", key.key));
    }
    if let Some(name) = &fm.name {
        assert_range(text, &name.range, &format!("{p}: name"));
    }
    for alias in &fm.aliases {
        assert_range(text, &alias.range, &format!("{p}: alias"));
    }
    for (i, item) in note.items.iter().enumerate() {
        let what = format!("{p}: item {i}");
        assert_range(text, &item.full, &what);
        assert_range(text, &item.text, &what);
        assert_range(text, &item.first_line, &what);
        for range in item.checkbox().iter().chain(item.date.as_ref().map(|(_, r)| r)) {
            assert_range(text, range, &what);
        }
        for tag in note.kinds(item) {
            assert_range(text, &tag.range, &what);
        }
        assert!(item.rest() <= text.len() && text.is_char_boundary(item.rest()), "{what}: rest");
        assert!(item.links().end <= note.links.len(), "{what}: links");
    }
    for (i, link) in note.links.iter().enumerate() {
        let what = format!("{p}: link {i}");
        assert_range(text, &link.range, &what);
        assert_range(text, &link.target_range, &what);
        if let Some(label) = &link.label {
            assert_range(text, label, &what);
        }
        assert!(link.item.is_none_or(|it| (it as usize) < note.items.len()), "{what}: item");
    }
    for heading in &note.headings {
        assert_range(text, &heading.range, &format!("{p}: heading"));
    }
    assert_eq!(note.lines.line_count(), reference_positions(text, &[text.len()])[&text.len()].line as usize + 1);
}

/// Checks every position conversion of these offsets against the reference,
/// in all three encodings, and the round trip back to the offset.
fn check_positions(note: &Note, offsets: &[usize], what: &str) {
    let text = note.text.as_str();
    // A sample of at most ~256 offsets (evenly spread, always the first and
    // last): each conversion costs up to a line's length, and the check must
    // not be the slow part of a case.
    let step = offsets.len().div_ceil(256).max(1);
    let last = offsets.last().copied();
    let mut offsets: Vec<usize> = offsets.iter().copied().step_by(step).collect();
    offsets.extend(last);
    let reference = reference_positions(text, &offsets);
    for &offset in &offsets {
        let want = reference[&offset];
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            let got = note.lines.line_col(text, offset, enc);
            assert_eq!(
                got,
                LineCol { line: want.line, col: want.col(enc) },
                "{what}: offset {offset} in {enc:?} of {}",
                note.path
            );
            let back = note.lines.offset(text, got, enc);
            // Between the CR and LF of a CRLF there is no column to go back to.
            let inside_crlf = offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text[offset..].starts_with('\n');
            if !inside_crlf {
                assert_eq!(back, offset, "{what}: round trip of offset {offset} in {enc:?} of {}", note.path);
            }
        }
    }
    // Positions a client may send that point nowhere clamp instead of panicking.
    let last = note.lines.line_count() as u32;
    for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
        for pos in
            [LineCol { line: last + 5, col: 0 }, LineCol { line: 0, col: u32::MAX }, LineCol { line: last, col: 7 }]
        {
            let off = note.lines.offset(text, pos, enc);
            assert!(off <= text.len() && text.is_char_boundary(off), "{what}: clamped {pos:?}");
        }
        let lc = note.lines.line_col(text, usize::MAX, enc);
        assert!((lc.line as usize) < note.lines.line_count());
    }
}

/// Applies one edit to a note, checking it is well formed, and parses the result.
fn apply_and_reparse(note: &Note, edit: &TextEdit, config: &Config, what: &str) -> Note {
    assert_range(&note.text, &edit.range, what);
    let new_text = TextEdit::apply(&note.text, std::slice::from_ref(edit));
    let kept = note.text.len() - edit.range.len();
    assert_eq!(new_text.len(), kept + edit.new_text.len(), "{what}: the edit kept the rest of the text");
    assert!(new_text.starts_with(&note.text[..edit.range.start]), "{what}: text before the edit is intact");
    assert!(new_text.ends_with(&note.text[edit.range.end..]), "{what}: text after the edit is intact");
    let reparsed = Note::parse(&note.path, new_text, Origin::default(), config);
    check_note(&reparsed);
    reparsed
}

/// How hard [`exercise`] works a case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// Everything, edits on every item and finding included.
    Full,
    /// Skip the per-item and per-finding edits (huge inputs).
    Light,
    /// Edits on a few items and findings only (thousands of small mutants).
    Fuzz,
}

/// What a case left behind, for assertions of its own.
struct Outcome {
    vault: Vault,
    findings: Vec<Finding>,
    /// `kith log` wrote an entry that the note, parsed again, does not hold.
    unread_log_entries: Vec<String>,
}

impl Outcome {
    fn rules(&self) -> Vec<Rule> {
        let mut rules: Vec<Rule> = self.findings.iter().map(|f| f.rule).collect();
        rules.dedup();
        rules
    }
    fn has(&self, rule: Rule) -> bool {
        self.findings.iter().any(|f| f.rule == rule)
    }
    fn note(&self, path: &str) -> &Note {
        self.vault.by_path(path).expect("the note is in the vault")
    }
}

/// The whole pure core on a set of notes; panics (caught by [`guarded`]) on
/// any broken invariant.
fn exercise(files: Vec<(String, String)>, config: Config, today: Date, depth: Depth, stage: &Stage) -> Outcome {
    stage.set("Vault::build (parse)");
    let sources = files.into_iter().map(|(path, text)| SourceFile { path, text, origin: Origin::default() }).collect();
    let vault = Vault::build(config.clone(), sources, Vec::new());
    stage.set("note invariants");
    for (_, note) in vault.notes() {
        check_note(note);
    }

    stage.set("analyze");
    let findings = analyze(&vault, today);
    // Findings are proportionate to the notes: their words are capped, and
    // no finding copies a whole line or note.
    let input: usize = vault.notes().map(|(_, n)| n.text.len()).sum();
    let held: usize =
        findings.iter().map(|f| f.message.len() + std::mem::size_of_val(&f.identity) + f.path.len()).sum();
    assert!(
        held <= 100 * input + (1 << 20),
        "findings hold {} MiB of text for {} KiB of notes ({} findings)",
        held >> 20,
        input >> 10,
        findings.len()
    );
    stage.set("finding positions");
    let mut by_note: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for f in &findings {
        let note = vault.by_path(&f.path).unwrap_or_else(|| panic!("finding {} in unknown note {}", f.rule, f.path));
        assert_range(&note.text, &f.range, &format!("{}: finding {}", f.path, f.rule));
        assert!(!f.message.is_empty(), "{}: finding {} has a message", f.path, f.rule);
        by_note.entry(&f.path).or_default().extend([f.range.start, f.range.end]);
    }
    for (path, offsets) in &by_note {
        check_positions(vault.by_path(path).expect("note"), offsets, "finding");
    }

    stage.set("contact summaries");
    let contacts: Vec<_> = vault.contacts().map(|(id, _)| id).collect();
    for &id in &contacts {
        let summary = ContactSummary::new(&vault, id, today).expect("a summary of every contact");
        let _ = summary.card(today);
        let _ = summary.one_line(today);
        for m in summary.open_debts.iter().chain(&summary.thanks_owed).chain(&summary.congrats_owed) {
            let note = vault.by_path(&m.path).expect("a moment's note");
            assert_range(&note.text, &m.range, "summary moment");
        }
        let own = vault.note(id).expect("contact");
        for f in &summary.follow_ups {
            assert_range(&own.text, &f.range, "summary follow-up");
        }
    }

    stage.set("agenda");
    let items = agenda(&vault, today, 30);
    let mut agenda_offsets: BTreeMap<&str, Vec<(usize, usize, usize)>> = BTreeMap::new();
    for item in &items {
        let note = vault.by_path(&item.path).expect("an agenda item's note");
        assert_range(&note.text, &item.range, "agenda item");
        agenda_offsets.entry(&item.path).or_default().push((item.range.start, item.line, item.column));
    }
    for (path, rows) in agenda_offsets {
        let note = vault.by_path(path).expect("note");
        let offsets: Vec<usize> = rows.iter().map(|r| r.0).collect();
        let reference = reference_positions(&note.text, &offsets);
        for (offset, line, column) in rows {
            let want = reference[&offset];
            assert_eq!((line, column), (want.line as usize + 1, want.chars as usize + 1), "agenda position in {path}");
        }
    }

    stage.set("edits");
    let mut unread_log_entries = Vec::new();
    let notes: Vec<&Note> = vault.notes().map(|(_, n)| n).collect();
    for note in notes {
        // `kith log` and the "Log … today" quick fixes.
        stage.set(format!("edit::log_entry on {}", note.path));
        // `None` would mean kith found no place where the entry counts (and
        // writes nothing); the top of the body is always such a place.
        let logged = edit::log_entry(note, today, &["met"], "robustness check")
            .unwrap_or_else(|| panic!("{}: log_entry found no place for an entry", note.path));
        assert!(logged.range.is_empty(), "log_entry only inserts");
        let after = apply_and_reparse(note, &logged, &config, "log_entry");
        let read_back = after.items.iter().any(|i| {
            i.date.as_ref().is_some_and(|(_, r)| after.text[r.range()] == today.to_string())
                && after.kinds(i).iter().any(|k| k.kind == Kind::Met)
                && !i.in_quote
                && i.task.is_none()
                && after.text[i.text.range()].contains("robustness check")
        });
        if !read_back {
            unread_log_entries.push(note.path.to_string());
        }

        // The "Snooze" quick fix: an edit that is read back, or none at all.
        stage.set(format!("edit::snooze on {}", note.path));
        let until = today.checked_add_days(chrono::Days::new(30)).unwrap_or(today);
        let clean_front = !note.problems.iter().any(|p| p.rule == Rule::FrontMatter);
        match edit::snooze(note, until) {
            Some(snooze) => {
                let snoozed = apply_and_reparse(note, &snooze, &config, "snooze");
                assert_eq!(snoozed.front.snooze, Some(until), "{}: snooze is read back after the edit", note.path);
            }
            // Past 9999 a date has no `YYYY-MM-DD` form to write.
            None => assert!(
                !(clean_front && note.front.block.is_some() && until < day(10_000, 1, 1)),
                "{}: no snooze edit for valid front matter",
                note.path
            ),
        }

        if depth == Depth::Light {
            continue;
        }
        stage.set(format!("edit::mark_done/add_how on {}", note.path));
        let few = if depth == Depth::Fuzz { 3 } else { 200 };
        for item in note.items.iter().take(few) {
            if let Some(done) = edit::mark_done(item) {
                let after = apply_and_reparse(note, &done, &config, "mark_done");
                assert!(
                    !after.items.iter().any(|i| i.full.start == item.full.start && i.task == Some(TaskStatus::Open)),
                    "{}: the task at {} is still open after mark_done",
                    note.path,
                    item.full.start
                );
            }
            if note.kinds(item).iter().any(|k| k.kind == Kind::Ask) {
                apply_and_reparse(note, &edit::add_how(note, item), &config, "add_how");
            }
        }
        stage.set(format!("edit::ignore_comment on {}", note.path));
        for f in findings.iter().filter(|f| f.path == note.path).take(few / 4 + 1) {
            apply_and_reparse(
                note,
                &edit::ignore_comment(note, f.range.start, f.rule.name()),
                &config,
                "ignore_comment",
            );
        }
    }
    stage.set("output formats");
    let report = Report::new(&vault, &findings);
    for fmt in
        [Format::Human, Format::Concise, Format::Json, Format::Github, Format::Sarif, Format::Junit, Format::Gitlab]
    {
        stage.set(format!("output format {fmt:?}"));
        let mut out = Vec::new();
        format::write(fmt, &report, Style::default(), &mut out).expect("formatting into memory works");
        // A few KiB per finding, plus the notes themselves: a frame must not
        // print a whole long line for each finding on it.
        assert!(
            out.len() <= 4096 * findings.len() + 4 * input + (64 << 10),
            "{fmt:?} output is {} KiB for {} findings",
            out.len() >> 10,
            findings.len()
        );
        assert!(std::str::from_utf8(&out).is_ok(), "{fmt:?} output is UTF-8");
        if fmt == Format::Json {
            let parsed: serde_json::Value = serde_json::from_slice(&out).expect("JSON output parses");
            assert_eq!(parsed.as_array().map(Vec::len), Some(findings.len()));
        }
    }
    drop(report);

    stage.set("done");
    Outcome { vault, findings, unread_log_entries }
}

/// One hostile note as a contact (`people/x.md`, a contacts glob makes it one
/// whatever its front matter says) through the whole core.
fn contact_case(label: &str, text: String) -> Outcome {
    contact_case_at(label, text, today(), Depth::Full)
}

fn contact_case_at(label: &str, text: String, today: Date, depth: Depth) -> Outcome {
    let config = Config::parse("contacts = [\"people/**\"]\n").expect("config");
    guarded(label, move |stage| exercise(vec![("people/x.md".into(), text)], config, today, depth, stage))
}

/// Huge inputs get the lighter edit pass: every edit re-parses the note.
fn big_case(label: &str, text: String) -> Outcome {
    contact_case_at(label, text, today(), Depth::Light)
}

/// A minimal vault of several notes through the whole core.
fn vault_case(label: &str, config: &str, files: &[(&str, &str)]) -> Outcome {
    let config = Config::parse(config).expect("config");
    let files: Vec<(String, String)> = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    guarded(label, move |stage| exercise(files, config, today(), Depth::Full, stage))
}

/// `n` lines made by `line(i)`.
fn lines(n: usize, line: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&line(i));
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------
// 1. Pathological single notes
// ---------------------------------------------------------------------------

/// Nothing at all, and the smallest texts that look like front matter.
#[test]
fn pathological_empty_and_tiny() {
    if in_own_process() {
        return;
    }
    for (label, text) in [
        ("empty", ""),
        ("only ---", "---"),
        ("--- and newline", "---\n"),
        ("--- ---", "---\n---"),
        ("--- ...", "---\n..."),
        ("--- --- ---", "---\n---\n---\n"),
        ("only a newline", "\n"),
        ("only a CR", "\r"),
        ("only CRLF", "\r\n"),
        ("a dash", "-"),
        ("a list marker", "- "),
        ("a task box", "- [ ]"),
        ("a date", "2026-01-01"),
        ("an item date", "- 2026-01-01"),
        ("an item date and hash", "- 2026-01-01 #"),
        ("open link", "[["),
        ("link", "[[]]"),
        ("comment open", "<!--"),
        ("kith-ignore alone", "<!-- kith-ignore -->"),
        ("heading marks", "#"),
    ] {
        contact_case(label, text.to_string());
    }
}

/// An opening `---` that is never closed, followed by 100k lines: all body,
/// one front-matter finding on line 1.
#[test]
fn pathological_unclosed_front_matter_100k_lines() {
    if in_own_process() {
        return;
    }
    let text = "---\n".to_string() + &lines(100_000, |i| format!("key{i}: - 2026-01-01 #met [[x]]"));
    let out = big_case("--- + 100k lines", text);
    let fm: Vec<&Finding> = out.findings.iter().filter(|f| f.rule == Rule::FrontMatter).collect();
    assert_eq!(fm.len(), 1, "one front-matter finding");
    assert_eq!(fm[0].range, 0..3, "on the opening line");
}

/// Front matter of many keys closes properly: the node cap or the parse
/// must bound the work, and duplicate-key detection must not go quadratic
/// (that it does not is [`linear_many_front_matter_keys`]; the 90k keys below
/// the node cap are in [`heavy_full_size_inputs`]).
#[test]
fn pathological_front_matter_with_many_keys() {
    if in_own_process() {
        return;
    }
    many_front_matter_keys(20_000);
}

fn many_front_matter_keys(n: usize) {
    let text = "---\ntype: contact\n".to_string() + &lines(n, |i| format!("k{i}: v")) + "---\nbody\n";
    let out = big_case(&format!("{n} distinct keys"), text);
    assert!(out.note("people/x.md").is_contact);
}

/// A UTF-8 byte order mark alone, and before front matter.
#[test]
fn pathological_bom() {
    if in_own_process() {
        return;
    }
    contact_case("BOM only", "\u{feff}".into());
    contact_case("BOM + newline", "\u{feff}\n".into());
    let out =
        contact_case("BOM + front matter", "\u{feff}---\nname: Jana\ncadence: 1d\n---\n- 2026-01-01 #met x\n".into());
    assert_eq!(out.note("people/x.md").front.name.as_ref().map(|n| n.value.as_str()), Some("Jana"));
    assert!(out.has(Rule::OverdueTouch));
    contact_case("two BOMs", "\u{feff}\u{feff}---\nname: x\n---\n".into());
    contact_case("BOM mid-text", "---\nname: a\u{feff}b\n---\n- 2026-01-01\u{feff} #met [[\u{feff}]]\n".into());
}

/// Lone CRs are line ends (spec 7): front matter, entries and positions
/// must all agree on them.
#[test]
fn pathological_lone_cr() {
    if in_own_process() {
        return;
    }
    let out = contact_case(
        "lone CRs",
        "---\rname: Jana\rcadence: 2026-13-45\r---\r- 2026-02-30 #met x\r- [ ] 2026-01-01 y\r[[nowhere]]\r".into(),
    );
    assert!(out.has(Rule::InvalidDate) && out.has(Rule::BrokenLink) && out.has(Rule::FollowUpDue), "{:?}", out.rules());
    big_case("100k lone CRs", "\r".repeat(100_000));
    big_case(
        "CR between every char",
        "- 2026-01-01 #met [[x]]".chars().map(|c| format!("{c}\r")).collect::<String>().repeat(2000),
    );
}

/// Every mixture of LF, CRLF and CR, including CR LF split across lines.
#[test]
fn pathological_crlf_mixtures() {
    if in_own_process() {
        return;
    }
    for (label, text) in [
        ("crlf", "---\r\nname: Jana\r\n---\r\n- 2026-11-20 #got x\r\n[[gone]]\r\n"),
        ("mixed", "---\r\nname: Jana\n---\r- 2026-11-20 #got x\n\r- 2026-11-21 #ask y\r\r\n[[gone]]\n\r"),
        ("lf cr", "---\n\rname: Jana\n\r---\n\r- 2026-11-20 #got x\n\r"),
        ("cr cr lf", "\r\r\n\r\r\n---\r\r\n"),
        ("crlf inside link", "[[a\r\nb]] [[c\rd]] [[e\nf]]"),
    ] {
        contact_case(label, text.to_string());
    }
    let mut soup = String::new();
    for i in 0..30_000 {
        soup.push_str(["\n", "\r\n", "\r", "- 2026-01-01 #met [[x]]", "\n\r"][i % 5]);
    }
    big_case("line end soup", soup);
}

/// NUL bytes and every other control character, in front matter, entries,
/// links and tags.
#[test]
fn pathological_control_characters() {
    if in_own_process() {
        return;
    }
    let controls: String = (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32).collect();
    let text = format!(
        "---\nname: \"a\\0b\"\norg: x{c}\ntags: [contact]\n---\n- 2026-11-20 #got \0 {c}\n- 2026-11-21 #ask\0x\n[[\0]] [[a\0b]] #\0\n- 2026-11-22 #{c}\n",
        c = controls.replace(['\n', '\r'], "")
    );
    contact_case("control characters", text);
    contact_case("NULs only", "\0".repeat(10_000));
    contact_case("NUL front matter", "---\n\0: \0\n---\n".into());
    contact_case(
        "escape sequences",
        "---\nname: \u{1b}[2J\u{1b}]0;title\u{7}\n---\n- 2026-01-01 #met \u{1b}[31mred\n".into(),
    );
}

/// A 5 MB single line: bigger than max-file-size, which only the IO layer
/// enforces, so the core must still be linear.
#[test]
fn pathological_5mb_single_line() {
    if in_own_process() {
        return;
    }
    big_case("5 MB of a", "a".repeat(5 << 20));
    big_case("5 MB entry line", format!("- 2026-11-20 #got {}", "word ".repeat(1 << 20)));
}

/// `[[` without `]]`, `]]` without `[[`, and many `[[` before one `]]`:
/// the link scanner must not rescan the rest of the text for each `[[`.
#[test]
fn pathological_brackets() {
    if in_own_process() {
        return;
    }
    big_case("200k [[", "[[".repeat(200_000));
    big_case("100k ]]", "]]".repeat(100_000));
    big_case("200k [[ then ]]", "[[".repeat(200_000) + "]]");
    big_case("100k [[a\\n then ]]", "[[a\n".repeat(100_000) + "]]");
    big_case("100k [", "[".repeat(100_000));
    big_case("100k ![[", "![[".repeat(100_000) + "x]]");
}

/// Many links: each is resolved and each broken one is a finding.
#[test]
fn pathological_many_links() {
    if in_own_process() {
        return;
    }
    many_links(20_000);
}

fn many_links(n: usize) {
    let out = big_case(&format!("{n} links"), lines(n, |i| format!("- [[nowhere {}]]", i % 100)));
    assert_eq!(out.findings.iter().filter(|f| f.rule == Rule::BrokenLink).count(), n);
}

/// Deeply nested lists: 10k markers on one line, and 10k lines each indented
/// one more space (2,800 of them: 4 MB, the default max-file-size, as more
/// would not be read), and nesting by two spaces per level.
#[test]
fn pathological_deep_lists() {
    if in_own_process() {
        return;
    }
    big_case("10k '- ' on one line", "- ".repeat(10_000) + "2026-01-01 #met [[x]]\n");
    big_case("10k '1. ' on one line", "1. ".repeat(10_000) + "2026-01-01 #met x\n");
    big_case("2,800 lines, one more space each", lines(2_800, |i| format!("{}- 2026-01-01 #got [[x]]", " ".repeat(i))));
    if !cfg!(debug_assertions) {
        // 50 MB: only what the language server could be handed (an open
        // document is not held to max-file-size); too slow for a debug build.
        big_case("10k lines, one more space each", lines(10_000, |i| format!("{}- 2026-01-01 #met x", " ".repeat(i))));
    }
    big_case(
        "2,000 levels, two spaces each",
        lines(2_000, |i| format!("{}- [ ] 2026-01-0{} task", "  ".repeat(i), 1 + i % 9)),
    );
}

/// 10k nested block quotes: entries inside quotes are not entries.
#[test]
fn pathological_deep_quotes() {
    if in_own_process() {
        return;
    }
    let out = big_case("> * 10k", ">".repeat(10_000) + " - 2026-01-01 #got [[x]]\n");
    assert!(!out.has(Rule::MissingThanks), "a quoted entry is no entry");
    big_case("'> ' * 10k", "> ".repeat(10_000) + "- 2026-01-01 #met x\n");
    big_case("quote and list alternating", "> - ".repeat(5_000) + "2026-01-01 #met x\n");
}

/// Blocks that never close: code fences and HTML comments.
#[test]
fn pathological_unclosed_blocks() {
    if in_own_process() {
        return;
    }
    let out = contact_case("unclosed fence", "---\nname: J\n---\n```\n- 2026-01-01 #got [[nowhere]]\n".into());
    assert!(!out.has(Rule::MissingThanks) && !out.has(Rule::BrokenLink), "code is text: {:?}", out.rules());
    contact_case("unclosed tilde fence in a list", "- x\n  ~~~~\n  - 2026-01-01 #got y\n".into());
    contact_case("unclosed comment", "<!-- kith-ignore: missing-thanks\n- 2026-01-01 #got [[nowhere]]\n".into());
    contact_case("unclosed inline code", "- 2026-01-01 #got `[[x]] \n".into());
    big_case("100k fence openers", "```\n".repeat(100_000));
    big_case("100k comment openers", "<!--\n".repeat(100_000));
    big_case("100k backticks", "`".repeat(100_000));
    big_case("100k <", "<".repeat(100_000));
}

/// Many suppression comments, with and without findings on their lines:
/// both lookups (in a comment? suppressed here?) must not scan all comments.
#[test]
fn pathological_many_suppressions() {
    if in_own_process() {
        return;
    }
    many_suppressions(20_000);
}

fn many_suppressions(n: usize) {
    big_case(&format!("{n} kith-ignore"), "<!-- kith-ignore: x -->\n".repeat(n));
    let out = big_case(
        &format!("{n} suppressed findings"),
        lines(n, |_| "- 2026-13-45 #met x <!-- kith-ignore: invalid-date -->".into()),
    );
    assert!(!out.has(Rule::InvalidDate), "every invalid date is suppressed");
    big_case(&format!("{n} comments and links"), "<!-- kith-ignore: x -->\n".repeat(n) + &"[[nowhere]]\n".repeat(n));
}

/// Many block quotes and many links: "is this link quoted?" must not scan
/// every quote.
#[test]
fn pathological_many_quotes_and_links() {
    if in_own_process() {
        return;
    }
    many_quotes_and_links(15_000);
}

fn many_quotes_and_links(n: usize) {
    big_case(&format!("{n} quotes with links"), "> [[nowhere]]\n\n".repeat(n));
}

/// A YAML billion-laughs bomb: aliases must never be expanded.
#[test]
fn pathological_yaml_bomb() {
    if in_own_process() {
        return;
    }
    let mut yaml = String::from(
        "---\ntype: contact\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        yaml.push_str(&format!("{}: &{} [{}]\n", w[1], w[1], vec![format!("*{}", w[0]); 9].join(",")));
    }
    yaml.push_str("name: *j\naliases: *j\ntags: *j\nkith: *j\n<<: *j\n*j : x\n---\n- 2026-01-01 #met x\n");
    let out = contact_case("billion laughs", yaml);
    assert!(out.has(Rule::FrontMatter), "aliases as values of known keys are reported");
    contact_case("alias to undefined anchor", "---\nname: *nothing\n---\n".into());
    contact_case("anchor loop", "---\na: &a [*a]\n---\n".into());
}

/// Nesting 10k deep in every YAML form: flow, block sequences, block mappings.
#[test]
fn pathological_yaml_deep_nesting() {
    if in_own_process() {
        return;
    }
    for (label, yaml) in [
        ("10k [ unclosed", "a: ".to_string() + &"[".repeat(10_000)),
        ("10k [ closed", "a: ".to_string() + &"[".repeat(10_000) + &"]".repeat(10_000)),
        ("10k { closed", "a: ".to_string() + &"{a: ".repeat(10_000) + "b" + &"}".repeat(10_000)),
        ("10k - on one line", "a:\n  ".to_string() + &"- ".repeat(10_000) + "x"),
        ("10k [ as the document", "[".repeat(10_000)),
        ("10k ? keys", "? ".repeat(10_000) + "x"),
    ] {
        let out = contact_case(label, format!("---\n{yaml}\n---\n- 2026-01-01 #met x\n"));
        assert!(out.has(Rule::FrontMatter), "{label}: reported");
    }
    // 10k levels of block mappings take 50 MB of indentation; 2,800 levels fill the default max-file-size.
    let deep = (0..2_800).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect::<String>();
    let out = big_case("2,800-deep block mapping", format!("---\n{deep}---\nbody\n"));
    assert!(out.has(Rule::FrontMatter));
    if !cfg!(debug_assertions) {
        // 50 MB of indentation: release builds only (see pathological_deep_lists).
        let deep = (0..10_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect::<String>();
        let out = big_case("10k-deep block mapping", format!("---\n{deep}---\nbody\n"));
        assert!(out.has(Rule::FrontMatter));
    }
}

/// Keys far longer than any real one, plain, quoted and explicit.
#[test]
fn pathological_huge_yaml_keys() {
    if in_own_process() {
        return;
    }
    let long = "k".repeat(100_000);
    for (label, yaml) in [
        ("huge plain key", format!("{long}: v")),
        ("huge quoted key", format!("\"{long}\": v")),
        ("huge explicit key", format!("? {long}\n: v")),
        ("huge multibyte key", format!("{}: v", "ü".repeat(50_000))),
        ("huge value", format!("name: {long}")),
        ("huge typo-ish key", format!("cadanc{}: 1d", "e".repeat(100_000))),
    ] {
        contact_case(label, format!("---\n{yaml}\n---\n"));
    }
}

/// Tabs where YAML forbids them and where Markdown expands them.
#[test]
fn pathological_tabs() {
    if in_own_process() {
        return;
    }
    contact_case("tab indentation in YAML", "---\nkith:\n\tignore: [x]\n---\n".into());
    contact_case("tab after key", "---\nname:\tJana\ncadence:\t2m\n---\n".into());
    contact_case(
        "tabs in entries",
        "-\t2026-11-20\t#got\t[[x]]\n\t-\t[ ]\t2026-01-01\tx\n\t\t\t- 2026-01-01 #met\n".into(),
    );
    contact_case("tabs everywhere", "\t".repeat(10_000) + "\n- \t\t[\t]\t2026-01-01");
}

/// Escapes YAML does not allow, and escapes of characters that are not scalars.
#[test]
fn pathological_invalid_yaml_escapes() {
    if in_own_process() {
        return;
    }
    for esc in
        [r"\q", r"\x", r"\xZZ", r"\u12", r"\uD800", r"\uDFFF", r"\U00110000", r"\UFFFFFFFF", r"\", r"\u{41}", r"\0"]
    {
        let out = contact_case(&format!("escape {esc}"), format!("---\nname: \"a{esc}b\"\n---\n- 2026-01-01 #met x\n"));
        let note = out.note("people/x.md");
        assert!(note.front.name.is_some() || out.has(Rule::FrontMatter), "{esc}: read or reported");
    }
}

/// Birthdays without a year that are no real day, and other near-dates.
#[test]
fn pathological_birthdays() {
    if in_own_process() {
        return;
    }
    for birthday in [
        "--02-30",
        "--02-29",
        "--13-01",
        "--00-00",
        "--12-32",
        "--ab-cd",
        "---02-30",
        "--2-3",
        "--02-30x",
        "0000-02-29",
        "9999-12-31",
    ] {
        let out = contact_case(
            &format!("birthday {birthday}"),
            format!("---\nbirthday: {birthday}\n---\n- 2026-11-20 #met x\n"),
        );
        let invalid = out.has(Rule::InvalidDate) || out.has(Rule::FrontMatter);
        let read = out.note("people/x.md").front.birthday.is_some();
        assert!(invalid != read, "{birthday}: either read or reported, not both nor neither");
    }
}

/// Dates at and past the ends of the calendar in entries, tasks, snooze and
/// birthdays, checked on ordinary days and on the last and first days kith can be given.
#[test]
fn pathological_extreme_dates() {
    if in_own_process() {
        return;
    }
    let text = "---\nbirthday: 9999-12-31\nsnooze: 0000-01-01\ndate: 2026-13-45\ncadence: 1d\n---\n\
        - 9999-12-31 #got #news #ask far future\n- 0000-01-01 #got #news #ask year zero\n- 2026-13-45 #met bad\n\
        - 0000-00-00 #met zero\n- 9999-99-99 #met nines\n- [ ] 9999-12-31 task\n- [ ] 0000-01-01 task\n- [ ] 2026-13-45 task\n\
        - 2026-02-29 #met not a leap year\n- 2028-02-29 #met a leap year\n";
    for today in [day(2026, 12, 1), day(9999, 12, 31), day(0, 1, 1), day(2028, 2, 29)] {
        let out = contact_case_at(&format!("extreme dates on {today}"), text.to_string(), today, Depth::Full);
        assert!(out.has(Rule::InvalidDate));
    }
    let snooze = "---\nsnooze: 9999-12-31\nbirthday: --02-29\n---\n- 0000-01-01 #met x\n";
    contact_case_at("snooze to the end of time", snooze.into(), day(9999, 12, 31), Depth::Full);
}

/// Cadences whose numbers overflow `u32` or the calendar.
#[test]
fn pathological_cadence_overflow() {
    if in_own_process() {
        return;
    }
    for cadence in [
        "4294967296d",
        "4294967295d",
        "4294967295w",
        "4294967295m",
        "999999999y",
        "4294967295y",
        "18446744073709551616d",
        "99999999999999999999999y",
    ] {
        let out = contact_case(
            &format!("cadence {cadence}"),
            format!("---\ncadence: {cadence}\n---\n- 2026-11-20 #ask x\n- 0000-01-01 #met y\n"),
        );
        let read = out.note("people/x.md").front.cadence.is_some();
        assert!(read != out.has(Rule::FrontMatter), "{cadence}: either read or reported");
    }
}

/// A cadence (or any duration) ending in a multi-byte character is a finding,
/// not a panic (`Span::parse` splits off its last byte).
#[test]
fn pathological_cadence_multibyte_unit() {
    if in_own_process() {
        return;
    }
    for cadence in ["1é", "é", "2ｍ", "1😀", "😀"] {
        let out = contact_case(&format!("cadence {cadence}"), format!("---\ncadence: {cadence}\n---\n"));
        assert!(out.has(Rule::FrontMatter), "{cadence}: reported");
    }
}

/// Every duration kith reads, from `kith.toml` as from front matter.
#[test]
fn pathological_config_durations() {
    if in_own_process() {
        return;
    }
    for value in ["1é", "é", "4294967296d", "999999999y", "0d", "-1d", "", "d", "１d"] {
        let text = format!("default-cadence = \"{value}\"\n");
        let parsed = guarded(&format!("default-cadence {value}"), move |_| {
            Config::parse(&text).map(|_| ()).map_err(|e| e.message)
        });
        if value == "999999999y" {
            assert!(parsed.is_ok());
        }
    }
}

/// Kind tags far longer than any word, and entries with thousands of tags.
#[test]
fn pathological_long_tags() {
    if in_own_process() {
        return;
    }
    contact_case("100k-char tag", format!("- 2026-11-20 #{}\n", "a".repeat(100_000)));
    contact_case("100k-char near-kind tag", format!("- 2026-11-20 #thank{} x\n", "s".repeat(100_000)));
    contact_case("100k-char multibyte tag", format!("- 2026-11-20 #{}\n", "ß".repeat(50_000)));
    let out = contact_case("8k tags", format!("- 2026-11-20 {}x\n", "#got #thnaks ".repeat(4_000)));
    assert!(out.has(Rule::UnknownKind) && out.has(Rule::MissingThanks));
    big_case("tags in front matter", format!("---\ntags: [{}]\n---\n", vec!["contact"; 50_000].join(",")));
}

/// Emoji, ZWJ sequences, combining marks, bidi controls and RTL text in
/// names, aliases, links and entries: every column in every encoding.
#[test]
fn pathological_unicode_names() {
    if in_own_process() {
        return;
    }
    let text = "---\nname: \"👩‍👩‍👧‍👦 Jana Mu\u{308}ller\"\naliases: [\"\u{202E}evil\u{202C}\", مرحبا, \"e\u{301}\u{301}\u{301}\"]\ncadence: 1w\n---\n\
        - 2026-11-20 #got 🎉‍🔥 [[👩‍💻|co\u{301}de]] [[مرحبا]] [[Jana Müller]]\n\
        - 2026-11-21 #ask \u{200F}ask\u{200E} [[\u{202E}nowhere\u{202C}]]\n- [ ] 2026-11-01 follow 🏳️‍🌈\n\
        - 2026-11-22 #news [[e\u{301}\u{301}\u{301}]] <!-- kith-ignore: congratulate -->\n";
    let out = contact_case("unicode names", text.into());
    assert!(out.has(Rule::BrokenLink) && out.has(Rule::MissingThanks));
    let zalgo = format!("---\nname: a{}\n---\n[[a{}]]\n", "\u{301}".repeat(100_000), "\u{300}".repeat(100_000));
    big_case("100k combining marks", zalgo);
    big_case("bare combining marks", "\u{301}".repeat(200_000));
}

/// Characters at the edges of the UTF-16 planes: U+FFFF and U+10000 differ
/// in UTF-16 length; U+FFFE, U+FEFF and U+10FFFF are legal scalars too.
#[test]
fn pathological_plane_edges() {
    if in_own_process() {
        return;
    }
    let text = "---\nname: \"\u{FFFF}\u{10000}\"\naliases: [\u{10FFFF}, \u{FFFE}]\n---\n\
        \u{10000}- 2026-11-20 #got [[\u{FFFF}]]\n- 2026-13-45 \u{10000}#met\n\u{FFFF}[[\u{10FFFF}x]] [[\u{10000}]]\n\
        - 2026-11-20 #got \u{10000}\u{FFFF}\u{10000} [[\u{FEFF}]]\n";
    let out = contact_case("plane edges", text.into());
    assert!(out.has(Rule::BrokenLink));
    big_case("100k astral characters", "\u{10000}[[\u{10FFFF}]]".repeat(20_000));
}

/// Many entries for one contact: the ledger and the rules that look back
/// over it must stay linear-ish (measured in [`linear_many_asks`]).
#[test]
fn pathological_many_entries() {
    if in_own_process() {
        return;
    }
    many_entries(8_000);
}

fn many_entries(n: usize) {
    big_case(&format!("{n} asks"), lines(n, |i| format!("- 2026-{:02}-{:02} #ask x", 1 + i % 12, 1 + i % 28)));
    big_case(&format!("{n} gots"), lines(n, |i| format!("- 2026-{:02}-{:02} #got x", 1 + i % 12, 1 + i % 28)));
    big_case(&format!("{n} tasks"), lines(n, |i| format!("- [ ] 2026-{:02}-{:02} x", 1 + i % 12, 1 + i % 28)));
}

/// The many-of-a-kind cases above at their full size: tens of thousands of
/// findings through every output format take over a minute in a debug build, so
/// they are not part of the default run (the `linear_*` tests show the same
/// stages grow linearly). Run them with
/// `cargo test --test robustness -- --ignored` (faster with `--release`).
#[test]
#[ignore = "over a minute in a debug build; run with `cargo test --test robustness -- --ignored`"]
fn heavy_full_size_inputs() {
    if in_own_process() {
        return;
    }
    many_front_matter_keys(90_000);
    many_links(100_000);
    many_suppressions(50_000);
    many_quotes_and_links(40_000);
    many_entries(30_000);
}

/// Markdown constructs with a history of quadratic parsing.
#[test]
fn pathological_markdown_stress() {
    if in_own_process() {
        return;
    }
    big_case(
        "wide table",
        format!("{}|\n{}|\n{}|\n", "| a ".repeat(10_000), "|---".repeat(10_000), "| [[x]] ".repeat(10_000)),
    );
    big_case("emphasis", "*a _b ".repeat(50_000));
    big_case("footnotes", "[^1] ".repeat(50_000) + "\n[^1]: - 2026-01-01 #met x\n");
    big_case("link brackets", "[a](".repeat(50_000));
    big_case("reference definitions", lines(20_000, |i| format!("[r{i}]: http://x \"t\"")));
    big_case("headings", lines(50_000, |i| format!("{} Log", "#".repeat(1 + i % 8))));
    big_case("html blocks", lines(20_000, |_| "<div>\n- 2026-01-01 #met x\n</div>".into()));
}

/// Several notes that interact: duplicate names in odd scripts, journal
/// entries linking contacts, mentions, file-name dates.
#[test]
fn pathological_vault_interactions() {
    if in_own_process() {
        return;
    }
    vault_case(
        "interactions",
        "mentions-are-touches = true\n[kinds]\ncoffee = \"met\"\n",
        &[
            (
                "people/a.md",
                "---\ntype: contact\nname: \"Ｊana\"\naliases: [Jana, \"\u{FEFF}\"]\n---\n- 2026-11-20 #got x\n",
            ),
            ("people/b.md", "---\ntype: contact\nname: jana\naliases: [\"ｊana\"]\n---\n"),
            ("people/Jana.md", "---\ntags: [\"#person\"]\n---\n"),
            (
                "journal/2026-13-45 2026-11-30.md",
                "- #coffee [[Jana]] [[jana|x]] ![[Jana]]\n- [[Jana]] mention\n> [[Jana]]\n",
            ),
            ("journal/0000-01-01.md", "- #got [[people/a]] [[people/a.md]] [[/people/a]]\n"),
            ("x.md", "[[x]] [[X.MD]] [[.md]] [[/]] [[#]] [[|]] [[^]]\n"),
        ],
    );
}

// ---------------------------------------------------------------------------
// 1a. Work grows with the input, not with its square
// ---------------------------------------------------------------------------

/// One measured quantity of a run of the core: seconds, or bytes.
struct Metric {
    name: String,
    value: f64,
    seconds: bool,
}

/// When a stage started: the clock and the allocation counter.
struct Start(Instant, usize);

fn start() -> Start {
    Start(Instant::now(), ALLOCATED.load(Ordering::Relaxed))
}

/// Weighs each stage of the core on one contact note by the bytes it
/// allocates (and times it), and weighs what the findings hold; with
/// `outputs`, weighs Report::new and the output formats (JSON, human, JUnit)
/// and their output instead.
fn measure(text: String, outputs: bool) -> Vec<Metric> {
    let config = Config::parse("contacts = [\"people/**\"]\n").expect("config");
    let mut out = Vec::new();
    let mut time = |name: &str, started: Start| {
        let allocated = ALLOCATED.load(Ordering::Relaxed) - started.1;
        out.push(Metric { name: format!("{name} (bytes allocated)"), value: allocated as f64, seconds: false });
        out.push(Metric { name: name.to_string(), value: started.0.elapsed().as_secs_f64(), seconds: true });
    };
    let t = start();
    let note = Note::parse("people/x.md", text, Origin::default(), &config);
    time("parse", t);
    let vault = Vault::from_notes(config, vec![Box::new(note)], Vec::new());
    let t = start();
    let findings = analyze(&vault, today());
    time("analyze", t);
    if !outputs {
        let t = start();
        let _ = agenda(&vault, today(), 30);
        time("agenda", t);
        let t = start();
        let note = vault.by_path("people/x.md").expect("note");
        for f in &findings {
            // What the language server does for every diagnostic.
            let _ = note.lines.line_col(&note.text, f.range.start, Encoding::Utf16);
            let _ = note.lines.line_col(&note.text, f.range.end, Encoding::Utf16);
        }
        time("UTF-16 positions", t);
        let held: usize = findings.iter().map(|f| f.message.len() + std::mem::size_of_val(&f.identity)).sum();
        out.push(Metric { name: "bytes held by findings".into(), value: held as f64, seconds: false });
        return out;
    }
    let t = start();
    let report = Report::new(&vault, &findings);
    time("Report::new", t);
    let mut sizes = Vec::new();
    for (name, fmt) in [("json output", Format::Json), ("human output", Format::Human), ("junit output", Format::Junit)]
    {
        let t = start();
        let mut sink = Vec::new();
        format::write(fmt, &report, Style::default(), &mut sink).expect("format");
        time(name, t);
        sizes.push((name, sink.len()));
    }
    for (name, size) in sizes {
        out.push(Metric { name: name.to_string(), value: size as f64, seconds: false });
    }
    out
}

/// Runs `make(n)` and `make(factor * n)` through [`measure`]: `factor`
/// times the input may cost about `factor` times as much; more than twice
/// that (plus a little slack for tiny values) is super-linear growth, reported
/// per stage. Quadratic work grows by `factor²`. A factor of 8 separates the
/// two even when a linear part dominates the small run.
///
/// Work is weighed in bytes allocated and held, which are the same on every
/// run; time is compared only with `timed`, in tests run by hand (speed
/// belongs in benchmarks, not in `cargo test` on a shared machine).
fn assert_linear(timed: bool, label: &str, n: usize, factor: usize, make: fn(usize) -> String) {
    assert_linear_in(label, n, factor, make, false, timed);
}

/// [`assert_linear`] for `Report::new` and the output formats.
fn assert_linear_output(timed: bool, label: &str, n: usize, factor: usize, make: fn(usize) -> String) {
    assert_linear_in(label, n, factor, make, true, timed);
}

fn assert_linear_in(label: &str, n: usize, factor: usize, make: fn(usize) -> String, outputs: bool, timed: bool) {
    let label = label.to_string();
    let failures = guarded(&label.clone(), {
        let label = label.clone();
        move |stage| {
            // On a shared machine a run can only be slowed down, never sped up: the
            // larger of two small runs against the smaller of two large ones keeps
            // a pause in either from making a linear stage look quadratic.
            stage.set("small input (twice)");
            let a = measure(make(n), outputs);
            let b = measure(make(n), outputs);
            stage.set(format!("input {factor} times as large (twice)"));
            let c = measure(make(factor * n), outputs);
            let d = measure(make(factor * n), outputs);
            let large: Vec<Metric> = c
                .into_iter()
                .zip(d)
                .map(|(c, d)| Metric { name: c.name, value: c.value.min(d.value), seconds: c.seconds })
                .collect();
            let mut failures = Vec::new();
            for ((a, b), l) in a.iter().zip(&b).zip(&large) {
                if l.seconds && !timed {
                    continue;
                }
                let small = a.value.max(b.value);
                if std::env::var_os("KITH_ROBUSTNESS_VERBOSE").is_some() {
                    eprintln!("{label}: {}: {small:.3} -> {:.3}", l.name, l.value);
                }
                let slack = if l.seconds { 0.25 } else { 65_536.0 };
                if l.value > 2.0 * factor as f64 * small + slack {
                    let unit = if l.seconds { "s" } else { " bytes" };
                    failures.push(format!(
                        "{}: {:.3}{unit} for n = {n}, {:.3}{unit} for n = {} ({:.0}x)",
                        l.name,
                        small,
                        l.value,
                        factor * n,
                        l.value / small.max(1e-9)
                    ));
                }
            }
            failures
        }
    });
    assert!(failures.is_empty(), "{label}: super-linear growth\n{}", failures.join("\n"));
}

/// A linearity case, as two tests each run in a process of its own:
/// `<case>::allocations` weighs work in bytes (the same on every run) and is
/// part of `cargo test`; `<case>::timed` also compares time and is run by
/// hand (`cargo test --test robustness -- --ignored`).
macro_rules! linear {
    ($(#[$doc:meta])* $name:ident: $check:ident($($arg:expr),+ $(,)?)) => {
        $(#[$doc])*
        mod $name {
            use super::*;

            #[test]
            fn allocations() {
                if in_own_process() {
                    return;
                }
                $check(false, $($arg),+);
            }

            #[test]
            #[ignore = "timed: run by hand with `cargo test --test robustness -- --ignored`"]
            fn timed() {
                if in_own_process() {
                    return;
                }
                $check(true, $($arg),+);
            }
        }
    };
}

linear! {
    /// Many `[[` before a single `]]`: each `[[` must not search the rest of the note again.
    linear_many_link_openers_before_one_close: assert_linear(
        "[[ x n, then ]]",
        10_000,
        8,
        |n| "[[".repeat(n) + "]]",
    )
}

linear! {
    /// Comments and links: "is this link in a comment?" must not scan every comment.
    linear_comments_and_links: assert_linear(
        "n comments, n links",
        5_000,
        8,
        |n| "<!-- c -->\n".repeat(n) + &"[[nowhere]]\n".repeat(n),
    )
}

linear! {
    /// Block quotes and links: "is this link quoted?" must not scan every quote.
    linear_quotes_and_links: assert_linear(
        "n quotes with a link each",
        6_000,
        8,
        |n| "> [[nowhere]]\n\n".repeat(n),
    )
}

linear! {
    /// Suppression comments with a finding each: "is this finding silenced?"
    /// must not scan every comment.
    linear_suppressed_findings: assert_linear(
        "n suppressed invalid dates",
        5_000,
        8,
        |n| "- 0000-00-00 #met <!-- kith-ignore -->\n".repeat(n),
    )
}

linear! {
    /// Front matter with many keys: the repeated-key check must not compare
    /// each key with every earlier one.
    linear_many_front_matter_keys: assert_linear("n keys", 5_000, 8, |n| {
            "---\ntype: contact\n".to_string() + &lines(n, |i| format!("k{i}: v")) + "---\n"
        })
}

linear! {
    /// Many asks: `ask-after-silence` must not look at every entry for each ask.
    linear_many_asks: assert_linear(
        "n asks",
        2_000,
        8,
        |n| lines(n, |i| format!("- 2026-{:02}-{:02} #ask x", 1 + i % 11, 1 + i % 28)),
    )
}

linear! {
    /// Many kind tags on one entry: each tag's finding must not copy (or re-read)
    /// the whole line.
    linear_many_tags_on_one_entry: assert_linear(
        "n #got tags on one line",
        2_000,
        4,
        |n| format!("- 2026-01-01 {}x\n", "#got ".repeat(n)),
    )
}

linear! {
    /// Many kind tags on one entry, in the output: each finding's frame must not
    /// print the whole line again.
    linear_output_of_many_tags_on_one_entry: assert_linear_output("n #got tags on one line, output", 300, 4, |n| {
            format!("- 2026-01-01 {}x\n", "#got ".repeat(n))
        })
}

linear! {
    /// Many findings in one note: output must not re-read the whole note per finding.
    linear_many_findings_in_one_note: assert_linear_output(
        "n broken links, one per line",
        600,
        8,
        |n| "[[nowhere]]\n".repeat(n),
    )
}

linear! {
    /// Many findings on one long line: output must not print the whole line per finding.
    linear_many_findings_on_one_line: assert_linear_output(
        "n broken links on one line",
        300,
        4,
        |n| "[[nowhere]] ".repeat(n),
    )
}

linear! {
    /// Many findings on one long non-ASCII line: positions must not be counted
    /// from the start of the line for each finding.
    linear_positions_on_one_long_line: assert_linear(
        "n broken links on one line of astral characters",
        1_500,
        4,
        |n| "\u{10000}[[\u{10FFFF}]]".repeat(n),
    )
}

/// Two contacts that share thousands of aliases (a copied note): each shared
/// name's finding must find its alias without folding every alias again.
/// Weighed in bytes allocated by the analysis, like the cases above.
#[test]
fn linear_shared_aliases() {
    if in_own_process() {
        return;
    }
    let allocated = |n: usize| {
        let aliases = (0..n).map(|i| format!("alias{i}")).collect::<Vec<_>>().join(", ");
        let text = format!("---\ntype: contact\naliases: [{aliases}]\n---\n");
        let config = Config::default();
        let notes = ["people/a.md", "people/b.md"]
            .map(|path| Box::new(Note::parse(path, text.clone(), Origin::default(), &config)))
            .into();
        let vault = Vault::from_notes(config, notes, Vec::new());
        let t = start();
        let findings = analyze(&vault, today());
        let bytes = (ALLOCATED.load(Ordering::Relaxed) - t.1) as f64;
        assert_eq!(findings.iter().filter(|f| f.rule == Rule::DuplicateContact).count(), 2 * n);
        bytes
    };
    let (small, large) = (allocated(1_000), allocated(8_000));
    assert!(
        large <= 2.0 * 8.0 * small + 65_536.0,
        "analysis allocated {small} bytes for 1,000 shared aliases, {large} for 8,000"
    );
}

// ---------------------------------------------------------------------------
// 1b. Edits keep what the note says ("nothing else lost")
// ---------------------------------------------------------------------------

/// The "Snooze" quick fix (`edit::snooze`, via `set_key`) on every shape of
/// front matter: the date is read back, the other keys survive, and the body
/// is untouched.
#[test]
fn edits_snooze_keeps_the_note() {
    if in_own_process() {
        return;
    }
    let until = day(2027, 1, 15);
    let mut failures = Vec::new();
    for (label, text) in [
        ("block mapping", "---\ntype: contact\nname: Jana\n---\nbody: x\n"),
        ("existing value", "---\ntype: contact\nname: Jana\nsnooze: 2020-01-01\n---\nbody: x\n"),
        ("empty value", "---\ntype: contact\nname: Jana\nsnooze:\n---\nbody: x\n"),
        ("empty value, comment", "---\ntype: contact\nname: Jana\nsnooze: # later\n---\nbody: x\n"),
        ("CRLF", "---\r\ntype: contact\r\nname: Jana\r\n---\r\nbody: x\r\n"),
        ("lone CR", "---\rtype: contact\rname: Jana\r---\rbody: x\r"),
        ("closed by ...", "---\ntype: contact\nname: Jana\n...\nbody: x\n"),
        ("flow mapping", "---\n{type: contact, name: Jana}\n---\nbody: x\n"),
        ("indented mapping", "---\n  type: contact\n  name: Jana\n---\nbody: x\n"),
        ("explicit key, no value", "---\ntype: contact\nname: Jana\n? snooze\n---\nbody: x\n"),
        ("BOM line at the end", "---\ntype: contact\nname: Jana\n\u{feff}\n---\nbody: x\n"),
    ] {
        let config = Config::default();
        let text = text.to_string();
        let result = guarded(&format!("snooze: {label}"), move |_| {
            let note = Note::parse("people/x.md", text, Origin::default(), &config);
            let Some(edit) = edit::snooze(&note, until) else {
                return Some(format!("{:?}: no snooze edit for valid front matter", note.text));
            };
            let after = apply_and_reparse(&note, &edit, &config, "snooze");
            let mut wrong = Vec::new();
            if after.front.snooze != Some(until) {
                wrong.push(format!("snooze reads {:?}", after.front.snooze));
            }
            if after.front.type_ != note.front.type_
                || after.front.name.is_none()
                || after.front.name.as_ref().map(|n| &n.value) != note.front.name.as_ref().map(|n| &n.value)
            {
                wrong.push(format!(
                    "type/name became {:?}/{:?}",
                    after.front.type_,
                    after.front.name.as_ref().map(|n| &n.value)
                ));
            }
            if !after.text[after.body_start..].ends_with(&note.text[note.body_start..])
                || after.body_start + (note.text.len() - note.body_start) != after.text.len()
            {
                wrong.push(format!("body became {:?}", &after.text[after.body_start..]));
            }
            (!wrong.is_empty()).then(|| format!("{:?} -> {:?}: {}", note.text, after.text, wrong.join("; ")))
        });
        failures.extend(result.map(|w| format!("{label}: {w}")));
    }
    assert!(failures.is_empty(), "the snooze edit lost something:\n{}", failures.join("\n"));
}

/// `kith log` and the "Log … today" quick fixes (`edit::log_entry`) must put
/// the entry where kith reads it: never into a code fence or an HTML block
/// that the note leaves open at its end.
#[test]
fn edits_log_entry_lands_where_it_counts() {
    if in_own_process() {
        return;
    }
    let mut failures = Vec::new();
    for (label, text) in [
        ("no log yet", "---\ntype: contact\n---\n# Jana\n"),
        ("newest first", "---\ntype: contact\n---\n- 2026-11-20 #met a\n- 2026-10-01 #met b\n"),
        ("oldest first", "---\ntype: contact\n---\n* 2026-10-01 #met b\n* 2026-11-20 #met a"),
        ("log heading", "---\ntype: contact\n---\n## Log\n\nOther text\n"),
        ("CRLF, no final newline", "---\r\ntype: contact\r\n---\r\n# Jana"),
        ("lone CR", "---\rtype: contact\r---\r- 2026-11-20 #met a\r"),
        ("only ---", "---"),
        ("empty", ""),
        ("BOM", "\u{feff}"),
        ("unclosed ``` at the end", "---\ntype: contact\n---\n# Jana\n```\ncode\n"),
        ("unclosed ~~~ at the end", "---\ntype: contact\n---\n~~~\n"),
        ("unclosed <!-- block at the end", "---\ntype: contact\n---\n<!-- draft\n"),
        ("unclosed <pre> at the end", "---\ntype: contact\n---\n<pre>\n"),
        ("unclosed <script> at the end", "---\ntype: contact\n---\n<script>\n"),
        ("unclosed fence after the log", "---\ntype: contact\n---\n- 2026-11-20 #met a\n```\n"),
    ] {
        let config = Config::default();
        let text = text.to_string();
        let result = guarded(&format!("log_entry: {label}"), move |_| {
            let note = Note::parse("people/x.md", text, Origin::default(), &config);
            let Some(edit) = edit::log_entry(&note, today(), &["met"], "hello there") else {
                return Some(format!("{:?}: log_entry found no place for the entry", note.text));
            };
            let after = apply_and_reparse(&note, &edit, &config, "log_entry");
            let read = after.items.iter().any(|i| {
                after.kinds(i).len() == 1
                    && i.task.is_none()
                    && !i.in_quote
                    && after.text[i.text.range()].contains("hello there")
            });
            (!read).then(|| format!("{:?} -> {:?}", note.text, after.text))
        });
        failures.extend(result.map(|w| format!("{label}: {w}")));
    }
    assert!(failures.is_empty(), "logged entries that kith does not read back:\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// 2. Randomised mutations of realistic notes (deterministic)
// ---------------------------------------------------------------------------

/// xorshift64*: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const JANA: &str = "---\ntype: contact\nname: Jana Müller\naliases: [Jana, J. Müller]\ntags: [mentor, design]\norg: Acme GmbH\n\
role: Head of Design\nemail: jana@example.org\nphone: \"+49 30 1234567\"\ncadence: 2m\nbirthday: 1988-12-04\nsnooze: 2026-01-15\n\
kith:\n  ignore: [unreciprocated]\n---\n# Jana Müller\n\n## Log\n- 2026-11-20 #news Promoted to Head of Design\n\
- 2026-11-02 #gave Reviewed her conference talk\n- 2026-10-16 #thanks Card for the intro to [[Max Mustermann]]\n\
- 2026-10-15 #got Introduced me to [[Max Mustermann|Max]] <!-- kith-ignore: missing-thanks -->\n\
- 2026-09-01 #met #call Coffee at Acme; her daughter starts school soon\n- 2026-08-20 #ask Intro to Beta. how: forward my CV to Tom\n\
- 2026-08-19 #thnaks typo\n\n## Follow-ups\n- [ ] 2026-11-25 Send the design-systems article\n- [x] Ask how the school start went\n\
- [ ] Ask about the offsite\n\n> - 2026-01-01 #got quoted, not an entry\n\n```\n- 2026-01-01 #got [[in code]]\n```\n";

const MAX: &str = "---\r\ntype: person\r\nname: Max Mustermann\r\naliases: Max\r\ncadance: 1w\r\nbirthday: --02-29\r\n---\r\n\
1. 2026-11-28 #got Lent me his camera\r\n2. 2026-11-29 #like Liked his post\r\n   - 2026-11-30 #msg nested <!-- kith-ignore -->\r\n\
| a | b |\r\n|---|---|\r\n| [[Jana]] | `[[code]]` |\r\n\r\n* [-] 2026-10-01 cancelled\r\n* [ ] 2026-12-24 gift\r\n";

const JOURNAL: &str = "---\ndate: 2026-11-30\n---\n# Meetup\n- #met [[Jana Müller]] at the design meetup\n- 2026-11-29 #got [[Max]] sent slides\n\
- [[Jana]] mentioned\n![[Jana]]\n- [ ] 2026-12-01 [[Max]] follow up\n";

/// Pieces that Markdown, YAML and kith itself treat specially, plus
/// multi-byte characters of every UTF-8 length.
const ALPHABET: &[&str] = &[
    "-",
    "[",
    "]",
    "#",
    ":",
    "|",
    "!",
    "<",
    ">",
    "`",
    "\n",
    "\r",
    "\t",
    " ",
    "  ",
    "\r\n",
    "'",
    "\"",
    "{",
    "}",
    "*",
    "&",
    "?",
    "%",
    "@",
    ",",
    ".",
    "~",
    "\\",
    "_",
    "^",
    "0",
    "1",
    "9",
    "a",
    "x",
    "é",
    "ü",
    "ß",
    "€",
    "😀",
    "\u{200D}",
    "\u{301}",
    "\u{FEFF}",
    "\u{FFFF}",
    "\u{10000}",
    "\u{10FFFF}",
    "\0",
    "---",
    "...",
    "[[",
    "]]",
    "![[",
    "<!--",
    "-->",
    "```",
    "~~~",
    "- ",
    "- [ ] ",
    "- [x] ",
    "> ",
    "2026-",
    "2026-11-30",
    "2026-02-30",
    "--02-29",
    "#met",
    "#got",
    "#gave",
    "#thanks",
    "#ask",
    "#news",
    "#congrats",
    "#thnaks",
    "how:",
    "kith-ignore:",
    "<!-- kith-ignore: missing-thanks -->",
    "name: ",
    "cadence: ",
    "4294967296d",
    "1é",
    "&a ",
    "*a",
    "[[Jana]]",
    "[[Max|M]]",
];

/// One random edit: insert, delete, replace or duplicate, always on
/// character boundaries so the text stays valid UTF-8.
fn mutate(text: &mut String, rng: &mut Rng) {
    let floor = |t: &str, mut i: usize| {
        i = i.min(t.len());
        while !t.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let at = floor(text, rng.below(text.len() + 1));
    match rng.below(10) {
        0..=3 => {
            let piece: &str = rng.pick::<&str>(ALPHABET);
            text.insert_str(at, piece);
        }
        4..=5 => {
            let end = floor(text, at + 1 + rng.below(12));
            text.replace_range(at..end, "");
        }
        6..=7 => {
            let end = floor(text, at + 1 + rng.below(4));
            let piece: &str = rng.pick::<&str>(ALPHABET);
            text.replace_range(at..end, piece);
        }
        8 => {
            // Duplicate a short stretch: repeated lines, keys and entries.
            let end = floor(text, at + rng.below(40));
            let piece = text[at..end].to_string();
            text.insert_str(end, &piece);
        }
        _ => {
            // A random byte sequence decoded lossily: what a damaged file looks like.
            let bytes: Vec<u8> = (0..1 + rng.below(6)).map(|_| rng.next() as u8).collect();
            text.insert_str(at, &String::from_utf8_lossy(&bytes));
        }
    }
}

/// What went wrong in the mutants, by kind of failure: how often, and the
/// smallest mutant that shows it (to replay and minimise).
#[derive(Default)]
struct Failures(BTreeMap<String, (usize, String)>);

impl Failures {
    fn add(&mut self, message: &str, reproducer: String) {
        // The kind of a failure: its first line without numbers and paths.
        let first = message.lines().next().unwrap_or("");
        let kind: String =
            first.split_once(".md: ").map_or(first, |(_, rest)| rest).chars().filter(|c| !c.is_ascii_digit()).collect();
        let entry = self.0.entry(kind).or_insert((0, reproducer.clone()));
        entry.0 += 1;
        if reproducer.len() < entry.1.len() {
            entry.1 = reproducer;
        }
    }
}

/// Mutates the sample notes many times with fixed seeds and runs every
/// mutant vault through the whole core. Failures are gathered by kind, each
/// with its smallest mutant, so one run shows every kind of bug it hit.
#[test]
fn mutations_of_realistic_notes() {
    if in_own_process() {
        return;
    }
    let iterations = if cfg!(debug_assertions) { 1_500 } else { 3_000 };
    let configs = [
        "",
        "contacts = [\"people/**\"]\nmentions-are-touches = true\n[kinds]\ncoffee = \"met\"\n[rules]\nvague-ask = \"hint\"\n",
    ];
    let started = Instant::now();
    let mut failures = Failures::default();
    let mut unread: Vec<String> = Vec::new();
    for seed in 1..=4u64 {
        let per_seed = iterations / 4;
        let (f, u) = guarded(&format!("mutations seed {seed}"), move |stage| {
            let mut rng = Rng::new(seed);
            let mut files: Vec<(String, String)> = vec![
                ("people/jana.md".into(), JANA.into()),
                ("people/max.md".into(), MAX.into()),
                ("journal/2026-11-30.md".into(), JOURNAL.into()),
            ];
            let mut failures = Failures::default();
            let mut unread = Vec::new();
            for i in 0..per_seed {
                if i % 25 == 0 {
                    files[0].1 = JANA.into();
                    files[1].1 = MAX.into();
                    files[2].1 = JOURNAL.into();
                }
                let which = rng.below(files.len());
                for _ in 0..1 + rng.below(6) {
                    mutate(&mut files[which].1, &mut rng);
                }
                let config_text = configs[rng.below(configs.len())];
                let config = Config::parse(config_text).expect("config");
                let today = *rng.pick(&[day(2026, 12, 1), day(2026, 1, 1), day(2030, 6, 15)]);
                let snapshot = files.clone();
                let originals = [JANA, MAX, JOURNAL];
                let changed: Vec<&(String, String)> =
                    snapshot.iter().zip(originals).filter(|((_, t), o)| t != o).map(|(f, _)| f).collect();
                let reproducer =
                    format!("seed {seed}, iteration {i}, today {today}, config {config_text:?}, {changed:?}");
                stage.set(reproducer.clone());
                let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    exercise(snapshot.clone(), config, today, Depth::Fuzz, &Stage::default())
                }));
                match run {
                    Ok(outcome) => {
                        let text_of = |path: &str| snapshot.iter().find(|(p, _)| p == path).map_or("", |(_, t)| t);
                        for path in outcome.unread_log_entries {
                            unread.push(format!("{path}: {:?}", text_of(&path)));
                        }
                    }
                    Err(payload) => {
                        let message = payload
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        // No leading spaces: the parent process drops indented lines as backtrace frames.
                        failures.add(&message, format!("{reproducer}\n=> {message}"));
                    }
                }
            }
            (failures, unread)
        });
        for (kind, (n, repro)) in f.0 {
            for _ in 0..n {
                failures.add(&kind, repro.clone());
            }
        }
        unread.extend(u);
    }
    eprintln!("mutations: {iterations} mutant vaults in {:?}", started.elapsed());
    if !failures.0.is_empty() {
        let report: Vec<String> =
            failures.0.iter().map(|(kind, (n, repro))| format!("- {kind} ({n}x); smallest:\n{repro}")).collect();
        panic!("{} kinds of failure in the mutants:\n{}", failures.0.len(), report.join("\n"));
    }
    // An entry `kith log` says it wrote must count.
    unread.sort_by_key(String::len);
    assert!(
        unread.is_empty(),
        "{} logged entries were not read back; the smallest:\n{}",
        unread.len(),
        unread.iter().take(8).map(String::as_str).collect::<Vec<_>>().join("\n")
    );
}

/// `kith.toml` mutated at random: a bad configuration is an error with a
/// position, never a panic.
#[test]
fn mutations_of_kith_toml() {
    if in_own_process() {
        return;
    }
    const TOML: &str = "contacts = [\"people/**\"]\nexclude = [\"templates/**\"]\ndefault-cadence = \"90d\"\nthanks-within = \"3d\"\n\
reciprocate-within = \"180d\"\ncongratulate-within = \"7d\"\nbirthday-notice = \"7d\"\nmax-file-size = \"4MB\"\nnew-contacts-in = \"people\"\n\
mentions-are-touches = false\nfail-on = \"error\"\n[kinds]\ncoffee = \"met\"\ndanke = \"thanks\"\n[rules]\nvague-ask = \"hint\"\nask-after-silence = \"off\"\n";
    guarded("kith.toml mutations", |stage| {
        let mut rng = Rng::new(42);
        let mut text = TOML.to_string();
        for i in 0..3_000 {
            if i % 20 == 0 {
                text = TOML.into();
            }
            mutate(&mut text, &mut rng);
            stage.set(format!("iteration {i}: {text:?}"));
            if let Err(e) = Config::parse(&text) {
                assert_range(&text, &e.range, "config error");
                assert!(!e.message.is_empty());
            }
        }
    });
}

// ---------------------------------------------------------------------------
// 3. The real binary on hostile vaults
// ---------------------------------------------------------------------------

/// What one run of `kith` left behind.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    /// The largest resident set seen while it ran, in bytes (Linux only).
    peak_rss: u64,
}

/// How long one `kith` process may take before it counts as a hang.
const PROCESS_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `kith` in `dir` with a timeout (polling `try_wait`); stdout and
/// stderr go to files, so a large output cannot block the child on a full pipe.
fn kith(dir: &Path, args: &[&str]) -> Run {
    let out_dir = tempfile::tempdir().expect("temporary folder");
    let out_path = out_dir.path().join("stdout");
    let err_path = out_dir.path().join("stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
        .args(args)
        .current_dir(dir)
        .env("KITH_TODAY", "2026-12-01")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(std::fs::File::create(&err_path).expect("stderr file"))
        .spawn()
        .expect("kith starts");
    let started = Instant::now();
    let mut peak_rss = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for kith") {
            break status;
        }
        peak_rss = peak_rss.max(rss_of(child.id()));
        if started.elapsed() > PROCESS_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("HANG: `kith {}` in {} did not finish within {PROCESS_TIMEOUT:?}", args.join(" "), dir.display());
        }
        thread::sleep(Duration::from_millis(10));
    };
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let run = Run {
        code: status.code().unwrap_or_else(|| panic!("`kith {}` was killed by a signal: {status:?}", args.join(" "))),
        stdout: read(&out_path),
        stderr: read(&err_path),
        peak_rss,
    };
    assert!(
        matches!(run.code, 0..=2) && !run.stderr.contains("panicked"),
        "`kith {}` crashed (exit {}):\n{}",
        args.join(" "),
        run.code,
        run.stderr
    );
    assert!(run.peak_rss < 1 << 30, "`kith {}` used {} MiB", args.join(" "), run.peak_rss >> 20);
    run
}

/// Resident set size of a process, from /proc; 0 where that is not available.
fn rss_of(pid: u32) -> u64 {
    let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) else { return 0 };
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:").or_else(|| l.strip_prefix("VmRSS:")))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// A temporary vault with an empty `kith.toml`, so the root never climbs
/// out of the temporary folder.
fn temp_vault(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    if !files.iter().any(|(p, _)| *p == "kith.toml") {
        std::fs::write(dir.path().join("kith.toml"), "").unwrap();
    }
    for (path, bytes) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    dir
}

fn json_findings(run: &Run) -> Vec<serde_json::Value> {
    let value: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("JSON output ({e}):\n{}", run.stdout));
    value.as_array().cloned().expect("a JSON array")
}

fn lint_json(dir: &Path) -> (Run, Vec<serde_json::Value>) {
    let run = kith(dir, &["lint", ".", "--today", "2026-12-01", "--format", "json"]);
    let findings = json_findings(&run);
    (run, findings)
}

fn rules_in(findings: &[serde_json::Value], path: &str) -> Vec<String> {
    findings.iter().filter(|f| f["path"] == path).map(|f| f["rule"].as_str().unwrap_or("").to_string()).collect()
}

/// Random bytes, invalid UTF-8 included, in a file called `x.md`: one
/// `encoding` finding at the first bad byte, and the other notes still checked.
#[test]
fn cli_binary_file() {
    let mut rng = Rng::new(7);
    let mut bytes: Vec<u8> = b"- 2026-11-20 #got [[nowhere]] \xff\xfe".to_vec();
    bytes.extend((0..200_000).map(|_| rng.next() as u8));
    let dir = temp_vault(&[
        ("x.md", &bytes),
        ("y.md", b"\xef\xbb\xbf[[also nowhere]] \xc3"),
        ("people/ok.md", b"---\ntype: contact\n---\n- 2026-11-20 #got help\n"),
    ]);
    let (run, findings) = lint_json(dir.path());
    assert_eq!(run.code, 1, "an encoding error fails the lint");
    let x = rules_in(&findings, "x.md");
    assert_eq!(x.iter().filter(|r| *r == "encoding").count(), 1, "{x:?}");
    let at = findings.iter().find(|f| f["path"] == "x.md" && f["rule"] == "encoding").unwrap();
    assert_eq!((at["line"].as_u64(), at["column"].as_u64()), (Some(1), Some(31)), "at the first bad byte");
    assert!(rules_in(&findings, "y.md").contains(&"encoding".to_string()));
    assert!(rules_in(&findings, "people/ok.md").contains(&"missing-thanks".to_string()), "nothing else lost");
    // Every output format survives the same vault.
    for fmt in ["human", "concise", "github", "sarif", "junit", "gitlab"] {
        kith(dir.path(), &["lint", ".", "--format", fmt]);
    }
}

/// A folder linked to its parent (a loop) and a link to a note: neither is
/// followed, nothing hangs, the real notes are read once.
#[test]
fn cli_symlinks_are_not_followed() {
    let dir = temp_vault(&[("a/real.md", b"[[nowhere]]\n"), ("b.md", b"[[b]]\n")]);
    let root = dir.path();
    std::os::unix::fs::symlink("..", root.join("a/loop")).unwrap();
    std::os::unix::fs::symlink(".", root.join("self")).unwrap();
    std::os::unix::fs::symlink("a/real.md", root.join("link.md")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", root.join("dangling.md")).unwrap();
    std::os::unix::fs::symlink("link2.md", root.join("link1.md")).unwrap();
    std::os::unix::fs::symlink("link1.md", root.join("link2.md")).unwrap();
    let (run, findings) = lint_json(root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let paths: Vec<&str> = findings.iter().filter_map(|f| f["path"].as_str()).collect();
    assert_eq!(paths, ["a/real.md"], "only the real note, once");
    // Linting through the loop or a link as the path does not hang either.
    kith(root, &["lint", "a/loop/a/loop/a", "--format", "json"]);
    kith(root, &["lint", "link.md", "--format", "json"]);
    kith(root, &["lint", "self/self/self", "--format", "json"]);
}

/// A file over `max-file-size` is not read: one `skipped-file` finding, at
/// the default size and at a configured one.
#[test]
fn cli_file_over_max_size() {
    let big = "- 2026-11-20 #got [[nowhere]]\n".repeat((4 << 20) / 30 + 10);
    let dir = temp_vault(&[("big.md", big.as_bytes()), ("small.md", b"[[nowhere]]\n")]);
    let (run, findings) = lint_json(dir.path());
    assert_eq!(run.code, 0);
    assert_eq!(rules_in(&findings, "big.md"), ["skipped-file"]);
    assert_eq!(rules_in(&findings, "small.md"), ["broken-link"], "nothing else lost");

    let dir =
        temp_vault(&[("kith.toml", b"max-file-size = \"1KB\"\n"), ("big.md", &[b'a'; 1025]), ("ok.md", &[b'a'; 1024])]);
    let (_, findings) = lint_json(dir.path());
    assert_eq!(rules_in(&findings, "big.md"), ["skipped-file"]);
    assert!(rules_in(&findings, "ok.md").is_empty());
}

/// Notes 20 folders deep are found and named by their full path.
#[test]
fn cli_deep_folders() {
    let deep: String = (0..20).map(|i| format!("d{i}/")).collect::<String>() + "note.md";
    let dir = temp_vault(&[(&deep, b"[[nowhere]]\n")]);
    let (_, findings) = lint_json(dir.path());
    assert_eq!(rules_in(&findings, &deep), ["broken-link"]);
    kith(&dir.path().join("d0/d1/d2"), &["lint", "--format", "json"]);
}

/// A note kith may not read is an error on stderr (exit 2), and every other
/// note is still checked. Root reads everything, so the case needs a user.
#[test]
fn cli_unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_vault(&[("secret.md", b"[[x]]\n"), ("open.md", b"[[nowhere]]\n")]);
    let secret = dir.path().join("secret.md");
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&secret).is_ok() {
        eprintln!("cli_unreadable_file: skipped, permissions do not apply (running as root)");
        return;
    }
    let (run, findings) = lint_json(dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("secret.md"), "{}", run.stderr);
    assert_eq!(rules_in(&findings, "open.md"), ["broken-link"], "nothing else lost");
}

/// A FIFO named like a note: reading it would block forever.
#[test]
fn cli_fifo_named_like_a_note() {
    let dir = temp_vault(&[("ok.md", b"[[nowhere]]\n")]);
    let made = Command::new("mkfifo").arg(dir.path().join("pipe.md")).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("cli_fifo_named_like_a_note: skipped, no mkfifo");
        return;
    }
    let (_, findings) = lint_json(dir.path());
    assert_eq!(rules_in(&findings, "ok.md"), ["broken-link"]);
    kith(dir.path(), &["lint", "pipe.md", "--format", "json"]);
}

/// A folder named like a note, and a file name that is not UTF-8.
#[test]
fn cli_odd_names() {
    use std::os::unix::ffi::OsStrExt;
    let dir = temp_vault(&[("dir.md/inner.md", b"[[nowhere]]\n"), ("ok.md", b"[[bad\xef\xbf\xbd]]\n")]);
    let bad = dir.path().join(std::ffi::OsStr::from_bytes(b"bad\xff.md"));
    std::fs::write(&bad, b"---\ntype: contact\n---\n- 2026-11-20 #got x\n").unwrap();
    let (_, findings) = lint_json(dir.path());
    assert_eq!(rules_in(&findings, "dir.md/inner.md"), ["broken-link"]);
    assert!(findings.iter().any(|f| f["rule"] == "missing-thanks"), "the oddly named note is read");
}

/// An empty vault, a vault path that is a file, and one that does not exist.
#[test]
fn cli_empty_vault_and_odd_paths() {
    let dir = temp_vault(&[]);
    let (run, findings) = lint_json(dir.path());
    assert_eq!((run.code, findings.len()), (0, 0));
    let human = kith(dir.path(), &["lint"]);
    assert_eq!(human.code, 0);

    let dir = temp_vault(&[("note.md", b"[[nowhere]]\n"), ("other.md", b"[[nowhere]]\n")]);
    let run = kith(dir.path(), &["lint", "note.md", "--format", "json"]);
    let findings = json_findings(&run);
    assert_eq!(findings.len(), 1, "only the file given");
    assert_eq!(findings[0]["path"], "note.md");

    let run = kith(dir.path(), &["lint", "missing/folder"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

/// A `kith.toml` that is binary, YAML-ish or otherwise broken: exit 2 with
/// one line naming the file.
#[test]
fn cli_garbage_kith_toml() {
    let mut rng = Rng::new(99);
    let binary: Vec<u8> = (0..4096).map(|_| rng.next() as u8).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("binary", binary),
        ("yaml-ish", b"---\nname: [x\n  - y: {\n".to_vec()),
        ("nul", b"\0\0\0".to_vec()),
        ("unterminated string", b"default-cadence = \"90d\n".to_vec()),
        ("zero duration", b"default-cadence = \"0d\"\n".to_vec()),
        ("multi-byte duration", "default-cadence = \"1é\"\n".as_bytes().to_vec()),
        ("multi-byte window", "thanks-within = \"３d\"\n".as_bytes().to_vec()),
        // A huge size with a unit is valid (the spec sets no upper bound; it
        // saturates, see `config.rs`); these are not sizes at all.
        ("huge size without a unit", b"max-file-size = \"99999999999999999999\"\n".to_vec()),
        ("zero size", b"max-file-size = \"0B\"\n".to_vec()),
        ("deep arrays", [b"contacts = ".as_slice(), &[b'['; 10_000]].concat()),
        ("deep inline tables", [b"a = ".as_slice(), &b"{a = ".repeat(5_000)].concat()),
    ];
    for (label, bytes) in cases {
        let dir = temp_vault(&[("kith.toml", &bytes), ("note.md", b"[[nowhere]]\n")]);
        let run = kith(dir.path(), &["lint", "--format", "json"]);
        assert_eq!(run.code, 2, "{label}: a configuration error\n{}", run.stderr);
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{label}: one line\n{}", run.stderr);
        assert!(run.stderr.contains("kith.toml"), "{label}: names the file\n{}", run.stderr);
    }
}

/// Human output stays proportionate: a code frame per finding must not
/// print the whole of a long line, nor re-read the whole note, each time.
#[test]
fn cli_human_output_is_bounded() {
    let line = "[[nowhere]] ".repeat(1_000);
    let dir = temp_vault(&[("long.md", line.as_bytes())]);
    let (_, findings) = lint_json(dir.path());
    assert_eq!(findings.len(), 1_000);
    let human = kith(dir.path(), &["lint"]);
    let per_finding = human.stdout.len() / findings.len();
    assert!(per_finding < 2_000, "human output is {} bytes, {per_finding} per finding", human.stdout.len());
}

/// `kith log` refuses to rewrite a note that is not UTF-8 (its bytes stay as
/// they are), and writes an entry that counts even when the note ends inside
/// a code fence that was never closed.
#[test]
fn cli_log_keeps_notes_and_entries() {
    let binary: &[u8] = b"---\ntype: contact\nname: Bin\n---\n\xff\xfe odd bytes\n";
    let dir = temp_vault(&[
        ("people/bin.md", binary),
        ("people/jana.md", b"---\ntype: contact\nname: Jana\n---\n# Jana\n```\ncode, never closed\n"),
    ]);
    let run = kith(dir.path(), &["log", "--today", "2026-12-01", "Bin", "met", "coffee"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(std::fs::read(dir.path().join("people/bin.md")).unwrap(), binary, "the note's bytes are untouched");

    let run = kith(
        dir.path(),
        &["log", "--today", "2026-12-01", "--date", "2026-01-01", "Jana", "got", "lent", "a", "camera"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, findings) = lint_json(dir.path());
    assert!(
        rules_in(&findings, "people/jana.md").contains(&"missing-thanks".to_string()),
        "the logged #got counts: {:?}\n{}",
        rules_in(&findings, "people/jana.md"),
        std::fs::read_to_string(dir.path().join("people/jana.md")).unwrap()
    );
}

/// The whole pipeline on a vault of every hostile note above at once.
#[test]
fn cli_hostile_vault() {
    let notes: Vec<(String, Vec<u8>)> = vec![
        ("bomb.md".into(), b"---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nname: *c\n---\n".to_vec()),
        ("deep.md".into(), ("- ".repeat(10_000) + "x\n" + &">".repeat(10_000)).into_bytes()),
        ("brackets.md".into(), "[[".repeat(50_000).into_bytes()),
        ("cr.md".into(), "---\rtype: contact\r---\r- 2026-11-20 #got x\r".as_bytes().to_vec()),
        ("nul.md".into(), b"\0\0[[\0]]\0".to_vec()),
        ("unicode.md".into(), "---\nname: \"\u{202E}👩‍👩‍👧‍👦\u{10000}\u{FFFF}\"\ntype: contact\n---\n- 2026-11-20 #got [[\u{10FFFF}]]\n".as_bytes().to_vec()),
        ("dates.md".into(), b"---\ntype: contact\nbirthday: --02-30\nsnooze: 9999-12-31\ncadence: 999999999y\n---\n- 0000-01-01 #got x\n- 2026-13-45 #met y\n".to_vec()),
    ];
    let files: Vec<(&str, &[u8])> = notes.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let dir = temp_vault(&files);
    let (run, findings) = lint_json(dir.path());
    assert_eq!(run.code, 1);
    for (path, _) in &notes {
        let _ = rules_in(&findings, path);
    }
    assert!(rules_in(&findings, "dates.md").contains(&"invalid-date".to_string()));
    assert!(rules_in(&findings, "bomb.md").contains(&"front-matter".to_string()));
    for cmd in [&["agenda", "--days", "30"][..], &["ledger"], &["agenda", "--format", "json"]] {
        let mut args = cmd.to_vec();
        args.push("--today");
        args.push("2026-12-01");
        let _ = kith(dir.path(), &args);
    }
}
