//! An in-process LSP client: the server reads a duplex pipe and writes through
//! its `Output` into a channel, and is driven exactly as an editor would drive
//! it (Content-Length framing, JSON-RPC); the client answers the server's
//! own requests with `null`, keeps the latest diagnostics per URI and every
//! notification.

#![allow(dead_code)]

use kithkin::engine::text::{Encoding, LineCol, LineIndex};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::Notify;
use tower_lsp_server::UriExt;
use tower_lsp_server::lsp_types::Uri;

pub const TODAY: &str = "2026-12-01";
const WAIT: Duration = Duration::from_secs(15);

#[derive(Default)]
struct Inbox {
    responses: HashMap<i64, Value>,
    diagnostics: HashMap<String, Vec<Value>>,
    notifications: Vec<Value>,
    requests: Vec<Value>,
}

pub struct Client {
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    inbox: Arc<Mutex<Inbox>>,
    notify: Arc<Notify>,
    next_id: AtomicI64,
    pub server: Option<tokio::task::JoinHandle<()>>,
    pub root: PathBuf,
    pub init: Value,
    _dir: tempfile::TempDir,
}

/// Client capabilities of a capable editor; tests change what they need.
pub fn capabilities() -> Value {
    json!({
        "general": { "positionEncodings": ["utf-16"] },
        "window": { "workDoneProgress": true },
        "workspace": {
            "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create", "rename", "delete"] },
            "didChangeWatchedFiles": { "dynamicRegistration": true },
            "codeLens": { "refreshSupport": true }
        },
        "textDocument": { "completion": { "completionItem": { "labelDetailsSupport": true } } }
    })
}

/// Writes a vault: `(path, text)` pairs under a fresh temporary folder.
pub fn vault(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    for (path, text) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    (dir, root)
}

/// The server's output: each write goes to the client as one chunk.
struct Sender(tokio::sync::mpsc::UnboundedSender<Vec<u8>>);

impl std::io::Write for Sender {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.send(buf.to_vec()).map_err(|_| std::io::ErrorKind::BrokenPipe)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn write_message(writer: &tokio::sync::Mutex<WriteHalf<DuplexStream>>, message: &Value) {
    let body = serde_json::to_string(message).unwrap();
    let mut w = writer.lock().await;
    w.write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes()).await.unwrap();
    w.flush().await.unwrap();
}

impl Client {
    /// Starts a server on a new vault and initializes it.
    pub async fn start(files: &[(&str, &str)], caps: Value) -> Client {
        let (dir, root) = vault(files);
        Client::start_in(dir, root, caps).await
    }

    /// Starts a server with `root` as its workspace and initializes it.
    pub async fn start_in(dir: tempfile::TempDir, root: PathBuf, caps: Value) -> Client {
        let root_uri = Uri::from_file_path(&root).unwrap().as_str().to_string();
        let params = json!({
            "processId": null,
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "vault" }],
            "capabilities": caps,
            "initializationOptions": { "today": TODAY }
        });
        Client::start_with(dir, root, params).await
    }

    /// Starts a server and initializes it with `params` as they are; `root`
    /// is where [`Client::uri`] finds the vault's files.
    pub async fn start_with(dir: tempfile::TempDir, root: PathBuf, params: Value) -> Client {
        // What the client writes, the server reads.
        let (client_io, server_io) = tokio::io::duplex(1 << 22);
        let (server_read, _) = tokio::io::split(server_io);
        let (_, client_write) = tokio::io::split(client_io);
        // What the server writes (through the transport, and diagnostics
        // from its worker thread) reaches the client through a channel: the
        // server's writes are synchronous, as on a real pipe.
        let (sent, mut outbox) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
        let output = kithkin::lsp::Output::new(Sender(sent));
        let (service, socket) = kithkin::lsp::service(output.clone());
        let input = kithkin::lsp::transport::Input::new(server_read, output.clone());
        let server = tokio::spawn(tower_lsp_server::Server::new(input, output, socket).serve(service));
        let (inbound, mut pump) = tokio::io::duplex(1 << 22);
        tokio::spawn(async move {
            while let Some(bytes) = outbox.recv().await {
                if pump.write_all(&bytes).await.is_err() {
                    return;
                }
            }
        });
        let client_read = tokio::io::split(inbound).0;
        let writer = Arc::new(tokio::sync::Mutex::new(client_write));
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let notify = Arc::new(Notify::new());
        tokio::spawn(read_loop(client_read, writer.clone(), inbox.clone(), notify.clone()));
        let mut client = Client {
            writer,
            inbox,
            notify,
            next_id: AtomicI64::new(1),
            server: Some(server),
            root,
            init: Value::Null,
            _dir: dir,
        };
        client.init = client.request("initialize", params).await;
        client.notify("initialized", json!({})).await;
        client
    }

    /// The URI of a vault path, spelled as the server spells it.
    pub fn uri(&self, rel: &str) -> String {
        let path = if rel.is_empty() { self.root.clone() } else { self.root.join(rel) };
        Uri::from_file_path(&path).unwrap().as_str().to_string()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub async fn notify(&self, method: &str, params: Value) {
        write_message(&self.writer, &json!({ "jsonrpc": "2.0", "method": method, "params": params })).await;
    }

    /// Sends a request and waits for its response (the whole message).
    pub async fn call(&self, method: &str, params: Value) -> Value {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        write_message(&self.writer, &json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params })).await;
        self.wait(|inbox| inbox.responses.remove(&id), &format!("a response to {method}")).await
    }

    /// Sends a request and returns its result; panics on an error.
    pub async fn request(&self, method: &str, params: Value) -> Value {
        let response = self.call(method, params).await;
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    async fn wait<T>(&self, mut check: impl FnMut(&mut Inbox) -> Option<T>, what: &str) -> T {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.notify.notified();
            if let Some(found) = check(&mut self.inbox.lock().unwrap()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let inbox = self.inbox.lock().unwrap();
                panic!("timed out waiting for {what}; diagnostics: {:#?}", inbox.diagnostics);
            }
        }
    }

    /// Waits until the latest diagnostics of a document satisfy `want`.
    pub async fn diagnostics_where(&self, rel: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = self.uri(rel);
        self.diagnostics_of_uri(&uri, want).await
    }

    pub async fn diagnostics_of_uri(&self, uri: &str, want: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        self.wait(
            |inbox| inbox.diagnostics.get(uri).filter(|d| want(d)).cloned(),
            &format!("diagnostics of {uri} as wanted"),
        )
        .await
    }

    /// Waits until a document has a diagnostic of `rule` (and returns them all).
    pub async fn diagnostics_with(&self, rel: &str, rule: &str) -> Vec<Value> {
        self.diagnostics_where(rel, |d| d.iter().any(|x| x["code"] == rule)).await
    }

    /// Waits until a document has no diagnostic of `rule` (published at least once).
    pub async fn diagnostics_without(&self, rel: &str, rule: &str) -> Vec<Value> {
        self.diagnostics_where(rel, |d| !d.iter().any(|x| x["code"] == rule)).await
    }

    /// The latest diagnostics of a document, if any were published.
    pub fn latest(&self, rel: &str) -> Option<Vec<Value>> {
        self.inbox.lock().unwrap().diagnostics.get(&self.uri(rel)).cloned()
    }

    /// Every notification so far.
    pub fn snapshot_notifications(&self) -> Vec<Value> {
        self.inbox.lock().unwrap().notifications.clone()
    }

    /// Every document's latest diagnostics, leaving out empty ones.
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Vec<Value>> {
        let inbox = self.inbox.lock().unwrap();
        inbox.diagnostics.iter().filter(|(_, d)| !d.is_empty()).map(|(u, d)| (u.clone(), d.clone())).collect()
    }

    /// Waits until the snapshot equals `want`; returns the last one seen.
    pub async fn snapshot_equal(
        &self,
        want: &std::collections::BTreeMap<String, Vec<Value>>,
    ) -> std::collections::BTreeMap<String, Vec<Value>> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let notified = self.notify.notified();
            let now = self.snapshot();
            if &now == want || tokio::time::Instant::now() >= deadline {
                return now;
            }
            let _ = tokio::time::timeout_at(deadline, notified).await;
        }
    }

    /// Waits until `count` notifications so far satisfy `want` (the server
    /// writes progress and diagnostics on two paths: their order may vary).
    pub async fn notifications_counted(&self, want: impl Fn(&Value) -> bool, count: usize, what: &str) -> usize {
        self.wait(
            |inbox| {
                let seen = inbox.notifications.iter().filter(|n| want(n)).count();
                (seen >= count).then_some(seen)
            },
            what,
        )
        .await
    }

    pub async fn notification(&self, want: impl Fn(&Value) -> bool, what: &str) -> Value {
        let mut from = 0;
        self.wait(
            |inbox| {
                let found = inbox.notifications[from..].iter().find(|n| want(n)).cloned();
                from = inbox.notifications.len();
                found
            },
            what,
        )
        .await
    }

    pub async fn server_request(&self, method: &str) -> Value {
        self.wait(|inbox| inbox.requests.iter().find(|r| r["method"] == method).cloned(), method).await
    }

    pub fn server_requests(&self, method: &str) -> Vec<Value> {
        self.inbox.lock().unwrap().requests.iter().filter(|r| r["method"] == method).cloned().collect()
    }

    pub async fn open(&self, rel: &str, text: &str) {
        self.open_uri(&self.uri(rel), text).await;
    }

    pub async fn open_uri(&self, uri: &str, text: &str) {
        let doc = json!({ "uri": uri, "languageId": "markdown", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": doc })).await;
    }

    /// Replaces a document's whole text.
    pub async fn replace(&self, rel: &str, version: i32, text: &str) {
        let doc = json!({ "uri": self.uri(rel), "version": version });
        self.notify("textDocument/didChange", json!({ "textDocument": doc, "contentChanges": [{ "text": text }] }))
            .await;
    }

    /// Waits for the server to finish (after `exit`).
    pub async fn finished(&mut self) {
        let server = self.server.take().expect("running");
        tokio::time::timeout(WAIT, server).await.expect("the server ends after exit").unwrap();
    }
}

/// The next message the server wrote (`Content-Length` header, JSON body);
/// `None` when its output has ended.
pub async fn read_message(reader: &mut (impl tokio::io::AsyncBufRead + Unpin)) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length.expect("Content-Length")];
    reader.read_exact(&mut body).await.ok()?;
    Some(serde_json::from_slice(&body).expect("the server writes JSON"))
}

async fn read_loop(
    read: tokio::io::ReadHalf<DuplexStream>,
    writer: Arc<tokio::sync::Mutex<WriteHalf<DuplexStream>>>,
    inbox: Arc<Mutex<Inbox>>,
    notify: Arc<Notify>,
) {
    let mut reader = BufReader::new(read);
    while let Some(message) = read_message(&mut reader).await {
        match (message.get("id"), message.get("method")) {
            (Some(id), Some(_)) => {
                let reply = json!({ "jsonrpc": "2.0", "id": id, "result": null });
                inbox.lock().unwrap().requests.push(message.clone());
                write_message(&writer, &reply).await;
            }
            (None, Some(method)) => {
                let mut inbox = inbox.lock().unwrap();
                if method == "textDocument/publishDiagnostics" {
                    let uri = message["params"]["uri"].as_str().unwrap().to_string();
                    let list = message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
                    inbox.diagnostics.insert(uri, list);
                }
                inbox.notifications.push(message);
            }
            (Some(id), None) => {
                let id = id.as_i64().unwrap_or(-1);
                inbox.lock().unwrap().responses.insert(id, message);
            }
            (None, None) => {}
        }
        notify.notify_waiters();
    }
}

/// The LSP position of the `nth` occurrence of `needle` in `text` (plus
/// `shift` bytes), in the given encoding.
pub fn pos_in(text: &str, needle: &str, shift: usize, enc: Encoding) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text")) + shift;
    let index = LineIndex::new(text);
    let lc = index.line_col(text, at, enc);
    json!({ "line": lc.line, "character": lc.col })
}

/// UTF-16 position of `needle` (plus `shift` bytes).
pub fn pos(text: &str, needle: &str, shift: usize) -> Value {
    pos_in(text, needle, shift, Encoding::Utf16)
}

/// Applies LSP text edits (UTF-16 positions) to a text.
pub fn apply(text: &str, edits: &[Value]) -> String {
    let index = LineIndex::new(text);
    let offset = |p: &Value| {
        let lc = LineCol { line: p["line"].as_u64().unwrap() as u32, col: p["character"].as_u64().unwrap() as u32 };
        index.offset(text, lc, Encoding::Utf16)
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_string()))
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut out = String::new();
    let mut at = 0;
    for (start, end, new) in spans {
        out.push_str(&text[at..start]);
        out.push_str(&new);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// The text of a file in the vault.
pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}
