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
