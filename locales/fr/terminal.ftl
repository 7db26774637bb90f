# Ce que dit le terminal pendant et après un exercice.

# Les critères de réussite, évalués à la fin de l'exercice.
assess-intro = Critères de réussite de l'exercice : évaluez chacun (Entrée le laisse pour `reprise assess`, Ctrl-D laisse les suivants).
assess-question = { "  " }atteint, partiellement atteint ou non atteint ? (a/p/n, Entrée : le laisser)
assess-comment = { "  " }commentaire ?
assess-recorded = { "  " }✓ enregistré : { $verdict }
assess-left = { "  " }laissé sans évaluation
assess-done = { $count ->
    [0] Aucun critère évalué : lancer `reprise assess { $journal }` quand le retour d'expérience aura tranché.
    [one] 1 critère évalué, enregistré dans { $journal }.
   *[other] { $count } critères évalués, enregistrés dans { $journal }.
}
