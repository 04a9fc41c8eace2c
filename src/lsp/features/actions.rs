//! Quick fixes for the findings under the cursor, computed from the note as
//! it is now (not from the diagnostics the client sends back). Every edit
//! is one of the core's smallest edits ([`crate::engine::edit`]).

use super::Ctx;
use crate::engine::analysis;
use crate::engine::date::{Span, Unit};
use crate::engine::edit::{self, TextEdit as CoreEdit};
use crate::engine::finding::Finding;
use crate::engine::names;
use crate::engine::note::Note;
use crate::engine::rules::Rule;
use crate::lsp::proto::{self, Conv};
use crate::lsp::state::World;
use std::collections::HashMap;
use tower_lsp_server::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, CreateFileOptions, Diagnostic,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier, Position, Range,
    ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

/// The findings placed in this note now: its own, and those of every
/// contact whose ledger it feeds.
pub fn findings(ctx: &Ctx) -> Vec<Finding> {
    let vault = &ctx.space.vault;
    let today = ctx.world.today;
    let mut out = analysis::note_findings(vault, ctx.id, today);
    let mut contacts = vault.linked_contacts(ctx.id);
    if ctx.note.is_contact {
        contacts.insert(ctx.id);
    }
    for contact in contacts {
        out.extend(analysis::contact_findings(vault, contact, today).into_iter().filter(|f| f.path == ctx.note.path));
    }
    if ctx.note.is_contact {
        // Names it shares with other contacts (`duplicate-contact`).
        let (own, aliases) = vault.folded_names(ctx.id);
        let mut names: Vec<&str> = std::iter::once(own).chain(aliases.iter().map(|a| a.as_str())).collect();
        names.sort_unstable();
        names.dedup();
        for name in names.into_iter().filter(|n| !n.is_empty()) {
            out.extend(analysis::name_findings(vault, name).into_iter().filter(|f| f.path == ctx.note.path));
        }
    }
    analysis::sort(&mut out);
    out
}

pub fn code_actions(
    ctx: &Ctx,
    range: Range,
    sent: &[Diagnostic],
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeActionOrCommand> {
    actions(ctx, range, sent, only, Lazy { lazy: ctx.world.client.resolve_edits, resolving: None })
}

/// Whether [`code_actions`] leaves the edits that cost a parse of the note
/// for `codeAction/resolve`, but for the action of the title being resolved.
#[derive(Clone, Copy)]
struct Lazy<'a> {
    lazy: bool,
    resolving: Option<&'a str>,
}

/// Fills in the edit of an action [`code_actions`] left to be resolved: the
/// actions for its diagnostic are made again, with this one's edit, and the
/// one of the same title is it. Unchanged when the note moved on so far that
/// there is no such action any more.
pub fn resolve(world: &World, action: CodeAction) -> CodeAction {
    let data = action.data.as_ref();
    let uri = data.and_then(|d| d.get("uri")).and_then(|u| u.as_str()).and_then(|u| u.parse().ok());
    let range = data.and_then(|d| d.get("range")).and_then(|r| serde_json::from_value::<Range>(r.clone()).ok());
    let (Some(uri), Some(range)) = (uri, range) else { return action };
    let Some(ctx) = Ctx::of(world, &uri) else { return action };
    let sent = action.diagnostics.clone().unwrap_or_default();
    let lazy = Lazy { lazy: true, resolving: Some(&action.title) };
    let found = actions(&ctx, range, &sent, None, lazy).into_iter().find_map(|made| match made {
        CodeActionOrCommand::CodeAction(made) if made.title == action.title && made.edit.is_some() => Some(made),
        _ => None,
    });
    found.unwrap_or(action)
}

fn actions(
    ctx: &Ctx,
    range: Range,
    sent: &[Diagnostic],
    only: Option<&[CodeActionKind]>,
    lazy: Lazy,
) -> Vec<CodeActionOrCommand> {
    if only.is_some_and(|kinds| !kinds.iter().any(|k| k.as_str() == "quickfix" || k.as_str().is_empty())) {
        return Vec::new();
    }
    let selected = ctx.conv.offsets(range);
    let mut out = Vec::new();
    for finding in findings(ctx) {
        if finding.range.start > selected.end || selected.start > finding.range.end {
            continue;
        }
        let ours = proto::diagnostic(&finding, &ctx.conv, None);
        let diagnostic = sent
            .iter()
            .find(|d| d.range == ours.range && d.code == ours.code && d.source.as_deref() == Some("kith"))
            .cloned()
            .unwrap_or(ours);
        let fixes = Fixes { ctx, finding: &finding, diagnostic, lazy };
        fixes.collect(&mut out);
    }
    out
}

struct Fixes<'a> {
    ctx: &'a Ctx<'a>,
    finding: &'a Finding,
    diagnostic: Diagnostic,
    /// Whether edits that cost a parse of the note are left for
    /// `codeAction/resolve` (the client asks for them only when one is picked).
    lazy: Lazy<'a>,
}

impl Fixes<'_> {
    fn collect(&self, out: &mut Vec<CodeActionOrCommand>) {
        let f = self.finding;
        let ctx = self.ctx;
        let today = ctx.world.today;
        let contact = f.contact.as_ref().and_then(|c| ctx.space.vault.by_path(&c.path));
        let name = f.contact.as_ref().map_or("them", |c| c.name.as_str());
        match (f.rule, contact) {
            (Rule::MissingThanks, Some(c)) => {
                self.push_logged(out, format!("Log a #thanks to {name} today"), c, || {
                    edit::log_entry(c, today, &["thanks"], "")
                });
            }
            (Rule::Congratulate, Some(c)) => {
                self.push_logged(out, format!("Log a #congrats to {name} today"), c, || {
                    edit::log_entry(c, today, &["congrats"], "")
                });
            }
            (Rule::Unreciprocated, Some(c)) => {
                self.push_logged(out, format!("Log a favour for {name} today (#gave)"), c, || {
                    edit::log_entry(c, today, &["gave"], "")
                });
            }
            (Rule::OverdueTouch, Some(c)) => {
                self.push_logged(out, format!("Log a #msg to {name} today"), c, || {
                    edit::log_entry(c, today, &["msg"], "")
                });
                for (span, words) in [
                    (Span { count: 2, unit: Unit::Week }, "2 weeks"),
                    (Span { count: 1, unit: Unit::Month }, "a month"),
                ] {
                    let until = span.after(today);
                    self.push(
                        out,
                        format!("Snooze {name} for {words} (until {until})"),
                        false,
                        edit::snooze(c, until).and_then(|e| self.in_note(c, e)),
                    );
                }
            }
            (Rule::KeyTypo | Rule::UnknownKind, _) => {
                if let Some(suggestion) = &f.suggestion {
                    let fix = CoreEdit { range: f.range.clone(), new_text: suggestion.clone() };
                    self.push(out, format!("Change to `{suggestion}`"), true, self.in_note(ctx.note, fix));
                }
            }
            (Rule::VagueAsk, _) => {
                if let Some(item) = ctx.note.items.iter().find(|i| i.first_line.range() == f.range) {
                    self.push(
                        out,
                        "Add `how:` to this ask".into(),
                        true,
                        self.in_note(ctx.note, edit::add_how(ctx.note, item)),
                    );
                }
            }
            (Rule::FollowUpDue, _) => {
                if let Some(fix) =
                    ctx.note.items.iter().find(|i| i.first_line.range() == f.range).and_then(edit::mark_done)
                {
                    self.push(out, "Mark this follow-up done".into(), true, self.in_note(ctx.note, fix));
                }
            }
            (Rule::BrokenLink, _) => {
                if let Some(link) = ctx.note.links.iter().find(|l| l.range.range() == f.range) {
                    if let Some(edit) = create_contact(ctx, ctx.note.target(link)) {
                        self.push(out, format!("Create contact note “{}”", ctx.note.target(link)), false, Some(edit));
                    }
                }
            }
            _ => {}
        }
        if f.range.start >= ctx.note.body_start {
            let fix = edit::ignore_comment(ctx.note, f.range.start, f.rule.name());
            self.push(out, format!("Ignore {} on this line", f.rule.name()), false, self.in_note(ctx.note, fix));
        }
        if f.rule == Rule::Encoding {
            // The editor's text holds replacement characters: kith does not write it.
            return;
        }
        // `kith.ignore`: in a contact's note it covers every finding about
        // them; in the note the finding is placed in, every finding there.
        if let Some(c) = contact {
            let fix = edit::ignore_rule(c, f.rule).and_then(|e| self.in_note(c, e));
            self.push(out, format!("Ignore {} for {name} (in their note)", f.rule.name()), false, fix);
        }
        if contact.is_none_or(|c| c.path != ctx.note.path) {
            let fix = edit::ignore_rule(ctx.note, f.rule).and_then(|e| self.in_note(ctx.note, e));
            self.push(out, format!("Ignore {} in this note", f.rule.name()), false, fix);
        }
    }

    /// A preferred fix that logs an entry in `note`: its edit is checked by
    /// parsing the note with it, so a client that resolves edits gets it
    /// only for the fix it picks.
    fn push_logged(
        &self,
        out: &mut Vec<CodeActionOrCommand>,
        title: String,
        note: &Note,
        edit: impl FnOnce() -> Option<CoreEdit>,
    ) {
        if !self.lazy.lazy || self.lazy.resolving == Some(title.as_str()) {
            let edit = edit().and_then(|e| self.in_note(note, e));
            return self.push(out, title, true, edit);
        }
        let Some(uri) = self.ctx.uri_of(&self.ctx.note.path) else { return };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![self.diagnostic.clone()]),
            is_preferred: Some(true),
            data: Some(serde_json::json!({ "uri": uri.as_str(), "range": self.diagnostic.range })),
            ..CodeAction::default()
        }));
    }

    fn push(&self, out: &mut Vec<CodeActionOrCommand>, title: String, preferred: bool, edit: Option<WorkspaceEdit>) {
        let Some(edit) = edit else { return };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![self.diagnostic.clone()]),
            edit: Some(edit),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        }));
    }

    /// One edit of a note of the space.
    fn in_note(&self, note: &Note, edit: CoreEdit) -> Option<WorkspaceEdit> {
        let uri = self.ctx.uri_of(&note.path)?;
        let edit = Conv::new(note, self.ctx.world.enc).edit(&edit);
        Some(WorkspaceEdit { changes: Some(HashMap::from([(uri, vec![edit])])), ..WorkspaceEdit::default() })
    }
}

/// A new contact note for a link to nobody, in `new-contacts-in`, named
/// after the link; created with its content when the client can create
/// files, else written as an edit of the new file.
fn create_contact(ctx: &Ctx, target: &str) -> Option<WorkspaceEdit> {
    let root = ctx.world.root.as_ref().filter(|_| ctx.key == super::SpaceKey::Main)?;
    let last = target.rsplit('/').next().unwrap_or(target).trim();
    let name = if names::is_markdown(last) { names::file_stem(last) } else { last };
    let folder = ctx.space.vault.config.new_contacts_folder();
    let slug = edit::slug(name);
    let path = (1..100)
        .map(|n| {
            let file = if n == 1 { format!("{slug}.md") } else { format!("{slug}-{n}.md") };
            if folder.is_empty() { file } else { format!("{folder}/{file}") }
        })
        .find(|p| ctx.space.vault.by_path(p).is_none() && !root.join(p).exists())?;
    let uri: Uri = proto::file_uri(&root.join(&path))?;
    let content = edit::new_contact(name, None, None, &[]);
    let at_start = Range { start: Position::new(0, 0), end: Position::new(0, 0) };
    let insert = TextEdit { range: at_start, new_text: content };
    if ctx.world.client.create_files && ctx.world.client.document_changes {
        let create = CreateFile {
            uri: uri.clone(),
            options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
            annotation_id: None,
        };
        let fill = TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
            edits: vec![OneOf::Left(insert)],
        };
        return Some(WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(vec![
                DocumentChangeOperation::Op(ResourceOp::Create(create)),
                DocumentChangeOperation::Edit(fill),
            ])),
            ..WorkspaceEdit::default()
        });
    }
    Some(WorkspaceEdit { changes: Some(HashMap::from([(uri, vec![insert])])), ..WorkspaceEdit::default() })
}
