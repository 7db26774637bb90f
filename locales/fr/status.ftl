# `reprise status` : le bloc des services (une ligne par service de
# `objectives.services`), dans la langue de l'exercice.

status-svc-heading = services :
status-svc-restored = rétabli le { $time } après { $duration }
status-svc-not-restored-by = NON rétabli : { $step } { $outcome }
status-svc-pending = pas encore rétabli (par { $steps })
status-svc-no-step = rétabli par aucune étape de cet exercice
status-svc-not-restored = NON rétabli
status-svc-no-rto = { $state }, pas de DMIA
status-svc-rto-met = DMIA { $rto } respectée, avec { $margin } de marge
status-svc-rto-missed = DMIA { $rto } DÉPASSÉE de { $by }
status-svc-rto-open = { $left } restantes sur une DMIA de { $rto }
status-svc-rto-overdue = DMIA { $rto } EN RETARD de { $by }
status-svc-rto-not-met = DMIA { $rto } non tenue
status-svc-verdict = { $state } : { $verdict }
status-svc-point = point de restauration { $time } ({ $step }) : { $lost } de données perdues
status-svc-point-on = point de restauration { $time } ({ $step } sur { $host }) : { $lost } de données perdues
status-svc-rpo-met = { $point } : PDMA { $rpo } respectée
status-svc-rpo-missed = { $point } : PDMA { $rpo } DÉPASSÉE de { $by }
status-svc-no-rpo = { $point }, pas de PDMA
status-svc-unmeasured = PDMA { $rpo } : aucun point de restauration enregistré, données perdues non mesurées
status-svc-unmeasured-yet = PDMA { $rpo } : aucun point de restauration encore enregistré, données perdues non mesurées
status-svc-nothing = aucun point de restauration, pas de PDMA

# Le reste de `reprise status` : l'en-tête de la vue, les décomptes, les
# listes et les lignes d'étape, et une ligne par événement (`describe`,
# aussi pour `--follow` dans un tube).

status-unverified = NON VÉRIFIÉ : la chaîne d'empreintes du journal est rompue ({ $problem }) ; cette vue peut ne pas refléter ce qui s'est passé
status-title = { $name } — { $mode }
status-title-dry = { $name } — { $mode }, à blanc
status-mode-drill = exercice
status-mode-incident = incident réel
status-started = commencé le { $time } par { $who } sur { $host }
status-zone = heures en { $zone }
status-elapsed-no-rto = écoulé { $elapsed } (pas de DMIA)
status-elapsed-open = écoulé { $elapsed } sur une DMIA de { $rto } : { $left } restantes
status-elapsed-overdue = écoulé { $elapsed } sur une DMIA de { $rto } : EN RETARD de { $by }
status-recovered-met = reprise en { $took } pour une DMIA de { $rto } : respectée, avec { $spare } de marge
status-recovered-missed = reprise en { $took } pour une DMIA de { $rto } : DÉPASSÉE de { $by }
status-not-recovered = écoulé { $elapsed }, DMIA de { $rto } : pas de reprise
status-forecast = fin de la reprise prévue le { $when } (dans { $left }){ $rto }{ $unestimated }
status-forecast-within = , { $margin } avant l'échéance de la DMIA
status-forecast-past = , { $margin } après l'échéance de la DMIA
status-forecast-unestimated = { $count ->
        [one] { " " }(1 étape sans estimation comptée pour rien)
       *[other] { " " }({ $count } étapes sans estimation comptées pour rien)
    }
status-finished = terminé ({ $result }) le { $time }
status-in-progress = en cours : { $holder }
status-holder = reprise (pid { $pid } sur la machine { $host }) depuis { $since }
status-not-running = arrêté : interrompu après { $time } ; poursuivre avec `reprise resume { $path }`
status-resumed = { $count ->
        [one] repris 1 fois, en dernier le { $time } par { $who }
       *[other] repris { $count } fois, en dernier le { $time } par { $who }
    }
status-operator = opérateur : { $who } (depuis la relève)
status-held = SUSPENDU { $held } (aucune nouvelle étape ne démarre)
status-held-since = depuis { $time } par { $who }
status-held-since-why = depuis { $time } par { $who } : { $reason }
status-counts = étapes : { $counts } ({ $total } en tout)
status-waiting = en attente de l'opérateur :
status-next = ensuite, quand ce qu'elles attendent sera fini :
status-more = … et { $count } de plus
status-latest = dernières remarques, décisions, relèves et suspensions :
status-steps = étapes :

status-outcome-done = faite
status-outcome-failed = échouée
status-outcome-skipped = sautée
status-outcome-aborted = abandonnée
status-outcome-not_applicable = sans objet
status-result-recovered = reprise réussie
status-result-degraded = dégradé
status-result-aborted = abandonné

status-took-of = { $took } sur { $estimate }
status-took-over = { $took } sur { $estimate }, DÉPASSÉ de { $over }
status-estimated = estimé { $estimate }
status-by = par { $who }
status-by-recorded = par { $who }, enregistré par { $recorder }
status-recorded = enregistré par { $recorder }
status-runner = reprise sur { $host }
status-runner-as = reprise en tant que { $account } sur { $host }

status-decision-run = lancer
status-decision-retry = réessayer
status-decision-retry-all = réessayer sur toutes les machines
status-decision-mark-done = marquer faite
status-decision-mark-failed = marquer échouée
status-decision-skip = sauter
status-decision-continue = continuer
status-decision-abort = abandonner
status-decision-rollback = revenir en arrière

status-end-timed-out = délai dépassé
status-end-not-started = n'a pas pu démarrer : { $error }
status-end-signal = tuée par { $signal }
status-end-exit = code de sortie { $code }
status-cause-failed = échec

status-ev-run-started = exercice commencé : { $name } ({ $mode })
status-ev-resumed = repris par { $who }
status-ev-ready = { $step } prête
status-ev-began = { $step } commencée (papier, { $who })
status-ev-started = { $step } lancée
status-ev-started-again = { $step } lancée (tentative { $attempt })
status-ev-attempt = { $step } tentative { $attempt } : { $how }
status-ev-attempt-on = { $step } tentative { $attempt } sur { $host } : { $how }
status-ev-decision = { $step } : { $who } a décidé : { $decision }
status-ev-decision-why = { $step } : { $who } a décidé : { $decision } ({ $reason })
status-ev-finished = { $step } { $outcome } par { $who }
status-ev-finished-why = { $step } { $outcome } par { $who } ({ $reason })
status-ev-point = { $step } : point de restauration { $time } (donné par { $who })
status-ev-point-on = { $step } sur { $host } : point de restauration { $time } (donné par { $who })
status-ev-approved = { $step } approuvée par { $who } ({ $count } approbations sur { $needed })
status-ev-refused = { $step } refusée par { $who } ({ $count } approbations sur { $needed })
status-ev-cancelled = { $step } annulée par { $who } ({ $reason })
status-ev-estimate-until = { $step } réestimée par { $who } : jusqu'à { $until }
status-ev-estimate = { $step } réestimée par { $who } : { $estimate }
status-ev-estimate-none = { $step } réestimée par { $who }
status-ev-assigned = { $step } attribuée à { $to } par { $who }
status-ev-added = #{ $number } { $step } ajoutée par { $who } : { $title } ({ $reason })
status-ev-rollback-started = { $step } retour arrière commencé
status-ev-rollback-finished = { $step } retour arrière : { $outcome }
status-ev-note-on = remarque { DE($who) } sur { $step } : { $text }
status-ev-note = remarque { DE($who) } : { $text }
status-ev-handover = relève { DE($from) } à { $to }
status-ev-abort = abandon demandé par { $who }
status-ev-attached = { $who } connecté
status-ev-detached = { $who } déconnecté
status-ev-stopped = exercice arrêté ({ $reason }) : `reprise resume` le poursuit
status-ev-stopped-reason = arrêté
status-ev-held-why = suspendu par { $who } : { $reason }
status-ev-held = suspendu par { $who }
status-ev-released = repris par { $who } après suspension
status-ev-run-finished = exercice terminé : { $result }
status-ev-alert-sent = alerte { $kind } envoyée à { $target } (tentative { $attempt })
status-ev-alert-failed = alerte { $kind } à { $target } en échec (tentative { $attempt }) : { $error }
status-ev-criterion = critère { $criterion } évalué { $verdict } par { $who }
status-ev-action = action pour { $owner }, échéance { $due } : { $text }
status-verdict-met = atteint
status-verdict-partly_met = partiellement atteint
status-verdict-not_met = non atteint

# L'état d'une étape, seul et compté.
status-state-pending = à venir
status-state-open = ouverte
status-state-to-confirm = à confirmer
status-state-ready = prête
status-state-running = en cours
status-state-attempt-failed = tentative échouée
status-state-done = faite
status-state-failed = échouée
status-state-skipped = sautée
status-state-aborted = abandonnée
status-state-not-applicable = sans objet
status-n-pending = { $count ->
        [one] { $count } à venir
       *[other] { $count } à venir
    }
status-n-open = { $count ->
        [one] { $count } ouverte
       *[other] { $count } ouvertes
    }
status-n-to-confirm = { $count ->
        [one] { $count } à confirmer
       *[other] { $count } à confirmer
    }
status-n-ready = { $count ->
        [one] { $count } prête
       *[other] { $count } prêtes
    }
status-n-running = { $count ->
        [one] { $count } en cours
       *[other] { $count } en cours
    }
status-n-attempt-failed = { $count ->
        [one] { $count } tentative échouée
       *[other] { $count } tentatives échouées
    }
status-n-done = { $count ->
        [one] { $count } faite
       *[other] { $count } faites
    }
status-n-failed = { $count ->
        [one] { $count } échouée
       *[other] { $count } échouées
    }
status-n-skipped = { $count ->
        [one] { $count } sautée
       *[other] { $count } sautées
    }
status-n-aborted = { $count ->
        [one] { $count } abandonnée
       *[other] { $count } abandonnées
    }
status-n-not-applicable = { $count ->
        [one] { $count } sans objet
       *[other] { $count } sans objet
    }
