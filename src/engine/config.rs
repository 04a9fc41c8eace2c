//! `kith.toml`: the vault's configuration (spec section 6).
//!
//! [`Config::parse`] is pure: text in, a config or the first problem out, with
//! the byte range of the problem so that shells can name the line.

use super::date::Span;
use super::finding::Level;
use super::kinds::Kind;
use super::rules::Rule;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::BTreeMap;
use std::ops::Range;

pub const FILE_NAME: &str = "kith.toml";

#[derive(Debug, Clone)]
pub struct Config {
    pub contacts: Globs,
    pub exclude: Globs,
    pub default_cadence: Span,
    pub thanks_within: Span,
    pub reciprocate_within: Span,
    pub congratulate_within: Span,
    pub birthday_notice: Span,
    pub max_file_size: u64,
    pub new_contacts_in: Option<String>,
    pub mentions_are_touches: bool,
    pub fail_on: Level,
    /// Extra tags, lower-cased, each counted as a built-in kind.
    pub kinds: BTreeMap<String, Kind>,
    /// Levels set in `[rules]`; `None` is `off`.
    pub rules: BTreeMap<Rule, Option<Level>>,
    /// Keys kith does not know, with their spans: likely typos, reported as warnings.
    pub unknown_keys: Vec<(String, Range<usize>)>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            contacts: Globs::default(),
            exclude: Globs::default(),
            default_cadence: Span::days(90),
            thanks_within: Span::days(3),
            reciprocate_within: Span::days(180),
            congratulate_within: Span::days(7),
            birthday_notice: Span::days(7),
            max_file_size: 4 * 1024 * 1024,
            new_contacts_in: None,
            mentions_are_touches: false,
            fail_on: Level::Error,
            kinds: BTreeMap::new(),
            rules: BTreeMap::new(),
            unknown_keys: Vec::new(),
        }
    }
}

/// A problem in `kith.toml`, with the byte range it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub message: String,
    pub range: Range<usize>,
}

/// Gitignore-style globs on `/`-separated vault-relative paths.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    pub patterns: Vec<String>,
    matcher: Option<Gitignore>,
}

impl Globs {
    pub fn new(patterns: Vec<String>) -> Result<Globs, String> {
        if patterns.is_empty() {
            return Ok(Globs::default());
        }
        // The root is never touched: gitignore matching here is pure string work.
        let mut builder = GitignoreBuilder::new("");
        for pattern in &patterns {
            builder.add_line(None, pattern).map_err(|e| format!("`{pattern}` is not a valid glob: {e}"))?;
        }
        let matcher = builder.build().map_err(|e| e.to_string())?;
        Ok(Globs { patterns, matcher: Some(matcher) })
    }

    /// Whether a file's vault-relative path, or a folder above it, matches.
    pub fn matches_file(&self, path: &str) -> bool {
        match &self.matcher {
            Some(m) => m.matched_path_or_any_parents(path, false).is_ignore(),
            None => false,
        }
    }

    /// Whether a folder's vault-relative path matches (so a walker can skip it).
    pub fn matches_dir(&self, path: &str) -> bool {
        match &self.matcher {
            Some(m) => m.matched_path_or_any_parents(path, true).is_ignore(),
            None => false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

impl Config {
    /// The level a rule reports at, `None` when it is off.
    pub fn level(&self, rule: Rule) -> Option<Level> {
        match self.rules.get(&rule) {
            Some(level) => *level,
            None => Some(rule.default_level()),
        }
    }

    /// The folder new contact notes go to: `new-contacts-in`, else the folder
    /// of the first `contacts` glob, else `people`.
    pub fn new_contacts_folder(&self) -> String {
        if let Some(dir) = &self.new_contacts_in {
            return dir.trim_matches('/').to_string();
        }
        if let Some(first) = self.contacts.patterns.first() {
            // `people/**` gives `people`; `people/*.md` gives `people`.
            let dir = first
                .trim_start_matches('/')
                .split('/')
                .take_while(|seg| !seg.contains(['*', '?', '[', '{']))
                .collect::<Vec<_>>()
                .join("/");
            if !dir.is_empty() {
                return dir;
            }
        }
        "people".to_string()
    }

    /// Parses `kith.toml`. The first problem found is returned.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let spanned: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>> =
            toml::from_str(text).map_err(|e| ConfigError {
                message: e.message().trim_end().to_string(),
                range: e.span().unwrap_or(0..0),
            })?;
        let mut config = Config::default();
        for (key, value) in &spanned {
            let err = |message: String| ConfigError { message, range: value.span() };
            let span_of = |key: &str| -> Result<Span, ConfigError> {
                let text = value.get_ref().as_str().ok_or_else(|| {
                    err(format!("`{key}` must be a duration in quotes, like \"90d\", \"6w\", \"2m\" or \"1y\""))
                })?;
                Span::parse(text).ok_or_else(|| {
                    err(format!(
                        "`{key}` = \"{text}\" is not a duration: use a positive whole number and d, w, m or y (\"90d\", \"6w\", \"2m\", \"1y\"), or weekly, monthly, quarterly, yearly"
                    ))
                })
            };
            match key.get_ref().as_str() {
                "contacts" | "exclude" => {
                    let patterns = string_list(value.get_ref()).ok_or_else(|| {
                        err(format!("`{}` must be a list of globs, like [\"people/**\"]", key.get_ref()))
                    })?;
                    let globs = Globs::new(patterns).map_err(err)?;
                    if key.get_ref() == "contacts" {
                        config.contacts = globs;
                    } else {
                        config.exclude = globs;
                    }
                }
                "default-cadence" => config.default_cadence = span_of("default-cadence")?,
                "thanks-within" => config.thanks_within = span_of("thanks-within")?,
                "reciprocate-within" => config.reciprocate_within = span_of("reciprocate-within")?,
                "congratulate-within" => config.congratulate_within = span_of("congratulate-within")?,
                "birthday-notice" => config.birthday_notice = span_of("birthday-notice")?,
                "max-file-size" => {
                    let text = value.get_ref().as_str().unwrap_or_default();
                    let size = parse_size(text).ok_or_else(|| {
                        err(format!(
                            "`max-file-size` = {} is not a size: use a whole number of at least 1 and B, KB, MB or GB, like \"4MB\"",
                            value.get_ref()
                        ))
                    })?;
                    // Positions in a note are 32-bit (see `span.rs`): no note
                    // over 4 GiB is read, however large the setting.
                    config.max_file_size = size.min(u64::from(u32::MAX));
                }
                "new-contacts-in" => {
                    let dir = value.get_ref().as_str().ok_or_else(|| {
                        err("`new-contacts-in` must be a folder name in quotes, like \"people\"".into())
                    })?;
                    config.new_contacts_in = Some(dir.to_string());
                }
                "mentions-are-touches" => {
                    config.mentions_are_touches = value
                        .get_ref()
                        .as_bool()
                        .ok_or_else(|| err("`mentions-are-touches` must be true or false".into()))?;
                }
                "fail-on" => {
                    let text = value.get_ref().as_str().unwrap_or_default();
                    config.fail_on = match Level::parse(text) {
                        Some(level) => level,
                        None => {
                            return Err(err(format!(
                                "`fail-on` = {} is not a level: use \"error\", \"warning\", \"info\" or \"hint\"",
                                value.get_ref()
                            )));
                        }
                    };
                }
                "kinds" => {
                    if !value.get_ref().is_table() {
                        return Err(err("`kinds` must be a table: [kinds] with lines like coffee = \"met\"".into()));
                    }
                    for (name, target) in nested(text, "kinds") {
                        let kind =
                            target.get_ref().as_str().and_then(Kind::parse_builtin).ok_or_else(|| ConfigError {
                                message: format!(
                                    "[kinds] {} = {} names no built-in kind: use one of {}",
                                    name.get_ref(),
                                    target.get_ref(),
                                    Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
                                ),
                                range: target.span(),
                            })?;
                        config.kinds.insert(name.get_ref().trim_start_matches('#').to_lowercase(), kind);
                    }
                }
                "rules" => {
                    if !value.get_ref().is_table() {
                        return Err(
                            err("`rules` must be a table: [rules] with lines like vague-ask = \"hint\"".into()),
                        );
                    }
                    for (name, level) in nested(text, "rules") {
                        let rule = Rule::from_name(name.get_ref()).ok_or_else(|| ConfigError {
                            message: format!(
                                "[rules] `{}` is not a kith rule{}; `kith rule` lists them",
                                name.get_ref(),
                                did_you_mean_rule(name.get_ref())
                            ),
                            range: name.span(),
                        })?;
                        let level_value = match level.get_ref().as_str() {
                            Some("off") => None,
                            other => Some(other.and_then(Level::parse).ok_or_else(|| ConfigError {
                                message: format!(
                                    "[rules] {} = {} is not a level: use \"error\", \"warning\", \"info\", \"hint\" or \"off\"",
                                    name.get_ref(),
                                    level.get_ref()
                                ),
                                range: level.span(),
                            })?),
                        };
                        config.rules.insert(rule, level_value);
                    }
                }
                other => config.unknown_keys.push((other.to_string(), key.span())),
            }
        }
        Ok(config)
    }
}

/// The entries of `[kinds]` or `[rules]` with the spans of their keys and
/// values (a plain `toml::Table` keeps none), in the order they stand.
fn nested(text: &str, table: &str) -> Vec<(toml::Spanned<String>, toml::Spanned<toml::Value>)> {
    type Entries = BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>;
    #[derive(serde::Deserialize)]
    struct Tables {
        kinds: Option<Entries>,
        rules: Option<Entries>,
    }
    let Ok(tables) = toml::from_str::<Tables>(text) else { return Vec::new() };
    let entries = if table == "kinds" { tables.kinds } else { tables.rules };
    let mut entries: Vec<_> = entries.unwrap_or_default().into_iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

fn did_you_mean_rule(name: &str) -> String {
    match super::typo::nearest(name, Rule::ALL.iter().map(|r| r.name())) {
        Some(best) => format!(" (did you mean `{best}`?)"),
        None => String::new(),
    }
}

fn string_list(value: &toml::Value) -> Option<Vec<String>> {
    match value {
        toml::Value::String(s) => Some(vec![s.clone()]),
        toml::Value::Array(items) => items.iter().map(|v| v.as_str().map(str::to_string)).collect(),
        _ => None,
    }
}

/// `4MB` → 4 MiB. An integer and `B`, `KB`, `MB` or `GB`, powers of 1024;
/// the integer as in durations (spec §7, "Durations and sizes"): at least 1,
/// without sign, spaces or leading zeros. The spec sets no upper bound: a
/// size too large to count saturates.
pub fn parse_size(text: &str) -> Option<u64> {
    let digits_end = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(digits_end);
    if digits.is_empty() || digits.starts_with('0') {
        return None;
    }
    let factor: u64 = match unit {
        "B" => 1,
        "KB" => 1 << 10,
        "MB" => 1 << 20,
        "GB" => 1 << 30,
        _ => return None,
    };
    // Only digits are left, so parsing fails only by overflowing.
    Some(digits.parse::<u64>().unwrap_or(u64::MAX).saturating_mul(factor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let config = Config::parse(
            "contacts = [\"people/**\"]\ndefault-cadence = \"2m\"\nmax-file-size = \"1KB\"\n[kinds]\ncoffee = \"met\"\n[rules]\nvague-ask = \"hint\"\nask-after-silence = \"off\"\n",
        )
        .unwrap();
        assert!(config.contacts.matches_file("people/jana.md"));
        assert!(config.contacts.matches_file("people/team/max.md"));
        assert!(!config.contacts.matches_file("journal/people.md"));
        assert_eq!(config.max_file_size, 1024);
        let huge = Config::parse("max-file-size = \"64GB\"\n").unwrap();
        assert_eq!(huge.max_file_size, u64::from(u32::MAX), "positions are 32-bit: no note over 4 GiB");
        assert_eq!(config.kinds.get("coffee"), Some(&Kind::Met));
        assert_eq!(config.level(Rule::VagueAsk), Some(Level::Hint));
        assert_eq!(config.level(Rule::AskAfterSilence), None);
        assert_eq!(config.level(Rule::MissingThanks), Some(Level::Warning));
        assert_eq!(config.new_contacts_folder(), "people");
    }

    #[test]
    fn errors_name_the_line() {
        let text = "thanks-within = \"3d\"\n[rules]\nvauge-ask = \"hint\"\n";
        let err = Config::parse(text).unwrap_err();
        assert!(err.message.contains("vague-ask"), "{}", err.message);
        assert_eq!(&text[err.range.start..err.range.start + 9], "vauge-ask");
        let err = Config::parse("default-cadence = \"0d\"").unwrap_err();
        assert_eq!(err.range, 18..22);
        let err = Config::parse("[kinds]\ncoffee = \"meet\"").unwrap_err();
        assert!(err.message.contains("no built-in kind"));
        assert!(Config::parse("fail-on = \"loud\"").is_err());
        assert!(Config::parse("x = [").is_err());
        assert!(Config::parse("[rules]\nvague-ask = \"loud\"").is_err());
    }

    #[test]
    fn fail_on_takes_every_level() {
        // Spec §6: `fail-on` is the lowest level that makes `kith lint` exit 1;
        // the levels are error, warning, info and hint.
        for (text, level) in
            [("error", Level::Error), ("warning", Level::Warning), ("info", Level::Info), ("hint", Level::Hint)]
        {
            let config = Config::parse(&format!("fail-on = \"{text}\"\n")).unwrap();
            assert_eq!(config.fail_on, level, "{text}");
        }
        let err = Config::parse("fail-on = \"off\"").unwrap_err();
        assert!(err.message.contains("\"hint\""), "{}", err.message);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4MB"), Some(4 << 20));
        assert_eq!(parse_size("10B"), Some(10));
        assert_eq!(parse_size("1GB"), Some(1 << 30));
        for bad in ["4mb", "MB", "0B", "0MB", "04MB", "+4MB", "4 MB", " 4MB", "4TB", "4.5MB", "-1B"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
        // The spec sets no upper bound: a size too large to count saturates.
        assert_eq!(parse_size("20000000000GB"), Some(u64::MAX));
        assert_eq!(parse_size("99999999999999999999999999B"), Some(u64::MAX));
    }

    #[test]
    fn large_max_file_sizes_saturate() {
        for text in ["5GB", "20000000000GB", "99999999999999999999999999B"] {
            let config = Config::parse(&format!("max-file-size = \"{text}\"\n")).unwrap();
            assert_eq!(config.max_file_size, u64::from(u32::MAX), "{text}");
        }
        let err = Config::parse("max-file-size = \"0B\"").unwrap_err();
        assert!(err.message.contains("at least 1"), "{}", err.message);
    }
}
