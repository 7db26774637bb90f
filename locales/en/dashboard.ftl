# The wall screen (`reprise status JOURNAL --serve`). Arguments already
# hold their markup (times in <strong>, commands in <code>).

dashboard-running = running
dashboard-not-running = not running
dashboard-resume-with = resume with { $command }
dashboard-finished = finished: { $headline }
dashboard-times-in = times: { $zone }

dashboard-no-rto = no RTO in the plan
dashboard-rto = RTO { $rto }: { $what }
dashboard-left = { $time } left
dashboard-past = { $time } past
dashboard-elapsed = elapsed { $time }
dashboard-forecast = forecast end { $time }
dashboard-forecast-late = { $time } past the RTO
dashboard-forecast-within = (within the RTO)

dashboard-service-met = restored at { $time }, met
dashboard-service-missed = restored, missed by { $time }
dashboard-service-not-restored = not restored
dashboard-service-restored = restored
dashboard-service-not_restored = not restored
dashboard-service-pending = pending
dashboard-service-no_step = no_step

dashboard-held = HELD since { $time } by { $by } — no new step starts until someone types { $release }
dashboard-held-why = HELD since { $time } by { $by }: { $why } — no new step starts until someone types { $release }

dashboard-running-title = Running
dashboard-nothing-running = nothing running
dashboard-waiting-title = Waiting for people
dashboard-no-role = (no role)
dashboard-nobody-waited = nobody is being waited for
dashboard-estimate = est. { $time }

dashboard-steps-title = Steps
dashboard-col-step = Step
dashboard-col-role = Role
dashboard-col-state = State
dashboard-col-time = Time
dashboard-state-pending = pending
dashboard-state-waiting = waiting
dashboard-state-running = running
dashboard-state-attempt-failed = failed attempt
dashboard-state-finished = finished
dashboard-state-done = done
dashboard-state-failed = failed
dashboard-state-skipped = skipped
dashboard-state-aborted = aborted
dashboard-state-not_applicable = not_applicable

dashboard-timeline-title = Timeline
dashboard-log-title = Latest notes and decisions
dashboard-with-why = { $what }: { $why }
dashboard-note = { $time } { $by }: { $text }
dashboard-decided = { $time } { $by } decided { $decision } on { $step }
dashboard-log-held = { $time } { $by } held the drill
dashboard-log-released = { $time } { $by } released the drill
dashboard-handover = { $time } handover from { $from } to { $to }
dashboard-nothing-yet = nothing yet
dashboard-over = The drill is over: the report has the whole story ({ $command }).
