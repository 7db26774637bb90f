# What the terminal says during and after a drill.

# The success criteria, assessed at the end of a drill.
assess-intro = The exercise's success criteria: assess each one (Enter leaves it for `reprise assess`, Ctrl-D leaves the rest).
assess-question = { "  " }met, partly met or not met? (m/p/n, Enter: leave it)
assess-comment = { "  " }comment?
assess-recorded = { "  " }✓ recorded: { $verdict }
assess-left = { "  " }left unassessed
assess-done = { $count ->
    [0] No criterion assessed: run `reprise assess { $journal }` when the debrief has decided.
    [one] 1 criterion assessed, recorded in { $journal }.
   *[other] { $count } criteria assessed, recorded in { $journal }.
}

# The end-of-run summary.
summary-nothing = nothing was recorded
summary-col-step = step
summary-col-outcome = outcome
summary-col-by = by
summary-col-estimate = estimate
summary-col-actual = actual
summary-col-overrun = overrun
summary-col-reason = reason
summary-outcome-done = done
summary-outcome-failed = failed
summary-outcome-skipped = skipped
summary-outcome-aborted = aborted
summary-outcome-not_applicable = n/a
summary-outcome-pending = pending
summary-outcome-open = open
summary-outcome-running = running
summary-outcome-attempt-failed = failed?
summary-by-command = command
summary-by-command-line = command line
summary-by-yes = { $by } (--yes)
summary-by-paper = { $by } (paper)
summary-mode-drill = drill
summary-mode-incident = incident
summary-result-recovered = recovered
summary-result-degraded = degraded
summary-result-aborted = aborted
summary-result-interrupted = interrupted (no end recorded)
summary-result-line = result: { $mode } { $result }{ $missed }
summary-rto-missed-by = { " " }— RTO missed by { $time }
summary-recovery = time to recovery:
summary-against-rto = { $time } / RTO { $rto }:
summary-rto-met = met, { $time } to spare
summary-rto-missed = missed by { $time }
summary-not-recovered-rto = not recovered (stopped after { $time }) / RTO { $rto }
summary-not-recovered-yet-rto = not recovered yet ({ $time } so far) / RTO { $rto }
summary-no-rto = { $time } (no RTO set)
summary-not-recovered-no-rto = not recovered (stopped after { $time }), no RTO set
summary-split = where the time went (summed over steps):
summary-running = running
summary-operator = waiting for the operator
summary-dependencies = waiting for dependencies
summary-other = other waits (retry delays, job slots)
summary-held = held (run_held to run_released)
summary-journal = journal: { $path }
