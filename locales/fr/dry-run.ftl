# `reprise run --dry-run` : l'aperçu de ce qui se passerait, et comment
# l'exécution se termine. Aussi la ligne après le résumé d'un exercice
# abandonné.

dry-run-header = Exercice à blanc de « { $name } » : rien ne sera exécuté ni demandé.
dry-run-vars = Les commandes reçoivent ces variables (dans leur environnement, par leur nom) :
dry-run-var-secret = *** (secrète)
dry-run-var-unset = (pas encore de valeur : demandée, ou donnée avec --var)
dry-run-in-order = Dans l'ordre, sans rien exécuter ni demander :
# Ce qui arrive à une étape (une colonne de 8 caractères).
dry-run-what-run = commande
dry-run-what-rollback = retour
dry-run-what-manual = manuelle
dry-run-what-confirm = feu vert
dry-run-what-skip = passée
dry-run-what-done = faite
dry-run-what-na = s.o.
dry-run-on = (sur { $hosts })
dry-run-role = rôle : { $role }
dry-run-hosts = hôtes : { $hosts }
dry-run-timeline = Chronologie simulée (d'après les estimations) :
dry-run-col-start = début
dry-run-col-step = étape
dry-run-col-duration = durée
dry-run-total = Total estimé : { $total }
dry-run-total-within = Total estimé : { $total } (dans la DMIA de { $rto })
dry-run-total-over = Total estimé : { $total } (AU-DELÀ de la DMIA de { $rto })
dry-run-result = exercice à blanc : { $result }
run-aborted = exercice abandonné : { $reason }
