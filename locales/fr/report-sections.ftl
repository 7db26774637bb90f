# Les sections du rapport ajoutées après la première traduction : le
# tableau des services, les notes des observateurs, les fins par machine,
# les libellés du graphique.

services-title = Services
services-intro = Un service compte comme rétabli quand la dernière étape qui le restaure est faite, chronométré depuis le début de l'exercice ; les données perdues vont du plus ancien point de restauration enregistré par ses étapes au début de l'exercice.
services-col-service = Service
services-col-restored-by = Rétabli par
services-col-recovered-after = Rétabli après
services-col-rto = DMIA
services-col-restore-point = Point de restauration
services-col-data-lost = Données perdues
services-col-rpo = PDMA
services-rto-met = respectée, avec { $time } de marge
services-rto-missed = dépassée de { $time }
services-rto-open = en cours, { $time } restantes
services-rto-overdue = en retard de { $time }
services-rto-not-recovered = non rétabli
services-rpo-met = respectée
services-rpo-missed = dépassée de { $time }
services-rpo-not-measured = non mesurée : aucun point de restauration enregistré
services-recovered-at = { " " }(à { $time })
services-not-restored = non rétabli : { $step } { $outcome }
services-not-yet = pas encore
fact-data-lost = données perdues : { $time }

observers-title = Notes des observateurs
observers-intro = Écrites pendant l'exercice par les observateurs (rattachés avec `--observer` : ils regardent et notent, sans jamais enregistrer une étape), chacun sous son propre compte.
col-observer = Observateur

performed-by-reprise = reprise sur { $host }
performed-by-reprise-as = reprise, compte { $account }, sur { $host }

host-timed-out = délai dépassé
host-killed = tuée par { $signal }
host-could-not-start = ssh n'a pas pu démarrer : { $error }
host-no-status = terminée, sans code de sortie
host-no-end-interrupted = aucune fin enregistrée : l'exercice s'est arrêté pendant son exécution
host-no-end-running = encore en cours au dernier événement
host-no-end = aucune fin enregistrée
cause-unreachable = injoignable
cause-auth = authentification refusée
cause-host_key = clé d'hôte inconnue ou modifiée
cause-exit = code de sortie { $code }
cause-exit-unknown = échec
cause-signal = tuée par { $signal }
cause-a-signal = un signal
cause-timed_out = délai dépassé
cause-aborted = abandonnée
cause-not_started = ssh n'a pas pu démarrer
cause-connection_lost = connexion perdue pendant l'exécution

gantt-not-reached = non atteinte
gantt-beyond = { $label } (au-delà du graphique) →
gantt-journal-ends = fin du journal
gantt-rto = DMIA { $time }
