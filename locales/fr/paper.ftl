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
