//! Runs the rules over a vault: all of it, or only what one change touched.

use super::date::Date;
use super::finding::Finding;
use super::rules::{Check, ContactCtx, NoteCtx, Rule};
use super::vault::{NoteId, Vault};
use rayon::prelude::*;

/// Findings placed in one note by the note rules (not about a contact).
pub fn note_findings(vault: &Vault, id: NoteId, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(note) = vault.note(id) else { return out };
    let ctx = NoteCtx { vault, id, note, today };
    for rule in Rule::ALL {
        if vault.config.level(rule).is_none() {
            continue;
        }
        if let Check::Note(check) = rule.info().check {
            check(&ctx, &mut out);
        }
    }
    settle(vault, out)
}

/// Findings about one contact, wherever they are placed.
pub fn contact_findings(vault: &Vault, id: NoteId, today: Date) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(ctx) = ContactCtx::new(vault, id, today) else { return out };
    for rule in Rule::ALL {
        if vault.config.level(rule).is_none() {
            continue;
        }
        if let Check::Contact(check) = rule.info().check {
            check(&ctx, &mut out);
        }
    }
    settle(vault, out)
}

/// Findings about names that two or more contacts claim, all of them.
pub fn vault_findings(vault: &Vault) -> Vec<Finding> {
    name_groups(vault).into_iter().flat_map(|(_, found)| found).collect()
}

/// Findings about names that two or more contacts claim, one group per
/// folded name (the names without findings are left out).
pub fn name_groups(vault: &Vault) -> Vec<(String, Vec<Finding>)> {
    vault
        .duplicate_names()
        .into_iter()
        .map(|(name, ids)| {
            let found = group_findings(vault, &name, &ids);
            (name, found)
        })
        .filter(|(_, found)| !found.is_empty())
        .collect()
}

/// Findings about one folded name: none unless two or more contacts claim it.
/// Costs the name's group, not the vault.
pub fn name_findings(vault: &Vault, folded: &str) -> Vec<Finding> {
    let ids = vault.claimants(folded);
    if ids.len() < 2 { Vec::new() } else { group_findings(vault, folded, &ids) }
}

fn group_findings(vault: &Vault, name: &str, ids: &[NoteId]) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in Rule::ALL {
        if vault.config.level(rule).is_none() {
            continue;
        }
        if let Check::Name(check) = rule.info().check {
            check(vault, name, ids, &mut out);
        }
    }
    settle(vault, out)
}

/// Every finding in the vault, sorted by path, position and rule.
pub fn analyze(vault: &Vault, today: Date) -> Vec<Finding> {
    let ids: Vec<NoteId> = vault.notes().map(|(id, _)| id).collect();
    // The duplicate check runs beside the notes', not after them.
    let (per_note, whole) = rayon::join(
        || -> Vec<Vec<Finding>> {
            ids.par_iter()
                .map(|&id| {
                    let mut found = note_findings(vault, id, today);
                    if vault.note(id).is_some_and(|n| n.is_contact) {
                        found.extend(contact_findings(vault, id, today));
                    }
                    found
                })
                .collect()
        },
        || vault_findings(vault),
    );
    // One allocation of the exact size: a vault's findings are many.
    let mut out = Vec::with_capacity(per_note.iter().map(Vec::len).sum::<usize>() + whole.len());
    for found in per_note {
        out.extend(found);
    }
    out.extend(whole);
    sort(&mut out);
    out
}

pub fn sort(findings: &mut [Finding]) {
    // Unstable sorting needs no buffer; equal keys are equal findings for
    // every output, and the order of the input is deterministic anyway.
    findings.par_sort_unstable_by(order);
}

/// Report order: by path, position, rule and message.
pub fn order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    (&*a.path, a.range.start, a.range.end, a.rule, a.message.as_str()).cmp(&(
        &*b.path,
        b.range.start,
        b.range.end,
        b.rule,
        b.message.as_str(),
    ))
}

/// Applies `[rules]` levels, `kith.ignore` and `kith-ignore` comments.
fn settle(vault: &Vault, findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            f.level = vault.config.level(f.rule)?;
            let placed = vault.by_path(&f.path)?;
            if placed.suppressed_at(f.rule, f.range.start) {
                return None;
            }
            if let Some(contact) = &f.contact {
                if contact.path != f.path
                    && vault.by_path(&contact.path).is_some_and(|c| c.front.ignore.contains(&f.rule))
                {
                    return None;
                }
            }
            Some(f)
        })
        .collect()
}
