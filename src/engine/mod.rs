//! The pure core: text, paths and "today" in, facts out.
//!
//! Nothing in here touches the file system, the clock, the terminal or LSP
//! types (a test in `tests/architecture.rs` keeps it so).

pub mod agenda;
pub mod analysis;
pub mod config;
pub mod date;
pub mod edit;
pub mod finding;
pub mod kinds;
pub mod ledger;
pub mod names;
pub mod note;
pub mod rules;
pub mod span;
pub mod summary;
pub mod text;
pub mod typo;
pub mod vault;

pub use config::Config;
pub use date::Date;
pub use finding::{Finding, Level};
pub use note::Note;
pub use rules::Rule;
pub use vault::Vault;
