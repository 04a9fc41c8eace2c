//! kith: keeps professional relationships in good repair.
//!
//! The crate has a pure core and thin shells (see `ARCHITECTURE.md`):
//!
//! - [`engine`]: text in, facts out. Parses notes, indexes the vault, runs the
//!   ledger and the rules. No file system, clock, terminal or LSP types.
//! - [`io`]: walking, reading, atomic writing and watching the vault.
//! - [`cli`] and [`lsp`]: the two shells that users talk to.

pub mod cli;
pub mod engine;
pub mod io;
pub mod lsp;
