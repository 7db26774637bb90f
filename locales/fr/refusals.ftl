# Les refus du moteur (`exec::Refusal`) : ce qui a été refusé et pourquoi ;
# rien n'a été enregistré. Arguments : voir locales/en/refusals.ftl.

refusal-ended = refusé : l'étape { $number } `{ $id }` est déjà terminée ({ $outcome }) ; rien n'a été changé
refusal-outcome = { $outcome ->
        [done] faite
        [failed] en échec
        [skipped] sautée
        [aborted] abandonnée
       *[other] sans objet
    }
refusal-needs-reason = refusé : { $change } l'étape { $number } `{ $id }` demande une raison ; rien n'a été changé
refusal-change = { $change ->
        [cancelling] annuler
        [re-estimating] réestimer
       *[other] confier
    }
refusal-running = refusé : l'étape { $number } `{ $id }` est en cours d'exécution et ne peut pas être annulée ; attendez-la, ou abandonnez l'exercice
refusal-never-auto-approved = refusé : l'étape { $number } `{ $id }` demande { $needed } approbations et un incident n'est jamais approuvé automatiquement ; confirmez-la à un terminal
refusal-approved-already = refusé : le compte `{ $account }` a déjà approuvé l'étape { $number } `{ $id }` ({ $count } sur { $needed }) ; un autre compte doit confirmer
refusal-not-yours-role = refusé : { $who } ne peut pas enregistrer l'étape { $number } `{ $id }` : elle revient au rôle `{ $role }` ({ $members }) ou à un coordinateur ({ $coordinators }) ; rien n'a été enregistré
refusal-not-yours = refusé : { $who } ne peut pas enregistrer l'étape { $number } `{ $id }` : elle n'a pas de rôle, seul un coordinateur ({ $coordinators }) le peut ; rien n'a été enregistré
refusal-who-account = le compte `{ $account }`
refusal-who-unknown = un opérateur dont le compte est inconnu
refusal-members-none = personne sur cette machine
refusal-coordinators-none = aucun
refusal-roles-none = il n'en a aucun

# `add` refusé : refusal-not-added avec $why, l'un des refusal-add-*.
refusal-not-added = refusé : { $why } ; rien n'a été ajouté
refusal-add-no-title = une nouvelle étape demande un titre
refusal-add-no-reason = une nouvelle étape demande une raison (`reason …`)
refusal-add-no-command = `run` demande une commande
refusal-add-no-step = il n'y a pas d'étape { $number }
refusal-add-started = l'étape { $number } `{ $id }` { $state } et ne peut plus attendre une nouvelle étape
refusal-add-state-ended = est terminée ({ $outcome })
refusal-add-state-running = est en cours d'exécution
refusal-add-state-under-way = est déjà engagée
refusal-add-new-step = nouvelle étape
refusal-add-cycle = la nouvelle étape s'attendrait elle-même : { $cycle } ; choisissez d'autres étapes `after`/`before`
refusal-add-did-you-mean = vouliez-vous dire `{ $role }` ?
refusal-add-the-roles = les rôles sont : { $roles }
refusal-add-unknown-role = le rôle `{ $role }` n'est pas dans les `roles:` du plan ({ $hint })
refusal-add-not-own-role = { $who } ne peut ajouter d'étapes que pour ses propres rôles ({ $mine }), pas pour `{ $role }` : demandez à un membre de `{ $role }` ou à un coordinateur ({ $coordinators })
refusal-add-no-role = { $who } ne peut ajouter une étape que pour l'un de ses rôles ({ $mine }) : donnez-lui-en un (`role NOM`), ou demandez à un coordinateur ({ $coordinators })
refusal-add-no-owner = sans rôle
refusal-add-not-owner = seuls ceux qui peuvent enregistrer l'étape { $number } `{ $id }` ({ $owner }) ou un coordinateur ({ $coordinators }) peuvent lui faire attendre une nouvelle étape

# La réponse qu'un élément a reçue : une issue ou une décision telle que le
# journal l'écrit.
refusal-answer = { $what ->
        [done] faite
        [failed] en échec
        [skipped] sautée
        [aborted] abandonnée
        [not_applicable] sans objet
        [run] lancer
        [retry] réessayer
        [retry_all] réessayer sur tous les hôtes
        [mark_done] marquer faite
        [mark_failed] marquer en échec
        [skip] passer
        [continue] continuer
        [abort] abandonner
        [rollback] retour arrière
       *[other] { $what }
    }
