# Le point de restauration demandé à l'invite quand une étape manuelle qui
# `records: restore_point` est enregistrée faite, et pourquoi un point tapé est refusé.

# Le mot tapé quand personne ne le sait encore (`unknown` est accepté dans toutes les langues).
restore-point-unknown = inconnu
restore-point-question = point de restauration de #{ $number } : la date et l'heure dont datent ses données (2026-12-05 23:00, ou avec un décalage ; `{ $unknown }` ; Entrée pour annuler)
restore-point-not-a-point = `{ $typed }` n'est pas un point de restauration : écrivez sa date et son heure, comme 2026-12-05 23:00 (fuseau horaire de ce terminal) ou 2026-12-05T23:00:00+01:00
restore-point-not-in-zone = `{ $typed }` n'est pas une heure du fuseau horaire de ce terminal : { $error }
restore-point-later-than-now = `{ $typed }` est postérieur à maintenant ({ $now }) : un point de restauration est le moment dont datent les données restaurées, il est donc dans le passé ; vérifiez la date
