# Ce que dit le terminal pendant et après un exercice.

# Les critères de réussite, évalués à la fin de l'exercice.
assess-intro = Critères de réussite de l'exercice : évaluez chacun (Entrée le laisse pour `reprise assess`, Ctrl-D laisse les suivants).
assess-question = { "  " }atteint, partiellement atteint ou non atteint ? (a/p/n, Entrée : le laisser)
assess-comment = { "  " }commentaire ?
assess-recorded = { "  " }✓ enregistré : { $verdict }
assess-left = { "  " }laissé sans évaluation
assess-done = { $count ->
    [0] Aucun critère évalué : lancer `reprise assess { $journal }` quand le retour d'expérience aura tranché.
    [one] 1 critère évalué, enregistré dans { $journal }.
   *[other] { $count } critères évalués, enregistrés dans { $journal }.
}

# Le bilan de fin d'exercice.
summary-nothing = rien n'a été enregistré
summary-col-step = étape
summary-col-outcome = issue
summary-col-by = par
summary-col-estimate = estimation
summary-col-actual = réel
summary-col-overrun = dépassement
summary-col-reason = motif
summary-outcome-done = fait
summary-outcome-failed = échec
summary-outcome-skipped = sautée
summary-outcome-aborted = abandonnée
summary-outcome-not_applicable = s.o.
summary-outcome-pending = à venir
summary-outcome-open = ouverte
summary-outcome-running = en cours
summary-outcome-attempt-failed = échec ?
summary-by-command = commande
summary-by-command-line = ligne de commande
summary-by-yes = { $by } (--yes)
summary-by-paper = { $by } (papier)
summary-mode-drill = exercice
summary-mode-incident = incident
summary-result-recovered = reprise réussie
summary-result-degraded = reprise dégradée
summary-result-aborted = abandonné
summary-result-interrupted = interrompu (aucune fin enregistrée)
summary-result-line = résultat de l'{ $mode } : { $result }{ $missed }
summary-rto-missed-by = { " " }— DMIA dépassée de { $time }
summary-recovery = délai de reprise :
summary-against-rto = { $time } / DMIA { $rto } :
summary-rto-met = respectée, avec { $time } de marge
summary-rto-missed = dépassée de { $time }
summary-not-recovered-rto = pas de reprise (arrêté après { $time }) / DMIA { $rto }
summary-not-recovered-yet-rto = pas encore de reprise ({ $time } jusqu'ici) / DMIA { $rto }
summary-no-rto = { $time } (aucune DMIA fixée)
summary-not-recovered-no-rto = pas de reprise (arrêté après { $time }), aucune DMIA fixée
summary-split = où le temps est passé (somme sur les étapes) :
summary-running = exécution
summary-operator = attente de l'opérateur
summary-dependencies = attente des dépendances
summary-other = autres attentes (délais avant nouvelle tentative, créneaux)
summary-held = suspendu (de run_held à run_released)
summary-journal = journal : { $path }
