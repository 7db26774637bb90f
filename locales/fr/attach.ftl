# Les mots de `reprise attach` lui-même : son accueil, ce qu'on dit à un
# terminal en lecture seule ou d'observateur, un refus, la fin de l'exercice.

attach-greeting = rattaché à l'exercice en tant que { $name } ({ $origin }) ; { $mode }
attach-mode-player = tapez `aide`, `détacher` pour partir
attach-mode-read-only = lecture seule : vous voyez l'exercice, rien de ce que vous tapez n'est enregistré ; `détacher` pour partir
attach-mode-observer = observateur : vous voyez l'exercice et notez vos observations avec `note TEXTE` ; `détacher` pour partir
attach-read-only-refused = terminal en lecture seule : `{ $typed }` n'est pas enregistré d'ici (rattaché avec --read-only) ; rien n'a été enregistré
attach-observer-refused = observateur : `{ $typed }` n'est pas enregistré d'ici ; un observateur n'enregistre que `note TEXTE` ; rien n'a été enregistré
attach-refused = refusé : { $message }
attach-drill-ended = l'exercice est terminé
