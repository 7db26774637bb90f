# `reprise status` : le bloc des services (une ligne par service de
# `objectives.services`), dans la langue de l'exercice.

status-svc-heading = services :
status-svc-restored = rétabli à { $time } après { $duration }
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
