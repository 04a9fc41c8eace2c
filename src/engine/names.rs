//! How names, aliases, file names and link targets compare: NFC, then
//! Unicode lower-case.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The key two names are compared by.
pub fn fold(name: &str) -> String {
    let trimmed = name.trim();
    if is_nfc_quick(trimmed.chars()) == IsNormalized::Yes {
        trimmed.to_lowercase()
    } else {
        trimmed.nfc().collect::<String>().to_lowercase()
    }
}

/// A looser key for what people type on a keyboard without accents:
/// "Zoë Weiß" and "zoe weiss" meet. Used only to find a contact from a
/// command line, never to resolve links (the spec compares exactly).
pub fn fold_loose(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.trim().nfd() {
        match c {
            'ß' => out.push_str("ss"),
            'ø' | 'Ø' => out.push('o'),
            'æ' | 'Æ' => out.push_str("ae"),
            'ł' | 'Ł' => out.push('l'),
            'ı' => out.push('i'),
            c if unicode_normalization::char::is_combining_mark(c) => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The file name of a vault-relative path, without its extension.
pub fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => name,
    }
}

/// A vault-relative path without its extension.
pub fn without_extension(path: &str) -> &str {
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &path[..name_start + dot],
        _ => path,
    }
}

/// Whether a path names a Markdown note.
pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Whether a link target names a file that is not a note: its file name
/// ends in an extension other than Markdown's (`photo.png`, `scans/cv.PDF`).
/// An extension is a few ASCII letters and digits with at least one letter,
/// so `v1.2`, `J. Müller` and `Jana.` stay names.
pub fn has_file_extension(target: &str) -> bool {
    let name = target.trim().rsplit('/').next().unwrap_or("");
    match name.rfind('.') {
        Some(dot) if dot > 0 => {
            let ext = &name[dot + 1..];
            (1..=10).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric())
                && ext.bytes().any(|b| b.is_ascii_alphabetic())
                && !is_markdown(name)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_nfc_and_case() {
        // "Mu\u{308}ller" is the decomposed form of "Müller".
        assert_eq!(fold("Mu\u{308}LLER"), fold("müller"));
        assert_eq!(file_stem("people/Jana Müller.md"), "Jana Müller");
        assert_eq!(without_extension("people/jana.md"), "people/jana");
        assert_eq!(file_stem("a/.hidden"), ".hidden");
        assert!(is_markdown("X.Markdown"));
        assert_eq!(fold_loose("Zoë Weiß"), "zoe weiss");
        assert_eq!(fold_loose("Søren Ørsted"), "soren orsted");
        assert!(has_file_extension("photo.png") && has_file_extension("scans/cv.PDF"));
        for name in ["v1.2", "J. Müller", "Jana.", "people/jana.md", "notes.v2/jana", ".hidden", "x.Markdown"] {
            assert!(!has_file_extension(name), "{name}");
        }
    }
}
