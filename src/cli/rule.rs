//! `kith rule [NAME]`: a rule's documentation, or the table of all rules.

use super::UsageError;
use crate::engine::rules::Rule;
use crate::engine::typo;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct RuleArgs {
    /// The rule to explain; without it, every rule with its default level.
    pub name: Option<String>,
}

pub fn run(args: RuleArgs) -> Result<ExitCode, UsageError> {
    match args.name {
        None => {
            println!("{:<18}  {:<8}  what it reports", "rule", "level");
            for rule in Rule::ALL {
                println!("{:<18}  {:<8}  {}", rule.name(), rule.default_level().name(), rule.summary());
            }
            println!("\n`kith rule NAME` explains one; set levels or `off` under [rules] in kith.toml.");
        }
        Some(name) => {
            let rule = Rule::from_name(&name).ok_or_else(|| {
                let hint = typo::nearest(&name, Rule::ALL.iter().map(|r| r.name()))
                    .map(|b| format!(" — did you mean `{b}`?"))
                    .unwrap_or_else(|| " — `kith rule` lists them".into());
                UsageError(format!("no rule is called `{name}`{hint}"))
            })?;
            println!("# {} (default level: {})\n", rule.name(), rule.default_level().name());
            println!("{}\n", rule.summary());
            print!("{}", rule.doc());
        }
    }
    Ok(ExitCode::SUCCESS)
}
