//! The language server driven in process over pipes, exactly as an editor
//! would: one test per capability, on small vaults in temporary
//! folders, with `initializationOptions.today` = 2026-12-01.

#[path = "lsp/harness.rs"]
mod harness;

use harness::{Client, apply, capabilities, pos, pos_in};
use kithkin::engine::text::Encoding;
use serde_json::{Value, json};
use std::time::Duration;
use tower_lsp_server::UriExt;
use tower_lsp_server::lsp_types::Uri;

const JANA: &str = "---
type: contact
name: Jana Müller
aliases: [Jana, J. Müller]
tags: [mentor, design]
org: Acme GmbH
cadence: 2m
---
# Jana Müller

## Log
- 2026-11-20 #got Introduced me to [[Max Mustermann]]
- 2026-09-01 #met Coffee at Acme
";

const MAX: &str = "---
type: contact
name: Max Mustermann
cadance: 1m
---
- 2026-05-01 #met Lunch
- [ ] 2026-11-01 Send the article
- 2026-06-01 #ask Intro to Beta
";

const LENA: &str = "---
type: contact
name: Lena Schmidt
---
- 2026-11-28 #met Workshop
";

const JOURNAL: &str = "- #met [[Jana]] at the design meetup
- #thnaks [[Max Mustermann]] for the lunch
- #met [[Nobody Known]] somewhere
";

const LENA_JOURNAL: &str = "- #got [[Lena Schmidt]] reviewed my CV\n";

const CONFIG: &str = "[kinds]\ncoffee = \"met\"\n\n[rules]\nvague-ask = \"hint\"\n";

fn files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("people/jana.md", JANA),
        ("people/max.md", MAX),
        ("people/lena.md", LENA),
        ("journal/2026-11-25.md", JOURNAL),
        ("journal/2026-11-20.md", LENA_JOURNAL),
        ("kith.toml", CONFIG),
    ]
}

async fn start() -> Client {
    Client::start(&files(), capabilities()).await
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = diagnostics.iter().map(|d| d["code"].as_str().unwrap_or_default().to_string()).collect();
    out.sort();
    out
}

fn doc(client: &Client, rel: &str) -> Value {
    json!({ "uri": client.uri(rel) })
}

fn at(client: &Client, rel: &str, position: Value) -> Value {
    json!({ "textDocument": doc(client, rel), "position": position })
}

fn labels(response: &Value) -> Vec<String> {
    response["items"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

fn item<'a>(response: &'a Value, label: &str) -> &'a Value {
    response["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no {label} in {response}"))
}

/// The code action whose title contains `title`, for the diagnostic of `rule`.
async fn action(client: &Client, rel: &str, rule: &str, title: &str) -> Value {
    let diagnostics = client.diagnostics_with(rel, rule).await;
    let diagnostic = diagnostics.iter().find(|d| d["code"] == rule).unwrap().clone();
    let params = json!({
        "textDocument": doc(client, rel),
        "range": diagnostic["range"],
        "context": { "diagnostics": [diagnostic] }
    });
    let actions = client.request("textDocument/codeAction", params).await;
    let found = actions.as_array().unwrap().iter().find(|a| a["title"].as_str().unwrap().contains(title));
    found.unwrap_or_else(|| panic!("no action “{title}” for {rule} in {actions:#}")).clone()
}

/// Applies a code action's edit of one document to its text, sends the new
/// text and returns it.
async fn apply_action(client: &Client, rel: &str, text: &str, action: &Value, version: i32) -> String {
    let edits =
        action["edit"]["changes"][client.uri(rel)].as_array().unwrap_or_else(|| panic!("no edit of {rel}: {action:#}"));
    let new_text = apply(text, edits);
    client.replace(rel, version, &new_text).await;
    new_text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_for_the_whole_vault_without_opening_files() {
    let client = start().await;
    let jana = client.diagnostics_with("people/jana.md", "missing-thanks").await;
    assert_eq!(codes(&jana), ["missing-thanks"]);
    assert_eq!(jana[0]["source"], "kith");
    assert_eq!(jana[0]["severity"], 2);
    assert_eq!(jana[0]["range"], json!({ "start": pos(JANA, "2026-11-20", 0), "end": pos(JANA, "Mustermann]]", 12) }));
    let max = client.diagnostics_with("people/max.md", "key-typo").await;
    assert_eq!(codes(&max), ["follow-up-due", "key-typo", "overdue-touch", "vague-ask"]);
    // `[rules] vague-ask = "hint"`: hints are shown in the editor.
    let vague = max.iter().find(|d| d["code"] == "vague-ask").unwrap();
    assert_eq!(vague["severity"], 4);
    let journal = client.diagnostics_with("journal/2026-11-25.md", "broken-link").await;
    assert_eq!(codes(&journal), ["broken-link", "unknown-kind"]);
    // A finding about Lena placed in a journal points at Lena's note.
    let placed = client.diagnostics_with("journal/2026-11-20.md", "missing-thanks").await;
    let related = &placed[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], client.uri("people/lena.md"));
    assert_eq!(related["location"]["range"]["start"], pos(LENA, "Lena Schmidt", 0));
    assert_eq!(related["message"], "about Lena Schmidt");
    assert!(client.latest("people/lena.md").is_none(), "nothing to say about Lena's own note");
    // The index reported its progress.
    client.server_request("window/workDoneProgress/create").await;
    let ended = |n: &Value| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end";
    let end = client.notification(ended, "the end of indexing").await;
    assert!(end["params"]["value"]["message"].as_str().unwrap().contains("5 notes, 3 contacts"), "{end}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn positions_in_utf16_utf8_and_utf32_after_emoji_cjk_crlf_and_bom() {
    let line = "- 2026-11-20 #met Müller 😀 日本 [[Nobody]] and [[Jana Müller]]\n";
    let crlf = "\u{feff}- a\r\n- b [[Ghost]]\r\n";
    let mut vault = files();
    vault.push(("notes/emoji.md", line));
    vault.push(("notes/crlf.md", crlf));
    // What each encoding counts before `[[Nobody]]`, counted here by hand.
    let before = &line[..line.find("[[Nobody]]").unwrap()];
    let by_hand = [before.len(), before.encode_utf16().count(), before.chars().count()];
    for (offered, enc, by_hand) in [
        (json!(["utf-16"]), Encoding::Utf16, by_hand[1]),
        (json!(["utf-8", "utf-16"]), Encoding::Utf8, by_hand[0]),
        (json!(["utf-32", "utf-16"]), Encoding::Chars, by_hand[2]),
    ] {
        let mut caps = capabilities();
        caps["general"]["positionEncodings"] = offered.clone();
        let client = Client::start(&vault, caps).await;
        let chosen = offered[0].as_str().unwrap();
        assert_eq!(client.init["capabilities"]["positionEncoding"], chosen);
        let found = client.diagnostics_with("notes/emoji.md", "broken-link").await;
        let expected =
            json!({ "start": pos_in(line, "[[Nobody]]", 0, enc), "end": pos_in(line, "[[Nobody]]", 10, enc) });
        assert_eq!(found[0]["range"], expected, "{chosen}");
        assert_eq!(found[0]["range"]["start"]["character"], by_hand, "{chosen}");
        // The BOM is a character of line 0 only; CRLF ends lines once.
        let found = client.diagnostics_with("notes/crlf.md", "broken-link").await;
        assert_eq!(found[0]["range"]["start"], json!({ "line": 1, "character": 4 }));
        // A BOM the editor keeps is a character like any other.
        let bom = "\u{feff}- [[Ghost]] 😀\r\n- [[Ghost]]";
        client.open("notes/bom.md", bom).await;
        let found = client.diagnostics_where("notes/bom.md", |d| d.len() == 2).await;
        assert_eq!(found[0]["range"]["start"], pos_in(bom, "[[", 0, enc));
        assert_eq!(found[1]["range"]["start"], json!({ "line": 1, "character": 2 }));
        // Hover on the link after the emoji answers with its exact range.
        let hover =
            client.request("textDocument/hover", at(&client, "notes/emoji.md", pos_in(line, "[[Jana", 3, enc))).await;
        assert!(hover["contents"]["value"].as_str().unwrap().contains("### Jana Müller"));
        let expected =
            json!({ "start": pos_in(line, "[[Jana", 0, enc), "end": pos_in(line, "Müller]]", "Müller]]".len(), enc) });
        assert_eq!(hover["range"], expected);
        // An edit right after the emoji moves the link by exactly one column.
        client.open("notes/emoji.md", line).await;
        let after_emoji = pos_in(line, "😀", "😀".len(), enc);
        let change = json!({ "range": { "start": after_emoji, "end": after_emoji }, "text": "X" });
        let params = json!({ "textDocument": { "uri": client.uri("notes/emoji.md"), "version": 2 }, "contentChanges": [change] });
        client.notify("textDocument/didChange", params).await;
        let edited = line.replace("😀", "😀X");
        let want = pos_in(&edited, "[[Nobody]]", 0, enc);
        client.diagnostics_where("notes/emoji.md", |d| d.iter().any(|x| x["range"]["start"] == want)).await;
        // Out-of-range positions clamp: no crash, no answer where there is nothing.
        let far = json!({ "line": 999, "character": 999 });
        assert_eq!(client.request("textDocument/hover", at(&client, "notes/emoji.md", far.clone())).await, Value::Null);
        let change = json!({ "range": { "start": far, "end": far }, "text": "\n- [[Ghost]]" });
        let params = json!({ "textDocument": { "uri": client.uri("notes/emoji.md"), "version": 3 }, "contentChanges": [change] });
        client.notify("textDocument/didChange", params).await;
        client
            .diagnostics_where("notes/emoji.md", |d| d.iter().filter(|x| x["code"] == "broken-link").count() == 2)
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_republishes_the_files_it_affects() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    // A journal entry pays Jana's thank-you: her (unopened) note is cleared.
    client.open("journal/2026-11-25.md", JOURNAL).await;
    let paid = format!("{JOURNAL}- #thanks [[Jana]] sent a card\n");
    client.replace("journal/2026-11-25.md", 2, &paid).await;
    let jana = client.diagnostics_without("people/jana.md", "missing-thanks").await;
    assert!(jana.is_empty(), "{jana:?}");
    // An alias makes a broken link resolve.
    client.open("people/max.md", MAX).await;
    let aliased = MAX.replace("name: Max Mustermann\n", "name: Max Mustermann\naliases: [Nobody Known]\n");
    client.replace("people/max.md", 2, &aliased).await;
    let journal = client.diagnostics_without("journal/2026-11-25.md", "broken-link").await;
    assert_eq!(codes(&journal), ["unknown-kind"]);
    // A duplicate name appears in both notes.
    let twin = aliased.replace("aliases: [Nobody Known]", "aliases: [Nobody Known, Jana]");
    client.replace("people/max.md", 3, &twin).await;
    let jana = client.diagnostics_with("people/jana.md", "duplicate-contact").await;
    assert_eq!(jana[0]["range"]["start"], pos(JANA, "Jana,", 0));
    client.diagnostics_with("people/max.md", "duplicate-contact").await;
    // A line added above the name moves the duplicate's diagnostic with it.
    let moved = twin.replacen("---\n", "---\norg: Beta AG\n", 1);
    client.replace("people/max.md", 4, &moved).await;
    let at_alias = pos(&moved, "Jana]", 0);
    client
        .diagnostics_where("people/max.md", |d| {
            d.iter().any(|x| x["code"] == "duplicate-contact" && x["range"]["start"] == at_alias)
        })
        .await;
    // Undoing it clears both.
    client.replace("people/max.md", 5, &aliased).await;
    client.diagnostics_without("people/jana.md", "duplicate-contact").await;
    client.diagnostics_without("people/max.md", "duplicate-contact").await;
}

/// Completion lists contacts by the names they have now, however a name changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_follows_renames() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let text = "- #met [[Ma".to_string();
    client.open("notes/a.md", &text).await;
    let complete = || client.request("textDocument/completion", at(&client, "notes/a.md", pos(&text, "Ma", 2)));
    assert!(labels(&complete().await).contains(&"Max Mustermann".to_string()));
    client.open("people/max.md", MAX).await;
    // Only the case changes: the folded name stays, the label does not.
    client.replace("people/max.md", 2, &MAX.replace("name: Max Mustermann", "name: max mustermann")).await;
    let names = labels(&complete().await);
    assert!(
        names.contains(&"max mustermann".to_string()) && !names.contains(&"Max Mustermann".to_string()),
        "{names:?}"
    );
    // A new name and an alias.
    let renamed = MAX.replace("name: Max Mustermann", "name: Maximilian Muster\naliases: [Mad Max]");
    client.replace("people/max.md", 3, &renamed).await;
    let names = labels(&complete().await);
    assert!(names.contains(&"Maximilian Muster".to_string()) && names.contains(&"Mad Max".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.eq_ignore_ascii_case("max mustermann")), "{names:?}");
    // No longer a contact: gone from the list.
    client.replace("people/max.md", 4, &renamed.replace("type: contact\n", "")).await;
    let names = labels(&complete().await);
    assert!(!names.iter().any(|n| n.starts_with("Ma")), "{names:?}");
}

/// Whatever the edits, the incremental results are those of a fresh start
/// on the same files.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_results_match_a_fresh_start() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let changed = |rel: &str, kind: u32| json!({ "changes": [{ "uri": client.uri(rel), "type": kind }] });
    // Names change: first a duplicate, then a name no link uses.
    client.open("people/max.md", MAX).await;
    client.replace("people/max.md", 2, &MAX.replace("name: Max Mustermann", "name: Jana Müller")).await;
    client.diagnostics_with("people/jana.md", "duplicate-contact").await;
    let max = MAX.replace("name: Max Mustermann", "name: Max Müller");
    client.replace("people/max.md", 3, &max).await;
    // A new note that is only in the editor, with an entry for Lena.
    let new = "- 2026-11-20 #got [[Lena Schmidt]] lent me a book\n- 2026-11-21 #met [[Max Müller]]\n";
    client.open("notes/new.md", new).await;
    // Lena stops being a contact; Jana's note goes.
    std::fs::write(client.path("people/lena.md"), LENA.replace("type: contact\n", "")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("people/lena.md", 2)).await;
    std::fs::remove_file(client.path("people/jana.md")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("people/jana.md", 3)).await;
    // And Lena is a contact again, by a tag this time.
    client.open("people/lena.md", &LENA.replace("type: contact\n", "")).await;
    let lena = LENA.replace("type: contact\n", "tags: [person]\n");
    client.replace("people/lena.md", 2, &lena).await;
    // The same files, read by a fresh server.
    std::fs::write(client.path("people/max.md"), &max).unwrap();
    std::fs::create_dir_all(client.path("notes")).unwrap();
    std::fs::write(client.path("notes/new.md"), new).unwrap();
    std::fs::write(client.path("people/lena.md"), &lena).unwrap();
    let fresh = Client::start_in(tempfile::tempdir().unwrap(), client.root.clone(), capabilities()).await;
    fresh.notification(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end", "the index").await;
    let want = fresh.snapshot();
    assert!(want.contains_key(&client.uri("notes/new.md")), "{want:#?}");
    assert_eq!(client.snapshot_equal(&want).await, want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_changed_on_disk_with_our_own_watcher() {
    let mut caps = capabilities();
    caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] = json!(false);
    let client = Client::start(&files(), caps).await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    assert!(client.server_requests("client/registerCapability").is_empty());
    let nora = "---\ntype: contact\nname: Nora Weiß\n---\n- 2026-11-20 #got Helped me move\n";
    std::fs::write(client.path("people/nora.md"), nora).unwrap();
    client.diagnostics_with("people/nora.md", "missing-thanks").await;
    // Modified.
    std::fs::write(client.path("people/nora.md"), format!("{nora}- 2026-11-21 #thanks Flowers\n")).unwrap();
    client.diagnostics_where("people/nora.md", |d| d.is_empty()).await;
    // Renamed: the old name is cleared, the new one analysed.
    std::fs::rename(client.path("journal/2026-11-25.md"), client.path("journal/renamed.md")).unwrap();
    client.diagnostics_where("journal/2026-11-25.md", |d| d.is_empty()).await;
    // Without the date in its name its items are no entries, so `#thnaks`
    // is a tag of its own (§7); the broken link is still reported.
    client.diagnostics_where("journal/renamed.md", |d| d.len() == 1 && d[0]["code"] == "broken-link").await;
    // Deleted: cleared, and the links to it are broken now.
    std::fs::remove_file(client.path("people/max.md")).unwrap();
    client.diagnostics_where("people/max.md", |d| d.is_empty()).await;
    client
        .diagnostics_where("journal/renamed.md", |d| d.iter().filter(|x| x["code"] == "broken-link").count() == 2)
        .await;
    // A new folder with a note in it, and hidden folders never read.
    std::fs::create_dir_all(client.path(".trash")).unwrap();
    std::fs::write(client.path(".trash/old.md"), "[[Ghost]]").unwrap();
    std::fs::create_dir_all(client.path("archive/2025")).unwrap();
    std::fs::write(client.path("archive/2025/old-note.md"), "- [[Ghost]]\n").unwrap();
    client.diagnostics_with("archive/2025/old-note.md", "broken-link").await;
    assert!(client.latest(".trash/old.md").is_none());
    // A burst of files is one batch, and every file is read.
    std::fs::create_dir_all(client.path("burst")).unwrap();
    for i in 0..200 {
        std::fs::write(client.path(&format!("burst/n{i}.md")), format!("- [[Ghost {i}]]\n")).unwrap();
    }
    for i in [0, 99, 199] {
        client.diagnostics_with(&format!("burst/n{i}.md"), "broken-link").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_changed_on_disk_as_the_client_reports_them() {
    let client = start().await;
    let registration = client.server_request("client/registerCapability").await;
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registered["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/*.md", "**/*.markdown", "**/kith.toml", "**/*"]);
    // Other files only as they come and go (create 1 | delete 4).
    assert_eq!(registered["registerOptions"]["watchers"][3]["kind"], 5);
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let changed = |rel: &str, kind: u32| json!({ "changes": [{ "uri": client.uri(rel), "type": kind }] });
    std::fs::create_dir_all(client.path("notes")).unwrap();
    std::fs::write(client.path("notes/new.md"), "- [[Ghost]]\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("notes/new.md", 1)).await;
    client.diagnostics_with("notes/new.md", "broken-link").await;
    std::fs::remove_file(client.path("notes/new.md")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("notes/new.md", 3)).await;
    client.diagnostics_where("notes/new.md", |d| d.is_empty()).await;
    // An attachment that comes and goes: the link to it is broken, then not, then again.
    std::fs::write(client.path("notes/cv.md"), "- [[cv.pdf]]\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("notes/cv.md", 1)).await;
    client.diagnostics_with("notes/cv.md", "broken-link").await;
    std::fs::write(client.path("notes/cv.pdf"), b"%PDF-1.7\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("notes/cv.pdf", 1)).await;
    client.diagnostics_where("notes/cv.md", |d| d.is_empty()).await;
    std::fs::remove_file(client.path("notes/cv.pdf")).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("notes/cv.pdf", 3)).await;
    client.diagnostics_with("notes/cv.md", "broken-link").await;
    // Open documents win over the disk.
    client.open("people/lena.md", LENA).await;
    std::fs::write(client.path("people/lena.md"), "---\ntype: contact\ncadance: 1m\n---\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("people/lena.md", 2)).await;
    // A broken kith.toml is reported where the problem is; kith carries on with defaults.
    let broken = "default-cadence = \"0d\"\n";
    std::fs::write(client.path("kith.toml"), broken).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("kith.toml", 2)).await;
    let config = client.diagnostics_with("kith.toml", "config").await;
    assert_eq!(config[0]["range"], json!({ "start": pos(broken, "\"0d\"", 0), "end": pos(broken, "\"0d\"", 4) }));
    assert_eq!(config[0]["severity"], 1);
    // With the defaults, `#coffee` is no kind and vague-ask is info again.
    client
        .diagnostics_where("people/max.md", |d| d.iter().any(|x| x["code"] == "vague-ask" && x["severity"] == 3))
        .await;
    assert!(client.latest("people/lena.md").is_none_or(|d| d.is_empty()), "the open text of Lena's note wins");
    std::fs::write(client.path("kith.toml"), CONFIG).unwrap();
    client.notify("workspace/didChangeWatchedFiles", changed("kith.toml", 2)).await;
    client.diagnostics_where("kith.toml", |d| d.is_empty()).await;
}

/// An open document is read as `kith lint` reads the file: over
/// `max-file-size` it is skipped, as on disk, and read again once it fits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_document_over_max_file_size_is_skipped_as_on_disk() {
    let mut vault = files();
    vault.retain(|(path, _)| *path != "kith.toml");
    vault.push(("kith.toml", "max-file-size = \"1KB\"\n"));
    let client = Client::start(&vault, capabilities()).await;
    let big = format!("- [[Ghost]]\n{}", "filler line\n".repeat(100));
    client.open("notes/big.md", &big).await;
    let found = client.diagnostics_where("notes/big.md", |d| !d.is_empty()).await;
    assert_eq!(codes(&found), ["skipped-file"]);
    assert_eq!(found[0]["range"]["start"], json!({ "line": 0, "character": 0 }));
    client.replace("notes/big.md", 2, "- [[Ghost]]\n").await;
    let found = client.diagnostics_with("notes/big.md", "broken-link").await;
    assert_eq!(codes(&found), ["broken-link"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kith_toml_edited_in_the_editor() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    // The progress waits for the client to accept its token; the index does not.
    let begin = |n: &Value| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "begin";
    let begins = || client.snapshot_notifications().iter().filter(|n| begin(n)).count();
    assert_eq!(client.notifications_counted(begin, 1, "the index's progress").await, 1);
    // Opening it as it is reads nothing again.
    client.open("kith.toml", CONFIG).await;
    client.open("people/max.md", MAX).await;
    client.replace("people/max.md", 2, &MAX.replace("cadance", "cadence")).await;
    client.diagnostics_without("people/max.md", "key-typo").await;
    assert_eq!(begins(), 1);
    // Its text in the editor counts, before it is saved.
    client.replace("kith.toml", 2, &format!("{CONFIG}missing-thanks = \"off\"\n")).await;
    client.diagnostics_where("people/jana.md", |d| d.is_empty()).await;
    assert_eq!(client.notifications_counted(begin, 2, "the index read again").await, 2);
    let broken = "thanks-within = 3\n";
    client.replace("kith.toml", 3, broken).await;
    let config = client.diagnostics_with("kith.toml", "config").await;
    assert_eq!(config[0]["range"]["start"], pos(broken, "3", 0));
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_rapid_edits_keep_their_order() {
    let client = start().await;
    client.open("scratch.md", "").await;
    let line = "- 2026-11-20 #met [[Ghost One]]\n";
    let text: String = line.repeat(10) + "end";
    let mut typed = String::new();
    for (i, ch) in text.chars().enumerate() {
        let end = pos(&format!("{typed}\u{0}"), "\u{0}", 0);
        let change = json!({ "range": { "start": end, "end": end }, "text": ch.to_string() });
        let params = json!({ "textDocument": { "uri": client.uri("scratch.md"), "version": i as i32 + 2 }, "contentChanges": [change] });
        client.notify("textDocument/didChange", params).await;
        typed.push(ch);
        if i == 150 {
            // The server keeps answering while edits stream in.
            let symbols = client
                .request("textDocument/documentSymbol", json!({ "textDocument": doc(&client, "scratch.md") }))
                .await;
            // 151 characters: four lines and the start of a fifth entry.
            assert_eq!(symbols.as_array().unwrap().len(), 5);
        }
    }
    assert!(text.len() >= 300);
    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": doc(&client, "scratch.md") })).await;
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["2026-11-20 #met"; 10]);
    let found = client.diagnostics_where("scratch.md", |d| d.len() == 10).await;
    for (i, d) in found.iter().enumerate() {
        assert_eq!(d["range"]["start"], json!({ "line": i, "character": 18 }));
    }
    // The last characters (`end`) changed no finding, yet the diagnostics
    // come for the last version: analyses an edit stopped are redone, and an
    // open note's diagnostics are sent for each version it is analysed at.
    let (uri, last) = (client.uri("scratch.md"), text.chars().count() as i64 + 1);
    let sent = client
        .notification(
            |n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri.as_str()
                    && n["params"]["version"] == last
            },
            "the diagnostics of the last version",
        )
        .await;
    assert_eq!(sent["params"]["diagnostics"].as_array().unwrap().len(), 10);
    // Once they stand, one more edit that changes no finding: its version's come too.
    let end = pos(&format!("{typed}\u{0}"), "\u{0}", 0);
    let change = json!({ "range": { "start": end, "end": end }, "text": "!" });
    let params = json!({ "textDocument": { "uri": &uri, "version": last + 1 }, "contentChanges": [change] });
    client.notify("textDocument/didChange", params).await;
    let again = client
        .notification(
            |n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri.as_str()
                    && n["params"]["version"] == last + 1
            },
            "the diagnostics of an edit that changed no finding",
        )
        .await;
    assert_eq!(again["params"]["diagnostics"], sent["params"]["diagnostics"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fixes_edit_the_text_and_the_finding_goes() {
    let client = start().await;
    // missing-thanks: log #thanks today in Jana's note.
    client.open("people/jana.md", JANA).await;
    let thanks = action(&client, "people/jana.md", "missing-thanks", "#thanks").await;
    assert_eq!(thanks["isPreferred"], true);
    assert_eq!(thanks["kind"], "quickfix");
    assert_eq!(thanks["diagnostics"][0]["code"], "missing-thanks");
    let text = apply_action(&client, "people/jana.md", JANA, &thanks, 2).await;
    assert!(text.contains("## Log\n- 2026-12-01 #thanks\n- 2026-11-20 #got"), "{text}");
    client.diagnostics_without("people/jana.md", "missing-thanks").await;
    // key-typo: the suggested key replaces the typo.
    client.open("people/max.md", MAX).await;
    let typo = action(&client, "people/max.md", "key-typo", "Change to `cadence`").await;
    let text = apply_action(&client, "people/max.md", MAX, &typo, 2).await;
    assert!(text.contains("\ncadence: 1m\n"));
    client.diagnostics_without("people/max.md", "key-typo").await;
    // follow-up-due: mark it done.
    let done = action(&client, "people/max.md", "follow-up-due", "done").await;
    let text = apply_action(&client, "people/max.md", &text, &done, 3).await;
    assert!(text.contains("- [x] 2026-11-01 Send the article"));
    client.diagnostics_without("people/max.md", "follow-up-due").await;
    // vague-ask: add how.
    let how = action(&client, "people/max.md", "vague-ask", "how:").await;
    let text = apply_action(&client, "people/max.md", &text, &how, 4).await;
    assert!(text.contains("#ask Intro to Beta how: \n"));
    client.diagnostics_without("people/max.md", "vague-ask").await;
    // overdue-touch: snooze for two weeks (or log a #msg, preferred).
    let msg = action(&client, "people/max.md", "overdue-touch", "#msg").await;
    assert_eq!(msg["isPreferred"], true);
    let snooze = action(&client, "people/max.md", "overdue-touch", "2 weeks").await;
    let text = apply_action(&client, "people/max.md", &text, &snooze, 5).await;
    assert!(text.contains("snooze: 2026-12-15\n---"), "{text}");
    client.diagnostics_without("people/max.md", "overdue-touch").await;
    // unknown-kind: silence it with a comment on its line.
    client.open("journal/2026-11-25.md", JOURNAL).await;
    let ignore = action(&client, "journal/2026-11-25.md", "unknown-kind", "Ignore unknown-kind").await;
    let text = apply_action(&client, "journal/2026-11-25.md", JOURNAL, &ignore, 2).await;
    assert!(text.contains("for the lunch <!-- kith-ignore: unknown-kind -->\n"));
    client.diagnostics_without("journal/2026-11-25.md", "unknown-kind").await;
    // unknown-kind can also be corrected.
    let fix = action(&client, "journal/2026-11-25.md", "broken-link", "Create contact note").await;
    let ops = fix["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(ops[0]["kind"], "create");
    let new_uri = client.uri("people/nobody-known.md");
    assert_eq!(ops[0]["uri"], new_uri);
    let content = ops[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(content.starts_with("---\ntype: contact\nname: Nobody Known\n---\n"));
    // The editor creates the file and reports it.
    std::fs::write(client.path("people/nobody-known.md"), content).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": new_uri, "type": 1 }] })).await;
    client.diagnostics_without("journal/2026-11-25.md", "broken-link").await;
    // Only the findings under the cursor get actions.
    let params = json!({
        "textDocument": doc(&client, "people/lena.md"),
        "range": { "start": { "line": 1, "character": 0 }, "end": { "line": 1, "character": 0 } },
        "context": { "diagnostics": [] }
    });
    assert_eq!(client.request("textDocument/codeAction", params).await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fix_without_resource_operations_and_a_suggested_kind() {
    let mut caps = capabilities();
    caps["workspace"]["workspaceEdit"] = json!({ "documentChanges": false });
    let client = Client::start(&files(), caps).await;
    client.open("journal/2026-11-25.md", JOURNAL).await;
    let fix = action(&client, "journal/2026-11-25.md", "broken-link", "Create contact note").await;
    let new_uri = client.uri("people/nobody-known.md");
    assert!(fix["edit"]["changes"][&new_uri][0]["newText"].as_str().unwrap().contains("name: Nobody Known"));
    let kind = action(&client, "journal/2026-11-25.md", "unknown-kind", "Change to `#thanks`").await;
    let text = apply_action(&client, "journal/2026-11-25.md", JOURNAL, &kind, 2).await;
    assert!(text.contains("- #thanks [[Max Mustermann]]"));
    client.diagnostics_without("journal/2026-11-25.md", "unknown-kind").await;
}

/// An alias two contacts share leads to one of them: picking the other
/// writes a link that leads to it, with the alias as the link's text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_a_shared_alias_links_the_contact_picked() {
    let contact = |name: &str| format!("---\ntype: contact\nname: {name}\naliases: [Jana]\n---\n");
    let (mueller, schmidt) = (contact("Jana Müller"), contact("Jana Schmidt"));
    let client = Client::start(
        &[("people/jana-mueller.md", &mueller), ("people/jana-schmidt.md", &schmidt), ("kith.toml", "")],
        capabilities(),
    )
    .await;
    client.notification(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end", "the index").await;
    client.open("notes/probe.md", "- [[Jana]]\n").await;
    let resolved =
        client.request("textDocument/definition", at(&client, "notes/probe.md", pos("- [[Jana]]", "Jana", 1))).await;
    let winner = if resolved["uri"] == client.uri("people/jana-mueller.md") { "Jana Müller" } else { "Jana Schmidt" };
    let loser = if winner == "Jana Müller" { "Jana Schmidt" } else { "Jana Müller" };
    let cases = [
        ("notes/a.md", "- #met [[Jan", false),
        ("notes/b.md", "- #met [[Jan]] at lunch", true),
        ("notes/c.md", "- #met [[Jan|J.]]", true),
    ];
    for (rel, text, closed) in cases {
        client.open(rel, text).await;
        let list = client.request("textDocument/completion", at(&client, rel, pos(text, "Jan", 3))).await;
        let written: Vec<(String, String)> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["label"] == "Jana")
            .map(|i| {
                let of = i["labelDetails"]["description"].as_str().unwrap().to_string();
                (of, i["textEdit"]["newText"].as_str().unwrap().to_string())
            })
            .collect();
        let end = if closed { "" } else { "]]" };
        let label = if text.contains('|') { String::new() } else { "|Jana".to_string() };
        let mut want =
            vec![(winner.to_string(), format!("Jana{end}")), (loser.to_string(), format!("{loser}{label}{end}"))];
        let mut got = written.clone();
        want.sort();
        got.sort();
        assert_eq!(got, want, "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_of_contacts_kinds_dates_and_front_matter() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let complete = |rel: &'static str, text: String, cursor: Value| {
        let client = &client;
        async move {
            client.open(rel, &text).await;
            client.request("textDocument/completion", at(client, rel, cursor)).await
        }
    };
    // `[[` → contacts by name and alias, `]]` added only when missing.
    let text = "- #met [[Ja".to_string();
    let list = complete("notes/a.md", text.clone(), pos(&text, "Ja", 2)).await;
    let jana = item(&list, "Jana Müller");
    assert_eq!(jana["textEdit"]["newText"], "Jana Müller]]");
    assert_eq!(jana["textEdit"]["range"], json!({ "start": pos(&text, "Ja", 0), "end": pos(&text, "Ja", 2) }));
    assert_eq!(jana["detail"], "Acme GmbH · last touch 2026-11-25");
    assert_eq!(item(&list, "Jana")["labelDetails"]["description"], "Jana Müller");
    assert!(!labels(&list).contains(&"Max Mustermann".to_string()));
    let text = "- #met [[Ja]] later".to_string();
    let list = complete("notes/b.md", text.clone(), pos(&text, "Ja", 2)).await;
    assert_eq!(item(&list, "Jana Müller")["textEdit"]["newText"], "Jana Müller");
    // `#` after an entry's date → the kinds and `[kinds]` aliases.
    let text = "- 2026-11-30 #".to_string();
    let list = complete("notes/c.md", text.clone(), pos(&text, "#", 1)).await;
    let all = labels(&list);
    assert!(all.contains(&"#thanks".to_string()) && all.contains(&"#congrats".to_string()));
    assert_eq!(item(&list, "#coffee")["detail"], "counts as #met: a touch: you met");
    assert!(item(&list, "#gave")["detail"].as_str().unwrap().starts_with("you did them a favour"));
    // The start of a list item → today, yesterday, weekdays.
    let text = "- ".to_string();
    let list = complete("notes/d.md", text.clone(), pos(&text, " ", 1)).await;
    assert_eq!(labels(&list)[..2], ["2026-12-01", "yesterday"]);
    assert_eq!(item(&list, "2026-12-01")["textEdit"]["newText"], "2026-12-01 ");
    assert_eq!(item(&list, "yesterday")["textEdit"]["newText"], "2026-11-30 ");
    assert_eq!(item(&list, "monday")["textEdit"]["newText"], "2026-11-30 ");
    // Front matter: keys not yet there, values of type, cadence and tags.
    let text = "---\ntype: contact\nca\n---\n".to_string();
    let list = complete("notes/e.md", text.clone(), pos(&text, "ca\n", 2)).await;
    assert_eq!(item(&list, "cadence")["textEdit"]["newText"], "cadence: ");
    assert!(!labels(&list).contains(&"type".to_string()));
    let text = "---\ntype: \n---\n".to_string();
    let list = complete("notes/f.md", text.clone(), pos(&text, "type: ", 6)).await;
    assert_eq!(labels(&list), ["contact", "person"]);
    let text = "---\ncadence: \n---\n".to_string();
    let list = complete("notes/g.md", text.clone(), pos(&text, "cadence: ", 9)).await;
    assert!(labels(&list).contains(&"quarterly".to_string()));
    let text = "---\ntags: [design, me\n---\n".to_string();
    let list = complete("notes/h.md", text.clone(), pos(&text, "me\n", 2)).await;
    assert_eq!(labels(&list), ["mentor"]);
    assert_eq!(
        item(&list, "mentor")["textEdit"]["range"],
        json!({ "start": pos(&text, "me\n", 0), "end": pos(&text, "me\n", 2) })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_shows_the_contact_card_and_kind_meanings() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let hover =
        client.request("textDocument/hover", at(&client, "journal/2026-11-25.md", pos(JOURNAL, "[[Jana]]", 4))).await;
    let card = hover["contents"]["value"].as_str().unwrap();
    assert!(card.starts_with("### Jana Müller"), "{card}");
    assert!(card.contains("- **Last touch:** 2026-11-25"), "{card}");
    assert!(card.contains("**Thank-yous owed:**"), "{card}");
    assert_eq!(hover["range"], json!({ "start": pos(JOURNAL, "[[Jana]]", 0), "end": pos(JOURNAL, "[[Jana]]", 8) }));
    let hover = client.request("textDocument/hover", at(&client, "people/jana.md", pos(JANA, "Jana Müller", 2))).await;
    assert!(hover["contents"]["value"].as_str().unwrap().starts_with("### Jana Müller"));
    let hover = client.request("textDocument/hover", at(&client, "people/jana.md", pos(JANA, "#got", 1))).await;
    assert!(hover["contents"]["value"].as_str().unwrap().starts_with("**#got** — they did you a favour"));
    assert_eq!(hover["range"], json!({ "start": pos(JANA, "#got", 0), "end": pos(JANA, "#got", 4) }));
    let nothing = client.request("textDocument/hover", at(&client, "people/jana.md", pos(JANA, "Coffee", 0))).await;
    assert_eq!(nothing, Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definition_references_and_rename() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let mut journal = JOURNAL.to_string();
    journal.push_str("- #call [[Jana Müller|J.]] about the talk\n- #msg [[J. Müller]] about the slides\n");
    client.open("journal/2026-11-25.md", &journal).await;
    let found = client
        .request("textDocument/definition", at(&client, "journal/2026-11-25.md", pos(&journal, "[[Jana]]", 3)))
        .await;
    assert_eq!(found["uri"], client.uri("people/jana.md"));
    assert_eq!(
        found["range"],
        json!({ "start": pos(JANA, "Jana Müller", 0), "end": pos(JANA, "Jana Müller", "Jana Müller".len()) })
    );
    // References from the contact's own name, with its declaration.
    let params = json!({
        "textDocument": doc(&client, "people/jana.md"),
        "position": pos(JANA, "Jana Müller", 1),
        "context": { "includeDeclaration": true }
    });
    let refs = client.request("textDocument/references", params).await;
    let refs: Vec<(String, Value)> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap().to_string(), l["range"]["start"].clone()))
        .collect();
    assert_eq!(
        refs,
        [
            (client.uri("people/jana.md"), pos(JANA, "Jana Müller", 0)),
            (client.uri("journal/2026-11-25.md"), pos(&journal, "Jana]]", 0)),
            (client.uri("journal/2026-11-25.md"), pos(&journal, "Jana Müller|", 0)),
            (client.uri("journal/2026-11-25.md"), pos(&journal, "J. Müller]]", 0)),
        ]
    );
    // Rename from a link: the name, the title and links by name or file
    // name change; labels stay; links written with an alias still resolve
    // and stay.
    let prepared = client
        .request("textDocument/prepareRename", at(&client, "journal/2026-11-25.md", pos(&journal, "Jana Müller|", 2)))
        .await;
    assert_eq!(prepared["placeholder"], "Jana Müller");
    assert_eq!(prepared["range"]["start"], pos(&journal, "Jana Müller|", 0));
    let nothing = client
        .request("textDocument/prepareRename", at(&client, "journal/2026-11-25.md", pos(&journal, "design", 0)))
        .await;
    assert_eq!(nothing, Value::Null);
    let mut params = at(&client, "journal/2026-11-25.md", pos(&journal, "Jana Müller|", 2));
    params["newName"] = json!("Jana Schmidt");
    let edit = client.request("textDocument/rename", params).await;
    let renamed = apply(JANA, edit["changes"][client.uri("people/jana.md")].as_array().unwrap());
    assert!(renamed.contains("name: Jana Schmidt\n") && renamed.contains("# Jana Schmidt\n"), "{renamed}");
    let journal_after = apply(&journal, edit["changes"][client.uri("journal/2026-11-25.md")].as_array().unwrap());
    assert!(journal_after.contains("- #met [[Jana Schmidt]] at"), "{journal_after}");
    assert!(
        journal_after.contains("[[Jana Schmidt|J.]]") && journal_after.contains("[[J. Müller]] about"),
        "{journal_after}"
    );
    let mut bad = at(&client, "journal/2026-11-25.md", pos(&journal, "Jana Müller|", 2));
    bad["newName"] = json!("Jana ]] Schmidt");
    assert!(client.call("textDocument/rename", bad).await.get("error").is_some());
}

/// Rename writes the new name in the form the old one had (a block scalar,
/// quotes and a comment after them kept), renames an alias where the cursor
/// is on one, and refuses a name that already leads elsewhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_keeps_the_front_matter_and_refuses_taken_names() {
    const BERND: &str = "---\ntype: contact\nname: >-\n  Bernd\n  Block\naliases: [Bebe]\n---\n";
    const ANNA: &str = "---\ntype: contact\nname: \"Anna Ölund\"  # her full name\n---\n";
    const FLO: &str = "---\ntype: contact\nname: Flo Wü\naliases:\n  - Flowy\n---\n";
    const NOTE: &str = "- #met [[Bernd Block]] and [[Bebe]]\n- #met [[Anna Ölund]] and [[Flowy]]\n";
    let client = Client::start(
        &[
            ("people/bernd.md", BERND),
            ("people/anna.md", ANNA),
            ("people/flo.md", FLO),
            ("journal/note.md", NOTE),
            ("kith.toml", ""),
        ],
        capabilities(),
    )
    .await;
    client.notification(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end", "the index").await;
    let rename = |needle: &'static str, new_name: &'static str| {
        let client = &client;
        async move {
            let mut params = at(client, "journal/note.md", pos(NOTE, needle, 2));
            params["newName"] = json!(new_name);
            client.call("textDocument/rename", params).await
        }
    };
    let edited = |answer: &Value, path: &str, text: &str| {
        apply(text, answer["result"]["changes"][client.uri(path)].as_array().expect("an edit of the note"))
    };
    // The contact's note and the note with the links, as the rename leaves them.
    let renamed = |answer: &Value, (path, text): (&str, &str), contact: &str, note: &str| {
        assert_eq!(edited(answer, path, text), contact);
        assert_eq!(edited(answer, "journal/note.md", NOTE), note);
    };
    let answer = rename("Bernd Block]]", "Bernd Blöck").await;
    renamed(
        &answer,
        ("people/bernd.md", BERND),
        "---\ntype: contact\nname: >-\n  Bernd Blöck\naliases: [Bebe]\n---\n",
        "- #met [[Bernd Blöck]] and [[Bebe]]\n- #met [[Anna Ölund]] and [[Flowy]]\n",
    );
    let answer = rename("Anna Ölund]]", "Anna \"Åberg\"").await;
    assert_eq!(
        edited(&answer, "people/anna.md", ANNA),
        "---\ntype: contact\nname: \"Anna \\\"Åberg\\\"\"  # her full name\n---\n"
    );
    // On a link written with an alias: that alias, and the links written with it.
    let prepared =
        client.request("textDocument/prepareRename", at(&client, "journal/note.md", pos(NOTE, "Bebe]]", 1))).await;
    assert_eq!(prepared["placeholder"], "Bebe");
    assert_eq!(prepared["range"], json!({ "start": pos(NOTE, "Bebe]]", 0), "end": pos(NOTE, "Bebe]]", 4) }));
    let answer = rename("Bebe]]", "Bebé").await;
    renamed(
        &answer,
        ("people/bernd.md", BERND),
        "---\ntype: contact\nname: >-\n  Bernd\n  Block\naliases: [Bebé]\n---\n",
        "- #met [[Bernd Block]] and [[Bebé]]\n- #met [[Anna Ölund]] and [[Flowy]]\n",
    );
    let answer = rename("Flowy]]", "Flo").await;
    assert_eq!(edited(&answer, "people/flo.md", FLO), "---\ntype: contact\nname: Flo Wü\naliases:\n  - Flo\n---\n");
    // Names that lead elsewhere: another's alias, another's name, another's file name.
    for taken in ["Flowy", "flo wü", "Bernd", "bernd"] {
        let answer = rename("Anna Ölund]]", taken).await;
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("already leads to"), "{taken}: {answer}");
    }
    // A case change of its own name is no conflict.
    assert!(rename("Anna Ölund]]", "anna ölund").await.get("result").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_and_workspace_symbols() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": doc(&client, "people/jana.md") })).await;
    let contact = &symbols[0];
    assert_eq!(contact["name"], "Jana Müller");
    assert_eq!(contact["detail"], "Acme GmbH");
    let title = &contact["children"][0];
    assert_eq!(title["name"], "Jana Müller");
    let log = &title["children"][0];
    assert_eq!(log["name"], "Log");
    let entries: Vec<&str> = log["children"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(entries, ["2026-11-20 #got", "2026-09-01 #met"]);
    assert_eq!(log["children"][0]["detail"], "Introduced me to Max Mustermann");
    let symbols =
        client.request("textDocument/documentSymbol", json!({ "textDocument": doc(&client, "people/max.md") })).await;
    let names: Vec<&str> =
        symbols[0]["children"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["2026-05-01 #met", "[ ] 2026-11-01 Send the article", "2026-06-01 #ask"]);
    let search = |query: &'static str| {
        let client = &client;
        async move {
            let found = client.request("workspace/symbol", json!({ "query": query })).await;
            found.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
        }
    };
    assert_eq!(search("MÜL").await, ["Jana Müller"]);
    assert_eq!(search("mm").await, ["Max Mustermann"]);
    assert_eq!(search("").await, ["Jana Müller", "Lena Schmidt", "Max Mustermann"]);
    let found = client.request("workspace/symbol", json!({ "query": "lena" })).await;
    assert_eq!(found[0]["location"]["uri"], client.uri("people/lena.md"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_lens_and_agenda() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let lenses =
        client.request("textDocument/codeLens", json!({ "textDocument": doc(&client, "people/jana.md") })).await;
    assert_eq!(lenses[0]["range"]["start"], json!({ "line": 0, "character": 0 }));
    let title = lenses[0]["command"]["title"].as_str().unwrap();
    assert!(title.contains("1 thank-you owed") && title.contains("last touch"), "{title}");
    let none =
        client.request("textDocument/codeLens", json!({ "textDocument": doc(&client, "journal/2026-11-25.md") })).await;
    assert_eq!(none, json!([]));
    let agenda = client
        .request("workspace/executeCommand", json!({ "command": "kith.agenda", "arguments": [{ "days": 30 }] }))
        .await;
    let items = agenda.as_array().unwrap();
    let thanks =
        items.iter().find(|i| i["contact"] == "Jana Müller" && i["rule"] == "missing-thanks").expect("Jana's thanks");
    assert_eq!(thanks["path"], "people/jana.md");
    assert_eq!(thanks["line"], 12);
    assert!(items.iter().any(|i| i["contact"] == "Max Mustermann" && i["rule"] == "follow-up-due"));
    let unknown = client.call("workspace/executeCommand", json!({ "command": "kith.nothing" })).await;
    assert!(unknown.get("error").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_documents_and_files_outside_the_vault() {
    let client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let nowhere =
        json!({ "textDocument": { "uri": "file:///nowhere/x.md" }, "position": { "line": 0, "character": 0 } });
    assert_eq!(client.request("textDocument/hover", nowhere.clone()).await, Value::Null);
    assert_eq!(client.request("textDocument/completion", nowhere.clone()).await, Value::Null);
    assert_eq!(client.request("textDocument/definition", nowhere).await, Value::Null);
    // A Markdown file outside the vault is a vault of its own.
    let (_outside_dir, outside) = harness::vault(&[("loose.md", "- 2026-11-20 #thnaks [[Jana]]\n")]);
    let uri = Uri::from_file_path(outside.join("loose.md")).unwrap().as_str().to_string();
    client.open_uri(&uri, "- 2026-11-20 #thnaks [[Jana]]\n").await;
    let found = client.diagnostics_of_uri(&uri, |d| !d.is_empty()).await;
    assert_eq!(codes(&found), ["broken-link", "unknown-kind"]);
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await;
    client.diagnostics_of_uri(&uri, |d| d.is_empty()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_config_at_start_is_reported_and_defaults_apply() {
    let broken = "[rules]\nvauge-ask = \"hint\"\n";
    let mut vault = files();
    vault.retain(|(p, _)| *p != "kith.toml");
    vault.push(("kith.toml", broken));
    let client = Client::start(&vault, capabilities()).await;
    let config = client.diagnostics_with("kith.toml", "config").await;
    assert_eq!(config[0]["range"]["start"], pos(broken, "vauge-ask", 0));
    assert!(config[0]["message"].as_str().unwrap().contains("did you mean `vague-ask`"));
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_and_exit_end_the_server() {
    let mut client = start().await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    assert_eq!(client.request("shutdown", Value::Null).await, Value::Null);
    client.notify("exit", Value::Null).await;
    client.finished().await;
}

/// The real binary: `kith lsp` over stdio ends promptly with code 0 after
/// shutdown and exit, and with 1 after an exit without shutdown.
#[test]
fn the_binary_exits_with_the_protocol_codes() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let (_dir, root) = harness::vault(&files());
    let frame = |v: Value| {
        let body = v.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    };
    for shutdown in [true, false] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
            .arg("lsp")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let init = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": null, "capabilities": {}, "initializationOptions": { "today": harness::TODAY } } });
        let mut input = frame(init) + &frame(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        if shutdown {
            input += &frame(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" }));
        }
        input += &frame(json!({ "jsonrpc": "2.0", "method": "exit" }));
        stdin.write_all(input.as_bytes()).unwrap();
        stdin.flush().unwrap();
        // The pipe stays open, as editors keep it: the server must not wait for it.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(std::time::Instant::now() < deadline, "kith lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        drop(stdin);
        assert_eq!(status.code(), Some(if shutdown { 0 } else { 1 }));
    }
}

/// `kith lsp` as a process, driven over its stdin and stdout.
struct Process {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    /// What the server writes, message by message (a thread reads them).
    messages: std::sync::mpsc::Receiver<Value>,
    root: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Process {
    /// Starts `kith lsp` on the test vault and initializes it.
    fn start() -> Process {
        use std::process::{Command, Stdio};
        let (dir, root) = harness::vault(&files());
        let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
            .arg("lsp")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sent, messages) = std::sync::mpsc::channel();
        // The harness's reader, on a runtime of the reading thread's own.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let mut stdout = tokio::io::BufReader::new(tokio::process::ChildStdout::from_std(stdout).unwrap());
                while let Some(message) = harness::read_message(&mut stdout).await {
                    if sent.send(message).is_err() {
                        return;
                    }
                }
            });
        });
        let mut process = Process { child, stdin, messages, root, _dir: dir };
        let root_uri = Uri::from_file_path(&process.root).unwrap().as_str().to_string();
        process.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": null, "rootUri": root_uri, "capabilities": {},
            "initializationOptions": { "today": harness::TODAY } } }));
        assert!(process.response(json!(1)).get("result").is_some());
        process.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
        process
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        use std::io::Write;
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    /// Sends a body under a correct header.
    fn send_body(&mut self, body: &str) {
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn send(&mut self, message: Value) {
        self.send_body(&message.to_string());
    }

    /// The next response (a message without a method) and checks it
    /// answers `id`; notifications on the way are passed over.
    fn response(&self, id: Value) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let message = self.messages.recv_timeout(left).unwrap_or_else(|_| panic!("no response to {id}"));
            if message.get("method").is_none() {
                assert_eq!(message["id"], id, "the next response answers {id}: {message}");
                return message;
            }
        }
    }

    /// The error code of the next response, which must answer `id`.
    fn error(&self, id: Value) -> i64 {
        let response = self.response(id);
        response["error"]["code"].as_i64().unwrap_or_else(|| panic!("an error: {response}"))
    }

    /// Sends a request the server answers in any state, and checks it does.
    fn still_answers(&mut self, id: i64) {
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": "workspace/symbol", "params": { "query": "Jana" } }));
        let response = self.response(json!(id));
        assert!(response["result"].is_array(), "{response}");
    }

    /// Shuts the server down and returns its exit code.
    fn finish(mut self) -> Option<i32> {
        self.send(json!({ "jsonrpc": "2.0", "id": 1000, "method": "shutdown" }));
        assert_eq!(self.response(json!(1000))["result"], Value::Null);
        self.send(json!({ "jsonrpc": "2.0", "method": "exit" }));
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(std::time::Instant::now() < deadline, "kith lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The real binary: a message that is not JSON-RPC gets an error and the
/// server reads on (tower-lsp-server alone exited after the first one).
#[test]
fn the_binary_answers_malformed_messages_and_reads_on() {
    let mut server = Process::start();
    server.still_answers(2);
    // Truncated JSON: a parse error, id null.
    server.send_body(r#"{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":"#);
    assert_eq!(server.error(Value::Null), -32700);
    server.still_answers(3);
    // JSON, but no request: invalid request, with the id when there is one.
    server.send_body("[1,2,3]");
    assert_eq!(server.error(Value::Null), -32600);
    server.still_answers(4);
    server.send_body(r#"{"id":7,"method":"textDocument/hover","params":{}}"#);
    assert_eq!(server.error(json!(7)), -32600);
    server.still_answers(5);
    server.send_body(r#"{"jsonrpc":"2.0","id":8,"method":17}"#);
    assert_eq!(server.error(json!(8)), -32600);
    server.still_answers(6);
    // A body with no header at all, and headers without a usable length:
    // a parse error each, and what follows them up to the next header is
    // skipped, since nothing says where it ends (the `shutdown`s here are
    // never read: `finish` checks that the server had no shutdown before).
    server.send_raw(br#"{"jsonrpc":"2.0","id":40,"method":"shutdown"}"#);
    assert_eq!(server.error(Value::Null), -32700);
    server.still_answers(9);
    let skipped = r#"{"jsonrpc":"2.0","id":41,"method":"shutdown"}"#;
    server.send_raw(format!("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{skipped}").as_bytes());
    assert_eq!(server.error(Value::Null), -32700);
    server.still_answers(10);
    server.send_raw(format!("Content-Length: forty\r\n\r\n{skipped}").as_bytes());
    assert_eq!(server.error(Value::Null), -32700);
    server.still_answers(11);
    // A length over the limit: answered at once, and the body is dropped
    // as it comes, not held.
    let length = kithkin::lsp::transport::MAX_MESSAGE + 1;
    server.send_raw(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    assert_eq!(server.error(Value::Null), -32600);
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..length >> 20 {
        server.send_raw(&chunk);
    }
    server.send_raw(&chunk[..length % (1 << 20)]);
    server.still_answers(12);
    assert_eq!(server.finish(), Some(0), "exit after shutdown is a clean exit");
}

/// The real binary: a text with a lone surrogate escape, as JavaScript
/// clients write it, is read with U+FFFD in its place.
#[test]
fn the_binary_reads_lone_surrogates_as_replacement_characters() {
    let mut server = Process::start();
    let uri = Uri::from_file_path(server.root.join("scratch.md")).unwrap().as_str().to_string();
    server.send_body(&format!(
        r##"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{uri}","languageId":"markdown","version":1,"text":"# Lone \ud83d heading\n\n# Pair \ud83d\ude00 and \\ud83d\n"}}}}}}"##
    ));
    server.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "textDocument/documentSymbol",
        "params": { "textDocument": { "uri": uri } } }));
    let symbols = server.response(json!(2));
    let names: Vec<&str> = symbols["result"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Lone \u{fffd} heading", "Pair 😀 and \\ud83d"]);
    assert_eq!(server.finish(), Some(0));
}

/// LSP 3.17: a `$/` request the server does not know gets MethodNotFound;
/// only `$/` notifications may go unanswered.
#[test]
fn the_binary_answers_dollar_requests() {
    let mut server = Process::start();
    server.send(json!({ "jsonrpc": "2.0", "id": 5, "method": "$/foo", "params": {} }));
    assert_eq!(server.error(json!(5)), -32601);
    server.send(json!({ "jsonrpc": "2.0", "method": "$/foo", "params": {} }));
    server.still_answers(6);
    assert_eq!(server.finish(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dollar_requests_get_method_not_found() {
    let client = start().await;
    let response = client.call("$/foo", json!({})).await;
    assert_eq!(response["error"]["code"], -32601, "{response}");
    client.notify("$/foo", json!({})).await;
    client.notify("$/setTrace", json!({ "value": "off" })).await;
    assert_eq!(client.request("shutdown", Value::Null).await, Value::Null);
}

/// A workspace opened through a symbolic link (on macOS, `/tmp` is one): the
/// editor knows its files by the linked path, so kith publishes there, and
/// takes file events and `kith.toml` by either spelling.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_opened_through_a_symbolic_link() {
    for client_watches in [true, false] {
        let (dir, real) = harness::vault(&files());
        let links = tempfile::tempdir().unwrap();
        let link = links.path().join("vault");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut caps = capabilities();
        caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] = json!(client_watches);
        let client = Client::start_in(dir, link.clone(), caps).await;
        client.diagnostics_with("people/jana.md", "missing-thanks").await;
        // Files changed on disk, reported (or seen) by the linked path and by the real one.
        std::fs::create_dir_all(real.join("notes")).unwrap();
        for (rel, spelled) in
            [("notes/linked.md", link.join("notes/linked.md")), ("notes/real.md", real.join("notes/real.md"))]
        {
            std::fs::write(&spelled, "- [[Ghost]]\n").unwrap();
            if client_watches {
                let uri = Uri::from_file_path(&spelled).unwrap().as_str().to_string();
                client
                    .notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": uri, "type": 1 }] }))
                    .await;
            }
            client.diagnostics_with(rel, "broken-link").await;
        }
        // `kith.toml` edited in the editor, by the linked path.
        client.open("kith.toml", CONFIG).await;
        client.replace("kith.toml", 2, &format!("{CONFIG}missing-thanks = \"off\"\n")).await;
        client.diagnostics_without("people/jana.md", "missing-thanks").await;
        let outside: Vec<String> =
            client.snapshot().into_keys().filter(|uri| !uri.starts_with(&format!("{}/", client.uri("")))).collect();
        assert!(outside.is_empty(), "published by the real path: {outside:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_while_a_large_vault_is_published_lose_no_diagnostics() {
    // Enough notes for many batches of diagnostics; the editor types while
    // they go out, so rounds are cut short and resumed on the new texts.
    let notes: Vec<(String, String)> = (0..2400)
        .map(|i| {
            let text =
                format!("---\ntype: contact\nname: Person {i}\n---\n- 2026-11-{:02} #got A favour\n", 1 + i % 28);
            (format!("people/p{i:04}.md"), text)
        })
        .collect();
    let mut files: Vec<(&str, &str)> = notes.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    files.push(("journal.md", "- 2026-11-02 #met [[Person 1]]\n"));
    let client = Client::start(&files, capabilities()).await;
    client.open("journal.md", "- 2026-11-02 #met [[Person 1]]\n").await;
    let mut version = 2;
    let mut text = String::new();
    while client.snapshot().len() < 2000 && version < 400 {
        text = format!("- 2026-11-02 #met [[Person 1]]\n- 2026-11-03 #got [[Person {}]] a favour\n", version % 50);
        client.replace("journal.md", version, &text).await;
        // A request applies the edit to the world at once.
        client
            .request("textDocument/documentSymbol", json!({ "textDocument": { "uri": client.uri("journal.md") } }))
            .await;
        version += 1;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    std::fs::write(client.path("journal.md"), &text).unwrap();
    let fresh = Client::start_in(tempfile::tempdir().unwrap(), client.root.clone(), capabilities()).await;
    fresh.notification(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end", "the index").await;
    let want = fresh.snapshot();
    assert!(want.len() > 2000, "most notes have a finding: {}", want.len());
    assert_eq!(client.snapshot_equal(&want).await, want);
}

/// Initialize parameters without a workspace (`rootUri: null`), plus `extra`.
fn without_workspace(extra: Value) -> Value {
    let mut params = json!({
        "processId": null,
        "rootUri": null,
        "capabilities": capabilities(),
        "initializationOptions": { "today": harness::TODAY }
    });
    for (key, value) in extra.as_object().unwrap() {
        params[key] = value.clone();
    }
    params
}

/// Without a workspace, the first note opened in a vault makes it the vault
/// (the nearest `kith.toml` above it): its links resolve, hover and
/// definition answer, the whole vault is read with progress and published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_workspace_the_vault_of_the_first_opened_note_is_read() {
    let (dir, root) = harness::vault(&files());
    let client = Client::start_with(dir, root, without_workspace(json!({}))).await;
    client.open("journal/2026-11-25.md", JOURNAL).await;
    let journal = client.diagnostics_where("journal/2026-11-25.md", |d| !d.is_empty()).await;
    // Only `[[Nobody Known]]` is broken: Jana and Max are notes of the vault.
    assert_eq!(codes(&journal), ["broken-link", "unknown-kind"]);
    client.notification(|n| n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end", "the index").await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let hover =
        client.request("textDocument/hover", at(&client, "journal/2026-11-25.md", pos(JOURNAL, "Jana", 0))).await;
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Jana Müller"), "{hover}");
    let found =
        client.request("textDocument/definition", at(&client, "journal/2026-11-25.md", pos(JOURNAL, "Jana", 0))).await;
    assert_eq!(found["uri"], client.uri("people/jana.md"));
}

/// `rootPath` alone (older clients) names the workspace.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_root_path_without_a_root_uri_names_the_workspace() {
    let (dir, root) = harness::vault(&files());
    let params = without_workspace(json!({ "rootPath": root.to_str().unwrap() }));
    let client = Client::start_with(dir, root, params).await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let journal = client.diagnostics_with("journal/2026-11-25.md", "broken-link").await;
    assert_eq!(codes(&journal), ["broken-link", "unknown-kind"]);
}

/// Two workspace folders, each a vault: the first is indexed; a note of
/// the second is read with its own `kith.toml` and without the rules that
/// need the rest of its vault, so its links are not called broken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_of_a_second_workspace_folder_has_no_false_findings() {
    let (dir, root) = harness::vault(&files());
    let ana = "---\ntype: contact\nname: Ana Lima\n---\n- 2026-11-20 #got A book\n";
    let other_text = "- 2026-11-20 #coffee [[Ana Lima]]\n- 2026-11-21 #thnaks [[Ana]]\n";
    let (_other_dir, other) =
        harness::vault(&[("kith.toml", "[kinds]\ncoffee = \"met\"\n"), ("people/ana.md", ana), ("log.md", other_text)]);
    let uri_of = |path: &std::path::Path| Uri::from_file_path(path).unwrap().as_str().to_string();
    let folders = json!([{ "uri": uri_of(&root), "name": "a" }, { "uri": uri_of(&other), "name": "b" }]);
    let params = without_workspace(json!({ "rootUri": uri_of(&root), "workspaceFolders": folders }));
    let client = Client::start_with(dir, root, params).await;
    client.diagnostics_with("people/jana.md", "missing-thanks").await;
    let log = uri_of(&other.join("log.md"));
    client.open_uri(&log, other_text).await;
    // `#coffee` is a kind there; `#thnaks` is not.
    let found = client.diagnostics_of_uri(&log, |d| !d.is_empty()).await;
    assert_eq!(codes(&found), ["unknown-kind"]);
    // A contact note there is not judged on a ledger kith has not read.
    let ana_uri = uri_of(&other.join("people/ana.md"));
    client.open_uri(&ana_uri, &format!("{ana}- 2026-02-30 #met Lunch\n")).await;
    let found = client.diagnostics_of_uri(&ana_uri, |d| !d.is_empty()).await;
    assert_eq!(codes(&found), ["invalid-date"]);
}

/// A note the client spells otherwise than kith (escapes in lower case,
/// `localhost`, dot segments, an unescaped `ü`) is one document: its text
/// wins, its diagnostics go under the client's URI, and what was published
/// under kith's own spelling is withdrawn (and comes back on close).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_spelled_otherwise_is_one_document() {
    let juergen = "---\ntype: contact\nname: Jürgen Weiß\n---\n- 2026-11-20 #got A book\n";
    let mut vault = files();
    vault.push(("people/jürgen.md", juergen));
    let client = Client::start(&vault, capabilities()).await;
    client.diagnostics_with("people/jürgen.md", "missing-thanks").await;
    client.diagnostics_with("journal/2026-11-25.md", "broken-link").await;
    let own = client.uri("people/jürgen.md");
    assert!(own.contains("j%C3%BCrgen"), "{own}");

    // Escapes in lower case.
    let lower = own.replace("%C3%BC", "%c3%bc");
    let edited = format!("{juergen}- 2026-11-22 #thnaks For the tea\n");
    client.open_uri(&lower, &edited).await;
    let found = client.diagnostics_of_uri(&lower, |d| !d.is_empty()).await;
    assert_eq!(codes(&found), ["missing-thanks", "unknown-kind"]);
    client.diagnostics_of_uri(&own, |d| d.is_empty()).await;
    let hover = json!({ "textDocument": { "uri": lower }, "position": pos(&edited, "Jürgen", 0) });
    assert_ne!(client.request("textDocument/hover", hover).await, Value::Null);
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": lower } })).await;
    client.diagnostics_of_uri(&lower, |d| d.is_empty()).await;
    let found = client.diagnostics_of_uri(&own, |d| !d.is_empty()).await;
    assert_eq!(codes(&found), ["missing-thanks"]);

    // Unescaped: escaped on the way in, which is kith's own spelling.
    let raw = format!("file://{}", client.path("people/jürgen.md").to_str().unwrap());
    client.open_uri(&raw, &edited).await;
    client.diagnostics_with("people/jürgen.md", "unknown-kind").await;
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": raw } })).await;
    client.diagnostics_without("people/jürgen.md", "unknown-kind").await;

    // `localhost` and dot segments: the journal, not a note of its own.
    let spelled = client
        .uri("journal/2026-11-25.md")
        .replace("file://", "file://localhost")
        .replace("/journal/", "/people/./../journal/");
    let fixed = JOURNAL.replace("[[Nobody Known]]", "[[Lena Schmidt]]");
    client.open_uri(&spelled, &fixed).await;
    client.diagnostics_where("journal/2026-11-25.md", <[Value]>::is_empty).await;
    let found = client.diagnostics_of_uri(&spelled, |d| !d.is_empty()).await;
    assert_eq!(codes(&found), ["unknown-kind"]);
    let everywhere = client.snapshot();
    assert!(everywhere.keys().all(|uri| !uri.contains("/people/./..") || *uri == spelled), "{everywhere:#?}");
}

/// `kith.ignore` from a quick fix: in the contact's note for a finding about
/// them, in the note it is placed in otherwise, a shared name included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fixes_ignore_a_rule_in_the_front_matter() {
    let twin = "---\ntype: contact\nname: Lena Schmidt\n---\n";
    let mut vault = files();
    vault.push(("people/lena-2.md", twin));
    let client = Client::start(&vault, capabilities()).await;

    client.open("people/max.md", MAX).await;
    let title = "Ignore overdue-touch for Max Mustermann (in their note)";
    let ignore = action(&client, "people/max.md", "overdue-touch", title).await;
    assert_eq!(ignore["isPreferred"], Value::Null);
    let text = apply_action(&client, "people/max.md", MAX, &ignore, 2).await;
    assert!(
        text.starts_with(
            "---\ntype: contact\nname: Max Mustermann\ncadance: 1m\nkith: {ignore: [overdue-touch]}\n---\n"
        ),
        "{text}"
    );
    client.diagnostics_without("people/max.md", "overdue-touch").await;
    // A second rule joins the list.
    let ignore = action(&client, "people/max.md", "vague-ask", "Ignore vague-ask for Max Mustermann").await;
    let text = apply_action(&client, "people/max.md", &text, &ignore, 3).await;
    assert!(text.contains("\nkith: {ignore: [overdue-touch, vague-ask]}\n---\n"), "{text}");
    client.diagnostics_without("people/max.md", "vague-ask").await;
    let left = client.diagnostics_with("people/max.md", "follow-up-due").await;
    assert_eq!(codes(&left), ["follow-up-due", "key-typo"]);

    // In a journal the finding's own note gets it: front matter is added.
    client.open("journal/2026-11-25.md", JOURNAL).await;
    let ignore = action(&client, "journal/2026-11-25.md", "unknown-kind", "Ignore unknown-kind in this note").await;
    let text = apply_action(&client, "journal/2026-11-25.md", JOURNAL, &ignore, 2).await;
    assert_eq!(text, format!("---\nkith: {{ignore: [unknown-kind]}}\n---\n{JOURNAL}"));
    client.diagnostics_without("journal/2026-11-25.md", "unknown-kind").await;
    client.diagnostics_with("journal/2026-11-25.md", "broken-link").await;

    // A name two contacts share.
    client.open("people/lena-2.md", twin).await;
    let ignore = action(&client, "people/lena-2.md", "duplicate-contact", "Ignore duplicate-contact for Lena").await;
    let text = apply_action(&client, "people/lena-2.md", twin, &ignore, 2).await;
    assert_eq!(text, "---\ntype: contact\nname: Lena Schmidt\nkith: {ignore: [duplicate-contact]}\n---\n");
    client.diagnostics_without("people/lena-2.md", "duplicate-contact").await;
}

/// A contact's `kith.ignore` silences findings about them placed in other
/// notes: a change to it republishes those notes, though they did not change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contacts_ignore_list_reaches_the_notes_that_link_them() {
    let client = start().await;
    let plans = "- 2027-01-10 #met [[Lena Schmidt]] for lunch\n";
    client.open("notes/plans.md", plans).await;
    client.open("people/lena.md", LENA).await;
    let title = "Ignore future-entry for Lena Schmidt (in their note)";
    let ignore = action(&client, "notes/plans.md", "future-entry", title).await;
    let text = apply_action(&client, "people/lena.md", LENA, &ignore, 2).await;
    assert!(text.contains("kith: {ignore: [future-entry]}\n"), "{text}");
    client.diagnostics_without("notes/plans.md", "future-entry").await;
    // Taking it out again brings the finding back.
    client.replace("people/lena.md", 3, LENA).await;
    client.diagnostics_with("notes/plans.md", "future-entry").await;
}

/// A client that resolves code actions gets the fixes that log an entry
/// without their edit (checking it costs a parse of the note), and the edit
/// when it asks for the one picked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_fixes_are_resolved_when_picked() {
    let mut caps = capabilities();
    caps["textDocument"]["codeAction"] = json!({ "resolveSupport": { "properties": ["edit"] } });
    let client = Client::start(&files(), caps).await;
    client.open("people/jana.md", JANA).await;
    let title = "Log a #thanks to Jana Müller today";
    let lazy = action(&client, "people/jana.md", "missing-thanks", title).await;
    assert_eq!(lazy["edit"], Value::Null, "{lazy:#}");
    assert_eq!(lazy["isPreferred"], true);
    // Fixes that cost nothing come whole.
    let ignore = action(&client, "people/jana.md", "missing-thanks", "Ignore missing-thanks on this line").await;
    assert!(ignore["edit"].is_object(), "{ignore:#}");
    let resolved = client.request("codeAction/resolve", lazy.clone()).await;
    assert_eq!(resolved["title"], lazy["title"]);
    let text = apply_action(&client, "people/jana.md", JANA, &resolved, 2).await;
    assert!(text.contains("- 2026-12-01 #thanks"), "{text}");
    client.diagnostics_without("people/jana.md", "missing-thanks").await;
    // Once the thank-you is logged there is nothing to resolve it to: it comes back as it was.
    let stale = client.request("codeAction/resolve", lazy.clone()).await;
    assert_eq!(stale, lazy);
}
