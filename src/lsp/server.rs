//! The handlers: convert in, ask the state or a feature, convert out.
//!
//! Notification handlers have no `.await` at all, so each runs to its end on
//! its first poll, in the order the messages came. Request handlers read the
//! world (flushing pending edits first) and never hold a lock across an
//! `.await`; the only awaits are on the client, in `initialized`.

use super::Output;
use super::features::{self, Ctx};
use super::state::{ClientFlags, Job, Shared, spelled_root};
use super::worker::{self, Outgoing};
use crate::engine::date::Date;
use crate::engine::text::Encoding;
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::lsp_types::notification::Progress;
use tower_lsp_server::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp_server::lsp_types::*;
use tower_lsp_server::{Client, LanguageServer};

/// The kith language server.
pub struct Server {
    client: Client,
    shared: Arc<Shared>,
    /// Where the worker writes diagnostics (see [`super::Output`]).
    output: Output,
}

impl Server {
    pub fn new(client: Client, output: Output) -> Server {
        let today = chrono::Local::now().date_naive();
        Server { client, shared: Arc::new(Shared::new(today)), output }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.send(Job::Shutdown);
    }
}

/// Today: `initializationOptions.today`, else `KITH_TODAY`, else the clock.
fn given_today(options: Option<&Value>) -> Option<Date> {
    let from_options = options.and_then(|o| o.get("today")).and_then(Value::as_str);
    let from_env = std::env::var("KITH_TODAY").ok();
    from_options.or(from_env.as_deref()).and_then(|t| crate::cli::parse_today(t).ok())
}

/// The folders the client opened: its workspace folders, else the root
/// URI, else the root path (what older clients send).
fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = params.workspace_folders.as_ref().filter(|f| !f.is_empty()) {
        return folders.iter().filter_map(|f| super::proto::file_path(&f.uri)).collect();
    }
    #[allow(deprecated)] // `root_uri` and `root_path` are what older clients send.
    let root = params
        .root_uri
        .as_ref()
        .and_then(super::proto::file_path)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    root.into_iter().filter(|p| p.is_absolute()).collect()
}

/// The vault of the workspace, as the client spells it and with links
/// resolved, and the other folders. kith indexes one vault: that of the
/// first folder in a vault (a `kith.toml` at or above it), else of the first
/// folder; the notes of the others are loose (see [`super::state::World::loose_config`]).
fn choose_vault(folders: Vec<PathBuf>) -> Option<(PathBuf, PathBuf, Vec<PathBuf>)> {
    let found: Vec<(PathBuf, crate::io::VaultRoot)> =
        folders.into_iter().filter_map(|f| crate::io::find_root(&f).ok().map(|r| (f, r))).collect();
    let main = found.iter().position(|(_, r)| r.config_file.is_some()).unwrap_or(0);
    let spelled = found.get(main).map(|(folder, r)| spelled_root(folder, &r.root))?;
    let real = found.get(main).map(|(_, r)| r.root.clone())?;
    let others = found.into_iter().enumerate().filter(|(i, _)| *i != main).map(|(_, (folder, _))| folder).collect();
    Some((spelled, real, others))
}

fn client_flags(caps: &ClientCapabilities) -> ClientFlags {
    let workspace = caps.workspace.as_ref();
    let edit = workspace.and_then(|w| w.workspace_edit.as_ref());
    let completion =
        caps.text_document.as_ref().and_then(|t| t.completion.as_ref()).and_then(|c| c.completion_item.as_ref());
    ClientFlags {
        create_files: edit
            .and_then(|e| e.resource_operations.as_ref())
            .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
        document_changes: edit.and_then(|e| e.document_changes).unwrap_or(false),
        watch_files: workspace
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false),
        progress: caps.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
        code_lens_refresh: workspace
            .and_then(|w| w.code_lens.as_ref())
            .and_then(|c| c.refresh_support)
            .unwrap_or(false),
        label_details: completion.and_then(|c| c.label_details_support).unwrap_or(false),
        resolve_edits: caps
            .text_document
            .as_ref()
            .and_then(|t| t.code_action.as_ref())
            .and_then(|c| c.resolve_support.as_ref())
            .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
    }
}

/// The position encoding to use: UTF-8 when the client offers it (kith's
/// own offsets, nothing to convert), else UTF-32 (characters), else UTF-16,
/// which every client supports.
fn position_encoding(offered: &[PositionEncodingKind]) -> (Encoding, PositionEncodingKind) {
    if offered.contains(&PositionEncodingKind::UTF8) {
        (Encoding::Utf8, PositionEncodingKind::UTF8)
    } else if offered.contains(&PositionEncodingKind::UTF32) {
        (Encoding::Chars, PositionEncodingKind::UTF32)
    } else {
        (Encoding::Utf16, PositionEncodingKind::UTF16)
    }
}

fn capabilities(encoding: PositionEncodingKind) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["[", "#", "-", " "].iter().map(|s| s.to_string()).collect()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            resolve_provider: Some(true),
            ..CodeActionOptions::default()
        })),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![features::agenda::COMMAND.to_string()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref());
        let (enc, kind) = position_encoding(offered.unwrap_or_default());
        let flags = client_flags(&params.capabilities);
        let given = given_today(params.initialization_options.as_ref());
        let vault = choose_vault(workspace_folders(&params));
        {
            let mut world = self.shared.write();
            world.enc = enc;
            world.client = flags;
            if let Some((root, real_root, others)) = vault {
                world.root = Some(root);
                world.real_root = Some(real_root);
                world.folders = others;
            }
            if let Some(today) = given {
                world.today = today;
                world.local_today = false;
            }
        }
        self.shared.docs().enc = Some(enc);
        let (out, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(publish(self.client.clone(), rx, flags));
        if let Err(e) = worker::spawn(self.shared.clone(), out, self.output.clone()) {
            return Err(tower_lsp_server::jsonrpc::Error {
                code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
                message: format!("kith cannot start its analysis thread: {e}").into(),
                data: None,
            });
        }
        Ok(InitializeResult {
            capabilities: capabilities(kind),
            server_info: Some(ServerInfo { name: "kith".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let by_client = self.shared.read_stale().client.watch_files;
        self.shared.send(Job::Index { watch: !by_client });
        if !by_client {
            return;
        }
        // Notes and the config in full; any other file only as it comes and
        // goes, since a link may point at it (an attachment) and its content
        // never matters.
        let watch = |glob: &str, kind| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.into()), kind };
        let watchers = vec![
            watch("**/*.md", None),
            watch("**/*.markdown", None),
            watch("**/kith.toml", None),
            watch("**/*", Some(WatchKind::Create | WatchKind::Delete)),
        ];
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "kith-watch".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        if self.client.register_capability(vec![registration]).await.is_err() {
            self.shared.send(Job::Watch);
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.send(Job::Shutdown);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.shared.docs().open(doc.uri, doc.text, doc.version);
        self.shared.send(Job::Edited);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let doc = params.text_document;
        self.shared.docs().change(&doc.uri, doc.version, params.content_changes);
        self.shared.send(Job::Edited);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let closed = self.shared.docs().close(&params.text_document.uri);
        if let Some((uri, place)) = closed {
            self.shared.send(Job::Closed { uri, place });
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let paths = params.changes.iter().filter_map(|c| super::proto::file_path(&c.uri)).collect();
        self.shared.send(Job::Files { paths, rescan: false });
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let world = self.shared.read();
        Ok(Ctx::of(&world, &at.text_document.uri).and_then(|ctx| features::completion::completion(&ctx, at.position)))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let world = self.shared.read();
        Ok(Ctx::of(&world, &at.text_document.uri).and_then(|ctx| features::hover::hover(&ctx, at.position)))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let world = self.shared.read();
        let Some(ctx) = Ctx::of(&world, &params.text_document.uri) else { return Ok(None) };
        let context = &params.context;
        Ok(Some(features::actions::code_actions(&ctx, params.range, &context.diagnostics, context.only.as_deref())))
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        let world = self.shared.read();
        Ok(features::actions::resolve(&world, action))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let world = self.shared.read();
        let found =
            Ctx::of(&world, &at.text_document.uri).and_then(|ctx| features::navigation::definition(&ctx, at.position));
        Ok(found.map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let declaration = params.context.include_declaration;
        let world = self.shared.read();
        Ok(Ctx::of(&world, &at.text_document.uri)
            .and_then(|ctx| features::navigation::references(&ctx, at.position, declaration)))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let world = self.shared.read();
        Ok(Ctx::of(&world, &params.text_document.uri)
            .and_then(|ctx| features::navigation::prepare_rename(&ctx, params.position)))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        let world = self.shared.read();
        match Ctx::of(&world, &at.text_document.uri) {
            Some(ctx) => features::navigation::rename(&ctx, at.position, &params.new_name),
            None => Ok(None),
        }
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let world = self.shared.read();
        Ok(Ctx::of(&world, &params.text_document.uri)
            .map(|ctx| DocumentSymbolResponse::Nested(features::symbols::document_symbols(&ctx))))
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<OneOf<Vec<SymbolInformation>, Vec<WorkspaceSymbol>>>> {
        let world = self.shared.read();
        Ok(Some(OneOf::Right(features::symbols::workspace_symbols(&world, &params.query))))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let world = self.shared.read();
        Ok(Ctx::of(&world, &params.text_document.uri).map(|ctx| features::symbols::code_lens(&ctx)))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<Value>> {
        if params.command != features::agenda::COMMAND {
            return Err(tower_lsp_server::jsonrpc::Error::invalid_params(format!(
                "kith has no command `{}`",
                params.command
            )));
        }
        // A large vault's agenda takes a while: on the blocking pool, so that
        // the protocol thread keeps answering meanwhile.
        let shared = self.shared.clone();
        let arguments = params.arguments;
        tokio::task::spawn_blocking(move || features::agenda::run(&shared.read(), &arguments)).await.unwrap_or_else(
            |e| {
                Err(tower_lsp_server::jsonrpc::Error {
                    code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
                    message: format!("kith could not build the agenda: {e}").into(),
                    data: None,
                })
            },
        )
    }
}

/// How long the client may take to accept a progress token.
const PROGRESS_CREATE: std::time::Duration = std::time::Duration::from_secs(2);

/// Tells the client what the worker has to say besides diagnostics, in
/// order. Runs on the runtime.
async fn publish(client: Client, mut rx: UnboundedReceiver<Outgoing>, flags: ClientFlags) {
    let mut progress: HashSet<String> = HashSet::new();
    let send_progress = |token: String, value: WorkDoneProgress| {
        let client = client.clone();
        async move {
            let params =
                ProgressParams { token: NumberOrString::String(token), value: ProgressParamsValue::WorkDone(value) };
            client.send_notification::<Progress>(params).await;
        }
    };
    while let Some(message) = rx.recv().await {
        match message {
            Outgoing::Begin { token, title, message } => {
                if !flags.progress {
                    continue;
                }
                // Diagnostics queue behind this: a client that does not
                // answer gets no progress rather than no diagnostics.
                let create = WorkDoneProgressCreateParams { token: NumberOrString::String(token.clone()) };
                let created =
                    tokio::time::timeout(PROGRESS_CREATE, client.send_request::<WorkDoneProgressCreate>(create));
                if matches!(created.await, Ok(Ok(()))) {
                    let begin = WorkDoneProgressBegin {
                        title,
                        message: Some(message),
                        percentage: Some(0),
                        cancellable: Some(false),
                    };
                    send_progress(token.clone(), WorkDoneProgress::Begin(begin)).await;
                    progress.insert(token);
                }
            }
            Outgoing::Report { token, message, percentage } => {
                if progress.contains(&token) {
                    let report = WorkDoneProgressReport {
                        message: Some(message),
                        percentage: Some(percentage),
                        cancellable: None,
                    };
                    send_progress(token, WorkDoneProgress::Report(report)).await;
                }
            }
            Outgoing::End { token, message } => {
                if progress.remove(&token) {
                    send_progress(token, WorkDoneProgress::End(WorkDoneProgressEnd { message: Some(message) })).await;
                }
            }
            Outgoing::Log(kind, message) => client.log_message(kind, message).await,
            Outgoing::RefreshLenses => {
                // The client answers in its own time; nothing waits for it.
                let client = client.clone();
                tokio::spawn(async move {
                    let _ = client.code_lens_refresh().await;
                });
            }
        }
    }
}
