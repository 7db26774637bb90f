//! The JSON Schema (draft 2020-12) of the runbook format, for editors.
//!
//! The schema is not hand-maintained JSON: its property lists are the key
//! lists the parser itself accepts, and each key's type comes from
//! [`property`]. A unit test checks that every key the parser knows has a
//! type here and that nothing here is unknown to the parser, and an
//! integration test checks that the committed `docs/runbook.schema.json` is
//! this function's output. So the schema can lag behind the parser only in
//! a failing test.
//!
//! The schema describes the file's shape; `reprise check` remains the
//! authority (cycles, unknown `needs`, duplicate ids cannot be expressed in
//! JSON Schema).

use serde_json::{Map, Value, json};

use crate::parse::keys;

mod property;

pub use property::property;

/// What a duration looks like: `<digits><unit>` groups in the order d, h,
/// m, s, each at most once, at least one (written without look-ahead so
/// that every regex engine an editor may use accepts it).
const DURATION_PATTERN: &str = concat!(
    "^(?:[0-9]{1,9}d(?:[0-9]{1,9}h)?(?:[0-9]{1,9}m)?(?:[0-9]{1,9}s)?",
    "|[0-9]{1,9}h(?:[0-9]{1,9}m)?(?:[0-9]{1,9}s)?",
    "|[0-9]{1,9}m(?:[0-9]{1,9}s)?",
    "|[0-9]{1,9}s)$"
);

/// A duration of zero, in any spelling: a timeout may not be zero.
const ZERO_DURATION_PATTERN: &str = "^(?:0+d)?(?:0+h)?(?:0+m)?(?:0+s)?$";

/// An environment variable name in a step's `env` (any case).
const ENV_NAME_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_]*$";

/// A role name in `roles` and `role`.
const ROLE_NAME_PATTERN: &str = "^[^\\u0000-\\u001f\\u007f]{1,64}$";

/// A Unix account or group name in a role's `members` and `groups`.
const ACCOUNT_NAME_PATTERN: &str = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$";

/// A host name in `hosts` and `host`.
const HOST_NAME_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";

/// URI of the JSON Schema dialect used.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The objects of the format, each with the keys the parser accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    /// The top level of the file.
    Top,
    /// `objectives`.
    Objectives,
    /// A variable written as a mapping (`{value, secret, required, prompt}`).
    Var,
    /// `defaults`.
    Defaults,
    /// An item of `phases`.
    Phase,
    /// A step.
    Step,
    /// A host of the top-level `hosts` table.
    Host,
    /// A role of the top-level `roles` table.
    Role,
    /// A target of the top-level `notify` list.
    Notify,
    /// A service of `objectives.services`.
    Service,
}

impl Object {
    /// Every object, in the order they appear in the schema.
    pub const ALL: [Object; 10] = [
        Object::Top,
        Object::Objectives,
        Object::Var,
        Object::Defaults,
        Object::Phase,
        Object::Step,
        Object::Host,
        Object::Role,
        Object::Notify,
        Object::Service,
    ];

    /// The keys the parser accepts in this object, in documentation order.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Object::Top => keys::TOP,
            Object::Objectives => keys::OBJECTIVES,
            Object::Var => keys::VAR,
            Object::Defaults => keys::DEFAULTS,
            Object::Phase => keys::PHASE,
            Object::Step => keys::STEP,
            Object::Host => keys::HOST,
            Object::Role => keys::ROLE,
            Object::Notify => keys::NOTIFY,
            Object::Service => keys::SERVICE,
        }
    }

    /// The name of the object's definition under `$defs` (the top level is
    /// the schema itself).
    fn def_name(self) -> Option<&'static str> {
        match self {
            Object::Top => None,
            Object::Objectives => Some("objectives"),
            Object::Var => Some("var"),
            Object::Defaults => Some("defaults"),
            Object::Phase => Some("phase"),
            Object::Step => Some("step"),
            Object::Host => Some("host"),
            Object::Role => Some("role"),
            Object::Notify => Some("notify"),
            Object::Service => Some("service"),
        }
    }
}

/// A closed object: the given keys, each typed by [`property`].
fn object(object: Object) -> Map<String, Value> {
    let properties: Map<String, Value> = object
        .keys()
        .iter()
        .filter_map(|key| property(object, key).map(|schema| (key.to_string(), schema)))
        .collect();
    let mut map = Map::new();
    map.insert("type".into(), json!("object"));
    map.insert("properties".into(), Value::Object(properties));
    map.insert("additionalProperties".into(), json!(false));
    map
}

/// The JSON Schema of a runbook file.
pub fn runbook_schema() -> Value {
    let mut defs = Map::new();
    defs.insert(
        "duration".into(),
        json!({
            "type": "string",
            "description": "A duration: one or more number-unit groups in the order d, h, m, s, \
                            e.g. `90s`, `15m`, `1h30m`, `2h`.",
            "pattern": DURATION_PATTERN,
            "examples": ["90s", "15m", "1h30m", "2h"]
        }),
    );
    defs.insert(
        "timeout".into(),
        json!({
            "$ref": "#/$defs/duration",
            "not": { "pattern": ZERO_DURATION_PATTERN },
            "description": "A duration greater than zero."
        }),
    );
    defs.insert(
        "id".into(),
        json!({ "type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$" }),
    );
    defs.insert(
        "needs".into(),
        json!({ "type": "array", "uniqueItems": true, "items": { "$ref": "#/$defs/id" } }),
    );
    defs.insert(
        "text".into(),
        json!({
            "type": ["string", "number", "boolean"],
            "description": "Text. A number or boolean written here is read as the text it is \
                            written with (`PORT: 5432` is `5432`)."
        }),
    );
    defs.insert(
        "command".into(),
        json!({
            "anyOf": [
                { "type": "string", "minLength": 1 },
                { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/text" } }
            ]
        }),
    );
    defs.insert("retries".into(), json!({ "type": "integer", "minimum": 0 }));
    defs.insert(
        "host_refs".into(),
        json!({
            "anyOf": [
                { "type": "string", "pattern": HOST_NAME_PATTERN },
                {
                    "type": "array",
                    "minItems": 1,
                    "uniqueItems": true,
                    "items": { "type": "string", "pattern": HOST_NAME_PATTERN }
                }
            ]
        }),
    );
    defs.insert(
        "on_failure".into(),
        json!({
            "enum": ["ask", "abort", "continue", "rollback"],
            "description": "ask: the operator chooses; abort: stop the drill; continue: \
                            dependents go on; rollback: abort, then undo completed steps in \
                            reverse order."
        }),
    );
    for o in Object::ALL {
        let Some(name) = o.def_name() else { continue };
        let mut def = object(o);
        match o {
            Object::Phase => {
                def.insert("required".into(), json!(["id", "title", "steps"]));
            }
            Object::Host => {
                def.insert("required".into(), json!(["address"]));
            }
            Object::Notify => {
                def.insert("required".into(), json!(["on", "run"]));
            }
            Object::Role => {
                def.insert(
                    "anyOf".into(),
                    json!([{ "required": ["members"] }, { "required": ["groups"] }]),
                );
            }
            Object::Step => {
                def.insert("required".into(), json!(["id", "title"]));
                // Keys that only make sense for commands are errors on a
                // manual step; saying so here lets an editor flag them.
                def.insert("if".into(), json!({ "not": { "required": ["run"] } }));
                let forbidden: Map<String, Value> = keys::COMMAND_ONLY
                    .iter()
                    .map(|k| (k.to_string(), Value::Bool(false)))
                    .collect();
                def.insert("then".into(), json!({ "properties": forbidden }));
            }
            _ => {}
        }
        defs.insert(name.into(), Value::Object(def));
    }

    let mut top = Map::new();
    top.insert("$schema".into(), json!(DIALECT));
    top.insert("title".into(), json!("reprise runbook"));
    top.insert(
        "description".into(),
        json!(
            "A disaster-recovery runbook for reprise, format version 1. \
             See docs/runbook-format.md."
        ),
    );
    top.extend(object(Object::Top));
    top.insert("required".into(), json!(["version", "name"]));
    top.insert(
        "oneOf".into(),
        json!([{ "required": ["phases"] }, { "required": ["steps"] }]),
    );
    top.insert("$defs".into(), Value::Object(defs));
    Value::Object(top)
}

/// The schema as `reprise schema` prints it: pretty JSON and a final newline.
pub fn runbook_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&runbook_schema())
        .expect("a serde_json::Value always serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::{
        DIALECT, DURATION_PATTERN, ENV_NAME_PATTERN, Object, ZERO_DURATION_PATTERN, property,
        runbook_schema, runbook_schema_text,
    };

    #[test]
    fn every_key_the_parser_accepts_has_a_type() {
        for o in Object::ALL {
            for key in o.keys() {
                assert!(
                    property(o, key).is_some(),
                    "{o:?}.{key} has no type in the schema"
                );
            }
        }
    }

    #[test]
    fn schema_properties_are_exactly_the_parser_keys() {
        let schema = runbook_schema();
        for o in Object::ALL {
            let props = match o.def_name() {
                None => &schema["properties"],
                Some(name) => &schema["$defs"][name]["properties"],
            };
            let mut names: Vec<&str> = props
                .as_object()
                .unwrap_or_else(|| panic!("{o:?} has no properties"))
                .keys()
                .map(String::as_str)
                .collect();
            let mut expected = o.keys().to_vec();
            names.sort_unstable();
            expected.sort_unstable();
            assert_eq!(names, expected, "{o:?}");
        }
    }

    #[test]
    fn duration_pattern_agrees_with_the_parser() {
        let schema = runbook_schema();
        let pattern = schema["$defs"]["duration"]["pattern"].as_str().unwrap();
        let re = regex::Regex::new(pattern).unwrap();
        for text in [
            "90s",
            "15m",
            "1h30m",
            "2h",
            "2d",
            "1d2h",
            "1h0m5s",
            "0s",
            "",
            "15",
            "m",
            "1.5h",
            "30m1h",
            "1h1h",
            "15 m",
            "-5m",
            "1H",
            "1h 30m",
            "h30m",
            "1hm",
            "9999999999s",
        ] {
            assert_eq!(
                re.is_match(text),
                text.parse::<crate::runbook::Duration>().is_ok(),
                "schema and parser disagree on {text:?}"
            );
        }
    }

    #[test]
    fn zero_timeouts_are_refused_in_every_spelling() {
        let re = regex::Regex::new(ZERO_DURATION_PATTERN).unwrap();
        let duration = regex::Regex::new(DURATION_PATTERN).unwrap();
        for text in ["0s", "0m", "0h0m", "00d0s", "1s", "10m", "1h0m", "0h1s"] {
            let parsed = text.parse::<crate::runbook::Duration>().unwrap();
            assert!(duration.is_match(text), "{text}");
            assert_eq!(
                re.is_match(text),
                parsed == crate::runbook::Duration::ZERO,
                "{text}"
            );
        }
    }

    #[test]
    fn env_names_follow_the_parser() {
        let re = regex::Regex::new(ENV_NAME_PATTERN).unwrap();
        for (name, ok) in [
            ("PATH", true),
            ("my_var", true),
            ("_x1", true),
            ("MY-VAR", false),
            ("1X", false),
            ("", false),
        ] {
            assert_eq!(re.is_match(name), ok, "{name}");
        }
    }

    #[test]
    fn schema_text_is_pretty_json_ending_with_a_newline() {
        let text = runbook_schema_text();
        assert!(text.ends_with("}\n"));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["$schema"], DIALECT);
    }
}
