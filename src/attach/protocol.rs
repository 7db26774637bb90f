//! The attach protocol's messages from a client (docs/attach.md): its
//! greeting, then the lines it types and its terminal's new sizes.

use serde::{Deserialize, Serialize};

use super::view::WinSize;

/// The protocol's version, in the client's first message.
pub const VERSION: u32 = 1;
/// The longest message accepted.
pub const MAX_LINE: usize = 64 * 1024;
/// A client's first message.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Hello {
    /// [`VERSION`].
    pub attach: u32,
    /// The declared name (`--as`).
    #[serde(default)]
    pub r#as: Option<String>,
    /// The client's `SSH_CONNECTION` (only where it came from).
    #[serde(default)]
    pub ssh_connection: Option<String>,
    /// The roles whose items it wants first (`--role`); none: the roles
    /// its account has under the runbook's `roles:`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Its terminal's size: with one, the drill sends it the live region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<WinSize>,
    /// Whether it shows colours.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub color: bool,
    /// It only watches (`--read-only`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// It watches and records observations (`--observer`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub observer: bool,
}

/// A message from a client after the first.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FromClient {
    /// A line typed at its prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// Its terminal's new size (after `SIGWINCH`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<WinSize>,
}

/// Reads a client's greeting: the error is what the client is told.
pub fn parse_hello(line: &str) -> Result<Hello, String> {
    let hello: Hello =
        serde_json::from_str(line).map_err(|e| format!("not a reprise attach greeting: {e}"))?;
    if hello.attach != VERSION {
        return Err(format!(
            "this drill speaks attach protocol {VERSION}, the client {}: use the same reprise version",
            hello.attach
        ));
    }
    if hello
        .r#as
        .as_deref()
        .is_some_and(|n| n.chars().count() > 64)
    {
        return Err("a name (--as) has at most 64 characters".into());
    }
    Ok(hello)
}

/// Reads a message after the greeting; `None` for a malformed one (it is
/// ignored).
pub fn parse_message(line: &str) -> Option<FromClient> {
    serde_json::from_str::<FromClient>(line)
        .ok()
        .filter(|m| m.line.is_some() || m.size.is_some())
}
