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

# What a question shows.
question-role = role: { $role }
question-estimate = est { $estimate }
question-confirm = { $step } waits for your go{ $facts }
question-rollback = roll back { $step }
question-interrupted = { $step } was running or open when the drill stopped{ $facts }
question-on = on: { $hosts }
question-command = command:
question-or = (or `{ $answer }`)

# What the prompt says.
prompt-abort-question = abort the drill? (type a reason, or press Enter to go on)
prompt-ctrl-c = Ctrl-C: { $question }
prompt-why-abort = why abort the drill? (Enter to cancel)
prompt-why-fail = why did #{ $number } fail? (Enter to cancel)
prompt-why-skip = why skip #{ $number }? (Enter to cancel)
prompt-why-outcome = why is #{ $number } { $outcome }? (Enter to cancel)
prompt-why-decide = why { $verb } #{ $number }? (Enter to cancel)
prompt-why-refuse = why refuse #{ $number }? (Enter to cancel)
prompt-going-on = going on
prompt-cancelled = cancelled: nothing recorded
prompt-no-longer-open = #{ $number } is no longer open: nothing recorded
prompt-no-restore-point = no restore point recorded: not known when the step was recorded done
prompt-detached = detached: the drill goes on in this process; follow it with `reprise status JOURNAL --follow`
prompt-why-hold = why hold? type `{ $hold } REASON` (e.g. `{ $hold } we stop tonight, restart at 7:00`)
prompt-who-takes-over = who takes over? type `{ $handover } NAME [NOTE]`
prompt-which-item = which item? type `{ $word } N`; { $open }
prompt-not-open = { $what } is not an open item; { $open }
prompt-unknown-command = unknown command `{ $command }`: type `{ $help }` for the list
prompt-item-takes = { $item }: type { $words }
prompt-nothing-to-note = nothing to note: type `note TEXT`
prompt-action-usage = type `action OWNER DUE TEXT`, DUE as YYYY-MM-DD
prompt-not-a-date = `{ $due }` is not a date: write DUE as YYYY-MM-DD
prompt-item-manual = { $id } (manual step)
prompt-item-confirm = { $id } (waiting for confirmation)
prompt-item-failed = { $id } (failed{ $exit })
prompt-item-rollback = { $id } (rollback)
prompt-item-interrupted = { $id } (interrupted)
prompt-nothing-open = nothing is open
prompt-open = open: { $items }
prompt-still = still { $open }
prompt-list-none = nothing is open (operator: { $operator })
prompt-list-head = open items (operator: { $operator }):
prompt-already-recorded = #{ $number } { $id }: already recorded by { $by } at { $at } ({ $what }); nothing was recorded
prompt-type-help = (type `{ $help }` for every command, `{ $list }` for what is open)
prompt-is-open = #{ $number } is open: type `{ $list }`
verb-run = run
verb-retry = retry
verb-retry-all = retry on every host
verb-mark-done = mark done
verb-mark-failed = mark failed
verb-skip = skip
verb-continue = continue past
verb-abort = abort at
verb-rollback = roll back at

# `help`.
help-intro = N is an item number (shown as #N) or a step id; a missing REASON is asked for.
help-ctrl-c = Ctrl-C asks whether to abort; Ctrl-C again while asked forces it.
# A line on the words of other languages, or `-` for none.
help-other-words = -
help-syntax-done = done N
help-done = manual step N is done (a manual rollback: it was carried out)
help-syntax-fail = fail N [REASON]
help-fail = manual step N failed
help-syntax-skip = skip N [REASON]
help-skip = leave step N (or rollback N) out; dependents go on
help-syntax-run = run N
help-run = run the command of N (a confirmation, a rollback, an interrupted step)
help-syntax-retry = retry N [REASON]
help-retry = run failed step N again
help-syntax-mark-done = mark-done N [REASON]
help-mark-done = mark failed or interrupted step N done by hand
help-syntax-mark-failed = mark-failed N [REASON]
help-mark-failed = mark interrupted step N failed
help-syntax-continue = continue N [REASON]
help-continue = leave failed step N failed; its dependents go on
help-syntax-rollback = rollback N [REASON]
help-rollback = abort and undo the completed steps (failed step N)
help-syntax-abort = abort [N] [REASON]
help-abort = stop the drill (N: about failed step N)
help-syntax-refuse = refuse N [REASON]
help-refuse = refuse to approve step N (a step needing approvals); it stays waiting
help-syntax-add = add TITLE; after N; before N; reason WHY[; run CMD]
help-add = add an unplanned step (also role, estimate, timeout); a command runs once confirmed
help-syntax-cancel = cancel N REASON
help-cancel = step N is not needed: skipped, dependents go on
help-syntax-estimate = estimate N DURATION|until TIME REASON
help-estimate = a new estimate for step N (2h, or until 2026-12-07T14:00)
help-syntax-assign = assign N ROLE|ACCOUNT REASON
help-assign = hand step N to another role or person
help-syntax-note = note [#N] TEXT
help-note = record an observation (about item N)
help-syntax-action = action OWNER DUE TEXT
help-action = record a corrective action (DUE as YYYY-MM-DD) for the debrief
help-syntax-handover = handover NAME [NOTE]
help-handover = hand over to NAME: later records are theirs
help-syntax-hold = hold REASON
help-hold = no new step starts until `release` (running ones finish)
help-syntax-release = release
help-release = end the hold: steps start again
help-syntax-detach = detach
help-detach = leave this terminal (also Ctrl-D); the drill goes on
help-syntax-list = list
help-list = show the open items
help-syntax-help = help
help-help = show this list

# The live region's rows.
frame-answer = answer { $number }
frame-interrupted = was running when the drill stopped → { $answer }
frame-running = running
frame-running-attempt = running (attempt { $attempt })
frame-to-do = to do
frame-to-do-then = to do → { $done }
frame-waits-go = waits for your go → { $run }
frame-queued-slot = waiting for a free job slot
frame-retrying = → retrying
frame-next = → { $answer }
frame-failed-short = failed { $next }
frame-attempt-failed = attempt { $attempt } failed{ $exit } { $next }
frame-rollback = rollback → { $run } or { $skip }
frame-more = +{ $count } more: { $counts } ({ $list })
frame-others = +{ $count } for other roles: { $counts } ({ $list })
frame-count-failed = { $count } failed
frame-count-overrunning = { $count } overrunning
frame-count-waiting-you = { $count } waiting for you
frame-count-waiting = { $count } waiting
frame-count-running = { $count } running
frame-count-queued = { $count } queued

# How a failed attempt ended (`event::Ending`'s summary).
ending-could-not-start = could not start: { $error }
ending-timed-out = timed out
ending-killed = killed by { $signal }
ending-exit = exit { $code }
ending-no-status = failed

# Where a remote step stands on each host.
hosts-done = done on { $hosts }
hosts-failed = failed on { $hosts }: { $why }
hosts-not-finished = not finished on { $hosts }
hosts-separator = { "; " }
