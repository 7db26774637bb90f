# The live terminal of `run` and `attach`: event lines, items, the overall
# line, questions, the prompt's words and answers.

# What the operator types: each command's word in this language. English
# words are accepted in every language (see docs/terminal.md).
word-done = done
word-fail = fail
word-skip = skip
word-run = run
word-retry = retry
word-retry-all = retry-all
word-mark-done = mark-done
word-mark-failed = mark-failed
word-continue = continue
word-rollback = rollback
word-abort = abort
word-refuse = refuse
word-add = add
word-cancel = cancel
word-estimate = estimate
word-assign = assign
word-note = note
word-action = action
word-handover = handover
word-hold = hold
word-release = release
word-detach = detach
word-list = list
word-help = help

# Decisions, as event lines and `status` show them.
live-decision-run = run
live-decision-retry = retry
live-decision-retry-all = retry on every host
live-decision-mark-done = mark done
live-decision-mark-failed = mark failed
live-decision-skip = skip
live-decision-continue = continue
live-decision-abort = abort
live-decision-rollback = roll back

# Times against estimates and the RTO.
live-past-rto = { $time } past the RTO
live-within-rto = { $time } within the RTO
live-unestimated = { $count ->
    [one] { " " }(1 step without estimate counted as no time)
   *[other] { " " }({ $count } steps without estimate counted as no time)
}
live-forecast = recovery forecast to end at { $when } (in { $left }){ $rto }{ $unestimated }
live-against = { $time } / est { $estimate }
live-over = +{ $time } over

# The item lines.
live-item-interrupted = was running when the drill stopped: answer { $number } (`{ $list }`)
live-item-attempt = { " " }(attempt { $attempt })
live-item-waiting-for = waiting for { $what }
live-item-answer = answer #{ $number } (`{ $list }`)
live-item-retrying = retrying
live-item-attempt-failed = attempt { $attempt } failed{ $exit }, { $next }
live-item-rollback = rollback waiting for { $run } or { $skip }

# The overall line.
live-starting = starting…
live-overall-ended = { $ended }/{ $total } steps ended
live-overall-failed = { $count } failed
live-overall-running = { $count } running
live-overall-waiting = { $count } waiting for you
live-overall-rto = { $time } / RTO { $rto }
live-overall-elapsed = { $time } elapsed

# The line of each recorded event.
live-quoted = “{ $text }”
live-dry-run = { " " }(dry run)
live-started-rto = , RTO { $rto }
live-run-started = { $mode } { $name }{ $dry } started by { $operator } ({ $steps } steps{ $rto })
live-resumed = resumed by { $operator }
live-step-open = { $step } is open
live-step-began = { $step } began (on paper, { $by })
live-attempt-started = { $step } attempt { $attempt } started
live-step-started = { $step } started
live-attempt-failed = { $step } attempt { $attempt } failed{ $exit }
live-hosts = hosts: { $hosts }
live-host-failed = { $step } on { $host } failed{ $exit }
live-reason = : { $reason }
live-by = { " " }by { $by }
live-by-auto = { " " }by { $by } (auto-confirmed)
live-by-command-line = { " " }(given on the command line)
live-by-paper = { " " }by { $by } (on paper)
live-for-role = { " " }for role { $role }
live-approved = { $step } approved by { $by }{ $role } ({ $count } of { $needed } approvals)
live-refused = { $step } refused by { $by }{ $role }{ $reason } (still waiting, { $count } of { $needed } approvals)
live-exit = , exit { $code }
live-outcome-done = done
live-outcome-failed = failed
live-outcome-skipped = skipped
live-outcome-aborted = aborted
live-outcome-not-applicable = not applicable
live-in-this-mode = { " " }in this mode
live-cancelled = { $step } cancelled by { $by }: { $reason }
live-added = { $step } added by { $by }: { $title }
live-added-after = , after { $steps }
live-added-before = , before { $steps }
live-added-command = command: { $command } (it runs once confirmed: `{ $run }`)
live-until = until { $time }
live-was = { " " }(was { $was })
live-re-estimated = { $step } re-estimated by { $by }: { $new }{ $was }: { $reason }
live-assigned = { $step } assigned to { $to } by { $by }{ $was }: { $reason }
live-rolling-back = rolling back { $step }
live-rolled-back = rolled back
live-rollback-skipped = rollback skipped
live-rollback-failed = rollback failed{ $exit }
live-rollback-ended = { $step } { $what } by { $by }{ $reason }
live-note-about = { " " }(about { $step })
live-note = { $by }: { $text }
live-on-host = { " " }on { $host }
live-restore-point = { $step }: restore point { $point } (given by { $by })
live-handover = { $from } hands over to { $to }{ $note }
live-abort-requested = abort requested by { $by }{ $reason }
live-read-only = { " " }(read-only)
live-for-roles = { " " }for { $roles }
live-attached = { $who } attached{ $roles }{ $how }
live-detached = { $who } detached{ $how }: the drill goes on
live-stopped = stopped
live-run-stopped = drill stopped ({ $reason }): nothing was aborted, `reprise resume` continues it
live-held = held by { $by }{ $reason } (no new step starts; type `{ $release }` to go on)
live-released = released by { $by }
live-result-recovered = recovered
live-result-degraded = degraded
live-result-aborted = aborted
live-run-finished = { $mode } finished: { $result }
live-alert-sent = alert { $kind } sent to { $target }
live-alert-failed = alert { $kind } to { $target } failed: { $error }
live-assessed = criterion { $criterion } assessed { $verdict } by { $by }
live-action = action for { $owner }, due { $due }: { $text }
