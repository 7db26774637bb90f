# `reprise transcribe` au terminal : ses questions, la ligne de bilan et
# les avertissements, dans la langue de la feuille (celle du runbook ou du
# journal).

transcribe-no-zone = impossible de connaître le fuseau horaire local ({ $error }) ; les heures sont lues en UTC
transcribe-date-prompt = Date écrite sur les feuilles (AAAA-MM-JJ, Entrée pour le { $today }) :
transcribe-explain = Pour chaque étape : l'issue cochée (fait, échec, sautée, s.o. ; Entrée si la feuille n'indique rien), puis les heures (14:05 ou 14h05), les initiales et le motif.
transcribe-step = Étape { $number } · { $title } ({ $id }){ $role }{ $after }
transcribe-step-role = { " " }· { $role }
transcribe-step-after = { " " }· après { $steps }
transcribe-outcome = issue :
transcribe-start = heure de début :
transcribe-end = heure de fin :
transcribe-restore-point = point de restauration :
transcribe-initials = initiales :
transcribe-reason = motif :
transcribe-again = Saisissez de nouveau cette étape, telle que la feuille devrait se lire.
transcribe-summary = { $steps ->
        [one] 1 étape transcrite
       *[other] { $steps } étapes transcrites
    } du papier dans { $journal }
transcribe-kept = { "\u202F" }; { $count ->
        [one] 1 déjà dans le journal, laissée telle qu'enregistrée
       *[other] { $count } déjà dans le journal, laissées telles qu'enregistrées
    }
transcribe-finished = { "\u202F" }; chaque étape a une issue : { $result }
transcribe-refused = rien n'a été écrit : { $count ->
        [one] 1 problème
       *[other] { $count } problèmes
    } sur les feuilles ; corrigez-les et transcrivez de nouveau

# Les erreurs de `reprise transcribe` elle-même, dans la langue de la
# commande (celle de l'exercice dès que le runbook ou le journal est lu).
transcribe-no-terminal = pas de terminal où poser les questions, et aucun fichier de feuilles donné
transcribe-no-terminal-hint = donnez les feuilles dans un fichier YAML avec `--from FICHIER` (voir docs/paper.md)
transcribe-no-step = les feuilles ne contiennent aucune étape : rien à transcrire
transcribe-journal-options = `--journal` et `--operator` ne s'emploient qu'en partant d'un runbook
transcribe-journal-options-hint = les enregistrements sont ajoutés au journal donné
transcribe-not-a-journal = { $path } : pas de `run_started` : ce n'est pas le journal d'un exercice
transcribe-drill-ended = { $path } : l'exercice est terminé ({ $result }) : rien ne s'enregistre après `run_finished`
transcribe-drill-ended-hint = transcrivez dans le journal d'un exercice arrêté avant sa fin, ou partez d'un nouveau journal depuis le runbook
transcribe-runbook-errors = { $runbook } : le runbook contient des erreurs : rien n'a été transcrit
transcribe-runbook-errors-hint = lancez `reprise check { $runbook }`
transcribe-cannot-read-hint = donnez un runbook, ou le journal d'un exercice
transcribe-cannot-read-terminal = impossible de lire le terminal : { $why }
transcribe-input-ended = la saisie s'est terminée avant la dernière étape : rien n'a été écrit
transcribe-input-ended-hint = relancez `reprise transcribe`, ou utilisez `--from FICHIER`
