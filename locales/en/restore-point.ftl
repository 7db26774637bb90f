# The restore point asked at the prompt when a manual step that
# `records: restore_point` is recorded done, and why a typed one is refused.

# The word typed when nobody can tell yet (`unknown` is accepted in every language).
restore-point-unknown = unknown
restore-point-question = restore point of #{ $number }: the date and time its data dates from (2026-12-05 23:00, or with an offset; `{ $unknown }`; Enter to cancel)
restore-point-not-a-point = `{ $typed }` is not a restore point: write its date and time, like 2026-12-05 23:00 (this terminal's time zone) or 2026-12-05T23:00:00+01:00
restore-point-not-in-zone = `{ $typed }` is not a time in this terminal's time zone: { $error }
restore-point-later-than-now = `{ $typed }` is later than now ({ $now }): a restore point is when the restored data dates from, so it is in the past; check the date
