# Les lignes qu'une commande écrit sur la sortie d'erreur quand elle ne peut
# pas faire son travail, et ses avertissements : erreurs, conseils et
# avertissements des commandes de l'exercice (run, attach, resume, status,
# report, assess, actions, sign, verify), dans la langue de l'exercice. Les
# diagnostics situés de `check` restent en anglais.

error-line = erreur : { $text }
hint-line = conseil : { $text }
warning-line = avertissement : { $text }

## run : l'exercice n'a pas pu commencer, ou s'est arrêté
run-unstarted = impossible de commencer l'exercice : { $why } ; { $left }
run-unstarted-clean = rien n'a été exécuté et aucun journal n'est resté
run-unstarted-clean-hint = libérez de la place là où va le journal (ou choisissez un autre `--journal`), puis recommencez
run-unstarted-left = rien n'a été exécuté ; supprimez { $journal } ({ $why })
run-unstarted-left-hint = libérez de la place là où va le journal, supprimez le journal, puis recommencez
run-stopped-resume-hint = toutes les commandes ont été arrêtées ; poursuivez l'exercice avec `reprise resume { $journal }`
run-stopped-hint = toutes les commandes ont été arrêtées ; ce qui a été enregistré est dans { $journal }
detach-not-started = l'exercice n'a pas démarré ({ $status })
detach-not-started-hint = sa sortie est ci-dessus et dans { $log }

## Un journal inutilisable (`verify`, `report`, `status`, `resume`, `sign`, `run --journal`…)
journal-io = impossible { $act ->
        [create] de créer le
        [open] d'ouvrir le
        [read] de lire le
        [write-to] d'écrire dans le
        [sync] de synchroniser le
        [lock] de verrouiller le
        [keep] de conserver le
        [create-the-folder-of] de créer le dossier du
        [sync-the-folder-of] de synchroniser le dossier du
        [truncate-the-torn-last-line-of] de couper la dernière ligne incomplète du
       *[other] de { $action } le
    } journal { $journal } : { $why }
journal-exists = le journal { $journal } existe déjà : poursuivez cet exercice avec `reprise resume { $journal }` ou choisissez un autre `--journal`
journal-locked = le journal { $journal } est utilisé par { $holder }
journal-holder = reprise (pid { $pid } sur la machine { $host }) depuis { $since }
journal-holder-gone = reprise (pid { $pid } sur la machine { $host }) depuis { $since }, qui est terminé ; un processus qu'il a lancé tient encore le journal
journal-holder-unknown = un autre processus
journal-bad-line = { $at } : { $problem }
journal-empty = le journal { $journal } ne contient aucun événement : l'exercice s'est arrêté avant de commencer
journal-poisoned = le journal { $journal } est inutilisable après une erreur d'écriture
journal-tampered-hint = le journal a été modifié après avoir été écrit ; gardez ce fichier comme preuve et comparez-le à toute copie
journal-damaged-hint = seule la dernière ligne peut être incomplète après un plantage ; ce dommage est ailleurs
journal-empty-hint = rien n'a été enregistré : supprimez le fichier et recommencez l'exercice avec `reprise run`
journal-locked-hint = un exercice par journal : attendez que ce processus se termine, ou suivez-le avec `reprise status --follow`

## attach
attach-not-allowed = vous ne pouvez pas vous rattacher à l'exercice de { $journal } : { $socket } n'admet que le compte qui l'a lancé et le groupe Unix donné avec --group ({ $why })
attach-not-allowed-hint = demandez au coordinateur de lancer (ou de reprendre) l'exercice avec `--group GROUPE` et d'ajouter votre compte à ce groupe ; voir docs/drill-guide.md
attach-not-running = aucun exercice n'est en cours sur { $journal } ({ $socket } : { $why })
attach-not-running-hint = poursuivez-le avec `reprise resume { $journal }`, ou suivez-le avec `reprise status --follow`
attach-drill-refused = l'exercice a refusé : { $why }

## Fichiers
cannot-read = impossible de lire { $path } : { $why }
cannot-write = impossible d'écrire { $path } : { $why }
lang-unknown = reprise n'a pas de messages dans la langue `{ $code }`
lang-unknown-hint = utilisez --lang en ou --lang fr
no-time-zone = impossible de connaître le fuseau horaire local ({ $why }) ; les heures locales sont données en UTC

## La chaîne d'un journal, sa dernière ligne (`report`, `status`, `verify`)
integrity-broken = { $error } ; la chaîne de hachage du journal est rompue, il peut ne pas dire ce qui s'est passé
integrity-broken-hint = gardez le fichier comme preuve et voyez `reprise verify { $journal }` ; `reprise { $command } --force { $journal }` l'affiche quand même, marqué non vérifié
integrity-unverified = { $problem } ; la chaîne de hachage est rompue : ce qui suit n'est pas vérifié
torn-ignored = { $journal } : { $torn } ; elle est ignorée
torn-unreadable = la ligne { $line } est illisible ({ $bytes } octets, la dernière ligne) : elle n'a jamais été écrite en entier
torn-incomplete = la ligne { $line } est incomplète ({ $bytes } octets, sans fin de ligne) : reprise s'est arrêté en l'écrivant
journal-no-start = le journal { $journal } ne commence pas par `run_started`
actions-file-changed-hint = le fichier des actions a été modifié après avoir été écrit

## verify, sign
verify-not-signed = { $journal } n'est pas signé : pas de { $signatures }
verify-not-signed-hint = signez-le avec `reprise sign JOURNAL`
verify-wrong-head = la signature { $n } ne correspond pas à ce journal : la ligne { $line } n'est pas celle qui a été signée
verify-wrong-head-hint = le journal a été modifié après avoir été signé, ou la signature est celle d'un autre journal
verify-unknown-key = la signature { $n } a été faite avec une clé absente de { $allowed } ({ $key })
verify-unknown-key-hint = ajoutez la clé publique du signataire au fichier des signataires autorisés si vous lui faites confiance
verify-bad-signature = la signature { $n } n'est pas valide : { $why }
verify-bad-signature-hint = la signature ou le journal a été modifié ; gardez les deux comme preuves
sign-torn = { $journal } : la dernière ligne est incomplète
sign-torn-hint = un exercice encore en cours d'écriture ne peut pas être signé : attendez qu'il se termine, ou reprenez-le
sign-no-key = aucune clé SSH trouvée dans ~/.ssh (id_ed25519, id_ecdsa, id_rsa)
sign-no-key-hint = donnez-en une avec --key CHEMIN, ou créez-en une avec `ssh-keygen -t ed25519`
sign-failed-hint = vérifiez la clé avec `ssh-keygen -l -f CLÉ`

## report
report-verify-hint = vérifiez le journal avec `reprise verify`
report-journal-hint = donnez le journal écrit par `reprise run`
report-not-a-drill = { $journal } : { $why }
report-pdf-no-output = un rapport PDF a besoin d'un fichier de sortie
report-pdf-no-output-hint = ajoutez `-o rapport.pdf`
report-pdf-hint = installez Chromium (Debian : `apt-get install chromium`), ou écrivez le HTML et imprimez-le depuis un navigateur
report-torn = { $journal } : la dernière ligne ({ $line }) est incomplète et a été laissée de côté
