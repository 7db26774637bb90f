# Why a drill stops when nobody can answer it (src/exec/operator*.rs):
# no terminal, --yes facing a failure, an answers file with no answer left.
operator-asked-manual = is a manual step
operator-asked-confirm = asks for confirmation before it runs
operator-asked-failed = failed and its on_failure is `ask`
operator-asked-rollback = has a rollback to confirm
operator-asked-interrupted = was interrupted and is not idempotent
operator-no-terminal = step `{ $step }` { $asked } and there is no terminal to ask: { $hint }
operator-flags-hint = run it at a terminal, or pass --yes (confirm manual steps and confirmations) or --answers FILE (script every answer, see docs/answers.md)
operator-yes-does-not-choose = step `{ $step }` failed and its on_failure is `ask`: --yes does not choose for you, so the drill stops (use --answers FILE to script the decision)
operator-no-more-answers = step `{ $step }` { $asked } and { $file } has no (more) answers for it: add one, or run at a terminal
operator-does-not-answer = { $at }: `{ $word }` does not answer step `{ $step }`, which { $asked }
operator-does-not-answer-mark-done = { $at }: `{ $word }` does not answer step `{ $step }`, which { $asked }: marking its command done needs a reason ({ $example })
