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
