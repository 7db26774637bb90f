# The help texts of `reprise --help` and of each command's `--help`,
# keyed by command and argument id (see src/cli/help.rs).

## reprise
reprise-about = Runs disaster-recovery plans: validate a runbook, preview it, walk it as a drill with timings, and report on it
reprise-after =
    Examples:
      reprise check runbooks/demo.yaml
      reprise plan runbooks/demo.yaml
      reprise run runbooks/demo.yaml
      reprise report journals/demo-20261129T080000Z.jsonl -o report.md
      reprise compare journals/ --format html -o drills.html

    Exit codes: 0 success or recovered, 1 degraded, 2 invalid input or usage, 3 aborted.
reprise-arg-verbose = More diagnostics on stderr (-v: debug, -vv: trace). RUST_LOG overrides
reprise-arg-log_file = Also write diagnostics as JSON lines to this file
reprise-arg-ascii = Only ASCII symbols (`[ ]`, `ok`, `x`, `->`) in what every command writes for people, for terminals and fonts without them. Also REPRISE_ASCII=1; automatic when the locale is not UTF-8 (LANG=C). On the Linux console (TERM=linux), symbols its fonts have

## check
check-about = Validate runbooks: YAML syntax, keys, types, ids, durations, dependencies and cycles. Every problem is shown with its file, line and column
check-after =
    Examples:
      reprise check runbooks/postgres-failover.yaml
      reprise check --strict runbooks/*.yaml
      reprise check --format json runbooks/*.yaml > diagnostics.json
      reprise check --connect db-restore.yaml    # a runbook with hosts: also try each ssh connection

    Exit codes: 0 every runbook is valid (warnings allowed unless --strict), 2 a runbook has errors or cannot be read (or, with --connect, a host is unreachable).
check-arg-runbooks = Runbook files to check
check-arg-strict = Fail on warnings too
check-arg-format = How to print the diagnostics: `text` on stderr (rustc style), or `json` on stdout (one array of all diagnostics of all files)
check-arg-connect = Also try to reach every host the steps run on (`ssh HOST true`, in batch mode with a short timeout) and report which are unreachable

## plan
plan-about = Show what a drill would do, without running anything: phases, the steps in the order they can start, which run in parallel (waves), each step's kind, role and estimate, and the critical path against the RTO
plan-after =
    Examples:
      reprise plan runbooks/postgres-failover.yaml
      reprise plan --mode incident runbooks/postgres-failover.yaml
      reprise plan --format json runbooks/postgres-failover.yaml | jq '.critical_path'
      reprise plan --format dot runbooks/postgres-failover.yaml | dot -Tsvg > plan.svg
      reprise plan --format checklist runbooks/postgres-failover.yaml -o checklist.html
      reprise plan --format checklist --role dba --role network runbooks/postgres-failover.yaml -o packets.html
      reprise plan runbooks/postgres-failover.yaml --history journals/
      reprise plan runbooks/postgres-failover.yaml --history journals/ --suggest | git apply

    A checklist is an HTML page to print on A4 and fill in by hand when IT is down (docs/paper.md); `reprise transcribe` enters the sheets afterwards.

    Exit codes: 0 the plan was shown, 2 the runbook has errors or cannot be read (the errors are shown as `reprise check` shows them).
plan-arg-runbook = The runbook to plan
plan-arg-mode = Plan a drill (an exercise) or an incident (the real event): steps whose `only` names the other mode are shown as not applicable and take no time
plan-arg-jobs = Most commands running together, as for `run` (default: the runbook's `defaults.jobs`, or 32): when the plan's parallel commands are more, the total they give (`run --dry-run` finds the same) is shown too
plan-arg-format = `text` for a person, `json` for tools, `dot` (Graphviz) or `mermaid` for a drawing with phases as clusters and the critical path in red, `checklist` for a printable paper checklist (HTML, A4)
plan-arg-role = With `--format checklist`: one packet per role, holding that role's steps (repeat for several teams), instead of one section per phase
plan-arg-output = Write to this file instead of standard output
plan-arg-lang = With `--format checklist`: the language of the sheets, en or fr (default: the runbook's `lang:`, then LANG)
plan-arg-history = Journals of past drills (files, or folders of `*.jsonl` files): show each step's median and 90th percentile against its estimate, and the time to recovery by the estimates, at the median and at p90 (text or json)
plan-arg-suggest = With --history: print a unified diff of the runbook that replaces each estimate off by more than --threshold with the measured p90 (apply it with `git apply` or `patch -p1`)
plan-arg-threshold = With --suggest: replace estimates off from p90 by more than this many percent
plan-arg-min_drills = With --suggest: only steps measured in at least this many drills
plan-arg-force = With --history: use a damaged journal up to its damage, and skip a file that is not a drill's journal, instead of stopping

## run
run-about = Walk a runbook as a drill: run its commands (in parallel where the plan allows), ask the operator to confirm manual steps, apply failure policies, and record everything in a journal
run-after =
    Examples:
      reprise run runbooks/postgres-failover.yaml
      reprise run runbooks/postgres-failover.yaml --dry-run
      reprise run rb.yaml --operator alice --jobs 4 --var DRP_ADMIN_TOKEN=… \
          --assume-done declarer='incident declared by phone' --skip archivage='array absent'
      reprise run rb.yaml --answers rehearsal.yaml --journal drills/rehearsal.jsonl
      reprise run rb.yaml --incident          # the real event, not an exercise

    Without a terminal, nothing is confirmed silently: pass --yes (manual steps and confirmations recorded as auto-confirmed) or --answers FILE (see docs/answers.md).

    Exit codes: 0 recovered, 1 degraded, 2 invalid input or usage (nothing was run), 3 aborted.
run-arg-runbook = The runbook (YAML)
run-arg-incident = The real event rather than an exercise (steps `only: drill` are not applicable, steps `only: incident` run)
run-arg-dry_run = Execute nothing and ask nothing: print what would run or be asked, in order, and a simulated timeline from the estimates
run-arg-operator = Who is at the terminal (default: the login name)
run-arg-jobs = Most commands running together (default: the runbook's `defaults.jobs`, or 32). A command waits for a free slot; the wait is shown and not counted as its time
run-arg-vars = Value of a runbook variable (repeatable). Visible to every local user while the drill runs: give secrets with --var-file, --var-env or REPRISE_VAR_NAME instead. Required variables without a value are asked at a hidden prompt when there is a terminal
run-arg-env = Take variable NAME's value from the environment variable NAME (repeatable). Any REPRISE_VAR_NAME in the environment is taken without this flag
run-arg-files = Take variable NAME's value from FILE: its whole content, less one final line end, so a key of several lines works (repeatable). FILE must be readable and writable by its owner only (chmod 600)
run-arg-assume_done = Record a step as already done before the start, with a reason (repeatable)
run-arg-skip = Leave a step out, with a reason; its dependents proceed (repeatable)
run-arg-answers = Answer every question from this YAML file (rehearsals, tests; see docs/answers.md)
run-arg-yes = Record manual steps and confirmations as done (auto-confirmed); a failure with `on_failure: ask` then aborts
run-arg-journal = Journal file (default: journals/<runbook>-<time>.jsonl)
run-arg-notify = Also send these alerts (repeatable): events, comma-separated, and a command run with `sh -c`, e.g. `step_waiting,step_failed=wall`. See docs/alerts.md
run-arg-detach = Start the drill in the background with nobody attached and return: it runs in its own session, its output goes to JOURNAL.log, and people attach with `reprise attach JOURNAL` (see docs/attach.md)
run-arg-detached_drill = The background drill started by `--detach` (questions wait for an attached terminal)
run-arg-group = Let the members of this Unix group attach (`reprise attach`) as well as you: the drill's socket is made 0660 with that group (default: 0600, only you). See docs/drill-guide.md

## resume
resume-about = Carry on a drill from its journal: steps recorded stay as they are and never run again; steps that were running or open are re-run (idempotent commands) or put to the operator
resume-after =
    Examples:
      reprise resume journals/postgres-failover-20261129T080000Z.jsonl
      reprise resume journals/postgres-failover-20261129T080000Z.jsonl --operator bob   # the night shift
      reprise resume drill.jsonl --yes --var DB_PASSWORD=…   # no terminal: re-run interrupted steps
      reprise resume drill.jsonl --answers rehearsal.yaml

    Secret and required variables are not recorded: give them again with --var (or type them at the prompt). Without a terminal, an interrupted step that is not idempotent needs --yes (run it again) or an answer in --answers (run, mark_done, mark_failed); see docs/drill-guide.md for what to do after a crash.

    The runbook is read again from the path recorded in the journal (run resume from the folder the drill was started in). If its content changed, resume refuses and lists the changed steps, unless --allow-changed.

    Exit codes: 0 recovered, 1 degraded, 2 invalid input or usage (damaged or finished journal, changed runbook), 3 aborted.
resume-arg-journal = The journal of the drill to carry on
resume-arg-notify = Also send these alerts (repeatable), as for `reprise run`
resume-arg-operator = Who is at the terminal now (default: the login name)
resume-arg-jobs = Most commands running together (default: the runbook's `defaults.jobs`, or 32)
resume-arg-yes = Without a terminal: confirm manual steps and confirmations, and run interrupted steps again (each marked auto-confirmed)
resume-arg-answers = Answer questions from this YAML file (step id → outcome or decision)
resume-arg-allow_changed = Carry on even though the runbook changed since the drill started (recorded in the journal)
resume-arg-vars = Value of a runbook variable (repeatable). Visible to every local user while the drill runs: give secrets with --var-file, --var-env or REPRISE_VAR_NAME instead. Required variables without a value are asked at a hidden prompt when there is a terminal
resume-arg-env = Take variable NAME's value from the environment variable NAME (repeatable). Any REPRISE_VAR_NAME in the environment is taken without this flag
resume-arg-files = Take variable NAME's value from FILE: its whole content, less one final line end, so a key of several lines works (repeatable). FILE must be readable and writable by its owner only (chmod 600)
resume-arg-group = Let the members of this Unix group attach, as for `reprise run` (default: only you)

## verify
verify-about = Check that a journal is intact: every line as written, none removed, inserted or reordered
verify-after =
    Examples:
      reprise verify journals/postgres-failover-20261129T080000Z.jsonl

    Prints the number of events, the drill's result and the head (the hash of the last line): keep the head in the incident ticket to detect a later rewrite of the journal's end. The format and how to check it by hand with sha256sum are in docs/journal.md.

    Exit codes: 0 intact, 2 altered, damaged or unreadable (the first bad line is named).
verify-arg-journal = The journal to check (or an `actions.jsonl` closings file)
verify-arg-allowed_signers = Check the journal's signatures (`reprise sign`) against this OpenSSH allowed-signers file, and say who signed

## status
status-about = Show where a drill stands: every step's state, open manual steps, elapsed time against the RTO
status-after =
    Examples:
      reprise status journals/postgres-failover-20261129T080000Z.jsonl
      reprise status --follow journals/postgres-failover-20261129T080000Z.jsonl

    The view is in the drill's language (the runbook's `lang:`, then LANG, or --lang): in French, durations read « 4 h 12 min » and times are on the 24-hour clock in the local time zone (TZ), named as in the report.

    Read only: it takes no lock and never writes, so the rest of the crisis cell can follow a drill from another terminal while it runs. With --follow, a terminal is redrawn every half second; a pipe gets one line per new event.

    A journal whose hash chain is broken (edited after it was written) is refused with exit 2; --force shows it anyway, marked unverified.

    Exit codes: 0 shown, 2 unreadable, damaged or edited journal. With --follow, once the drill finishes: its result, as `reprise run` gives it (0 recovered, 1 degraded, 3 aborted).
status-arg-journal = The drill's journal
status-arg-follow = Keep watching: redraw as the journal grows, until the drill finishes (or Ctrl-C)
status-arg-serve = Serve a live, read-only page of the drill for a wall screen, at ADDR (default 127.0.0.1:8080), until Ctrl-C
status-arg-token = With --serve: require this token in every request's URL (`?token=…`); `--token` alone makes a random one. Printed at start
status-arg-force = Show a journal whose hash chain is broken (it was edited), marked unverified, instead of refusing it
status-arg-lang = Language of the view (and of the --serve page): en or fr (default: the runbook's `lang:`, then LANG). In French, times are in the local time zone (TZ)

## transcribe
transcribe-about = Enter what was written on paper checklists (`reprise plan --format checklist`) into a journal: the times written by hand, the outcomes, the initials and the reasons. Every record is marked `source: paper`, with your OS account and the time of transcription
transcribe-after =
    Examples:
      reprise transcribe runbooks/ransomware.yaml --from sheets.yaml
      reprise transcribe journals/ransomware-20261206T080000Z.jsonl --from sheets.yaml
      reprise transcribe runbooks/ransomware.yaml

    Given a runbook, a new journal is started from the sheets; given the journal of a drill that ran in reprise until IT went down, the sheets continue it: steps it recorded stay as they are. Without --from, the steps are asked one by one at the terminal, in plan order. Times are written `14:05`, `14h05`, or in full (`2026-12-06 14:05`) for a drill over midnight. The sheet file's format is in docs/paper.md.

    A sheet that contradicts itself or the journal (a step that ends before it starts, starts before a step it comes after has ended, or is earlier than what the journal holds) is refused with the place of each problem; nothing is written until the sheet is corrected.

    Exit codes: 0 transcribed, 2 the sheet, runbook or journal has errors (nothing written).
transcribe-arg-input = A runbook, to start a journal from the sheets, or a drill's journal (`.jsonl`) to continue
transcribe-arg-from = Read the sheets from this YAML file (see docs/paper.md) instead of asking at the terminal
transcribe-arg-journal = With a runbook: the journal to create (default `journals/<runbook>-<first paper time>.jsonl`)
transcribe-arg-mode = With a runbook: whether the sheets record a drill or the incident
transcribe-arg-operator = With a runbook: who led the drill (default: the sheet file's `operator`, else your login)

## report
report-about = Write the exercise report of a drill from its journal: plan against actual, time to recovery against the RTO, deviations and their reasons, where the time went, observations, and a timeline chart
report-after =
    Examples:
      reprise report journals/postgres-failover-20261129T080000Z.jsonl > report.md
      reprise report journals/postgres-failover-20261129T080000Z.jsonl --format html -o report.html
      reprise report drill.jsonl --format json | jq '.recovery.time_to_recovery_seconds'

    Times are shown in the local time zone (TZ). A journal whose hash chain is broken (edited after it was written) is refused; --force writes the report anyway, marked unverified at the top (and `journal.unverified` in JSON). `reprise verify` also prints the head and checks signatures. The formats are described in docs/report.md.

    Exit codes: 0 written, 2 unreadable, damaged or edited journal, or the output file cannot be written.
report-arg-journal = The drill's journal (works on a journal still being written or interrupted, and on a dry run)
report-arg-format = Output format: Markdown with a Mermaid chart, one self-contained HTML page with an SVG chart, or JSON (documented in docs/report.md)
report-arg-output = Write the report to this file instead of standard output (needed for `--format pdf`)
report-arg-lang = Language of the exercise dossier's sections: en or fr (default: the runbook's `lang:`, then LANG)
report-arg-force = Write the report of a journal whose hash chain is broken (it was edited), marked unverified, instead of refusing it

## assess
assess-about = Assess the exercise's success criteria (`objectives.criteria`): each met, partly met or not met, with a comment. Appended to the journal, hash-chained, after the drill; the report shows the latest assessment of each criterion at its top
assess-after =
    Examples:
      reprise assess drill.jsonl                       # asks for each criterion at a terminal
      reprise assess drill.jsonl 2 partly_met "results in 2h40, not 2h"
      reprise assess drill.jsonl --from assessment.yaml

    An assessment file is a YAML list: `- {"{"}criterion: 1, verdict: met, comment: "…"{"}"}`. Verdicts: met, partly_met, not_met (French: atteint, partiellement_atteint, non_atteint).

    Exit codes: 0 recorded, 2 invalid input, or the journal is damaged or in use.
assess-arg-journal = The drill's journal
assess-arg-criterion = The criterion's number (as the report and `reprise plan` list them)
assess-arg-verdict = met, partly_met or not_met
assess-arg-comment = Why
assess-arg-from = Read the assessments from a YAML file
assess-arg-by = The name recorded as the assessor (default: your login)

## action
action-about = Record a corrective action decided at the debrief: who, by when, what. Appended to the journal (hash-chained); the report lists it and `reprise actions` follows it across drills until it is closed
action-after =
    Examples:
      reprise action drill.jsonl labo 2027-01-15 "script the SIL restore check"

    During the drill, type `action OWNER DUE TEXT` at the prompt instead.

    Exit codes: 0 recorded, 2 invalid input, or the journal is damaged or in use.
action-arg-journal = The drill's journal
action-arg-owner = Who must carry it out (a person or a team)
action-arg-due = When it is due (YYYY-MM-DD)
action-arg-text = What must be done
action-arg-step = The step it is about
action-arg-by = The name recorded (default: your login)

## actions
actions-about = List the open corrective actions of one or more drills, oldest first, or close one
actions-after =
    Examples:
      reprise actions journals/
      reprise actions journals/ --close 3f2a9c1e --reason "restore check scripted (ticket 4411)"

    An action's id is the first 8 hex digits of the hash of the journal line that recorded it. Closings are recorded in `actions.jsonl` in the folder of the (first) journal, an append-only hash-chained file that `reprise verify` checks.

    Exit codes: 0 listed or closed, 2 invalid input or a damaged file.
actions-arg-paths = Journals, or folders of journals
actions-arg-close = Close this action
actions-arg-reason = What was done (with --close)
actions-arg-all = List closed actions too

## sign
sign-about = Sign the drill's record off: sign the journal's head (the hash of its last line, which covers every line before it) with an SSH key, through `ssh-keygen -Y sign` (namespace `reprise`). The signature is appended to `JOURNAL.signatures`; the report shows it and `reprise verify --allowed-signers FILE` checks it
sign-after =
    Examples:
      reprise sign drill.jsonl --role "plan owner"
      reprise sign drill.jsonl --key ~/.ssh/id_ed25519 --role RSSI
      reprise verify drill.jsonl --allowed-signers signers

    The allowed-signers file is OpenSSH's (ssh-keygen(1), ALLOWED SIGNERS): one line `alice@hopital.example ssh-ed25519 AAAA…` per person. The signed text is documented in docs/journal.md, so a signature can be checked by hand.

    Exit codes: 0 signed, 2 damaged journal, no key, or ssh-keygen refused.
sign-arg-journal = The drill's journal
sign-arg-key = The key: a private key file, or a public key whose private half is in ssh-agent (default: ~/.ssh/id_ed25519, id_ecdsa, then id_rsa)
sign-arg-role = In what capacity you sign ("plan owner", "RSSI", "directeur")

## attach
attach-about = Attach this terminal to a drill that is running: see what is recorded, answer the items of your team, add notes, under your own account (the drill takes it from the operating system). `detach`, Ctrl-D or Ctrl-C leave the drill running. If the drill's process dies, this terminal waits and attaches again by itself once `reprise resume` runs it
attach-after =
    Examples:
      reprise attach journals/pra-20261206T081500Z.jsonl --as labo --role lab
      reprise attach journals/pra-20261206T081500Z.jsonl --observer --as auditor
      ssh -t crisis-host reprise attach /srv/pra/journals/pra-20261206T081500Z.jsonl

    Exit codes: 0 detached or the drill ended, 2 no drill running on that journal.
attach-arg-journal = The running drill's journal
attach-arg-name = The name your records carry (default: your login)
attach-arg-roles = Show this role's open items first (repeatable; default: the roles your account has in the runbook's `roles:`)
attach-arg-read_only = Only watch: the live view, nothing you type is recorded
attach-arg-observer = Watch and record observations (`note TEXT`) as an observer; the report lists them apart. Nothing else is recorded

## notify-test
notify-test-about = Send one test message through each alert target of the runbook (and of `--notify`), and say which worked: run it before the drill, so that a wrong webhook address is found on Monday, not at 03:10 on Sunday
notify-test-after =
    Examples:
      reprise notify-test runbooks/hopital-baie-stockage.yaml
      reprise notify-test rb.yaml --notify step_waiting='wall'

    Exit codes: 0 every target worked, 1 some failed, 2 invalid input or no target.
notify-test-arg-runbook = The runbook (YAML)
notify-test-arg-notify = More targets, as for `reprise run --notify`

## compare
compare-about = Compare drills of one plan from their journals, oldest first: time to recovery against the RTO and the margin, runbook changes (steps added, removed, changed), each step's actual time per drill with its trend, where the time went, and the deviations, with the steps that deviate in several drills
compare-after =
    Examples:
      reprise compare journals/
      reprise compare journals/postgres-failover-*.jsonl --format html -o drills.html
      reprise compare journals/ --format json | jq '.drills[].rto_margin_secs'

    Journals of another plan than the newest drill's (by the runbook's name) and dry runs are left out with a warning. A damaged journal is refused unless --force. Times are shown in the local time zone (TZ). The text, Markdown and HTML speak the newest drill's language (its runbook's `lang:`, then LANG, or --lang): in French, durations read « 4 h 12 min ». docs/history.md describes the output.

    Exit codes: 0 written, 2 unreadable or damaged journal, no drill, or the output file cannot be written.
compare-arg-journals = Journals of the drills (files, or folders of `*.jsonl` files)
compare-arg-format = Output format
compare-arg-output = Write to this file instead of standard output
compare-arg-force = Use a damaged journal up to its damage, and skip a file that is not a drill's journal, instead of stopping
compare-arg-lang = Language of the text, Markdown and HTML: en or fr (default: the newest drill's runbook `lang:`, then LANG). JSON is the same in every language

## schema
schema-about = Print the JSON Schema of the runbook format
schema-long-about = Print the JSON Schema (draft 2020-12) of the runbook format on standard output, for editors that complete and check YAML as you type. It is generated from the parser's own key lists; `reprise check` remains the authority (cycles, unknown ids and durations are only checked there).
schema-after =
    Examples:
      reprise schema > runbook.schema.json
      # then, as the first line of a runbook (yaml-language-server, e.g. VS Code's YAML extension):
      # yaml-language-server: $schema=./runbook.schema.json

## completions
completions-about = Print a shell completion script
completions-long-about = Print a shell completion script on standard output, generated from the same definitions the binary parses.
completions-after =
    Examples:
      reprise completions bash > ~/.local/share/bash-completion/completions/reprise
      reprise completions zsh > ~/.zfunc/_reprise    # with fpath+=(~/.zfunc) before compinit
      reprise completions fish > ~/.config/fish/completions/reprise.fish
completions-arg-shell = The shell to write the script for
