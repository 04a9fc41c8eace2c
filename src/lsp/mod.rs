//! The language server shell.

use crate::cli::UsageError;
use std::process::ExitCode;

pub fn run() -> Result<ExitCode, UsageError> {
    Err(UsageError("the language server is not built yet".into()))
}
