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
       *[other] { DE($action) } le
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
attach-not-allowed = vous ne pouvez pas vous rattacher à l'exercice { DE($journal) } : { $socket } n'admet que le compte qui l'a lancé et le groupe Unix donné avec --group ({ $why })
attach-not-allowed-hint = demandez au coordinateur de lancer (ou de reprendre) l'exercice avec `--group GROUPE` et d'ajouter votre compte à ce groupe ; voir docs/drill-guide.md
attach-not-running = aucun exercice n'est en cours sur { $journal } ({ $socket } : { $why })
attach-not-running-hint = poursuivez-le avec `reprise resume { $journal }`, ou suivez-le avec `reprise status --follow`
attach-drill-refused = l'exercice a refusé : { $why }

## Fichiers
cannot-read = impossible de lire { $path } : { $why }
cannot-write = impossible d'écrire { $path } : { $why }
cannot-write-stdout = impossible d'écrire sur la sortie standard : { $why }
lang-unknown = reprise n'a pas de messages dans la langue `{ $code }`
lang-unknown-hint = utilisez --lang en ou --lang fr
no-time-zone = impossible de connaître le fuseau horaire local ({ $why }) ; les heures locales sont données en UTC

## La chaîne d'un journal, sa dernière ligne (`report`, `status`, `verify`)
integrity-broken = { $error } ; la chaîne de hachage du journal est rompue, il peut ne pas dire ce qui s'est passé
integrity-broken-hint = gardez le fichier comme preuve et voyez `reprise verify { $journal }` ; `reprise { $command } --force { $journal }` l'affiche quand même, marqué non vérifié
integrity-unverified = { $problem } ; la chaîne de hachage est rompue : ce qui suit n'est pas vérifié
torn-ignored = { $journal } : { $torn } ; elle est ignorée
torn-unreadable = la ligne { $line } est illisible ({ $bytes } octets, la dernière ligne) : elle n'a jamais été écrite en entier
torn-incomplete = la ligne { $line } est incomplète ({ $bytes } octets, sans fin de ligne) : reprise s'est arrêté en l'écrivant
journal-no-start = le journal { $journal } ne commence pas par `run_started`
actions-file-changed-hint = le fichier des actions a été modifié après avoir été écrit

## verify, sign
verify-not-signed = { $journal } n'est pas signé : pas { DE($signatures) }
verify-not-signed-hint = signez-le avec `reprise sign JOURNAL`
verify-wrong-head = la signature { $n } ne correspond pas à ce journal : la ligne { $line } n'est pas celle qui a été signée
verify-wrong-head-hint = le journal a été modifié après avoir été signé, ou la signature est celle d'un autre journal
verify-unknown-key = la signature { $n } a été faite avec une clé absente { DE($allowed) } ({ $key })
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

## assess
assess-no-criteria = { $journal } : le runbook de l'exercice n'a pas de critères de réussite
assess-no-criteria-hint = écrivez-les sous `objectives.criteria:` dans le runbook avant le prochain exercice
assess-file-hint = écrivez une liste de `- {"{"}criterion: 1, verdict: met, comment: "…"{"}"}`
assess-none = aucune évaluation donnée
assess-none-hint = donnez `N VERDICT COMMENTAIRE`, ou `--from FICHIER`, ou lancez la commande à un terminal
assess-no-such-criterion = il n'y a pas de critère { $n } : le runbook en a { $count }
assess-no-such-criterion-hint = numérotez-les de 1 à { $count }, comme le rapport
assess-cannot-read-answer = impossible de lire la réponse : { $why }

## action, actions
action-not-a-date = `{ $text }` n'est pas une date
action-not-a-date-hint = écrivez-la AAAA-MM-JJ
action-empty = une action a besoin d'un responsable et d'un texte
action-no-step = l'exercice n'a pas d'étape `{ $step }`
action-none = aucune action `{ $id }` dans ces journaux
action-none-hint = listez-les avec `reprise actions DOSSIER`
action-several = `{ $id }` désigne plusieurs actions
action-several-hint = donnez une plus grande partie de l'identifiant
action-closed-already = l'action { $id } a déjà été close par { $by } le { $date }

## run, resume : des questions auxquelles personne ne peut répondre, des approbations jamais scriptées
steps-listed = { $more ->
        [0] { $names }
       *[other] { $names } et { $more } autres
    }
nothing-was = { $what ->
        [resumed] rien n'a été repris
       *[run] rien n'a été exécuté
    }
refuse-no-answer = { $file } n'a pas de réponse pour { $steps }, que l'opérateur doit confirmer ou décider : { $nothing }
refuse-no-answer-hint = ajoutez une réponse pour chacune (voir docs/answers.md), ou lancez l'exercice à un terminal
refuse-no-terminal = il n'y a pas de terminal pour confirmer { $steps } : { $nothing }
refuse-no-terminal-hint = lancez-le à un terminal, ou donnez --yes (confirmer les étapes manuelles et les confirmations) ou --answers FICHIER (toutes les réponses écrites d'avance, voir docs/answers.md)
refuse-interrupted = { $count ->
        [one] l'étape { $steps } a été interrompue et n'est pas idempotente : quelqu'un doit décider s'il faut la relancer, et il n'y a pas de terminal pour le demander{ $also } : { $nothing }
       *[other] les étapes { $steps } ont été interrompues et ne sont pas idempotentes : quelqu'un doit décider s'il faut les relancer, et il n'y a pas de terminal pour le demander{ $also } : { $nothing }
    }
refuse-nothing-else = {""}
refuse-nor-confirm = , ni pour confirmer { $steps }
refuse-interrupted-hint = lancez-le à un terminal, ajoutez `--yes` (relancer les étapes interrompues, confirmer les étapes manuelles et les confirmations), ou répondez à chacune dans --answers FICHIER (run, mark_done ou mark_failed pour une étape interrompue ; voir docs/answers.md)
refuse-scripted-approvals = l'étape { $n } `{ $step }` demande { $approvals } approbations, et { $flag } l'approuverait automatiquement : une vraie bascule n'est jamais approuvée automatiquement ; rien n'a été exécuté
refuse-scripted-approvals-hint = menez l'incident à un terminal sans { $flag }, chaque approbateur confirmant depuis son propre compte

## Des mots dits par plusieurs commandes
as-written = { $text }
did-you-mean = vouliez-vous dire `{ $id }` ?
see-file = voir { $path }
cannot-create = impossible de créer { $path } : { $why }
cannot-open = impossible d'ouvrir { $path } : { $why }
cannot-use = impossible d'utiliser { $path } : { $why }

## run : ses arguments, son runbook, ses dossiers, ses réponses
run-step-twice = l'étape `{ $step }` est donnée deux fois dans --assume-done / --skip
run-group-hint = voir docs/drill-guide.md, « A crisis host »
run-invalid-runbook = `{ $runbook }` n'est pas un runbook valide : rien n'a été exécuté
run-invalid-runbook-hint = corrigez-le et vérifiez-le avec `reprise check { $runbook }`
run-no-step = { $flag } { $value } : pas d'étape `{ $id }` dans le runbook
run-no-step-hint = `reprise plan RUNBOOK` liste les identifiants des étapes
run-no-reason = { $flag } { $value } : une raison est obligatoire
run-no-reason-hint = écrivez-le { $flag } { $id }='pourquoi'
run-log-folder = impossible de créer le dossier des journaux d'étapes { $folder } : { $why }
run-log-folder-unsafe = les journaux d'étapes ne seront pas écrits dans { $folder } : { $why }
run-log-folder-unsafe-hint = supprimez-le ou corrigez-le (chmod 700, à vous), ou donnez un autre --journal
run-cannot-listen = impossible d'écouter les terminaux sur { $socket } : { $why }
run-no-attach = les autres terminaux ne peuvent pas se rattacher à cet exercice : { $socket } : { $why }
answers-unusable = impossible d'utiliser le fichier de réponses : { $why }
answers-invalid = le fichier de réponses { $file } n'est pas valide : rien n'a été exécuté
answers-invalid-hint = son format est décrit dans docs/answers.md
criteria-cannot-read = impossible de lire l'évaluation : { $why }
criteria-cannot-record = impossible d'enregistrer l'évaluation : { $why }
detach-journal-exists = { $journal } existe déjà : un exercice commence son propre journal
detach-journal-exists-hint = pour poursuivre cet exercice : `reprise resume { $journal }`
detach-no-program = impossible de trouver le programme de reprise lui-même : { $why }
detach-cannot-start = impossible de lancer l'exercice en arrière-plan : { $why }
detach-not-listening = l'exercice (pid { $pid }) n'écoute pas encore sur { $socket }

## Variables
var-unknown = { $flag } { $name } : le runbook n'a pas de variable `{ $name }`
var-env-missing = --var-env { $name } : l'environnement n'a pas de variable `{ $name }` (ou elle n'est pas en UTF-8)
var-env-missing-hint = faites export { $name }=… avant de lancer reprise
var-file-form = --var-file { $given } : NOM=FICHIER attendu
var-form = --var { $given } : NOM=VALEUR attendu
var-secret-on-command-line = --var { $name }=… met le secret `{ $name }` sur la ligne de commande, où chaque utilisateur de cette machine peut le lire pendant l'exercice ; donnez-le avec --var-file { $name }=FICHIER (chmod 600), --var-env { $name }, ou { $prefix }{ $name }
var-file-refused = --var-file { $name }={ $file } : { $why }
var-file-refused-hint = gardez la valeur dans un fichier à vous : chmod 600 { $file }
var-file-unreadable = impossible de le lire : { $why }
var-file-not-regular = ce n'est pas un fichier ordinaire
var-file-open-mode = son mode { $mode } permet à d'autres utilisateurs de le lire ou de le modifier
var-file-not-yours = il appartient à l'uid { $uid }, pas à vous
var-cannot-read = impossible de lire { $name } : { $why }
var-pass-hint = donnez-la avec --var { $name }=VALEUR
var-required = la variable { $name } est obligatoire et n'a pas de valeur : rien n'a été exécuté

## resume
resume-torn-removed = { $journal } : { $torn } ; elle a été retirée avant de poursuivre
resume-finished = l'exercice { DE($journal) } est déjà terminé ({ $result ->
        [recovered] reprise réussie
        [degraded] reprise dégradée
        [aborted] interrompu
       *[other] { $result }
    }) à { $at } : il n'y a rien à reprendre
resume-finished-hint = consultez-le avec `reprise report { $journal }` ; commencez un nouvel exercice avec `reprise run { $runbook }`
resume-changed = le runbook { $runbook } a changé depuis le début de l'exercice (sha256 { $recorded } dans le journal, { $now } maintenant) :
    { $what }
resume-changed-hint = remettez le runbook tel qu'il était, ou ajoutez `--allow-changed` pour poursuivre avec le nouveau (ce sera noté dans le journal)
resume-changed-allowed = le runbook { $runbook } a changé depuis le début de l'exercice ; l'exercice se poursuit avec le nouveau contenu (--allow-changed) :
    { $what }
resume-step-gone = l'étape `{ $step }` est dans le journal mais n'est plus dans le runbook : ignorée
resume-runbook-unusable = impossible de reprendre : le runbook { $runbook } noté dans le journal n'est pas utilisable
resume-runbook-unusable-hint = lancez `reprise resume` depuis le dossier où l'exercice a commencé, avec le runbook tel qu'il était
