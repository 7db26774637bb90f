# Ce que dit l'invite quand `annuler`, `estimer`, `confier` ou `ajouter`
# ne décrit pas un changement possible (src/terminal/plan_change.rs, src/terminal/add.rs).
change-unknown-command = commande inconnue `{ $word }`
change-usage-cancel = annuler N MOTIF
change-usage-estimate = estimer N DURÉE MOTIF, ou estimer N jusqu'à 2026-12-07T14:00 MOTIF
change-usage-assign = confier N RÔLE|COMPTE MOTIF
change-which-step = quelle étape ? tapez `{ $usage }`
change-not-a-step = `{ $target }` n'est pas une étape : donnez son numéro d'item ou son id (`{ $usage }`)
change-why = pourquoi ? tapez `{ $usage }` : tout changement du plan demande un motif
change-to-whom = à qui ? tapez `{ $usage }`
change-not-a-time = `{ $when }` n'est pas une heure : écrivez-la comme 2026-12-07T14:00 (heure locale) ou 2026-12-07T13:00Z
change-bad-duration = { $error } ; ou `jusqu'à HEURE`
change-duration-syntax = `{ $value }` n'est pas une durée : écrivez-la comme `90s`, `15m`, `1h30m` ou `2h`
change-duration-too-long = `{ $value }` dépasse la plus longue durée qu'un runbook puisse contenir, 366d
add-usage = ajouter TITRE ; après N, M ; avant N ; rôle RÔLE ; estimer 2h ; délai 10m ; motif POURQUOI[ ; lancer COMMANDE]
add-run-needs-command = `lancer` demande une commande : tapez `{ $usage }`
add-not-a-clause = `{ $clause }` n'est pas une clause de `ajouter` : tapez `{ $usage }`
add-what-step = quelle est la nouvelle étape ? tapez `{ $usage }`
add-needs-steps = `{ $word }` demande des numéros d'item ou des ids (`{ $word } 12, 14`)
add-not-a-step = `{ $name }` (dans `{ $word }`) n'est pas une étape : donnez son numéro d'item ou son id
add-one-name = `{ $word }` prend un seul nom (`{ $word } stockage`)
add-needs-words = `{ $word }` demande quelques mots
add-bad-duration = `{ $word } { $value }` : { $error }
