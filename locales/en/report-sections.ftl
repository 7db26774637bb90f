# The report's sections added after the first translation: the services
# table, the observers' notes, the per-host endings, the chart's labels.

services-title = Services
services-intro = Each service counts as recovered when the last step restoring it is done, timed from the start of the drill; data lost runs from the earliest restore point its steps recorded to the start of the drill.
services-col-service = Service
services-col-restored-by = Restored by
services-col-recovered-after = Recovered after
services-col-rto = RTO
services-col-restore-point = Restore point
services-col-data-lost = Data lost
services-col-rpo = RPO
services-rto-met = met, { $time } to spare
services-rto-missed = missed by { $time }
services-rto-open = open, { $time } left
services-rto-overdue = overdue by { $time }
services-rto-not-recovered = not recovered
services-rpo-met = met
services-rpo-missed = missed by { $time }
services-rpo-not-measured = not measured: no restore point recorded
services-recovered-at = { " " }(at { $time })
services-not-restored = not restored: { $step } { $outcome }
services-not-yet = not yet
fact-data-lost = data lost { $time }

observers-title = Observers' notes
observers-intro = Written during the exercise by observers (attached with `--observer`: they watch and record notes, never a step), each under their own account.
col-observer = Observer

performed-by-reprise = reprise on { $host }
performed-by-reprise-as = reprise as { $account } on { $host }

host-timed-out = timed out
host-killed = killed by { $signal }
host-could-not-start = ssh could not start: { $error }
host-no-status = ended, no exit status
host-no-end-interrupted = no end recorded: the drill stopped while it ran
host-no-end-running = still running at the last event
host-no-end = no end recorded
cause-unreachable = unreachable
cause-auth = authentication refused
cause-host_key = host key unknown or changed
cause-exit = exit { $code }
cause-exit-unknown = failed
cause-signal = killed by { $signal }
cause-a-signal = a signal
cause-timed_out = timed out
cause-aborted = aborted
cause-not_started = ssh could not start
cause-connection_lost = connection lost while running

gantt-not-reached = not reached
gantt-beyond = { $label } (beyond the chart) →
gantt-journal-ends = journal ends
gantt-rto = RTO { $time }
