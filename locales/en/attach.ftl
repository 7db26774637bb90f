# The words of `reprise attach` itself: its greeting, what a read-only or
# observer terminal is told, a refusal, the end of the drill.

attach-greeting = attached to the drill as { $name } ({ $origin }); { $mode }
attach-mode-player = type `help`, `detach` to leave
attach-mode-read-only = read-only: you see the drill, nothing you type is recorded; `detach` to leave
attach-mode-observer = observer: you see the drill and record observations with `note TEXT`; `detach` to leave
attach-read-only-refused = read-only terminal: `{ $typed }` is not recorded from here (you attached with --read-only); nothing was recorded
attach-observer-refused = observer: `{ $typed }` is not recorded from here; an observer records only `note TEXT`; nothing was recorded
attach-refused = refused: { $message }
attach-drill-ended = the drill ended
