//! `kith.agenda`: who needs a gesture, most urgent first, as JSON.

use crate::engine::agenda::agenda;
use crate::lsp::state::World;
use serde_json::Value;
use tower_lsp_server::jsonrpc;

pub const COMMAND: &str = "kith.agenda";

/// The agenda of the vault. Arguments: none, a number of days to look
/// ahead, or `{"days": N}`; the default is `birthday-notice` (as `kith agenda`).
pub fn run(world: &World, arguments: &[Value]) -> jsonrpc::Result<Option<Value>> {
    let vault = &world.main.vault;
    let today = world.today;
    let days = match arguments.first() {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::Object(map)) => map.get("days").and_then(Value::as_u64),
        _ => None,
    };
    let days = match days {
        Some(days) => u32::try_from(days).unwrap_or(u32::MAX),
        None => {
            let until = vault.config.birthday_notice.after(today);
            u32::try_from((until - today).num_days()).unwrap_or(u32::MAX)
        }
    };
    let items = agenda(vault, today, days);
    serde_json::to_value(items).map(Some).map_err(|e| jsonrpc::Error {
        code: jsonrpc::ErrorCode::InternalError,
        message: e.to_string().into(),
        data: None,
    })
}
