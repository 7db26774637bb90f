# Le terminal en direct de `run` et `attach` : lignes d'événements, items,
# ligne d'ensemble, questions, mots et réponses de l'invite.

# Ce que tape l'opérateur : le mot de chaque commande dans cette langue.
# Les mots anglais sont acceptés dans toutes les langues (voir docs/terminal.md).
word-done = fait
word-fail = échec
word-skip = passer
word-run = lancer
word-retry = réessayer
word-retry-all = réessayer-tout
word-mark-done = marquer-fait
word-mark-failed = marquer-échec
word-continue = continuer
word-rollback = retour-arrière
word-abort = abandonner
word-refuse = refuser
word-add = ajouter
word-cancel = annuler
word-estimate = estimer
word-assign = confier
word-note = note
word-action = action
word-handover = relève
word-hold = suspendre
word-release = reprendre
word-detach = détacher
word-list = liste
word-help = aide

# Les décisions, comme les lignes d'événements et `status` les montrent.
live-decision-run = lancer
live-decision-retry = réessayer
live-decision-retry-all = réessayer sur tous les hôtes
live-decision-mark-done = marquer faite
live-decision-mark-failed = marquer en échec
live-decision-skip = passer
live-decision-continue = continuer
live-decision-abort = abandonner
live-decision-rollback = retour arrière

# Les durées face aux estimations et à la DMIA.
live-past-rto = { $time } au-delà de la DMIA
live-within-rto = { $time } de marge sur la DMIA
live-unestimated = { $count ->
    [one] { " " }({ $count } étape sans estimation, comptée pour zéro)
   *[other] { " " }({ $count } étapes sans estimation, comptées pour zéro)
}
live-forecast = fin de la reprise prévue à { $when } (dans { $left }){ $rto }{ $unestimated }
live-against = { $time } / est. { $estimate }
live-over = +{ $time } de dépassement

# Les lignes des items.
live-item-interrupted = était en cours à l'arrêt de l'exercice : répondre à { $number } (`{ $list }`)
live-item-attempt = { " " }(tentative { $attempt })
live-item-waiting-for = attend { $what }
live-item-answer = répondre à #{ $number } (`{ $list }`)
live-item-retrying = nouvelle tentative
live-item-attempt-failed = tentative { $attempt } en échec{ $exit }, { $next }
live-item-rollback = retour arrière en attente de { $run } ou { $skip }

# La ligne d'ensemble.
live-starting = démarrage…
live-overall-ended = { $ended }/{ $total } étapes terminées
live-overall-failed = { $count } en échec
live-overall-running = { $count } en cours
live-overall-waiting = { $count ->
    [one] { $count } vous attend
   *[other] { $count } vous attendent
}
live-overall-rto = { $time } / DMIA { $rto }
live-overall-elapsed = { $time } depuis le début

# La ligne de chaque événement enregistré.
live-quoted = « { $text } »
live-dry-run = { " " }(à blanc)
live-started-rto = , DMIA { $rto }
live-run-started = { $mode } { $name }{ $dry } lancé par { $operator } ({ $steps ->
    [one] { $steps } étape
   *[other] { $steps } étapes
}{ $rto })
live-resumed = repris par { $operator }
live-step-open = { $step } est ouverte
live-step-began = { $step } commencée (sur papier, { $by })
live-attempt-started = { $step } tentative { $attempt } lancée
live-step-started = { $step } lancée
live-attempt-failed = { $step } tentative { $attempt } en échec{ $exit }
live-hosts = hôtes : { $hosts }
live-host-failed = { $step } en échec sur { $host }{ $exit }
live-reason = { "\u00A0" }: { $reason }
live-by = { " " }par { $by }
live-by-auto = { " " }par { $by } (confirmé automatiquement)
live-by-command-line = { " " }(donné en ligne de commande)
live-by-paper = { " " }par { $by } (sur papier)
live-for-role = { " " }pour le rôle { $role }
live-approved = { $step } approuvée par { $by }{ $role } ({ $count } sur { $needed } approbations)
live-refused = { $step } refusée par { $by }{ $role }{ $reason } (toujours en attente, { $count } sur { $needed } approbations)
live-exit = , code de sortie { $code }
live-outcome-done = faite
live-outcome-failed = en échec
live-outcome-skipped = sautée
live-outcome-aborted = abandonnée
live-outcome-not-applicable = sans objet
live-in-this-mode = { " " }dans ce mode
live-cancelled = { $step } annulée par { $by } : { $reason }
live-added = { $step } ajoutée par { $by } : { $title }
live-added-after = , après { $steps }
live-added-before = , avant { $steps }
live-added-command = commande : { $command } (elle s'exécute une fois confirmée : `{ $run }`)
live-until = jusqu'au { $time }
live-was = { " " }(avant : { $was })
live-re-estimated = { $step } réestimée par { $by } : { $new }{ $was } : { $reason }
live-assigned = { $step } confiée à { $to } par { $by }{ $was } : { $reason }
live-rolling-back = retour arrière de { $step }
live-rolled-back = retour arrière fait
live-rollback-skipped = retour arrière sauté
live-rollback-failed = retour arrière en échec{ $exit }
live-rollback-ended = { $step } { $what } par { $by }{ $reason }
live-note-about = { " " }(à propos de { $step })
live-note = { $by } : { $text }
live-on-host = { " " }sur { $host }
live-restore-point = { $step } : point de restauration { $point } (donné par { $by })
live-handover = { $from } passe la main à { $to }{ $note }
live-abort-requested = abandon demandé par { $by }{ $reason }
live-read-only = { " " }(lecture seule)
live-for-roles = { " " }pour { $roles }
live-attached = { $who } connecté{ $roles }{ $how }
live-detached = { $who } déconnecté{ $how } : l'exercice continue
live-stopped = arrêté
live-run-stopped = exercice arrêté ({ $reason }) : rien n'a été abandonné, `reprise resume` le poursuit
live-held = suspendu par { $by }{ $reason } (aucune nouvelle étape ne démarre ; tapez `{ $release }` pour reprendre)
live-released = suspension levée par { $by }
live-result-recovered = reprise réussie
live-result-degraded = reprise dégradée
live-result-aborted = abandonné
live-run-finished = { $mode } terminé : { $result }
live-alert-sent = alerte { $kind } envoyée à { $target }
live-alert-failed = échec de l'alerte { $kind } à { $target } : { $error }
live-assessed = critère { $criterion } évalué « { $verdict } » par { $by }
live-action = action pour { $owner }, échéance { $due } : { $text }
