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
live-item-rollback = retour arrière en attente { DE($run) } ou { $skip }

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
live-rolling-back = retour arrière { DE($step) }
live-rolled-back = retour arrière fait
live-rollback-skipped = retour arrière sauté
live-rollback-failed = retour arrière en échec{ $exit }
live-rollback-ended = { $step } { $what } par { $by }{ $reason }
live-note-about = { " " }(à propos { DE($step) })
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

# Ce que montre une question.
question-role = rôle : { $role }
question-estimate = est. { $estimate }
question-confirm = { $step } attend votre feu vert{ $facts }
question-rollback = retour arrière { DE($step) }
question-interrupted = { $step } était en cours ou ouverte à l'arrêt de l'exercice{ $facts }
question-on = sur : { $hosts }
question-command = commande :
question-or = (ou `{ $answer }`)

# Ce que dit l'invite.
prompt-abort-question = abandonner l'exercice ? (tapez un motif, ou Entrée pour continuer)
prompt-ctrl-c = Ctrl-C : { $question }
prompt-why-abort = pourquoi abandonner l'exercice ? (Entrée pour annuler)
prompt-why-fail = pourquoi #{ $number } a-t-elle échoué ? (Entrée pour annuler)
prompt-why-skip = pourquoi passer #{ $number } ? (Entrée pour annuler)
prompt-why-outcome = pourquoi #{ $number } est-elle { $outcome } ? (Entrée pour annuler)
prompt-why-decide = pourquoi { $verb } #{ $number } ? (Entrée pour annuler)
prompt-why-refuse = pourquoi refuser #{ $number } ? (Entrée pour annuler)
prompt-going-on = on continue
prompt-cancelled = annulé : rien n'a été enregistré
prompt-no-longer-open = #{ $number } n'est plus ouvert : rien n'a été enregistré
prompt-no-restore-point = aucun point de restauration enregistré : inconnu quand l'étape a été enregistrée faite
prompt-detached = détaché : l'exercice continue dans ce processus ; suivez-le avec `reprise status JOURNAL --follow`
prompt-why-hold = pourquoi suspendre ? tapez `{ $hold } MOTIF` (par ex. `{ $hold } on s'arrête ce soir, reprise à 7 h`)
prompt-who-takes-over = qui prend la relève ? tapez `{ $handover } NOM [NOTE]`
prompt-which-item = quel item ? tapez `{ $word } N` ; { $open }
prompt-not-open = { $what } n'est pas un item ouvert ; { $open }
prompt-unknown-command = commande inconnue `{ $command }` : tapez `{ $help }` pour la liste
prompt-item-takes = { $item } : tapez { $words }
prompt-nothing-to-note = rien à noter : tapez `note TEXTE`
prompt-action-usage = tapez `action RESPONSABLE ÉCHÉANCE TEXTE`, ÉCHÉANCE au format AAAA-MM-JJ
prompt-not-a-date = `{ $due }` n'est pas une date : écrivez l'ÉCHÉANCE au format AAAA-MM-JJ
prompt-item-manual = { $id } (étape manuelle)
prompt-item-confirm = { $id } (attend une confirmation)
prompt-item-failed = { $id } (en échec{ $exit })
prompt-item-rollback = { $id } (retour arrière)
prompt-item-interrupted = { $id } (interrompue)
prompt-nothing-open = rien n'est ouvert
prompt-open = ouverts : { $items }
prompt-still = toujours { $open }
prompt-list-none = rien n'est ouvert (opérateur : { $operator })
prompt-list-head = items ouverts (opérateur : { $operator }) :
prompt-already-recorded = #{ $number } { $id } : déjà enregistrée par { $by } à { $at } ({ $what }) ; rien n'a été enregistré
prompt-type-help = (tapez `{ $help }` pour toutes les commandes, `{ $list }` pour ce qui est ouvert)
prompt-is-open = #{ $number } est ouvert : tapez `{ $list }`
verb-run = lancer
verb-retry = réessayer
verb-retry-all = réessayer sur tous les hôtes
verb-mark-done = marquer faite
verb-mark-failed = marquer en échec
verb-skip = passer
verb-continue = continuer après
verb-abort = abandonner à
verb-rollback = revenir en arrière à

# `aide`.
help-intro = N est un numéro d'item (affiché #N) ou un identifiant d'étape ; un MOTIF manquant est demandé.
help-ctrl-c = Ctrl-C demande s'il faut abandonner ; un second Ctrl-C pendant la question force l'abandon.
# Une ligne sur les mots des autres langues, ou `-` pour aucune.
help-other-words = Les mots anglais (done, run, skip, retry, hold, release…) sont aussi acceptés, avec ou sans accents.
help-syntax-done = fait N
help-done = l'étape manuelle N est faite (un retour arrière manuel : il a été effectué)
help-syntax-fail = échec N [MOTIF]
help-fail = l'étape manuelle N a échoué
help-syntax-skip = passer N [MOTIF]
help-skip = laisser de côté l'étape N (ou le retour arrière N) ; les étapes suivantes continuent
help-syntax-run = lancer N
help-run = lancer la commande de N (une confirmation, un retour arrière, une étape interrompue)
help-syntax-retry = réessayer N [MOTIF]
help-retry = relancer l'étape N en échec
help-syntax-mark-done = marquer-fait N [MOTIF]
help-mark-done = marquer faite à la main l'étape N en échec ou interrompue
help-syntax-mark-failed = marquer-échec N [MOTIF]
help-mark-failed = marquer en échec l'étape interrompue N
help-syntax-continue = continuer N [MOTIF]
help-continue = laisser l'étape N en échec ; les étapes suivantes continuent
help-syntax-rollback = retour-arrière N [MOTIF]
help-rollback = abandonner et défaire les étapes terminées (étape N en échec)
help-syntax-abort = abandonner [N] [MOTIF]
help-abort = arrêter l'exercice (N : à propos de l'étape N en échec)
help-syntax-refuse = refuser N [MOTIF]
help-refuse = refuser d'approuver l'étape N (une étape soumise à approbation) ; elle reste en attente
help-syntax-add = ajouter TITRE ; après N ; avant N ; motif POURQUOI[ ; lancer CMD]
help-add = ajouter une étape imprévue (aussi rôle, estimer, délai) ; une commande s'exécute une fois confirmée
help-syntax-cancel = annuler N MOTIF
help-cancel = l'étape N n'est pas nécessaire : passée, les suivantes continuent
help-syntax-estimate = estimer N DURÉE|jusqu'à HEURE MOTIF
help-estimate = une nouvelle estimation de l'étape N (2h, ou until 2026-12-07T14:00)
help-syntax-assign = confier N RÔLE|COMPTE MOTIF
help-assign = confier l'étape N à un autre rôle ou à une autre personne
help-syntax-note = note [#N] TEXTE
help-note = consigner une observation (à propos de l'item N)
help-syntax-action = action RESPONSABLE ÉCHÉANCE TEXTE
help-action = consigner une action corrective (ÉCHÉANCE au format AAAA-MM-JJ) pour le retour d'expérience
help-syntax-handover = relève NOM [NOTE]
help-handover = passer la main à NOM : les enregistrements suivants sont les siens
help-syntax-hold = suspendre MOTIF
help-hold = aucune nouvelle étape ne démarre avant `reprendre` (celles en cours se terminent)
help-syntax-release = reprendre
help-release = lever la suspension : les étapes redémarrent
help-syntax-detach = détacher
help-detach = quitter ce terminal (aussi Ctrl-D) ; l'exercice continue
help-syntax-list = liste
help-list = afficher les items ouverts
help-syntax-help = aide
help-help = afficher cette liste

# Les lignes de la zone en direct.
frame-answer = répondre à { $number }
frame-interrupted = en cours à l'arrêt de l'exercice → { $answer }
frame-running = en cours
frame-running-attempt = en cours (tentative { $attempt })
frame-to-do = à faire
frame-to-do-then = à faire → { $done }
frame-waits-go = attend votre feu vert → { $run }
frame-queued-slot = attend un créneau libre
frame-retrying = → nouvelle tentative
frame-next = → { $answer }
frame-failed-short = échec { $next }
frame-attempt-failed = tentative { $attempt } en échec{ $exit } { $next }
frame-rollback = retour arrière → { $run } ou { $skip }
frame-more = +{ $count } de plus : { $counts } ({ $list })
frame-others = +{ $count } pour d'autres rôles : { $counts } ({ $list })
frame-count-failed = { $count } en échec
frame-count-overrunning = { $count } en dépassement
frame-count-waiting-you = { $count ->
    [one] { $count } vous attend
   *[other] { $count } vous attendent
}
frame-count-waiting = { $count } en attente
frame-count-running = { $count } en cours
frame-count-queued = { $count } en file d'attente

# Comment une tentative en échec s'est terminée (le résumé de `event::Ending`).
ending-could-not-start = n'a pas pu démarrer : { $error }
ending-timed-out = délai dépassé
ending-killed = tuée par { $signal }
ending-exit = code de sortie { $code }
ending-no-status = en échec

# Où en est une étape distante sur chaque hôte.
hosts-done = fait sur { $hosts }
hosts-failed = en échec sur { $hosts } : { $why }
hosts-not-finished = pas terminé sur { $hosts }
hosts-separator = { " ; " }
