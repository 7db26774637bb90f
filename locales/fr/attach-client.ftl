# Ce que `reprise attach` dit de son côté (src/attach/said.rs) : l'exercice
# arrêté ou disparu, une ligne tapée entre-temps, un rôle qu'aucune étape n'a.
attach-client-gone = ⚠ l'exercice s'est arrêté : son processus a disparu. Reprenez-le avec `reprise resume { $journal }` ;
attach-client-stopped = ⏸ l'exercice a été arrêté ; reprenez-le avec `reprise resume { $journal }` ;
attach-client-comes-back = ce terminal se rattache de lui-même dès que l'exercice tourne (Ctrl-C pour quitter)
attach-client-not-recorded = non enregistré : l'exercice ne tourne pas (`reprise resume { $journal }`) ; `détacher` ou Ctrl-C pour quitter
attach-client-refused = ⚠ l'exercice a refusé ce terminal : { $why }
attach-unknown-role = aucune étape n'a le rôle { $roles } : les rôles de l'exercice sont { $known }
attach-no-roles = aucun
