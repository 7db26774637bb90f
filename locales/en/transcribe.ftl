# `reprise transcribe` at a terminal: its questions, the summary line and
# warnings, in the sheet's language (the runbook's or the journal's).

transcribe-no-zone = cannot tell the local time zone ({ $error }); times are read as UTC
transcribe-date-prompt = Date written on the sheets (YYYY-MM-DD, Enter for { $today }):
transcribe-explain = For each step: the outcome ticked (done, failed, skipped, n.a.; Enter if the sheet has nothing for it), then the times (14:05 or 14h05), initials and reason.
transcribe-step = Step { $number } · { $title } ({ $id }){ $role }{ $after }
transcribe-step-role = { " " }· { $role }
transcribe-step-after = { " " }· after { $steps }
transcribe-outcome = outcome:
transcribe-start = start time:
transcribe-end = end time:
transcribe-restore-point = restore point:
transcribe-initials = initials:
transcribe-reason = reason:
transcribe-again = Enter this step again, as the sheet should read.
transcribe-summary = transcribed { $steps ->
        [one] 1 step
       *[other] { $steps } steps
    } from paper into { $journal }
transcribe-kept = ; { $count } already in the journal left as recorded
transcribe-finished = ; every step has an outcome: { $result }
transcribe-refused = nothing written: { $count ->
        [one] 1 problem
       *[other] { $count } problems
    } on the sheets; correct them and transcribe again

# `reprise transcribe`'s own errors, in the command's language (the
# drill's as soon as the runbook or the journal is read).
transcribe-no-terminal = no terminal to ask at, and no sheet file given
transcribe-no-terminal-hint = give the sheets as a YAML file with `--from FILE` (see docs/paper.md)
transcribe-no-step = the sheets hold no step: nothing to transcribe
transcribe-journal-options = `--journal` and `--operator` apply when starting from a runbook
transcribe-journal-options-hint = the records are added to the journal given
transcribe-not-a-journal = { $path }: no `run_started`: not a drill's journal
transcribe-drill-ended = { $path }: the drill ended ({ $result }): nothing is recorded after `run_finished`
transcribe-drill-ended-hint = transcribe into the journal of a drill that stopped before its end, or start a new one from the runbook
transcribe-runbook-errors = { $runbook }: the runbook has errors: nothing transcribed
transcribe-runbook-errors-hint = run `reprise check { $runbook }`
transcribe-cannot-read-hint = give a runbook, or the journal of a drill
transcribe-cannot-read-terminal = cannot read the terminal: { $why }
transcribe-input-ended = input ended before the last step: nothing written
transcribe-input-ended-hint = run `reprise transcribe` again, or use `--from FILE`
