# Pourquoi un exercice s'arrête quand personne ne peut répondre
# (src/exec/operator*.rs) : pas de terminal, --yes face à un échec, un
# fichier de réponses qui n'en a plus.
operator-asked-manual = est une étape manuelle
operator-asked-confirm = demande une confirmation avant de s'exécuter
operator-asked-failed = a échoué et son on_failure vaut `ask`
operator-asked-rollback = a un retour arrière à confirmer
operator-asked-interrupted = a été interrompue et n'est pas idempotente
operator-no-terminal = l'étape `{ $step }` { $asked } et aucun terminal ne permet de le demander : { $hint }
operator-flags-hint = lancez-le depuis un terminal, ou passez --yes (confirme les étapes manuelles et les confirmations) ou --answers FICHIER (scripte chaque réponse, voir docs/answers.md)
operator-yes-does-not-choose = l'étape `{ $step }` a échoué et son on_failure vaut `ask` : --yes ne choisit pas à votre place, l'exercice s'arrête donc (utilisez --answers FICHIER pour scripter la décision)
operator-no-more-answers = l'étape `{ $step }` { $asked } et { $file } n'a pas (ou plus) de réponse pour elle : ajoutez-en une, ou lancez l'exercice depuis un terminal
operator-does-not-answer = { $at } : `{ $word }` ne répond pas à l'étape `{ $step }`, qui { $asked }
operator-does-not-answer-mark-done = { $at } : `{ $word }` ne répond pas à l'étape `{ $step }`, qui { $asked } : marquer sa commande faite demande un motif (`{ $example }`)
