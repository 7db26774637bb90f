# Les mots du rapport (Markdown et HTML). Les textes du journal (titres,
# noms, motifs) ne sont jamais traduits.

report-title = { $kind } : { $name }
kind-drill = Rapport d'exercice
kind-incident = Rapport d'incident
mode-drill = Exercice
mode-incident = Incident réel
subtitle = { $mode } · commencé le { $time } · heures en { $zone }
note-label = Attention :

headline-recovered = Reprise réussie
headline-degraded = Dégradé : terminé, mais la reprise n'est pas complète
headline-aborted = Interrompu (abandon)
headline-open = En cours ou interrompu : le journal n'a pas de fin
headline-rto-missed = { $what } — DMIA dépassée de { $by }
headline-dry-run = { $what } (exercice à blanc : rien n'a été exécuté)

verdict-no-rto = pas de DMIA dans le plan
verdict-rto-met = respectée, avec { $time } de marge
verdict-rto-missed = dépassée de { $time }
verdict-not-recovered = pas de reprise : l'exercice a été abandonné
verdict-open = non terminé ; { $time } restantes au dernier événement
verdict-overdue = non terminé, et déjà { $time } au-delà de la DMIA au dernier événement

banner-incident = Il s'agissait d'un incident réel, pas d'un exercice.
banner-dry-run = Exercice à blanc : aucune commande n'a été exécutée et aucune étape n'a vraiment été faite ; les durées ci-dessous ne mesurent pas une reprise.
banner-incomplete = Journal incomplet : aucune fin d'exercice n'est enregistrée. L'exercice est encore en cours ou a été interrompu ; ce rapport s'arrête au dernier événement ({ $time }).
banner-unverified = NON VÉRIFIÉ : la chaîne d'empreintes du journal est rompue ({ $problem }). Il a été modifié après son écriture : ce rapport peut ne pas refléter ce qui s'est passé. Vérifiez-le avec `reprise verify`.
banner-torn = La dernière ligne du journal ({ $line }) est incomplète (le processus s'est arrêté pendant son écriture) et a été écartée.
banner-oddity = Anomalie du journal : { $what }.

h-summary = Synthèse
h-people = Opérateurs, relèves et reprises après arrêt
h-timeline = Chronologie
h-steps = Étapes
h-critical-path = Chemin critique
h-time-split = Où le temps est passé
h-deviations = Écarts
h-changes = Modifications du plan pendant l'exercice
h-observations = Observations
h-lessons = Enseignements et actions

fact-plan = Plan
fact-runbook = Procédure (runbook)
fact-mode = Mode
fact-dry-run = À blanc
fact-dry-run-yes = oui — rien n'a été exécuté
fact-dry-run-no = non
fact-started = Début
fact-ended = Fin
fact-ended-none = aucune fin enregistrée
fact-ended-last = { " " }— dernier événement { $time }
fact-result = Résultat
fact-result-none = aucun (en cours ou interrompu)
fact-elapsed = Durée totale
fact-recovery = Délai de reprise
fact-rto = DMIA (RTO)
fact-rpo = PDMA (RPO)
fact-none-in-plan = aucune dans le plan
fact-rpo-not-measured = (aucun point de restauration enregistré : non mesurée)
fact-operators = Opérateurs
fact-paper = Retranscrit du papier
fact-paper-value = { $count } { $count ->
        [one] étape
       *[other] étapes
    } ({ $steps }) : heures et issues telles qu'écrites à la main sur les fiches
fact-roles = Rôles impliqués
fact-host = Machine
fact-version = Version de reprise
fact-zone = Fuseau horaire

result-recovered = reprise réussie
result-degraded = dégradé
result-aborted = abandonné
outcome-done = fait
outcome-failed = échec
outcome-skipped = sautée
outcome-aborted = abandonnée
outcome-not_applicable = sans objet

people-started = lancé par { $who }
people-handover = { $from } passe le relais à { $to }
people-resumed = repris par { $who } sur { $host } (arrêté après { $time })
people-runbook-changed = procédure modifiée, désormais SHA-256 { $sha }

timeline-intro-md = L'intervalle réel de chaque étape (son issue entre parenthèses), suivi de sa durée prévue ; l'échéance de la DMIA est le jalon final. Mermaid trace l'axe dans le fuseau du lecteur ; les tableaux ci-dessous utilisent { $zone }.
timeline-caption = Une barre par étape, colorée selon son issue ; le contour en tirets est la durée prévue (estimation) ; la ligne rouge en tirets est l'échéance de la DMIA. Heures en { $zone }.

col-time = Heure
col-step = Étape
col-what = Quoi
col-details = Détails
col-reason = Motif
col-by = Par
col-observation = Observation
col-change = Modification
col-event = Événement
col-note = Remarque
col-role = Rôle
col-performed-by = Réalisée par
col-recorded-by = Enregistrée par
col-estimate = Estimation
col-actual = Réel
col-overrun = Dépassement
col-outcome = Issue
col-attempts = Tentatives
col-chain = Enchaînement
col-length = Durée
col-running = Exécution
col-operator = Opérateur
col-dependencies = Dépendances
col-other = Autre
col-attempt = Tentative
col-host = Machine
col-how-it-ended = Comment elle s'est terminée
col-ended = Fin
col-duration = Durée

critical-mark = { " " }(critique)
critical-html = { " " }<span class="crit" title="étape critique">★ critique</span>
on-hosts = sur
total = Total
total-summed = (somme sur les étapes)
time-split-intro = Par étape, du début de l'exercice à son issue : sa commande en cours, l'attente de l'opérateur, l'attente de ses dépendances, et les autres pauses (délais avant nouvelle tentative, attente d'un créneau libre).
no-deviation = Aucun : chaque étape s'est déroulée comme prévu.
changes-intro = Chaque étape annulée, réestimée ou réattribuée pendant l'exercice, avec qui, quand et pourquoi : ce que la prochaine version du plan devra intégrer.
no-note = Aucune observation n'a été enregistrée pendant l'exercice.
lessons-intro = Pour le retour d'expérience : chaque observation, puis les points que le rapport tire des faits. Attribuer un responsable et une échéance à chaque action.
nothing-to-review = Rien à revoir.
no-reason-recorded = aucun motif enregistré
last-output = Dernières lignes de sortie{ $code } :
last-output-code = { " " }({ $code })
rollback = retour arrière
no-end = pas de fin

change-added = ajoutée
change-cancelled = annulée
change-re-estimated = réestimée
change-reassigned = réattribuée

state-done = fait
state-failed = échec
state-skipped = sautée
state-aborted = abandonnée
state-not-applicable = sans objet
state-pending = non atteinte
state-open = ouverte (sans issue)
state-running = en cours (sans issue)
state-attempt-failed = tentative échouée, décision attendue
state-finished = terminée

deviation-failure = commande en échec
deviation-failed = étape terminée en échec
deviation-skip = sautée
deviation-done-by-hand = faite à la main
deviation-marked-failed = déclarée en échec
deviation-retry = relancée
deviation-continue = laissée en échec, les suivantes ont continué
deviation-assumed-done = supposée faite (ligne de commande)
deviation-abort = abandon demandé
deviation-rollback = abandon et retour arrière
deviation-aborted = arrêtée par l'abandon
deviation-rollback-not-done = retour arrière non fait
deviation-interrupted = interrompue en cours d'exécution

decision-run = lancer
decision-retry = relancer
decision-retry-all = relancer sur toutes les machines
decision-mark-done = déclarer faite à la main
decision-mark-failed = déclarer en échec
decision-skip = sauter
decision-continue = continuer malgré l'échec
decision-abort = abandonner l'exercice
decision-rollback = abandonner et revenir en arrière

recorded-command = reprise (code de sortie de la commande)
recorded-command-line = { $by } (ligne de commande)
recorded-paper = { $by } (retranscrit du papier)

detail-reason = Motif : { $reason }
attempt-line = Tentative { $n } à { $time } : { $what }
detail-decision = Décision à { $time } : { $what } par { $by }
detail-approval = Approbation à { $time } : { $what } par { $by }
detail-approved = approuvé
detail-refused = refusé
detail-account = { " " }(compte { $account })
detail-for-role = { " " }pour le rôle { $role }
detail-count = , { $count } sur { $needed }
detail-recorded-for-role = Enregistrée par { $by } pour le rôle { $role } (un coordinateur extérieur à ce rôle)
detail-rollback = Retour arrière : { $outcome }
detail-rollback-no-outcome = commencé, sans issue
exit-code = code de sortie { $code }

attempt-n = tentative { $n }
attempt-ended-interrupted = interrompue
attempt-ended-failed = échec
attempt-timed-out = délai dépassé
attempt-killed = tuée par { $signal }
attempt-could-not-start = n'a pas pu démarrer : { $error }
attempt-interrupted = interrompue : l'exercice s'est arrêté pendant son exécution (depuis au moins { $time })
attempt-still-running = encore en cours au dernier événement
attempt-after = { $what } après { $time }
attempt-failed-on = { "\u202F" }; en échec sur { $hosts }

review-rto = La DMIA a été { $verdict } : revoir le chemin critique ({ $path }).
review-because = { "\u00A0" }: { $reason }
review-on-hosts = { " " }sur { $hosts }
review-failed = L'étape { $step } ({ $title }) a échoué{ $hosts }{ $reason }.
review-critical-skipped = L'étape critique { $step } ({ $title }) a été sautée{ $reason }.
review-overran = L'étape { $step } ({ $title }) a dépassé son estimation de { $estimate } de { $over } : revoir l'estimation ou l'étape.
review-attempts = L'étape { $step } ({ $title }) a demandé { $count } tentatives.

path-planned = Prévu (d'après les estimations)
path-actual = Réel (ce qui a déterminé la fin)
path-actual-so-far = Réel jusqu'ici (jusqu'à la dernière issue)

colophon = Produit par reprise à partir du journal { $path } ({ $events } événements{ $torn }). Le journal fait foi ; le vérifier avec { $verify }.
colophon-torn = , dernière ligne incomplète écartée

gantt-title = Chronologie { DE($name) } : une barre par étape
gantt-planned = prévu { $time }
gantt-took = { $state } : { $time }
legend-done = fait
legend-failed = échec
legend-skipped = sautée
legend-aborted = abandonnée
legend-not_applicable = sans objet
legend-open = ouverte ou en cours
legend-pending = non atteinte
legend-planned = prévu (estimation)
legend-failed-attempt = tentative échouée
legend-rto = Échéance DMIA
mermaid-done = fait
mermaid-failed = échec
mermaid-skipped = sautée
mermaid-aborted = abandonnée
mermaid-not_applicable = sans objet
mermaid-open = ouverte
mermaid-pending = non atteinte
mermaid-planned = prévu
mermaid-objective = Objectif

# Qui a enregistré quoi (ticket 13) : par personne, par équipe.
h-who = Qui a enregistré quoi
who-intro = Le résultat de chaque étape et qui l'a enregistré : le nom déclaré et le compte système vu par l'exercice (le compte d'un terminal rattaché vient du système d'exploitation, jamais de ce qu'il affirme). Les résultats des commandes sont enregistrés par reprise d'après leur code de sortie.
h-who-person = Par personne
h-who-team = Par équipe
col-who-person = Personne
col-who-account = Compte
col-who-teams = Équipes
col-who-recorded = Enregistrées
col-who-steps = Étapes
col-who-team = Équipe
col-who-by = Enregistrées par
col-who-outside = Enregistrées hors de l'équipe
who-done = { $count } { $count ->
    [one] faite
   *[other] faites
}
who-failed = { $count } en échec
who-other = { $count } { $count ->
    [one] sautée ou sans objet
   *[other] sautées ou sans objet
}
who-for-others = , { $count } pour une autre équipe
# Qui a enregistré pour l'équipe, et combien d'étapes.
who-recorded-count = { $name } : { $count }
who-recorded-account-count = { $name } ({ $account }) : { $count }
who-team-counts = { $recorded } sur { $steps } ({ $done } { $done ->
    [one] faite
   *[other] faites
})
who-no-role = sans rôle
col-held = Suspension
time-split-held = { " " }L'exercice a été suspendu (`hold` puis `release`) : l'attente pendant la suspension est comptée à part, pas comme une attente.
