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
