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
}

impl Object {
    /// Every object, in the order they appear in the schema.
    pub const ALL: [Object; 9] = [
        Object::Top,
        Object::Objectives,
        Object::Var,
        Object::Defaults,
        Object::Phase,
        Object::Step,
        Object::Host,
        Object::Role,
        Object::Notify,
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
        }
    }
}

fn reference(def: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{def}") })
}

fn described(mut schema: Value, description: &str) -> Value {
    if let Value::Object(map) = &mut schema {
        map.insert("description".into(), Value::String(description.into()));
    }
    schema
}

fn text(description: &str) -> Value {
    described(reference("text"), description)
}

fn boolean(description: &str) -> Value {
    described(json!({ "type": "boolean" }), description)
}

fn duration(description: &str) -> Value {
    described(reference("duration"), description)
}

fn timeout(description: &str) -> Value {
    described(reference("timeout"), description)
}

/// The schema of one key of one object, or `None` for a key this module
/// does not know (a unit test makes sure there is none).
pub fn property(object: Object, key: &str) -> Option<Value> {
    use Object::*;
    Some(match (object, key) {
        (Top, "version") => described(json!({ "const": 1 }), "Format version. Only 1 exists."),
        (Top, "name") => text("Human title of the plan."),
        (Top, "description") => text("Free text about the plan (Markdown)."),
        (Top, "owner") => text("Who owns and maintains the plan."),
        (Top, "lang") => described(
            json!({ "enum": crate::parse::LANGUAGES }),
            "Language of the plan's reports: `en` or `fr` (`report --lang` overrides it).",
        ),
        (Top, "scenario") => text(
            "The disaster being rehearsed (free text), shown at the top of the exercise report.",
        ),
        (Top, "scope") => text(
            "What the exercise covers and leaves out (free text), shown in the exercise report.",
        ),
        (Top, "contacts") => text(
            "Whom to call (names, roles, phone numbers), as free text: printed on the cover of \
             the paper checklist (`reprise plan --format checklist`).",
        ),
        (Top, "objectives") => described(
            reference("objectives"),
            "Recovery objectives: `plan` and `report` compare the plan and the drill to the RTO.",
        ),
        (Top, "vars") => described(
            json!({
                "type": "object",
                "propertyNames": { "pattern": "^[A-Z_][A-Z0-9_]*$" },
                "additionalProperties": {
                    "anyOf": [reference("text"), { "type": "null" }, reference("var")]
                }
            }),
            "Variables handed to every command as environment variables (never spliced into \
             the command text): NAME → value, or NAME → {value, secret, required, prompt}.",
        ),
        (Top, "hosts") => described(
            json!({
                "type": "object",
                "propertyNames": { "pattern": HOST_NAME_PATTERN },
                "additionalProperties": reference("host")
            }),
            "Remote hosts, by name: steps with `host` run their command there through the \
             system's `ssh`. See docs/remote.md.",
        ),
        (Top, "roles") => described(
            json!({
                "type": "object",
                "propertyNames": { "pattern": ROLE_NAME_PATTERN },
                "additionalProperties": reference("role")
            }),
            "Who may record what: role name → {members, groups} (Unix accounts and groups). \
             With this table, a step's `role` must name one of its roles, and only its \
             members (or a coordinator) may record the step. Without it, `role` is a label.",
        ),
        (Top, "defaults") => described(
            reference("defaults"),
            "Default values for step keys, applied where a step does not set them.",
        ),
        (Top, "phases") => described(
            json!({ "type": "array", "minItems": 1, "items": reference("phase") }),
            "Ordered phases. Each phase needs the one written before it unless it says \
             otherwise. Use either `phases` or `steps`, not both.",
        ),
        (Top, "steps") => described(
            json!({ "type": "array", "minItems": 1, "items": reference("step") }),
            "A flat list of steps, for a runbook without phases (one implicit phase `main`). \
             Use either `phases` or `steps`, not both.",
        ),

        (Objectives, "rto") => duration(
            "Recovery time objective: the longest acceptable time to recover. `plan` compares \
             the critical path to it; reports compare the drill to it.",
        ),
        (Objectives, "rpo") => duration(
            "Recovery point objective: the most data, in time, that may be lost. Recorded and \
             shown, not enforced.",
        ),

        (Objectives, "criteria") => described(
            json!({ "type": "array", "items": reference("text") }),
            "Success criteria written before the exercise, numbered from 1: each is assessed \
             met, partly met or not met after it (`reprise assess`) and shown at the top of \
             the report.",
        ),

        (Var, "value") => described(
            json!({ "anyOf": [reference("text"), { "type": "null" }] }),
            "The value. A required variable may leave it out.",
        ),
        (Var, "secret") => {
            boolean("Never shown: masked as *** in the terminal, journal, logs and reports.")
        }
        (Var, "required") => boolean(
            "Must have a value before a drill starts: `--var NAME=VALUE`, or a hidden prompt \
             at a terminal.",
        ),
        (Var, "prompt") => text("Text of the prompt asking for the value."),

        (Defaults, "timeout") => {
            described(reference("timeout"), "Default `timeout` of command steps.")
        }
        (Defaults, "retries") => {
            described(reference("retries"), "Default `retries` of command steps.")
        }
        (Defaults, "retry_delay") => duration("Default `retry_delay` of command steps."),
        (Defaults, "on_failure") => described(
            reference("on_failure"),
            "Default `on_failure` of every step.",
        ),
        (Defaults, "role") => text("Default `role` of every step."),
        (Defaults, "jobs") => described(
            json!({ "type": "integer", "minimum": 1 }),
            "Most commands running together (default 32), unless `--jobs` says otherwise; \
             a command waits for a free slot, and that wait is not counted as its time.",
        ),
        (Defaults, "host") => described(reference("host_refs"), "Default `host` of command steps."),

        (Phase, "id") => described(
            reference("id"),
            "Unique among all phase and step ids: [a-z0-9][a-z0-9_-]*.",
        ),
        (Phase, "title") => text("Human title of the phase."),
        (Phase, "needs") => described(
            reference("needs"),
            "Phases that must end before this one starts. Default: the phase written just \
             before (none for the first). `needs: []` starts the phase at once.",
        ),
        (Phase, "steps") => described(
            json!({ "type": "array", "minItems": 1, "items": reference("step") }),
            "The phase's steps. Within a phase, steps run in parallel unless `needs` orders \
             them.",
        ),

        (Step, "id") => described(
            reference("id"),
            "Unique among all phase and step ids: [a-z0-9][a-z0-9_-]*.",
        ),
        (Step, "title") => text("Human title of the step."),
        (Step, "instructions") => text("What to do, shown to the operator (Markdown)."),
        (Step, "role") => text(
            "Who does it: a team or a person. Reports group by role. With a `roles` table, \
             one of its roles: only its members (or a coordinator) may record the step.",
        ),
        (Step, "needs") => described(
            reference("needs"),
            "Steps or phases (all of their steps) that must end before this step starts.",
        ),
        (Step, "run") => described(
            reference("command"),
            "The command. Absent: a manual step, recorded by the operator. A string: run \
             with `sh -c`. A list: program and arguments, run without a shell.",
        ),
        (Step, "confirm") => boolean("Ask the operator before running the command."),
        (Step, "approvals") => described(
            json!({ "type": "integer", "minimum": 1 }),
            "Manual or `confirm: true` steps of a role of `roles`: this many distinct \
             accounts must confirm before the step proceeds (the same account twice counts \
             once).",
        ),
        (Step, "estimate") => {
            duration("Expected duration: used for the critical path and flagged when overrun.")
        }
        (Step, "timeout") => timeout(
            "Command steps: end the command's whole process group after this long; the \
             attempt fails.",
        ),
        (Step, "retries") => described(
            reference("retries"),
            "Command steps: extra attempts after a failure.",
        ),
        (Step, "retry_delay") => duration("Command steps: pause between attempts."),
        (Step, "on_failure") => {
            described(reference("on_failure"), "What happens when the step fails.")
        }
        (Step, "rollback") => described(
            reference("command"),
            "How to undo the step: a command (string or list) for a command step, \
             instructions for a manual step.",
        ),
        (Step, "critical") => {
            boolean("If this step ends failed or skipped, the drill cannot end `recovered`.")
        }
        (Step, "env") => described(
            json!({
                "type": "object",
                "propertyNames": { "pattern": ENV_NAME_PATTERN },
                "additionalProperties": reference("text")
            }),
            "Extra environment variables for this step's command.",
        ),
        (Step, "workdir") => {
            text("Working directory of the command, relative to the runbook's folder.")
        }
        (Step, "tags") => described(
            json!({ "type": "array", "items": reference("text") }),
            "Labels for selecting steps.",
        ),
        (Step, "only") => described(
            json!({ "enum": ["drill", "incident"] }),
            "Run only in this mode; the step is not applicable in the other (an exercise on \
             an isolated copy versus the real event).",
        ),
        (Step, "idempotent") => boolean(
            "Command steps: running it twice is harmless, so `resume` may re-run it without \
             asking when it was interrupted.",
        ),
        (Step, "host") => described(
            reference("host_refs"),
            "Command steps: run the command on this host of `hosts` (through ssh), or on each \
             of a list of hosts in parallel.",
        ),

        (Step, "max_parallel") => described(
            json!({ "type": "integer", "minimum": 1 }),
            "Command steps with `host`: most of its hosts running the command at once \
             (default 16); the others wait and start as hosts finish.",
        ),

        (Host, "address") => text("Host name or IP address given to ssh."),
        (Host, "user") => text("Remote user (ssh -l). Default: ssh's own."),
        (Host, "port") => described(
            json!({ "type": "integer", "minimum": 1, "maximum": 65535 }),
            "SSH port (ssh -p).",
        ),
        (Host, "identity_file") => text(
            "Private key (ssh -i), relative to the runbook's folder unless absolute or \
             starting with `~`.",
        ),
        (Host, "jump") => text(
            "Jump host (ssh -J): the name of another host of `hosts`, or `[user@]host[:port]`.",
        ),
        (Host, "known_hosts") => text(
            "known_hosts file trusted for this host (UserKnownHostsFile), relative to the \
             runbook's folder. Host key checking always stays on.",
        ),
        (Host, "max_parallel") => described(
            json!({ "type": "integer", "minimum": 1 }),
            "Most steps running on this host at once (`--jobs` still bounds the total).",
        ),
        (Host, "max_sessions") => described(
            json!({ "type": "integer", "minimum": 1, "default": 10 }),
            "Most commands sharing one SSH connection to this host: the server's `MaxSessions` \
             (10 by default). Beyond it, another shared connection is opened.",
        ),
        (Notify, "name") => text("The target's name in the journal and messages."),
        (Notify, "on") => described(
            json!({ "type": "array", "minItems": 1, "items": { "enum": ["step_waiting", "step_overrun", "rto_at_risk", "step_failed", "run_held", "run_finished"] } }),
            "The events this target is told about.",
        ),
        (Notify, "roles") => described(
            json!({ "type": "array", "items": reference("text") }),
            "Only alerts about steps of these roles (drill-wide alerts always go).",
        ),
        (Notify, "run") => described(
            reference("command"),
            "The command: gets the alert in REPRISE_* variables and as JSON on stdin.",
        ),
        (Notify, "after") => duration("step_waiting: only when still unanswered this long."),
        (Notify, "factor") => described(
            json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 100 }),
            "step_overrun: how far past the estimate (1.5: 50% over). Default 1.5.",
        ),
        (Notify, "rto_share") => described(
            json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 100 }),
            "rto_at_risk: also tell when this share of the RTO is used (0.8: 80%), whatever the forecast. Default: only when the forecast end passes the RTO.",
        ),
        (Notify, "timeout") => duration("How long one attempt may take (default 30s)."),
        (Notify, "retries") => described(
            json!({ "type": "integer", "minimum": 0, "maximum": 10 }),
            "Attempts after the first, with back-off (default 3).",
        ),
        (Top, "notify") => described(
            json!({ "type": "array", "items": reference("notify") }),
            "Alert targets: events mapped to commands (docs/alerts.md).",
        ),
        (Role, "members") => described(
            json!({
                "type": "array",
                "uniqueItems": true,
                "items": { "type": "string", "pattern": ACCOUNT_NAME_PATTERN }
            }),
            "Unix accounts (login names) of the role.",
        ),
        (Role, "groups") => described(
            json!({
                "type": "array",
                "uniqueItems": true,
                "items": { "type": "string", "pattern": ACCOUNT_NAME_PATTERN }
            }),
            "Unix groups whose members belong to the role (resolved on the machine that \
             runs the drill).",
        ),
        _ => return None,
    })
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
    use super::*;

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
