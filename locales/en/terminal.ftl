# What the terminal says during and after a drill.

# The success criteria, assessed at the end of a drill.
assess-intro = The exercise's success criteria: assess each one (Enter leaves it for `reprise assess`, Ctrl-D leaves the rest).
assess-question = { "  " }met, partly met or not met? (m/p/n, Enter: leave it)
assess-comment = { "  " }comment?
assess-recorded = { "  " }✓ recorded: { $verdict }
assess-left = { "  " }left unassessed
assess-done = { $count ->
    [0] No criterion assessed: run `reprise assess { $journal }` when the debrief has decided.
    [one] 1 criterion assessed, recorded in { $journal }.
   *[other] { $count } criteria assessed, recorded in { $journal }.
}
