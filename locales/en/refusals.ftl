# The engine's refusals of an operator's input (`exec::Refusal`): what was
# refused and why; nothing was recorded. Arguments: $number (the item
# number), $id (the step id), $who (refusal-who-*), $coordinators and
# $members (lists, or refusal-*-none).

refusal-ended = refused: step { $number } `{ $id }` has ended already ({ $outcome }); nothing was changed
refusal-outcome = { $outcome }
refusal-needs-reason = refused: { $change } step { $number } `{ $id }` needs a reason; nothing was changed
refusal-change = { $change }
refusal-running = refused: step { $number } `{ $id }` is running and cannot be cancelled; wait for it, or abort the drill
refusal-never-auto-approved = refused: step { $number } `{ $id }` needs { $needed } approvals and an incident is never approved automatically; confirm it at a terminal
refusal-approved-already = refused: account `{ $account }` has already approved step { $number } `{ $id }` ({ $count } of { $needed }); another account must confirm
refusal-not-yours-role = refused: { $who } may not record step { $number } `{ $id }`: it belongs to role `{ $role }` ({ $members }) or a coordinator ({ $coordinators }); nothing was recorded
refusal-not-yours = refused: { $who } may not record step { $number } `{ $id }`: it has no role, so only a coordinator ({ $coordinators }) may; nothing was recorded
refusal-who-account = account `{ $account }`
refusal-who-unknown = an operator without a known account
refusal-members-none = nobody on this machine
refusal-coordinators-none = none
refusal-roles-none = it has none

# `add` refused: refusal-not-added with $why, one of refusal-add-*.
refusal-not-added = refused: { $why }; nothing was added
refusal-add-no-title = a new step needs a title
refusal-add-no-reason = a new step needs a reason (`reason …`)
refusal-add-no-command = `run` needs a command
refusal-add-no-step = there is no step { $number }
refusal-add-started = step { $number } `{ $id }` { $state } and cannot wait for a new step any more
refusal-add-state-ended = has ended ({ $outcome })
refusal-add-state-running = is running
refusal-add-state-under-way = is under way
refusal-add-new-step = new step
refusal-add-cycle = the new step would wait for itself: { $cycle }; choose other `after`/`before` steps
refusal-add-did-you-mean = did you mean `{ $role }`?
refusal-add-the-roles = the roles are: { $roles }
refusal-add-unknown-role = role `{ $role }` is not in the runbook's `roles:` ({ $hint })
refusal-add-not-own-role = { $who } may add steps only for its own roles ({ $mine }), not for `{ $role }`: ask a member of `{ $role }` or a coordinator ({ $coordinators })
refusal-add-no-role = { $who } may add a step only for one of its roles ({ $mine }): give it one (`role NAME`), or ask a coordinator ({ $coordinators })
refusal-add-no-owner = no role
refusal-add-not-owner = only those who may record step { $number } `{ $id }` ({ $owner }) or a coordinator ({ $coordinators }) may make it wait for a new step

# What an item was answered with, in refusal-* and prompt-already-recorded:
# an outcome or a decision as the journal spells it.
refusal-answer = { $what }
