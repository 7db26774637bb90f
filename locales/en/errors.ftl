# The lines a command writes on stderr when it cannot do its job, and its
# warnings: errors, hints and warnings of the drill-time commands (run,
# attach, resume, status, report, assess, actions, sign, verify), said in
# the drill's language. `check`'s located diagnostics stay in English.

error-line = error: { $text }
hint-line = hint: { $text }
warning-line = warning: { $text }

## run: the drill could not start, or stopped
run-unstarted = cannot start the drill: { $why }; { $left }
run-unstarted-clean = nothing was run and no journal was left
run-unstarted-clean-hint = free some space where the journal goes (or choose another `--journal`), then start again
run-unstarted-left = nothing was run; remove { $journal } ({ $why })
run-unstarted-left-hint = free some space where the journal goes, remove the journal, then start again
run-stopped-resume-hint = every command was stopped; continue the drill with `reprise resume { $journal }`
run-stopped-hint = every command was stopped; what was recorded is in { $journal }
detach-not-started = the drill did not start ({ $status })
detach-not-started-hint = its output is above and in { $log }

## A journal that cannot be used (`verify`, `report`, `status`, `resume`, `sign`, `run --journal`…)
journal-io = cannot { $action } journal { $journal }: { $why }
journal-exists = journal { $journal } already exists: continue that drill with `reprise resume { $journal }` or choose another `--journal`
journal-locked = journal { $journal } is in use by { $holder }
journal-holder = reprise (pid { $pid } on host { $host }) since { $since }
journal-holder-gone = reprise (pid { $pid } on host { $host }) since { $since }, which has ended; a process it started still holds the journal
journal-holder-unknown = another process
journal-bad-line = { $at }: { $problem }
journal-empty = journal { $journal } holds no event: the drill stopped before it started
journal-poisoned = journal { $journal } is unusable after an earlier write error
journal-tampered-hint = the journal was changed after it was written; keep this file as evidence and compare it with any copy
journal-damaged-hint = only the last line can be incomplete after a crash; this damage is elsewhere
journal-empty-hint = nothing was recorded: remove the file and start the drill again with `reprise run`
journal-locked-hint = one drill per journal: wait for that process to end, or follow it with `reprise status --follow`

## attach
attach-not-allowed = you may not attach to the drill on { $journal }: { $socket } admits only the account that started it and the Unix group given with --group ({ $why })
attach-not-allowed-hint = ask the coordinator to start (or resume) the drill with `--group GROUP` and to add your account to that group; see docs/drill-guide.md
attach-not-running = no drill is running on { $journal } ({ $socket }: { $why })
attach-not-running-hint = carry it on with `reprise resume { $journal }`, or follow it with `reprise status --follow`
attach-drill-refused = the drill refused: { $why }

## Files
cannot-read = cannot read { $path }: { $why }
cannot-write = cannot write { $path }: { $why }
cannot-write-stdout = cannot write to standard output: { $why }
lang-unknown = reprise has no messages in language `{ $code }`
lang-unknown-hint = use --lang en or --lang fr
no-time-zone = cannot tell the local time zone ({ $why }); local times are shown in UTC

## A journal's chain, its last line (`report`, `status`, `verify`)
integrity-broken = { $error }; the journal's hash chain is broken, so it may not be what happened
integrity-broken-hint = keep the file as evidence and see `reprise verify { $journal }`; `reprise { $command } --force { $journal }` shows it anyway, marked unverified
integrity-unverified = { $problem }; the hash chain is broken: what follows is unverified
torn-ignored = { $journal }: { $torn }; it is ignored
torn-unreadable = line { $line } is unreadable ({ $bytes } bytes, the last line): it was never completely written
torn-incomplete = line { $line } is incomplete ({ $bytes } bytes, no newline): reprise stopped while writing it
journal-no-start = journal { $journal } does not start with `run_started`
actions-file-changed-hint = the actions file was changed after it was written

## verify, sign
verify-not-signed = { $journal } is not signed: no { $signatures }
verify-not-signed-hint = sign it with `reprise sign JOURNAL`
verify-wrong-head = signature { $n } does not match this journal: line { $line } is not the line that was signed
verify-wrong-head-hint = the journal was changed after it was signed, or the signature is of another journal
verify-unknown-key = signature { $n } was made with a key that is not in { $allowed } ({ $key })
verify-unknown-key-hint = add the signer's public key to the allowed-signers file if you trust it
verify-bad-signature = signature { $n } is not valid: { $why }
verify-bad-signature-hint = the signature or the journal was altered; keep both as evidence
sign-torn = { $journal }: the last line is incomplete
sign-torn-hint = a drill still being written cannot be signed: wait for it to end, or resume it
sign-no-key = no SSH key found in ~/.ssh (id_ed25519, id_ecdsa, id_rsa)
sign-no-key-hint = give one with --key PATH, or make one with `ssh-keygen -t ed25519`
sign-failed-hint = check the key with `ssh-keygen -l -f KEY`

## report
report-verify-hint = check the journal with `reprise verify`
report-journal-hint = give the journal written by `reprise run`
report-not-a-drill = { $journal }: { $why }
report-pdf-no-output = a PDF report needs an output file
report-pdf-no-output-hint = add `-o report.pdf`
report-pdf-hint = install Chromium (Debian: `apt-get install chromium`), or write HTML and print it from a browser
report-torn = { $journal }: the last line ({ $line }) is incomplete and was left out

## assess
assess-no-criteria = { $journal }: the drill's runbook has no success criteria
assess-no-criteria-hint = write them under `objectives.criteria:` in the runbook before the next drill
assess-file-hint = write a list of `- {"{"}criterion: 1, verdict: met, comment: "…"{"}"}`
assess-none = no assessment given
assess-none-hint = give `N VERDICT COMMENT`, or `--from FILE`, or run it at a terminal
assess-no-such-criterion = there is no criterion { $n }: the runbook has { $count }
assess-no-such-criterion-hint = number them 1 to { $count }, as the report does
assess-cannot-read-answer = cannot read the answer: { $why }

## action, actions
action-not-a-date = `{ $text }` is not a date
action-not-a-date-hint = write it as YYYY-MM-DD
action-empty = an action needs an owner and a text
action-no-step = the drill has no step `{ $step }`
action-none = no action `{ $id }` in these journals
action-none-hint = list them with `reprise actions DIR`
action-several = `{ $id }` names several actions
action-several-hint = give more of the id
action-closed-already = action { $id } was already closed by { $by } on { $date }

## run, resume: questions nobody can answer, approvals never scripted
steps-listed = { $more ->
        [0] { $names }
       *[other] { $names } and { $more } more
    }
nothing-was = nothing was { $what }
refuse-no-answer = { $file } has no answer for { $steps }, which the operator must confirm or decide about: { $nothing }
refuse-no-answer-hint = add an answer for each (see docs/answers.md), or run at a terminal
refuse-no-terminal = there is no terminal to confirm { $steps }: { $nothing }
refuse-no-terminal-hint = run it at a terminal, or pass --yes (confirm manual steps and confirmations) or --answers FILE (script every answer, see docs/answers.md)
refuse-interrupted = { $count ->
        [one] step { $steps } was interrupted and is not idempotent: someone must decide whether to run it again, and there is no terminal to ask{ $also }: { $nothing }
       *[other] steps { $steps } were interrupted and are not idempotent: someone must decide whether to run them again, and there is no terminal to ask{ $also }: { $nothing }
    }
refuse-nothing-else = {""}
refuse-nor-confirm = , nor to confirm { $steps }
refuse-interrupted-hint = run it at a terminal, add `--yes` (run interrupted steps again, confirm manual steps and confirmations), or answer each one in --answers FILE (run, mark_done or mark_failed for an interrupted step; see docs/answers.md)
refuse-scripted-approvals = step { $n } `{ $step }` needs { $approvals } approvals, and { $flag } would approve it automatically: a real switch-over is never auto-approved; nothing was run
refuse-scripted-approvals-hint = run the incident at a terminal without { $flag }, each approver confirming from their own account

## Words said by many commands
as-written = { $text }
did-you-mean = did you mean `{ $id }`?
see-file = see { $path }
cannot-create = cannot create { $path }: { $why }
cannot-open = cannot open { $path }: { $why }
cannot-use = cannot use { $path }: { $why }

## run: its arguments, its runbook, its folders, its answers
run-step-twice = step `{ $step }` is given twice in --assume-done / --skip
run-group-hint = see docs/drill-guide.md, "A crisis host"
run-invalid-runbook = `{ $runbook }` is not a valid runbook: nothing was run
run-invalid-runbook-hint = fix it and check with `reprise check { $runbook }`
run-no-step = { $flag } { $value }: no step `{ $id }` in the runbook
run-no-step-hint = `reprise plan RUNBOOK` lists the step ids
run-no-reason = { $flag } { $value }: a reason is required
run-no-reason-hint = write it as { $flag } { $id }='why'
run-log-folder = cannot create the log folder { $folder }: { $why }
run-log-folder-unsafe = will not write step logs into { $folder }: { $why }
run-log-folder-unsafe-hint = remove it or fix it (chmod 700, owned by you), or give another --journal
run-cannot-listen = cannot listen for terminals on { $socket }: { $why }
run-no-attach = other terminals cannot attach to this drill: { $socket }: { $why }
answers-unusable = cannot use the answers file: { $why }
answers-invalid = the answers file { $file } is not valid: nothing was run
answers-invalid-hint = its format is described in docs/answers.md
criteria-cannot-read = cannot read the assessment: { $why }
criteria-cannot-record = cannot record the assessment: { $why }
detach-journal-exists = { $journal } exists already: a drill starts a journal of its own
detach-journal-exists-hint = to carry that drill on: `reprise resume { $journal }`
detach-no-program = cannot find reprise's own program: { $why }
detach-cannot-start = cannot start the drill in the background: { $why }
detach-not-listening = the drill (pid { $pid }) is not listening on { $socket } yet

## Variables
var-unknown = { $flag } { $name }: the runbook has no variable `{ $name }`
var-env-missing = --var-env { $name }: the environment has no variable `{ $name }` (or it is not UTF-8)
var-env-missing-hint = export { $name }=… before running reprise
var-file-form = --var-file { $given }: expected NAME=FILE
var-form = --var { $given }: expected NAME=VALUE
var-secret-on-command-line = --var { $name }=… puts secret `{ $name }` on the command line, where every user of this machine can read it while the drill runs; give it with --var-file { $name }=FILE (chmod 600), --var-env { $name }, or { $prefix }{ $name }
var-file-refused = --var-file { $name }={ $file }: { $why }
var-file-refused-hint = keep the value in a file of your own: chmod 600 { $file }
var-file-unreadable = cannot read it: { $why }
var-file-not-regular = not a regular file
var-file-open-mode = its mode { $mode } lets other users read or change it
var-file-not-yours = it belongs to uid { $uid }, not to you
var-cannot-read = cannot read { $name }: { $why }
var-pass-hint = pass it as --var { $name }=VALUE
var-required = variable { $name } is required and has no value: nothing was run

## resume
resume-torn-removed = { $journal }: { $torn }; it was removed before carrying on
resume-finished = the drill in { $journal } already finished ({ $result }) at { $at }: there is nothing to resume
resume-finished-hint = see it with `reprise report { $journal }`; start a new drill with `reprise run { $runbook }`
resume-changed = runbook { $runbook } changed since the drill started (sha256 { $recorded } in the journal, { $now } now):
    { $what }
resume-changed-hint = restore the runbook as it was, or add `--allow-changed` to carry on with the new one (recorded in the journal)
resume-changed-allowed = runbook { $runbook } changed since the drill started; carrying on with the new content (--allow-changed):
    { $what }
resume-step-gone = step `{ $step }` is recorded in the journal but no longer in the runbook: ignored
resume-runbook-unusable = cannot resume: the runbook { $runbook } recorded in the journal is not usable
resume-runbook-unusable-hint = run `reprise resume` from the folder the drill was started in, with the runbook as it was
