//! The language server shell: `kith lsp` speaks LSP 3.17 over stdio, with
//! the same core, `kith.toml` and rules as `kith lint`.
//!
//! # Threads
//!
//! - **The runtime** (tokio, one thread) runs tower-lsp-server's
//!   message loop and the handlers in [`server`]. Notification handlers
//!   (`didOpen`, `didChange`, `didClose`) apply the editor's texts to the
//!   document store at once and never await, so edits keep their order even
//!   though tower-lsp polls handlers as concurrent futures. Request handlers
//!   read the vault and answer; none holds a lock across an `.await`.
//! - **The analysis worker** (one std thread, [`worker`]) owns all slow work:
//!   reading the vault at start (in parallel, with `$/progress`), applying
//!   files changed on disk, running the rules and deciding what to publish.
//!   It waits for edits to pause (30 ms, at most 250 ms) and takes every
//!   job that came meanwhile as one round.
//! - **The publisher** (a task on the runtime) sends what the worker hands it
//!   through a channel: diagnostics, progress, log messages. Only the batches
//!   of an analysis round are limited (at most [`worker::IN_FLIGHT`] waiting):
//!   the worker then waits for room, holding no lock, and if an edit changes
//!   the world meanwhile it leaves the rest to the next round. Standard output
//!   is written directly from the runtime thread.
//! - **The file watcher** ([`crate::io::watch`]), only when the client
//!   cannot watch files for us: one notify watcher and a debounce thread.
//!
//! # State
//!
//! [`state::World`] (behind an `RwLock`) holds the vault index of the
//! workspace, one-note vaults for Markdown files opened from outside it, and
//! "today"; [`state::Documents`] (behind a `Mutex`) holds the editor's
//! texts. Open documents win over the disk. Edits reach the vault on the next
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
//! list of contact names (rebuilt when names change), code actions compute
//! the findings of the one note at hand.

// `Uri` caches parts of itself in cells, but its `Hash` and `Eq` use only
// its text, so it is a sound map key (lsp-types itself keys edits by it).
#![allow(clippy::mutable_key_type)]

pub mod features;
pub mod proto;
pub mod server;
pub mod state;
pub mod worker;

pub use server::Server;

use crate::cli::UsageError;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use tower_lsp_server::jsonrpc::{Request, Response};
use tower_lsp_server::{ClientSocket, ExitedError, LspService};

/// The service and its client socket, for serving over any pipe.
pub fn service() -> (LspService<Server>, ClientSocket) {
    LspService::new(Server::new)
}

/// Serves on stdin and stdout until `exit`. The exit code is 0 when
/// `shutdown` came first, else 1, as the protocol asks.
pub fn run() -> Result<ExitCode, UsageError> {
    // One thread for the protocol: handlers are quick (the analysis has a
    // thread of its own, and rayon's pool), and the tens of thousands of
    // diagnostics of a large vault pass from the publishing task to the
    // transport's without a cross-thread wake-up each (measured: publishing
    // twice as fast as on two threads).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .thread_name("kith-lsp")
        .enable_all()
        .build()
        .map_err(|e| UsageError(format!("cannot start the language server: {e}")))?;
    let shut_down = Arc::new(AtomicBool::new(false));
    runtime.block_on(async {
        let (service, socket) = service();
        let service = NoticeShutdown { inner: service, shut_down: shut_down.clone() };
        tower_lsp_server::Server::new(tokio::io::stdin(), DirectStdout, socket).serve(service).await;
    });
    // Reading stdin blocks a thread that would keep the runtime (and the
    // process) alive until the client closes the pipe: do not wait for it.
    runtime.shutdown_background();
    Ok(if shut_down.load(Ordering::SeqCst) { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Standard output written directly from the runtime thread.
///
/// tokio's `stdout()` hands every write to a thread of its blocking pool and
/// waits for it: two thread wake-ups per write, tens of thousands of them
/// while a large vault's diagnostics go out. A write to the editor's pipe is
/// quick unless the editor stops reading, and then nothing could be sent
/// anyway.
struct DirectStdout;

impl tokio::io::AsyncWrite for DirectStdout {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        use std::io::Write;
        std::task::Poll::Ready(std::io::stdout().lock().write(buf))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        use std::io::Write;
        std::task::Poll::Ready(std::io::stdout().lock().flush())
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// Notes a `shutdown` request as it is read. Its handler may never run: an
/// `exit` right behind it cancels whatever is still pending.
struct NoticeShutdown {
    inner: LspService<Server>,
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
