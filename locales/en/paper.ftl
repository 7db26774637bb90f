# Paper mode (`reprise transcribe`): what is said of a time, date or
# outcome that cannot be read, and the warnings about a sheet, in the
# sheet's language (the runbook's or the journal's).

paper-not-a-date = `{ $text }` is not a date: write it like `2026-12-06`
paper-not-an-outcome = `{ $text }` is not an outcome: write done, failed, skipped or n.a. (on a French sheet: fait, échec, sautée or s.o.)
paper-not-a-time = `{ $text }` is not a time: write it like `14:05`, `14h05` or `2026-12-06 14:05`
paper-no-date = `{ $text }` has no date, and no date was given
paper-step = step { $number } ({ $id })
paper-place = step { $number }
paper-point-kept = { $place }: { $step } is already recorded in the journal: its restore point on the sheet is not recorded
paper-after-unrecorded = { $place }: { $step } comes after { $need }, which has no record yet

# What is wrong with a sheet's entry (nothing is written until it is
# corrected); `$step` is `paper-step`.
paper-problem = { $place }: { $message }
paper-no-such-step = the journal's plan has no step `{ $step }`
paper-no-such-step-hint = check the step's id or number on the sheet
paper-twice = { $step } is on the sheet twice
paper-twice-hint = keep one entry per step
paper-no-reason = { $step } is { $outcome } without a reason
paper-no-reason-hint = copy the reason from the sheet; write `reason: not written` if it is blank
paper-aborted = `aborted` is not an outcome on a sheet ({ $step })
paper-aborted-hint = tick done, failed, skipped or n.a.
paper-ends-before-start = { $step } ends at { $end } before it starts at { $start }
paper-ends-before-start-hint = check both times on the sheet (a drill over midnight needs full dates)
paper-no-time = { $step } has neither a start nor an end time
paper-no-time-hint = give at least the time it ended (`end`)
paper-recorded-otherwise = { $step } is already recorded in the journal as { $recorded }{ $at }; the sheet says { $outcome }
paper-recorded-at = { " " }at { $time }
paper-recorded-otherwise-hint = the journal's record stays: correct the sheet's entry, or leave the step out
paper-starts-before-record = { $step } starts at { $time } on the sheet, earlier than the journal's record of it ({ $began })
paper-ends-before-record = { $step } ends at { $time } on the sheet, earlier than the journal's record of it ({ $began })
paper-before-record-hint = check the time on the sheet, and the date
paper-starts-before-need = { $step } starts at { $time }, before { $need } it comes after ended at { $ended }
paper-ends-before-need = { $step } ends at { $time }, before { $need } it comes after ended at { $ended }
paper-before-need-hint = check both times on the sheets; a step starts once the steps it comes after have ended
paper-point-not-done = { $step } has a restore point but is { $outcome }: only a step done brought data back
paper-point-not-done-hint = leave the restore point out, or check the outcome ticked
paper-point-after-end = { $step } has a restore point at { $point }, after it ended at { $end }
paper-point-after-end-hint = the restore point is when the restored data dates from, before the step ended: check its date
paper-outcome-done = done
paper-outcome-failed = failed
paper-outcome-skipped = skipped
paper-outcome-aborted = aborted
paper-outcome-not_applicable = not_applicable

# What cannot be read in a sheet file (`--from`), in the sheet's language.
paper-cannot-read-sheet = cannot read the sheet: { $why }
paper-cannot-read-sheet-hint = see docs/paper.md for the format
paper-no-step-number = there is no step { $n }: the plan numbers its steps 1 to { $count }
paper-unknown-step = unknown step `{ $key }`{ $hint }
paper-did-you-mean = { " " }(did you mean `{ $step }`?)
paper-write-date-once = write the date once at the top: `date: 2026-12-06`
