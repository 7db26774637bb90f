# The report's own wording (Markdown and HTML). Texts from the journal
# (titles, names, reasons) are never translated.

report-title = { $kind }: { $name }
kind-drill = Exercise report
kind-incident = Incident report
mode-drill = Exercise (drill)
mode-incident = Real incident
subtitle = { $mode } · started { $time } · times in { $zone }
note-label = Note:

headline-recovered = Recovered
headline-degraded = Degraded: finished, but not fully recovered
headline-aborted = Aborted
headline-open = Still running or interrupted: the journal has no end
headline-rto-missed = { $what } — RTO missed by { $by }
headline-dry-run = { $what } (dry run: nothing was executed)

verdict-no-rto = no RTO in the plan
verdict-rto-met = met, { $time } to spare
verdict-rto-missed = missed by { $time }
verdict-not-recovered = not recovered: the drill was aborted
verdict-open = not finished; { $time } left at the last event
verdict-overdue = not finished and already { $time } past the RTO at the last event

banner-incident = This was a real incident, not an exercise.
banner-dry-run = Dry run: no command was executed and no step was really done; the times below do not measure a recovery.
banner-incomplete = Incomplete journal: no end of the drill is recorded. The drill is still running or was interrupted; this report stops at the last event ({ $time }).
banner-unverified = UNVERIFIED: the journal's hash chain is broken ({ $problem }). It was changed after it was written: this report may not be what happened. Check it with `reprise verify`.
banner-torn = The journal's last line ({ $line }) is incomplete (the process stopped while writing it) and was left out.
banner-oddity = Journal oddity: { $what }.

h-summary = Summary
h-people = Operators, handovers and resumes
h-timeline = Timeline
h-steps = Steps
h-critical-path = Critical path
h-time-split = Where the time went
h-deviations = Deviations
h-changes = Changes to the plan during the exercise
h-observations = Observations
h-lessons = Lessons and actions

fact-plan = Plan
fact-runbook = Runbook
fact-mode = Mode
fact-dry-run = Dry run
fact-dry-run-yes = yes — nothing was executed
fact-dry-run-no = no
fact-started = Started
fact-ended = Ended
fact-ended-none = no end recorded
fact-ended-last = { " " }— last event { $time }
fact-result = Result
fact-result-none = none (still running or interrupted)
fact-elapsed = Elapsed
fact-recovery = Time to recovery
fact-rto = RTO
fact-rpo = RPO
fact-none-in-plan = none in the plan
fact-rpo-not-measured = (no restore point recorded: not measured)
fact-operators = Operators
fact-paper = Transcribed from paper
fact-paper-value = { $count } { $count ->
        [one] step
       *[other] steps
    } ({ $steps }): times and outcomes as written by hand on the checklists
fact-roles = Roles involved
fact-host = Host
fact-version = reprise version
fact-zone = Time zone

result-recovered = recovered
result-degraded = degraded
result-aborted = aborted
outcome-done = done
outcome-failed = failed
outcome-skipped = skipped
outcome-aborted = aborted
outcome-not_applicable = not_applicable

people-started = started by { $who }
people-handover = handover from { $from } to { $to }
people-resumed = resumed by { $who } on { $host } (stopped after { $time })
people-runbook-changed = runbook changed, now SHA-256 { $sha }

timeline-intro-md = Each step's actual interval (its outcome in brackets), followed by its planned duration; the RTO deadline is the milestone at the end. Mermaid draws the axis in the reader's own time zone; the tables below use { $zone }.
timeline-caption = One bar per step, coloured by outcome; the dashed outline is the planned duration (estimate); the red dashed line is the RTO deadline. Clock times in { $zone }.

col-time = Time
col-step = Step
col-what = What
col-details = Details
col-reason = Reason
col-by = By
col-observation = Observation
col-change = Change
col-event = Event
col-note = Note
col-role = Role
col-performed-by = Performed by
col-recorded-by = Recorded by
col-estimate = Estimate
col-actual = Actual
col-overrun = Overrun
col-outcome = Outcome
col-attempts = Attempts
col-chain = Chain
col-length = Length
col-running = Running
col-operator = Operator
col-dependencies = Dependencies
col-other = Other
col-attempt = Attempt
col-host = Host
col-how-it-ended = How it ended
col-ended = Ended
col-duration = Duration

critical-mark = { " " }(critical)
critical-html = { " " }<span class="crit" title="critical step">★ critical</span>
on-hosts = on
total = Total
total-summed = (summed over steps)
time-split-intro = Per step, from the start of the drill to its outcome: its command running, waiting for the operator, waiting for its dependencies, and other pauses (retry delays, waiting for a free job slot).
no-deviation = None: every step went as planned.
changes-intro = Every step cancelled, re-estimated or handed over while the drill ran, with who, when and why: what the next version of the plan should absorb.
no-note = No observation was recorded during the drill.
lessons-intro = For the debrief: each observation, then points the report derived from the facts. Assign an owner and a date to each action.
nothing-to-review = Nothing to review.
no-reason-recorded = no reason recorded
last-output = Last lines of output{ $code }:
last-output-code = { " " }({ $code })
rollback = rollback
no-end = no end

change-added = added
change-cancelled = cancelled
change-re-estimated = re-estimated
change-reassigned = reassigned

state-done = done
state-failed = failed
state-skipped = skipped
state-aborted = aborted
state-not-applicable = not applicable
state-pending = not reached
state-open = open (no outcome)
state-running = running (no outcome)
state-attempt-failed = failed attempt, awaiting decision
state-finished = finished

deviation-failure = command failed
deviation-failed = step ended failed
deviation-skip = skipped
deviation-done-by-hand = done by hand
deviation-marked-failed = marked failed
deviation-retry = retried
deviation-continue = left failed, dependents continued
deviation-assumed-done = assumed done (command line)
deviation-abort = abort requested
deviation-rollback = abort and roll back
deviation-aborted = stopped by the abort
deviation-rollback-not-done = rollback not done
deviation-interrupted = interrupted while running

decision-run = run
decision-retry = retry
decision-retry-all = retry on every host
decision-mark-done = mark done by hand
decision-mark-failed = mark failed
decision-skip = skip
decision-continue = continue despite the failure
decision-abort = abort the drill
decision-rollback = abort and roll back

recorded-command = reprise (command exit status)
recorded-command-line = { $by } (command line)
recorded-paper = { $by } (transcribed from paper)

detail-reason = Reason: { $reason }
attempt-line = Attempt { $n } at { $time }: { $what }
detail-decision = Decision at { $time }: { $what } by { $by }
detail-approval = Approval at { $time }: { $what } by { $by }
detail-approved = approved
detail-refused = refused
detail-account = { " " }(account { $account })
detail-for-role = { " " }for role { $role }
detail-count = , { $count } of { $needed }
detail-recorded-for-role = Recorded by { $by } for role { $role } (a coordinator outside that role)
detail-rollback = Rollback: { $outcome }
detail-rollback-no-outcome = started, no outcome
exit-code = exit code { $code }

attempt-n = attempt { $n }
attempt-ended-interrupted = interrupted
attempt-ended-failed = failed
attempt-timed-out = timed out
attempt-killed = killed by { $signal }
attempt-could-not-start = could not start: { $error }
attempt-interrupted = interrupted: the drill stopped while it ran (for at least { $time })
attempt-still-running = still running at the last event
attempt-after = { $what } after { $time }
attempt-failed-on = ; failed on { $hosts }

review-rto = The RTO was { $verdict }: review the critical path ({ $path }).
review-because = : { $reason }
review-on-hosts = { " " }on { $hosts }
review-failed = Step { $step } ({ $title }) failed{ $hosts }{ $reason }.
review-critical-skipped = Critical step { $step } ({ $title }) was skipped{ $reason }.
review-overran = Step { $step } ({ $title }) overran its estimate of { $estimate } by { $over }: revise the estimate or the step.
review-attempts = Step { $step } ({ $title }) needed { $count } attempts.

path-planned = Planned (from estimates)
path-actual = Actual (what determined the end)
path-actual-so-far = Actual so far (up to the last outcome)

colophon = Generated by reprise from the journal { $path } ({ $events } events{ $torn }). The journal is the evidence; check it with { $verify }.
colophon-torn = , incomplete last line left out

gantt-title = Timeline of { $name }: one bar per step
gantt-planned = planned { $time }
gantt-took = { $state }: { $time }
legend-done = done
legend-failed = failed
legend-skipped = skipped
legend-aborted = aborted
legend-not_applicable = not applicable
legend-open = open or running
legend-pending = not reached
legend-planned = planned (estimate)
legend-failed-attempt = failed attempt
legend-rto = RTO deadline
mermaid-done = done
mermaid-failed = failed
mermaid-skipped = skipped
mermaid-aborted = aborted
mermaid-not_applicable = not applicable
mermaid-open = open
mermaid-pending = not reached
mermaid-planned = planned
mermaid-objective = Objective

# Who recorded what (issue 13): per person, per team.
h-who = Who recorded what
who-intro = Each step's outcome and who recorded it: the name they recorded under and the OS account the drill saw (an attached terminal's account comes from the operating system, never from what it claims). Commands' outcomes are recorded by reprise from their exit status.
h-who-person = Per person
h-who-team = Per team
col-who-person = Person
col-who-account = Account
col-who-teams = Teams
col-who-recorded = Recorded
col-who-steps = Steps
col-who-team = Team
col-who-by = Recorded by
col-who-outside = Recorded from outside the team
who-done = { $count } done
who-failed = { $count } failed
who-other = { $count } skipped or not applicable
who-for-others = , { $count } for another team
# A team's recorder and how many steps they recorded.
who-recorded-count = { $name }: { $count }
who-recorded-account-count = { $name } ({ $account }): { $count }
who-team-counts = { $recorded } of { $steps } ({ $done } done)
who-no-role = no role
col-held = Held
time-split-held = { " " }The drill was held (`hold` to `release`): time spent waiting while it was held is counted as held, not as waiting.
