# What the prompt says when `cancel`, `estimate`, `assign` or `add` is not
# a change it can make (src/terminal/plan_change.rs, src/terminal/add.rs).
change-unknown-command = unknown command `{ $word }`
change-usage-cancel = cancel N REASON
change-usage-estimate = estimate N DURATION REASON, or estimate N until 2026-12-07T14:00 REASON
change-usage-assign = assign N ROLE|ACCOUNT REASON
change-which-step = which step? type `{ $usage }`
change-not-a-step = `{ $target }` is not a step: give its item number or its id (`{ $usage }`)
change-why = why? type `{ $usage }`: every change to the plan needs a reason
change-to-whom = to whom? type `{ $usage }`
change-not-a-time = `{ $when }` is not a time: write it like 2026-12-07T14:00 (local) or 2026-12-07T13:00Z
change-bad-duration = { $error }; or `until TIME`
change-duration-syntax = `{ $value }` is not a duration: write it like `90s`, `15m`, `1h30m` or `2h`
change-duration-too-long = `{ $value }` is longer than the longest duration a runbook may hold, 366d
add-usage = add TITLE; after N, M; before N; role ROLE; estimate 2h; timeout 10m; reason WHY[; run COMMAND]
add-run-needs-command = `run` needs a command: type `{ $usage }`
add-not-a-clause = `{ $clause }` is not a clause of `add`: type `{ $usage }`
add-what-step = what is the new step? type `{ $usage }`
add-needs-steps = `{ $word }` needs item numbers or ids (`{ $word } 12, 14`)
add-not-a-step = `{ $name }` (in `{ $word }`) is not a step: give its item number or its id
add-one-name = `{ $word }` takes one name (`{ $word } storage`)
add-needs-words = `{ $word }` needs some words
add-bad-duration = `{ $word } { $value }`: { $error }
