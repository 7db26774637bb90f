# `reprise status`: the services block (one line per service of
# `objectives.services`), in the drill's language.

status-svc-heading = services:
status-svc-restored = restored at { $time } after { $duration }
status-svc-not-restored-by = NOT restored: { $step } { $outcome }
status-svc-pending = not restored yet (by { $steps })
status-svc-no-step = restored by no step of this drill
status-svc-not-restored = NOT restored
status-svc-no-rto = { $state }, no RTO
status-svc-rto-met = RTO { $rto } met, { $margin } to spare
status-svc-rto-missed = RTO { $rto } MISSED by { $by }
status-svc-rto-open = { $left } left of RTO { $rto }
status-svc-rto-overdue = RTO { $rto } OVERDUE by { $by }
status-svc-rto-not-met = RTO { $rto } not met
status-svc-verdict = { $state }: { $verdict }
status-svc-point = restore point { $time } ({ $step }): { $lost } of data lost
status-svc-point-on = restore point { $time } ({ $step } on { $host }): { $lost } of data lost
status-svc-rpo-met = { $point }: RPO { $rpo } met
status-svc-rpo-missed = { $point }: RPO { $rpo } MISSED by { $by }
status-svc-no-rpo = { $point }, no RPO
status-svc-unmeasured = RPO { $rpo }: no restore point recorded, data lost not measured
status-svc-unmeasured-yet = RPO { $rpo }: no restore point recorded yet, data lost not measured
status-svc-nothing = no restore point, no RPO

# The rest of `reprise status`: the view's headline, counts, lists and step
# lines, and one line per event (`describe`, also `--follow` into a pipe).

status-unverified = UNVERIFIED: the journal's hash chain is broken ({ $problem }); this view may not be what happened
status-title = { $name } — { $mode }
status-title-dry = { $name } — { $mode }, dry run
status-mode-drill = drill
status-mode-incident = incident
status-started = started { $time } by { $who } on { $host }
status-zone = times in { $zone }
status-elapsed-no-rto = elapsed { $elapsed } (no RTO)
status-elapsed-open = elapsed { $elapsed } of RTO { $rto }: { $left } left
status-elapsed-overdue = elapsed { $elapsed } of RTO { $rto }: OVERDUE by { $by }
status-recovered-met = recovered in { $took } against RTO { $rto }: met with { $spare } to spare
status-recovered-missed = recovered in { $took } against RTO { $rto }: MISSED by { $by }
status-not-recovered = elapsed { $elapsed }, RTO { $rto }: not recovered
status-forecast = recovery forecast to end at { $when } (in { $left }){ $rto }{ $unestimated }
status-forecast-within = , { $margin } within the RTO
status-forecast-past = , { $margin } past the RTO
status-forecast-unestimated = { $count ->
        [one] { " " }(1 step without estimate counted as no time)
       *[other] { " " }({ $count } steps without estimate counted as no time)
    }
status-finished = finished { $result } at { $time }
status-in-progress = in progress: { $holder }
status-holder = reprise (pid { $pid } on host { $host }) since { $since }
status-not-running = not running: stopped after { $time }; carry on with `reprise resume { $path }`
status-resumed = { $count ->
        [one] resumed 1 time, last at { $time } by { $who }
       *[other] resumed { $count } times, last at { $time } by { $who }
    }
status-operator = operator: { $who } (since handover)
status-held = HELD { $held } (no new step starts)
status-held-since = since { $time } by { $who }
status-held-since-why = since { $time } by { $who }: { $reason }
status-counts = steps: { $counts } ({ $total } in all)
status-waiting = waiting for the operator:
status-next = next, when what they wait for ends:
status-more = … and { $count } more
status-latest = latest notes, decisions, handovers and holds:
status-steps = steps:

status-outcome-done = done
status-outcome-failed = failed
status-outcome-skipped = skipped
status-outcome-aborted = aborted
status-outcome-not_applicable = not_applicable
status-result-recovered = recovered
status-result-degraded = degraded
status-result-aborted = aborted

status-took-of = { $took } of { $estimate }
status-took-over = { $took } of { $estimate }, OVER by { $over }
status-estimated = est. { $estimate }
status-by = by { $who }
status-by-recorded = by { $who }, recorded by { $recorder }
status-recorded = recorded by { $recorder }
status-runner = reprise on { $host }
status-runner-as = reprise as { $account } on { $host }

status-decision-run = run
status-decision-retry = retry
status-decision-retry-all = retry on every host
status-decision-mark-done = mark done
status-decision-mark-failed = mark failed
status-decision-skip = skip
status-decision-continue = continue
status-decision-abort = abort
status-decision-rollback = roll back

status-end-timed-out = timed out
status-end-not-started = could not start: { $error }
status-end-signal = killed by { $signal }
status-end-exit = exit { $code }
status-cause-failed = failed

status-ev-run-started = drill started: { $name } ({ $mode })
status-ev-resumed = resumed by { $who }
status-ev-ready = { $step } ready
status-ev-began = { $step } began (paper, { $who })
status-ev-started = { $step } started
status-ev-started-again = { $step } started (attempt { $attempt })
status-ev-attempt = { $step } attempt { $attempt }: { $how }
status-ev-attempt-on = { $step } attempt { $attempt } on { $host }: { $how }
status-ev-decision = { $step }: { $who } decided: { $decision }
status-ev-decision-why = { $step }: { $who } decided: { $decision } ({ $reason })
status-ev-finished = { $step } { $outcome } by { $who }
status-ev-finished-why = { $step } { $outcome } by { $who } ({ $reason })
status-ev-point = { $step }: restore point { $time } (given by { $who })
status-ev-point-on = { $step } on { $host }: restore point { $time } (given by { $who })
status-ev-approved = { $step } approved by { $who } ({ $count } of { $needed } approvals)
status-ev-refused = { $step } refused by { $who } ({ $count } of { $needed } approvals)
status-ev-cancelled = { $step } cancelled by { $who } ({ $reason })
status-ev-estimate-until = { $step } re-estimated by { $who }: until { $until }
status-ev-estimate = { $step } re-estimated by { $who }: { $estimate }
status-ev-estimate-none = { $step } re-estimated by { $who }
status-ev-assigned = { $step } assigned to { $to } by { $who }
status-ev-added = #{ $number } { $step } added by { $who }: { $title } ({ $reason })
status-ev-rollback-started = { $step } rollback started
status-ev-rollback-finished = { $step } rollback { $outcome }
status-ev-note-on = note by { $who } on { $step }: { $text }
status-ev-note = note by { $who }: { $text }
status-ev-handover = handover from { $from } to { $to }
status-ev-abort = abort requested by { $who }
status-ev-attached = { $who } attached
status-ev-detached = { $who } detached
status-ev-stopped = drill stopped ({ $reason }): `reprise resume` continues it
status-ev-stopped-reason = stopped
status-ev-held-why = held by { $who }: { $reason }
status-ev-held = held by { $who }
status-ev-released = released by { $who }
status-ev-run-finished = drill finished: { $result }
status-ev-alert-sent = alert { $kind } sent to { $target } (attempt { $attempt })
status-ev-alert-failed = alert { $kind } to { $target } failed (attempt { $attempt }): { $error }
status-ev-criterion = criterion { $criterion } assessed { $verdict } by { $who }
status-ev-action = action for { $owner }, due { $due }: { $text }
status-verdict-met = met
status-verdict-partly_met = partly met
status-verdict-not_met = not met

# A step's state, alone and counted.
status-state-pending = pending
status-state-open = open
status-state-to-confirm = to confirm
status-state-ready = ready
status-state-running = running
status-state-attempt-failed = attempt failed
status-state-done = done
status-state-failed = failed
status-state-skipped = skipped
status-state-aborted = aborted
status-state-not-applicable = not_applicable
status-n-pending = { $count } pending
status-n-open = { $count } open
status-n-to-confirm = { $count } to confirm
status-n-ready = { $count } ready
status-n-running = { $count } running
status-n-attempt-failed = { $count } attempt failed
status-n-done = { $count } done
status-n-failed = { $count } failed
status-n-skipped = { $count } skipped
status-n-aborted = { $count } aborted
status-n-not-applicable = { $count } not_applicable
