# `reprise status --serve`, le serveur de l'écran mural : ses lignes de
# démarrage et d'arrêt et le texte de ses erreurs HTTP, dans la langue de
# l'exercice (ou celle de `--lang`).

serve-listening = écran mural { DE($journal) } sur { $url } (Ctrl-C l'arrête)
serve-stopped = arrêté
serve-open = { $journal } est servi sur { $addr }, joignable depuis le réseau sans jeton : ajoutez --token, ou placez-le derrière le proxy inverse de l'hôpital
serve-not-found = introuvable : cette page n'a que / et /events
serve-read-only = lecture seule : GET uniquement
serve-token = un jeton est nécessaire : utilisez l'adresse affichée au démarrage
serve-too-many = trop d'écrans suivent cet exercice

# Ses propres erreurs : l'adresse, les signaux, l'écoute.
serve-bad-address = `{ $addr }` n'est pas une adresse où écouter
serve-bad-address-hint = écrivez-la sous la forme IP:PORT, par exemple 127.0.0.1:8080 ou 0.0.0.0:8080
serve-no-signal-handler = impossible d'installer le gestionnaire de Ctrl-C : { $why }
serve-cannot-listen = impossible d'écouter sur { $addr } : { $why }
serve-cannot-listen-hint = choisissez une autre adresse avec --serve ADRESSE
serve-not-a-journal = { $journal } : ce n'est pas le journal d'un exercice (pas de `run_started`)
