# `reprise run --dry-run`: the preview of what would happen, and how the
# run ends. Also the line after the summary of an aborted drill.

dry-run-header = Dry run of "{ $name }": nothing will be executed and nothing asked.
dry-run-vars = Commands receive these variables (in their environment, by name):
dry-run-var-secret = *** (secret)
dry-run-var-unset = (no value yet: asked or given with --var)
dry-run-in-order = In order, nothing executed and nothing asked:
# What happens to a step (a column 8 characters wide).
dry-run-what-run = run
dry-run-what-rollback = rollback
dry-run-what-manual = manual
dry-run-what-confirm = confirm
dry-run-what-skip = skip
dry-run-what-done = done
dry-run-what-na = n/a
dry-run-on = (on { $hosts })
dry-run-role = role: { $role }
dry-run-hosts = on: { $hosts }
dry-run-timeline = Simulated timeline (from the estimates):
dry-run-col-start = start
dry-run-col-step = step
dry-run-col-duration = duration
dry-run-total = Estimated total: { $total }
dry-run-total-within = Estimated total: { $total } (within the RTO of { $rto })
dry-run-total-over = Estimated total: { $total } (OVER the RTO of { $rto })
dry-run-result = dry run: { $result }
run-aborted = drill aborted: { $reason }
