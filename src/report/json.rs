//! The JSON report: the [`Report`] model itself, for other tools. Its
//! fields are documented in `docs/report.md`; `format_version` changes when
//! one changes meaning or disappears.

use super::Report;

/// Renders the report as pretty-printed JSON, ending with a newline.
pub fn render(r: &Report) -> String {
    // The model holds only strings, numbers, booleans and enums with unit
    // variants: serialising it cannot fail.
    let mut s = serde_json::to_string_pretty(r).unwrap_or_else(|e| {
        format!(
            "{{\"error\": {}}}",
            serde_json::Value::String(e.to_string())
        )
    });
    s.push('\n');
    s
}
