# `reprise resume`: what it found in the journal, the leftovers of the
# interrupted run it stopped, and each interrupted step, in the drill's
# language.

resume-runbook-found = runbook { $recorded } is not in this folder; using { $found }
resume-changed-outside = (no step changed: variables, hosts, roles, objectives or other settings outside the steps did)
resume-changed-unseen = (the steps' ids, titles, kinds and dependencies are the same: commands, instructions, variables or other settings changed)
resume-idempotent = step `{ $step }` was interrupted{ $hosts }; it is idempotent and runs again{ $on }
resume-yes = step `{ $step }` was interrupted{ $hosts } and is not idempotent; --yes runs it again{ $on }
resume-hosts = { " " }({ $summary })
resume-on = { " " }on { $hosts }
resume-leftover = stopping what is left of step `{ $step }` ({ $what }, process group { $pgid }) from the interrupted run{ $tail }
resume-leftover-attempt = attempt { $n }
resume-leftover-rollback = its rollback
resume-leftover-silent = : it printed nothing
resume-leftover-output = ; its last output:
resume-aborting = resuming { $path }: { $count } events recorded; the drill was being aborted: nothing new starts, the abort is finished and the drill ends aborted
resume-rolling-back = resuming { $path }: { $count } events recorded; the drill was being aborted and rolled back: nothing new starts, the rollback is finished and the drill ends aborted
resume-carrying-on = resuming { $path }: { $count } events recorded, { $steps ->
        [one] 1 step
       *[other] { $steps } steps
    } to carry on from where { $name } stopped

# `resume --allow-changed`: each difference between the plan recorded in
# the journal and the runbook (`$name`: the runbook's key, as written).
resume-change-added = + { $id }: { $title }
resume-change-removed = - { $id }: { $title }
resume-change-changed = ~ { $id }: { $what }
resume-change-field = { $name } { $old } → { $new }
resume-change-settings = { $count ->
        [one] { $names } differs
       *[other] { $names } differ
    }
resume-change-more = { $text }; { $more }
resume-change-none = (none)
