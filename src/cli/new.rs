//! `kith new`: start a contact note from the clean template, never over an
//! existing file or under a name another contact already answers to.

use super::UsageError;
use super::agenda::{Opened, open_vault};
use crate::engine::date::Span;
use crate::engine::edit::{invisible, new_contact, slug};
use crate::engine::names::fold;
use crate::io::write::{self, WriteError};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The vault, or a folder in it [default: the current folder].
    #[arg(long, value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// The contact's name, as you want to see it: "Jana Müller".
    pub name: String,
    /// Where they work.
    #[arg(long)]
    pub org: Option<String>,
    /// How often to be in touch: 10d, 6w, 2m, 1y, weekly, monthly, quarterly, yearly.
    #[arg(long, value_name = "DURATION")]
    pub cadence: Option<String>,
    /// Another name links may use; repeat for more.
    #[arg(long = "alias", value_name = "ALIAS")]
    pub aliases: Vec<String>,
}

fn one_line(what: &str, value: &str) -> Result<String, UsageError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(UsageError(format!("the {what} is empty")));
    }
    visible(what, value, |_| false)?;
    Ok(value.to_string())
}

/// Refuses a value with an invisible character (but those `allowed`): a
/// name with a bidi override or a zero-width space looks like another name,
/// and no one can type it to find it again; a tab or a line break has no
/// place in one line of front matter.
pub(super) fn visible(what: &str, value: &str, allowed: impl Fn(char) -> bool) -> Result<(), UsageError> {
    let Some((c, kind)) = value.chars().filter(|c| !allowed(*c)).find_map(|c| invisible(c).map(|k| (c, k))) else {
        return Ok(());
    };
    let shown: String = value
        .chars()
        .map(|c| if invisible(c).is_some() { format!("\\u{{{:X}}}", u32::from(c)) } else { c.to_string() })
        .collect();
    let why = match kind {
        "a tab" | "a line break" => format!("the {what} must be one line, without tabs"),
        _ => format!("it would make the {what} look different from what it is, and no one could type it to find it"),
    };
    Err(UsageError(format!(
        "the {what} “{shown}” contains {kind} (U+{:04X}): {why}; nothing was written — type the {what} again without it",
        u32::from(c)
    )))
}

pub fn run(args: NewArgs) -> Result<ExitCode, UsageError> {
    let name = one_line("name", &args.name)?;
    let org = args.org.as_deref().map(|o| one_line("org", o)).transpose()?;
    let aliases = args.aliases.iter().map(|a| one_line("alias", a)).collect::<Result<Vec<_>, _>>()?;
    if let Some(cadence) = &args.cadence {
        if Span::parse(cadence).is_none() {
            return Err(UsageError(format!(
                "--cadence {cadence} is not a duration: use a positive whole number and d, w, m or y (10d, 6w, 2m, 1y), or weekly, monthly, quarterly, yearly"
            )));
        }
    }
    let path = super::path_or_cwd(args.vault);
    let Opened { root, vault, errors } = open_vault(&path)?;
    for error in &errors {
        eprintln!("kith: warning: cannot read {error}");
    }
    for wanted in std::iter::once(&name).chain(&aliases) {
        if let Some(&id) = vault.contacts_named(&fold(wanted)).first() {
            let other = vault.note(id).map(|n| format!("{} ({})", n.display_name(), n.path)).unwrap_or_default();
            return Err(UsageError(format!(
                "“{wanted}” is already a contact: {other} — log to it with `kith log`, or choose another name"
            )));
        }
    }
    let folder = vault.config.new_contacts_folder();
    if Path::new(&folder).components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(UsageError(format!("new-contacts-in = \"{folder}\" must be a folder inside the vault")));
    }
    let folder = real_folder(&root.root, &folder)?;
    let file_name = format!("{}.md", slug(&name));
    let rel = if folder.is_empty() { file_name } else { format!("{folder}/{file_name}") };
    if vault.config.exclude.matches_file(&rel) {
        eprintln!("kith: warning: {rel} matches `exclude` in kith.toml: kith will not read it");
    }
    if let Some(hidden) = folder.split('/').find(|part| part.starts_with('.')) {
        eprintln!(
            "kith: warning: {rel} is in a hidden folder ({hidden}): kith will not read it, so the new contact will not show up — set new-contacts-in in kith.toml to a folder whose name does not start with a dot"
        );
    }
    for wanted in std::iter::once(&name).chain(&aliases) {
        if let Some(c) = wanted.chars().find(|c| matches!(c, '#' | '|' | '[' | ']')) {
            let stem = crate::engine::names::file_stem(&rel);
            eprintln!(
                "kith: warning: “{wanted}” holds “{c}”, which a link reads as syntax: [[{wanted}]] will not reach this contact — link it by its file name, [[{stem}]], or give it an alias without “{c}” (--alias)"
            );
        }
    }
    let file = root.root.join(&rel);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| UsageError(format!("cannot create {}: {e}", dir.display())))?;
    }
    let text = new_contact(&name, org.as_deref(), args.cadence.as_deref(), &aliases);
    write::create_new(&file, text.as_bytes()).map_err(|e| match e {
        WriteError::Exists(_) => UsageError(format!("{rel} already exists; kith never overwrites a note")),
        other => UsageError(other.to_string()),
    })?;
    println!("{}", shown(&file).display());
    Ok(ExitCode::SUCCESS)
}

/// The vault-relative folder `new-contacts-in` names, with the symbolic
/// links on the way resolved: kith does not follow links (spec §7), so a
/// note written through one is read at the place the link leads to, and
/// only when that place is in the vault.
fn real_folder(root: &Path, folder: &str) -> Result<String, UsageError> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut real = root.clone();
    let mut named = PathBuf::new();
    for part in Path::new(folder).components() {
        named.push(part);
        let next = real.join(part);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let shown = named.display();
                let target = std::fs::canonicalize(&next).map_err(|_| {
                    UsageError(format!(
                        "new-contacts-in = \"{folder}\": {shown} is a symbolic link that leads nowhere; nothing was written — point new-contacts-in in kith.toml at a folder inside the vault"
                    ))
                })?;
                if !target.starts_with(&root) {
                    return Err(UsageError(format!(
                        "new-contacts-in = \"{folder}\": {shown} is a symbolic link to {}, outside the vault — kith does not follow links, so it would never read the new note; nothing was written. Point new-contacts-in in kith.toml at a folder inside the vault",
                        target.display()
                    )));
                }
                real = target;
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(UsageError(format!(
                    "new-contacts-in = \"{folder}\": {} is a file, not a folder; nothing was written",
                    named.display()
                )));
            }
            _ => real = next,
        }
    }
    Ok(crate::io::walk::relative(&root, &real).unwrap_or_else(|| folder.to_string()))
}

/// The path as the user can open it: relative to the current folder when
/// the note is under it, else absolute.
fn shown(file: &Path) -> PathBuf {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    match cwd {
        Ok(cwd) => file.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or_else(|_| file.to_path_buf()),
        Err(_) => file.to_path_buf(),
    }
}
