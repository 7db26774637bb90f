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
