//! The language server shell: `kith lsp` speaks LSP 3.17 over stdio, with
//! the same core, `kith.toml` and rules as `kith lint`.
//!
//! # Threads
//!
//! - **The runtime** (tokio, one thread) runs tower-lsp-server's
//!   message loop and the handlers in [`server`]. The loop reads the client
//!   through [`transport::Input`], which frames each message itself, answers
//!   the malformed ones and `$/` requests (through the [`Output`]) and passes
//!   on only what tower-lsp-server accepts: alone, it stops reading after the
//!   first message it cannot decode. Notification handlers
//!   (`didOpen`, `didChange`, `didClose`) apply the editor's texts to the
//!   document store at once and never await, so edits keep their order even
//!   though tower-lsp polls handlers as concurrent futures. Request handlers
//!   read the vault and answer; none holds a lock across an `.await`.
//! - **The analysis worker** (one std thread, [`worker`]) owns all slow work:
//!   reading the vault at start (in parallel, with `$/progress`), applying
//!   files changed on disk, running the rules and deciding what to publish.
//!   It waits for edits to pause (30 ms, at most 250 ms) and takes every
//!   job that came meanwhile as one round.
//! - **Diagnostics** are written by the worker itself, straight into the
//!   server's [`Output`], a batch of whole messages at a time: serialised on
//!   all cores, without the JSON value tree tower-lsp-server's `Client`
//!   builds for each message. Writing holds no lock of the world; if an
//!   edit changes the world between two batches, the worker leaves the rest
//!   to the next round. The transport writes its own messages through the
//!   same [`Output`], and the two never interleave within a message.
//! - **The publisher** (a task on the runtime) sends what else the worker
//!   hands it through a channel, with tower-lsp-server's `Client`: progress,
//!   log messages, code lens refreshes. A progress ends after the
//!   diagnostics it covers, which the worker wrote before it said so.
//! - **The file watcher** ([`crate::io::watch`]), only when the client
//!   cannot watch files for us: one notify watcher and a debounce thread.
//!   A client that can is asked for every change to notes and `kith.toml`,
//!   and for every other file only as it comes and goes (attachments are
//!   link targets; their content never matters).
//!
//! # State
//!
//! [`state::World`] (behind an `RwLock`) holds the vault index of the
//! workspace, one-note vaults for Markdown files opened from outside it, and
//! "today"; [`state::Documents`] (behind a `Mutex`) holds the editor's
//! texts, keyed by one spelling of each file's URI ([`proto::normal`]).
//! Open documents win over the disk.
//!
//! One vault is indexed: that of the first workspace folder in one, or,
//! without a workspace, of the first file opened in one. Files of other
//! folders and other vaults are one-note vaults read with their own
//! `kith.toml` and without the rules that need the rest of their vault
//! ([`state::World::loose_config`]): making each its own indexed vault
//! would need a root, a watcher and a configuration per vault in the
//! worker and the features, which assume one. Edits reach the vault on the next
//! *flush*, done by the worker, or by a request before it answers, so that
//! every request sees every edit that came before it.
//!
//! # Incremental analysis
//!
//! Findings are cached per source: each note's own findings, each contact's
//! findings (which may be placed in other notes), and each name two or more
//! contacts share (duplicates). A changed note recomputes its own findings,
//! those of every contact it touched before or touches after the change (the
//! contacts it links, and itself when it is one), and, for a contact or a
//! note whose names changed, the duplicate check of each name it answered to
//! before or answers to now: a group of contacts, never the vault. When a
//! change can move link resolution (a note appears or goes, names or aliases
//! change), the links that can match an old or new name are resolved again,
//! and the notes whose links now resolve differently are treated as changed
//! too. The sorted list of contact names (completion, workspace symbols) is
//! patched for the renamed notes.
//! Everything is recomputed only when the vault is read again (at start, when
//! `kith.toml` says something new, when the platform lost file events) or
//! when the date changes. Findings are grouped by the file they are placed
//! in; a file's diagnostics are published only when they differ from the
//! last ones published (a hash of them is kept), empty when its findings are
//! gone.
//!
//! Requests answer from the vault directly: completion searches a sorted
//! list of contact names (patched when names change), code actions compute
//! the findings of the one note at hand.

// `Uri` caches parts of itself in cells, but its `Hash` and `Eq` use only
// its text, so it is a sound map key (lsp-types itself keys edits by it).
#![allow(clippy::mutable_key_type)]

pub mod features;
pub mod proto;
pub mod server;
pub mod state;
pub mod transport;
pub mod worker;

pub use server::Server;

use crate::cli::UsageError;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::{ClientSocket, ExitedError, LspService};

/// The service and its client socket, for serving over any pipe; the
/// transport must write through the same `output`, and read through a
/// [`transport::Input`] that writes there too. URIs a client sends
/// unescaped are escaped before the messages are read ([`proto::escape_uris`]).
pub fn service(output: Output) -> (proto::EscapeUris<LspService<Server>>, ClientSocket) {
    let (service, socket) = LspService::new(move |client| Server::new(client, output));
    (proto::EscapeUris(service), socket)
}

/// Serves on stdin and stdout until `exit`. The exit code is 0 when
/// `shutdown` came first, else 1, as the protocol asks.
pub fn run() -> Result<ExitCode, UsageError> {
    // One thread for the protocol: handlers are quick (the analysis has a
    // thread of its own, and rayon's pool; a large agenda goes to the
    // blocking pool), and messages pass from the handlers and the publisher
    // to the transport without a cross-thread wake-up each.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .thread_name("kith-lsp")
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("cannot start the language server: {e}")))?;
    let shut_down = Arc::new(AtomicBool::new(false));
    runtime.block_on(async {
        let output = Output::new(std::io::stdout());
        let (service, socket) = service(output.clone());
        let service = NoticeShutdown { inner: service, shut_down: shut_down.clone() };
        let input = transport::Input::new(tokio::io::stdin(), output.clone());
        tower_lsp_server::Server::new(input, output, socket).serve(service).await;
    });
    // Reading stdin blocks a thread that would keep the runtime (and the
    // process) alive until the client closes the pipe: do not wait for it.
    runtime.shutdown_background();
    Ok(if shut_down.load(Ordering::SeqCst) { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Where the server writes: its standard output, or a test's pipe.
///
/// Shared by the transport (tower-lsp-server's messages), the input layer
/// ([`transport::Input`]: its answers to malformed messages) and the analysis
/// worker (diagnostics), the last two through [`Output::write_messages`].
/// Every write takes the lock and writes all it is given before it returns:
/// each hands over only whole messages, so messages never interleave. Writing blocks
/// its thread while the client does not read; tokio's `stdout()` would
/// instead hand every write to a thread of its blocking pool and wait for
/// it, two thread wake-ups per write.
#[derive(Clone)]
pub struct Output(Arc<Mutex<Box<dyn Write + Send>>>);

impl Output {
    pub fn new(writer: impl Write + Send + 'static) -> Output {
        Output(Arc::new(Mutex::new(Box::new(writer))))
    }

    fn lock(&self) -> MutexGuard<'_, Box<dyn Write + Send>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes whole framed messages (`Content-Length` header and body) and
    /// flushes them.
    pub fn write_messages(&self, messages: &[u8]) -> std::io::Result<()> {
        let mut out = self.lock();
        out.write_all(messages)?;
        out.flush()
    }
}

impl tokio::io::AsyncWrite for Output {
    fn poll_write(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        // All of it, under the lock: a message is never cut by another's.
        Poll::Ready(self.lock().write_all(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.lock().flush())
    }

    fn poll_shutdown(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// Notes a `shutdown` request as it is read. Its handler may never run: an
/// `exit` right behind it cancels whatever is still pending.
struct NoticeShutdown {
    inner: proto::EscapeUris<LspService<Server>>,
    shut_down: Arc<AtomicBool>,
}

impl tower::Service<Request> for NoticeShutdown {
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = <LspService<Server> as tower::Service<Request>>::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() == "shutdown" {
            self.shut_down.store(true, Ordering::SeqCst);
        }
        self.inner.call(request)
    }
}
