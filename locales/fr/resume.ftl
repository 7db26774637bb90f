# `reprise resume` : ce qu'il a trouvé dans le journal, ce qui restait de
# l'exécution interrompue et qu'il a arrêté, et chaque étape interrompue,
# dans la langue de l'exercice.

resume-runbook-found = le runbook { $recorded } n'est pas dans ce dossier ; utilisé : { $found }
resume-changed-outside = (aucune étape n'a changé : ce sont les variables, les hôtes, les rôles, les objectifs ou d'autres réglages hors des étapes)
resume-changed-unseen = (les identifiants, titres, types et dépendances des étapes sont les mêmes : ce sont les commandes, les consignes, les variables ou d'autres réglages qui ont changé)
resume-idempotent = l'étape `{ $step }` a été interrompue{ $hosts } ; elle est idempotente et est relancée{ $on }
resume-yes = l'étape `{ $step }` a été interrompue{ $hosts } et n'est pas idempotente ; --yes la relance{ $on }
resume-hosts = { " " }({ $summary })
resume-on = { " " }sur { $hosts }
resume-leftover = arrêt de ce qui reste de l'étape `{ $step }` ({ $what }, groupe de processus { $pgid }) de l'exécution interrompue{ $tail }
resume-leftover-attempt = tentative { $n }
resume-leftover-rollback = son retour arrière
resume-leftover-silent = { "\u00A0" }: elle n'a rien affiché
resume-leftover-output = { "\u202F" }; ses dernières lignes :
resume-aborting = reprise du journal { $path } : { $count } événements enregistrés ; l'exercice était en cours d'abandon : rien de nouveau ne démarre, l'abandon est mené à son terme et l'exercice se termine abandonné
resume-rolling-back = reprise du journal { $path } : { $count } événements enregistrés ; l'exercice était en cours d'abandon avec retour arrière : rien de nouveau ne démarre, le retour arrière est mené à son terme et l'exercice se termine abandonné
resume-carrying-on = reprise du journal { $path } : { $count } événements enregistrés, { $steps ->
        [one] 1 étape
       *[other] { $steps } étapes
    } à poursuivre là où l'exercice « { $name } » s'est arrêté

# `resume --allow-changed` : chaque différence entre le plan noté dans
# le journal et le runbook (`$name` : la clé du runbook, telle qu'écrite).
resume-change-added = + { $id } : { $title }
resume-change-removed = - { $id } : { $title }
resume-change-changed = ~ { $id } : { $what }
resume-change-field = { $name } { $old } → { $new }
resume-change-settings = { $count ->
        [one] { $names } diffère
       *[other] { $names } diffèrent
    }
resume-change-more = { $text } ; { $more }
resume-change-none = (aucun)
