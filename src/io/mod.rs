//! The file system side of kith, shared by the CLI and the language server:
//! finding the vault root, reading `kith.toml`, walking and reading notes,
//! writing atomically, and watching for changes made outside the editor.

pub mod walk;
pub mod watch;
pub mod write;

pub use walk::{ConfigFileError, VaultRoot, find_root, load_config, load_vault, read_note};
