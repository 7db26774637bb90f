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
