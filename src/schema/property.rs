//! The schema of each key of each object: its type, pattern, choices and
//! description.

use serde_json::{Value, json};

use super::{ACCOUNT_NAME_PATTERN, ENV_NAME_PATTERN, HOST_NAME_PATTERN, Object, ROLE_NAME_PATTERN};

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

        (Objectives, "services") => described(
            json!({
                "type": "object",
                "propertyNames": { "minLength": 1, "maxLength": 64 },
                "additionalProperties": { "anyOf": [reference("service"), { "type": "null" }] }
            }),
            "The services the plan brings back, each with its own RTO and RPO: a service is \
             recovered when every step that `restores` it is done. `plan` forecasts each \
             one's recovery; the report measures it.",
        ),
        (Service, "rto") => duration(
            "The service's recovery time objective, from the start of the drill to the end \
             of the last step that restores it.",
        ),
        (Service, "rpo") => duration(
            "The service's recovery point objective: the most data, in time, it may lose. \
             Measured from the restore points its steps record.",
        ),
        (Step, "restores") => described(
            json!({ "anyOf": [
                reference("text"),
                { "type": "array", "uniqueItems": true, "items": reference("text") }
            ] }),
            "Services of `objectives.services` this step brings back: each is recovered \
             when this step (and any other step restoring it) is done.",
        ),
        (Step, "records") => described(
            json!({ "anyOf": [
                { "enum": ["restore_point"] },
                { "type": "array", "uniqueItems": true, "items": { "enum": ["restore_point"] } }
            ] }),
            "What the operator records besides the outcome: `restore_point`, the moment the \
             restored data dates from (a command may print `REPRISE_RESTORE_POINT=<time>` \
             instead).",
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
