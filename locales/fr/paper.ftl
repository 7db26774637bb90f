# Le mode papier (`reprise transcribe`) : ce qui est dit d'une heure, d'une
# date ou d'une issue illisible, et les avertissements sur une feuille, dans
# la langue de la feuille (celle du runbook ou du journal).

paper-not-a-date = `{ $text }` n'est pas une date : écrivez-la comme `2026-12-06`
paper-not-an-outcome = `{ $text }` n'est pas une issue : écrivez fait, échec, sautée ou s.o. (ou, comme sur une feuille en anglais : done, failed, skipped, n.a.)
paper-not-a-time = `{ $text }` n'est pas une heure : écrivez-la comme `14:05`, `14h05` ou `2026-12-06 14:05`
paper-no-date = `{ $text }` n'a pas de date, et aucune date n'a été donnée
paper-step = étape { $number } ({ $id })
paper-place = étape { $number }
paper-point-kept = { $place } : l'{ $step } est déjà enregistrée dans le journal : son point de restauration noté sur la feuille n'est pas enregistré
paper-after-unrecorded = { $place } : l'{ $step } vient après l'{ $need }, qui n'a encore rien d'enregistré

# Ce qui ne va pas dans une entrée de feuille (rien n'est écrit tant
# qu'elle n'est pas corrigée) ; `$step` est `paper-step`.
paper-problem = { $place } : { $message }
paper-no-such-step = le plan du journal n'a pas d'étape `{ $step }`
paper-no-such-step-hint = vérifiez l'identifiant ou le numéro de l'étape sur la feuille
paper-twice = l'{ $step } figure deux fois sur la feuille
paper-twice-hint = gardez une seule entrée par étape
paper-no-reason = l'{ $step } est { $outcome } sans motif
paper-no-reason-hint = recopiez le motif de la feuille ; écrivez `reason: non écrit` s'il est vide
paper-aborted = `aborted` n'est pas une issue sur une feuille ({ $step })
paper-aborted-hint = cochez fait, échec, sautée ou s.o.
paper-ends-before-start = l'{ $step } finit à { $end } avant de commencer à { $start }
paper-ends-before-start-hint = vérifiez les deux heures sur la feuille (un exercice qui passe minuit demande des dates complètes)
paper-no-time = l'{ $step } n'a ni heure de début ni heure de fin
paper-no-time-hint = donnez au moins l'heure de fin (`end`)
paper-recorded-otherwise = l'{ $step } est déjà enregistrée dans le journal comme { $recorded }{ $at } ; la feuille dit { $outcome }
paper-recorded-at = { " " }à { $time }
paper-recorded-otherwise-hint = l'enregistrement du journal est conservé : corrigez l'entrée de la feuille, ou laissez l'étape de côté
paper-starts-before-record = l'{ $step } commence à { $time } sur la feuille, plus tôt que ce qu'en dit le journal ({ $began })
paper-ends-before-record = l'{ $step } finit à { $time } sur la feuille, plus tôt que ce qu'en dit le journal ({ $began })
paper-before-record-hint = vérifiez l'heure sur la feuille, et la date
paper-starts-before-need = l'{ $step } commence à { $time }, avant la fin de l'{ $need } qu'elle suit, à { $ended }
paper-ends-before-need = l'{ $step } finit à { $time }, avant la fin de l'{ $need } qu'elle suit, à { $ended }
paper-before-need-hint = vérifiez les deux heures sur les feuilles ; une étape commence une fois finies celles qu'elle suit
paper-point-not-done = l'{ $step } a un point de restauration mais est { $outcome } : seule une étape faite a ramené des données
paper-point-not-done-hint = retirez le point de restauration, ou vérifiez l'issue cochée
paper-point-after-end = l'{ $step } a un point de restauration à { $point }, après sa fin à { $end }
paper-point-after-end-hint = le point de restauration est la date des données restaurées, avant la fin de l'étape : vérifiez sa date
paper-outcome-done = faite
paper-outcome-failed = en échec
paper-outcome-skipped = sautée
paper-outcome-aborted = abandonnée
paper-outcome-not_applicable = sans objet

# Ce qui ne peut pas être lu dans un fichier de feuilles (`--from`), dans
# la langue de la feuille.
paper-cannot-read-sheet = impossible de lire la feuille : { $why }
paper-cannot-read-sheet-hint = voir docs/paper.md pour le format
paper-no-step-number = il n'y a pas d'étape { $n } : le plan numérote ses étapes de 1 à { $count }
paper-unknown-step = étape inconnue `{ $key }`{ $hint }
paper-did-you-mean = { " " }(vouliez-vous dire `{ $step }` ?)
paper-write-date-once = écrivez la date une fois en haut de la feuille : `date: 2026-12-06`
