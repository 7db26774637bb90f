# L'écran mural (`reprise status JOURNAL --serve`). Les arguments portent
# déjà leur balisage (durées en <strong>, commandes en <code>).

dashboard-running = en cours
dashboard-not-running = arrêté
dashboard-resume-with = reprendre avec { $command }
dashboard-finished = terminé : { $headline }
dashboard-times-in = heures : { $zone }

dashboard-no-rto = pas de DMIA dans le plan
dashboard-rto = DMIA { $rto } : { $what }
dashboard-left = { $time } restantes
dashboard-past = { $time } de dépassement
dashboard-elapsed = écoulé { $time }
dashboard-forecast = fin prévue à { $time }
dashboard-forecast-late = { $time } au-delà de la DMIA
dashboard-forecast-within = (dans la DMIA)

dashboard-service-met = rétabli à { $time }, DMIA respectée
dashboard-service-missed = rétabli, DMIA dépassée de { $time }
dashboard-service-not-restored = non rétabli
dashboard-service-restored = rétabli
dashboard-service-not_restored = non rétabli
dashboard-service-pending = pas encore rétabli
dashboard-service-no_step = rétabli par aucune étape

dashboard-held = SUSPENDU depuis { $time } par { $by } — aucune nouvelle étape ne démarre avant que quelqu'un tape { $release }
dashboard-held-why = SUSPENDU depuis { $time } par { $by } : { $why } — aucune nouvelle étape ne démarre avant que quelqu'un tape { $release }

dashboard-running-title = En cours
dashboard-nothing-running = rien en cours
dashboard-waiting-title = En attente d'une personne
dashboard-no-role = (sans rôle)
dashboard-nobody-waited = personne n'est attendu
dashboard-estimate = prévu { $time }

dashboard-steps-title = Étapes
dashboard-col-step = Étape
dashboard-col-role = Rôle
dashboard-col-state = État
dashboard-col-time = Durée
dashboard-state-pending = à venir
dashboard-state-waiting = en attente
dashboard-state-running = en cours
dashboard-state-attempt-failed = tentative échouée
dashboard-state-finished = terminée
dashboard-state-done = faite
dashboard-state-failed = échouée
dashboard-state-skipped = sautée
dashboard-state-aborted = abandonnée
dashboard-state-not_applicable = sans objet

dashboard-timeline-title = Chronologie
dashboard-log-title = Dernières notes et décisions
dashboard-with-why = { $what } : { $why }
dashboard-note = { $time } { $by } : { $text }
dashboard-decided = { $time } { $by } a décidé : { $decision } sur { $step }
dashboard-log-held = { $time } { $by } a suspendu l'exercice
dashboard-log-released = { $time } { $by } a relancé l'exercice
dashboard-handover = { $time } { $from } passe le relais à { $to }
dashboard-nothing-yet = rien pour l'instant
dashboard-over = L'exercice est terminé : le rapport en donne tout le déroulé ({ $command }).
