# Les textes d'aide de `reprise --help` et du `--help` de chaque commande,
# par commande et identifiant d'argument (voir src/cli/help.rs).

## reprise
reprise-about = Mène les plans de reprise d'activité : valider un runbook, le prévisualiser, le dérouler en exercice chronométré, et en faire le rapport
reprise-after =
    Exemples :
      reprise check runbooks/demo.yaml
      reprise plan runbooks/demo.yaml
      reprise run runbooks/demo.yaml
      reprise report journals/demo-20261129T080000Z.jsonl -o rapport.md
      reprise compare journals/ --format html -o exercices.html

    Codes de sortie : 0 succès ou reprise réussie, 1 reprise dégradée, 2 entrée ou usage invalide, 3 interrompu.
reprise-arg-verbose = Plus de diagnostics sur la sortie d'erreur (-v : débogage, -vv : trace). RUST_LOG l'emporte
reprise-arg-log_file = Écrire aussi les diagnostics en lignes JSON dans ce fichier
reprise-arg-ascii = Seulement des symboles ASCII (`[ ]`, `ok`, `x`, `->`) dans ce que chaque commande écrit pour les personnes, pour les terminaux et polices qui n'en ont pas d'autres. Aussi REPRISE_ASCII=1 ; automatique quand la locale n'est pas en UTF-8 (LANG=C). Sur la console Linux (TERM=linux), les symboles que ses polices ont

## check
check-about = Valider des runbooks : syntaxe YAML, clés, types, identifiants, durées, dépendances et cycles. Chaque problème est montré avec son fichier, sa ligne et sa colonne
check-after =
    Exemples :
      reprise check runbooks/postgres-failover.yaml
      reprise check --strict runbooks/*.yaml
      reprise check --format json runbooks/*.yaml > diagnostics.json
      reprise check --connect db-restore.yaml    # un runbook avec des machines : essayer aussi chaque connexion ssh

    Codes de sortie : 0 chaque runbook est valide (avertissements permis, sauf avec --strict), 2 un runbook a des erreurs ou ne peut être lu (ou, avec --connect, une machine est injoignable).
check-arg-runbooks = Les fichiers runbook à vérifier
check-arg-strict = Échouer aussi sur les avertissements
check-arg-format = Comment écrire les diagnostics : `text` sur la sortie d'erreur (à la manière de rustc), ou `json` sur la sortie standard (un tableau de tous les diagnostics de tous les fichiers)
check-arg-connect = Essayer aussi de joindre chaque machine où tournent les étapes (`ssh HOST true`, en mode batch avec un court délai) et dire lesquelles sont injoignables

## plan
plan-about = Montrer ce que ferait un exercice, sans rien lancer : phases, étapes dans l'ordre où elles peuvent commencer, celles qui tournent en parallèle (vagues), le type, le rôle et l'estimation de chaque étape, et le chemin critique face à la DMIA
plan-after =
    Exemples :
      reprise plan runbooks/postgres-failover.yaml
      reprise plan --mode incident runbooks/postgres-failover.yaml
      reprise plan --format json runbooks/postgres-failover.yaml | jq '.critical_path'
      reprise plan --format dot runbooks/postgres-failover.yaml | dot -Tsvg > plan.svg
      reprise plan --format checklist runbooks/postgres-failover.yaml -o fiche.html
      reprise plan --format checklist --role dba --role network runbooks/postgres-failover.yaml -o fiches.html
      reprise plan runbooks/postgres-failover.yaml --history journals/
      reprise plan runbooks/postgres-failover.yaml --history journals/ --suggest | git apply

    Une fiche papier est une page HTML à imprimer en A4 et à remplir à la main quand l'informatique est tombée (docs/paper.md) ; `reprise transcribe` saisit les fiches ensuite.

    Codes de sortie : 0 le plan a été montré, 2 le runbook a des erreurs ou ne peut être lu (les erreurs sont montrées comme `reprise check` les montre).
plan-arg-runbook = Le runbook à planifier
plan-arg-mode = Planifier un exercice ou un incident (l'événement réel) : les étapes dont `only` nomme l'autre mode sont montrées comme non applicables et ne prennent pas de temps
plan-arg-jobs = Nombre maximal de commandes en même temps, comme pour `run` (par défaut : `defaults.jobs` du runbook, ou 32) : quand les commandes parallèles du plan sont plus nombreuses, le total qu'elles donnent (`run --dry-run` trouve le même) est montré aussi
plan-arg-format = `text` pour une personne, `json` pour les outils, `dot` (Graphviz) ou `mermaid` pour un dessin avec les phases en groupes et le chemin critique en rouge, `checklist` pour une fiche papier à imprimer (HTML, A4)
plan-arg-role = Avec `--format checklist` : un paquet par rôle, avec les étapes de ce rôle (à répéter pour plusieurs équipes), au lieu d'une section par phase
plan-arg-output = Écrire dans ce fichier au lieu de la sortie standard
plan-arg-lang = Avec `--format checklist` : la langue des fiches, en ou fr (par défaut : `lang:` du runbook, puis LANG)
plan-arg-history = Journaux d'exercices passés (fichiers, ou dossiers de fichiers `*.jsonl`) : montrer la médiane et le 90e centile de chaque étape face à son estimation, et le délai de reprise selon les estimations, à la médiane et au p90 (texte ou json)
plan-arg-suggest = Avec --history : écrire un diff unifié du runbook qui remplace chaque estimation écartée de plus de --threshold par le p90 mesuré (à appliquer avec `git apply` ou `patch -p1`)
plan-arg-threshold = Avec --suggest : remplacer les estimations écartées du p90 de plus de ce pourcentage
plan-arg-min_drills = Avec --suggest : seulement les étapes mesurées dans au moins ce nombre d'exercices
plan-arg-force = Avec --history : utiliser un journal abîmé jusqu'à son dommage, et passer un fichier qui n'est pas le journal d'un exercice, au lieu de s'arrêter

## run
run-about = Dérouler un runbook en exercice : lancer ses commandes (en parallèle là où le plan le permet), demander à l'opérateur de confirmer les étapes manuelles, appliquer les politiques d'échec, et tout noter dans un journal
run-after =
    Exemples :
      reprise run runbooks/postgres-failover.yaml
      reprise run runbooks/postgres-failover.yaml --dry-run
      reprise run rb.yaml --operator alice --jobs 4 --var DRP_ADMIN_TOKEN=… \
          --assume-done declarer='incident déclaré par téléphone' --skip archivage='baie absente'
      reprise run rb.yaml --answers repetition.yaml --journal exercices/repetition.jsonl
      reprise run rb.yaml --incident          # l'événement réel, pas un exercice

    Sans terminal, rien n'est confirmé en silence : donnez --yes (étapes manuelles et confirmations notées comme confirmées automatiquement) ou --answers FICHIER (voir docs/answers.md).

    Codes de sortie : 0 reprise réussie, 1 reprise dégradée, 2 entrée ou usage invalide (rien n'a été exécuté), 3 interrompu.
run-arg-runbook = Le runbook (YAML)
run-arg-incident = L'événement réel plutôt qu'un exercice (les étapes `only: drill` ne s'appliquent pas, les étapes `only: incident` sont exécutées)
run-arg-dry_run = Ne rien exécuter et ne rien demander : écrire ce qui serait lancé ou demandé, dans l'ordre, et une chronologie simulée d'après les estimations
run-arg-operator = Qui est au terminal (par défaut : le nom de connexion)
run-arg-jobs = Nombre maximal de commandes en même temps (par défaut : `defaults.jobs` du runbook, ou 32). Une commande attend une place libre ; l'attente est montrée et n'est pas comptée dans son temps
run-arg-vars = Valeur d'une variable du runbook (répétable). Visible de chaque utilisateur local pendant l'exercice : donnez plutôt les secrets avec --var-file, --var-env ou REPRISE_VAR_NOM. Les variables obligatoires sans valeur sont demandées à une invite masquée quand il y a un terminal
run-arg-env = Prendre la valeur de la variable NOM dans la variable d'environnement NOM (répétable). Toute variable REPRISE_VAR_NOM de l'environnement est prise sans cette option
run-arg-files = Prendre la valeur de la variable NOM dans FICHIER : tout son contenu, moins une fin de ligne finale, pour qu'une clé de plusieurs lignes marche (répétable). FICHIER ne doit être lisible et modifiable que par son propriétaire (chmod 600)
run-arg-assume_done = Noter une étape comme déjà faite avant le début, avec un motif (répétable)
run-arg-skip = Laisser une étape de côté, avec un motif ; celles qui en dépendent continuent (répétable)
run-arg-answers = Répondre à chaque question depuis ce fichier YAML (répétitions, tests ; voir docs/answers.md)
run-arg-yes = Noter les étapes manuelles et les confirmations comme faites (confirmées automatiquement) ; un échec avec `on_failure: ask` interrompt alors l'exercice
run-arg-journal = Fichier journal (par défaut : journals/<runbook>-<heure>.jsonl)
run-arg-notify = Envoyer aussi ces alertes (répétable) : des événements, séparés par des virgules, et une commande lancée avec `sh -c`, par exemple `step_waiting,step_failed=wall`. Voir docs/alerts.md
run-arg-detach = Lancer l'exercice en arrière-plan sans personne de rattaché, et rendre la main : il tourne dans sa propre session, sa sortie va dans JOURNAL.log, et chacun s'y rattache avec `reprise attach JOURNAL` (voir docs/attach.md)
run-arg-detached_drill = L'exercice d'arrière-plan lancé par `--detach` (les questions attendent un terminal rattaché)
run-arg-group = Laisser les membres de ce groupe Unix se rattacher (`reprise attach`) comme vous : la socket de l'exercice est créée en 0660 avec ce groupe (par défaut : 0600, vous seul). Voir docs/drill-guide.md

## resume
resume-about = Poursuivre un exercice depuis son journal : les étapes notées restent telles quelles et ne sont jamais relancées ; les étapes en cours ou ouvertes sont relancées (commandes idempotentes) ou soumises à l'opérateur
resume-after =
    Exemples :
      reprise resume journals/postgres-failover-20261129T080000Z.jsonl
      reprise resume journals/postgres-failover-20261129T080000Z.jsonl --operator bob   # l'équipe de nuit
      reprise resume exercice.jsonl --yes --var DB_PASSWORD=…   # sans terminal : relancer les étapes interrompues
      reprise resume exercice.jsonl --answers repetition.yaml

    Les variables secrètes et obligatoires ne sont pas notées : redonnez-les avec --var (ou tapez-les à l'invite). Sans terminal, une étape interrompue qui n'est pas idempotente demande --yes (la relancer) ou une réponse dans --answers (run, mark_done, mark_failed) ; voir docs/drill-guide.md pour la conduite à tenir après un plantage.

    Le runbook est relu depuis le chemin noté dans le journal (lancez resume depuis le dossier où l'exercice a commencé). Si son contenu a changé, resume refuse et liste les étapes modifiées, sauf avec --allow-changed.

    Codes de sortie : 0 reprise réussie, 1 reprise dégradée, 2 entrée ou usage invalide (journal abîmé ou terminé, runbook modifié), 3 interrompu.
resume-arg-journal = Le journal de l'exercice à poursuivre
resume-arg-notify = Envoyer aussi ces alertes (répétable), comme pour `reprise run`
resume-arg-operator = Qui est au terminal maintenant (par défaut : le nom de connexion)
resume-arg-jobs = Nombre maximal de commandes en même temps (par défaut : `defaults.jobs` du runbook, ou 32)
resume-arg-yes = Sans terminal : confirmer les étapes manuelles et les confirmations, et relancer les étapes interrompues (chacune notée comme confirmée automatiquement)
resume-arg-answers = Répondre aux questions depuis ce fichier YAML (identifiant d'étape → résultat ou décision)
resume-arg-allow_changed = Poursuivre même si le runbook a changé depuis le début de l'exercice (noté dans le journal)
resume-arg-vars = Valeur d'une variable du runbook (répétable). Visible de chaque utilisateur local pendant l'exercice : donnez plutôt les secrets avec --var-file, --var-env ou REPRISE_VAR_NOM. Les variables obligatoires sans valeur sont demandées à une invite masquée quand il y a un terminal
resume-arg-env = Prendre la valeur de la variable NOM dans la variable d'environnement NOM (répétable). Toute variable REPRISE_VAR_NOM de l'environnement est prise sans cette option
resume-arg-files = Prendre la valeur de la variable NOM dans FICHIER : tout son contenu, moins une fin de ligne finale, pour qu'une clé de plusieurs lignes marche (répétable). FICHIER ne doit être lisible et modifiable que par son propriétaire (chmod 600)
resume-arg-group = Laisser les membres de ce groupe Unix se rattacher, comme pour `reprise run` (par défaut : vous seul)

## verify
verify-about = Vérifier qu'un journal est intact : chaque ligne telle qu'écrite, aucune retirée, insérée ou déplacée
verify-after =
    Exemples :
      reprise verify journals/postgres-failover-20261129T080000Z.jsonl

    Écrit le nombre d'événements, le résultat de l'exercice et la tête (le hachage de la dernière ligne) : gardez la tête dans le ticket d'incident pour détecter une réécriture ultérieure de la fin du journal. Le format, et comment le vérifier à la main avec sha256sum, sont dans docs/journal.md.

    Codes de sortie : 0 intact, 2 modifié, abîmé ou illisible (la première ligne fautive est nommée).
verify-arg-journal = Le journal à vérifier (ou un fichier de clôtures `actions.jsonl`)
verify-arg-allowed_signers = Vérifier les signatures du journal (`reprise sign`) avec ce fichier allowed-signers d'OpenSSH, et dire qui a signé

## status
status-about = Montrer où en est un exercice : l'état de chaque étape, les étapes manuelles ouvertes, le temps écoulé face à la DMIA
status-after =
    Exemples :
      reprise status journals/postgres-failover-20261129T080000Z.jsonl
      reprise status --follow journals/postgres-failover-20261129T080000Z.jsonl

    La vue est dans la langue de l'exercice (`lang:` du runbook, puis LANG, ou --lang) : en français, les durées se lisent « 4 h 12 min » et les heures sont sur 24 h dans le fuseau local (TZ), nommé comme dans le rapport.

    Lecture seule : elle ne prend aucun verrou et n'écrit jamais, si bien que le reste de la cellule de crise peut suivre un exercice depuis un autre terminal pendant qu'il tourne. Avec --follow, un terminal est redessiné chaque demi-seconde ; un tube reçoit une ligne par nouvel événement.

    Un journal dont la chaîne de hachage est rompue (modifié après avoir été écrit) est refusé avec le code 2 ; --force le montre quand même, marqué non vérifié.

    Codes de sortie : 0 montré, 2 journal illisible, abîmé ou modifié. Avec --follow, une fois l'exercice terminé : son résultat, comme `reprise run` le donne (0 reprise réussie, 1 dégradée, 3 interrompu).
status-arg-journal = Le journal de l'exercice
status-arg-follow = Continuer à suivre : redessiner à mesure que le journal grandit, jusqu'à la fin de l'exercice (ou Ctrl-C)
status-arg-serve = Servir une page en direct, en lecture seule, de l'exercice pour un écran mural, à ADDR (par défaut 127.0.0.1:8080), jusqu'à Ctrl-C
status-arg-token = Avec --serve : exiger ce jeton dans l'URL de chaque requête (`?token=…`) ; `--token` seul en tire un au hasard. Écrit au démarrage
status-arg-force = Montrer un journal dont la chaîne de hachage est rompue (il a été modifié), marqué non vérifié, au lieu de le refuser
status-arg-lang = Langue de la vue (et de la page --serve) : en ou fr (par défaut : `lang:` du runbook, puis LANG). En français, les heures sont dans le fuseau local (TZ)

## transcribe
transcribe-about = Saisir dans un journal ce qui a été écrit sur les fiches papier (`reprise plan --format checklist`) : les heures écrites à la main, les résultats, les initiales et les motifs. Chaque enregistrement est marqué `source: paper`, avec votre compte système et l'heure de la saisie
transcribe-after =
    Exemples :
      reprise transcribe runbooks/ransomware.yaml --from fiches.yaml
      reprise transcribe journals/ransomware-20261206T080000Z.jsonl --from fiches.yaml
      reprise transcribe runbooks/ransomware.yaml

    Avec un runbook, un nouveau journal est commencé d'après les fiches ; avec le journal d'un exercice mené dans reprise jusqu'à la chute de l'informatique, les fiches le continuent : les étapes qu'il a notées restent telles quelles. Sans --from, les étapes sont demandées une à une au terminal, dans l'ordre du plan. Les heures s'écrivent `14:05`, `14h05`, ou en entier (`2026-12-06 14:05`) pour un exercice qui passe minuit. Le format du fichier des fiches est dans docs/paper.md.

    Une fiche qui se contredit ou contredit le journal (une étape qui finit avant de commencer, commence avant la fin d'une étape qu'elle suit, ou est plus ancienne que ce que contient le journal) est refusée avec l'endroit de chaque problème ; rien n'est écrit tant que la fiche n'est pas corrigée.

    Codes de sortie : 0 saisi, 2 la fiche, le runbook ou le journal a des erreurs (rien n'est écrit).
transcribe-arg-input = Un runbook, pour commencer un journal d'après les fiches, ou le journal d'un exercice (`.jsonl`) à continuer
transcribe-arg-from = Lire les fiches depuis ce fichier YAML (voir docs/paper.md) au lieu de demander au terminal
transcribe-arg-journal = Avec un runbook : le journal à créer (par défaut `journals/<runbook>-<première heure papier>.jsonl`)
transcribe-arg-mode = Avec un runbook : si les fiches notent un exercice ou l'incident
transcribe-arg-operator = Avec un runbook : qui a mené l'exercice (par défaut : `operator` du fichier des fiches, sinon votre nom de connexion)

## report
report-about = Écrire le rapport d'exercice depuis son journal : prévu face au réel, délai de reprise face à la DMIA, écarts et leurs motifs, où le temps est passé, observations, et un diagramme chronologique
report-after =
    Exemples :
      reprise report journals/postgres-failover-20261129T080000Z.jsonl > rapport.md
      reprise report journals/postgres-failover-20261129T080000Z.jsonl --format html -o rapport.html
      reprise report exercice.jsonl --format json | jq '.recovery.time_to_recovery_seconds'

    Les heures sont données dans le fuseau local (TZ). Un journal dont la chaîne de hachage est rompue (modifié après avoir été écrit) est refusé ; --force écrit quand même le rapport, marqué non vérifié en tête (et `journal.unverified` en JSON). `reprise verify` écrit aussi la tête et vérifie les signatures. Les formats sont décrits dans docs/report.md.

    Codes de sortie : 0 écrit, 2 journal illisible, abîmé ou modifié, ou le fichier de sortie ne peut être écrit.
report-arg-journal = Le journal de l'exercice (marche sur un journal encore en cours d'écriture ou interrompu, et sur un essai à blanc)
report-arg-format = Format de sortie : Markdown avec un diagramme Mermaid, une page HTML autonome avec un diagramme SVG, ou JSON (décrit dans docs/report.md)
report-arg-output = Écrire le rapport dans ce fichier au lieu de la sortie standard (nécessaire pour `--format pdf`)
report-arg-lang = Langue des sections du dossier d'exercice : en ou fr (par défaut : `lang:` du runbook, puis LANG)
report-arg-force = Écrire le rapport d'un journal dont la chaîne de hachage est rompue (il a été modifié), marqué non vérifié, au lieu de le refuser

## assess
assess-about = Évaluer les critères de réussite de l'exercice (`objectives.criteria`) : chacun atteint, partiellement atteint ou non atteint, avec un commentaire. Ajouté au journal, chaîné par hachage, après l'exercice ; le rapport montre en tête la dernière évaluation de chaque critère
assess-after =
    Exemples :
      reprise assess exercice.jsonl                       # demande chaque critère à un terminal
      reprise assess exercice.jsonl 2 partiellement_atteint "résultats en 2h40, pas 2h"
      reprise assess exercice.jsonl --from evaluation.yaml

    Un fichier d'évaluation est une liste YAML : `- {"{"}criterion: 1, verdict: met, comment: "…"{"}"}`. Verdicts : met, partly_met, not_met (en français : atteint, partiellement_atteint, non_atteint).

    Codes de sortie : 0 noté, 2 entrée invalide, ou le journal est abîmé ou utilisé.
assess-arg-journal = Le journal de l'exercice
assess-arg-criterion = Le numéro du critère (tel que le rapport et `reprise plan` les listent)
assess-arg-verdict = met, partly_met ou not_met (atteint, partiellement_atteint, non_atteint)
assess-arg-comment = Pourquoi
assess-arg-from = Lire les évaluations depuis un fichier YAML
assess-arg-by = Le nom noté comme évaluateur (par défaut : votre nom de connexion)

## action
action-about = Noter une action corrective décidée au retour d'expérience : qui, pour quand, quoi. Ajoutée au journal (chaîné par hachage) ; le rapport la liste et `reprise actions` la suit d'un exercice à l'autre jusqu'à sa clôture
action-after =
    Exemples :
      reprise action exercice.jsonl labo 2027-01-15 "scripter la vérification de restauration du SIL"

    Pendant l'exercice, tapez plutôt `action RESPONSABLE ÉCHÉANCE TEXTE` à l'invite.

    Codes de sortie : 0 noté, 2 entrée invalide, ou le journal est abîmé ou utilisé.
action-arg-journal = Le journal de l'exercice
action-arg-owner = Qui doit la mener (une personne ou une équipe)
action-arg-due = Pour quand (AAAA-MM-JJ)
action-arg-text = Ce qui doit être fait
action-arg-step = L'étape qu'elle concerne
action-arg-by = Le nom noté (par défaut : votre nom de connexion)

## actions
actions-about = Lister les actions correctives ouvertes d'un ou plusieurs exercices, les plus anciennes d'abord, ou en clore une
actions-after =
    Exemples :
      reprise actions journals/
      reprise actions journals/ --close 3f2a9c1e --reason "vérification de restauration scriptée (ticket 4411)"

    L'identifiant d'une action est fait des 8 premiers chiffres hexadécimaux du hachage de la ligne de journal qui l'a notée. Les clôtures sont notées dans `actions.jsonl` dans le dossier du (premier) journal, un fichier en ajout seul, chaîné par hachage, que `reprise verify` vérifie.

    Codes de sortie : 0 listé ou clos, 2 entrée invalide ou fichier abîmé.
actions-arg-paths = Des journaux, ou des dossiers de journaux
actions-arg-close = Clore cette action
actions-arg-reason = Ce qui a été fait (avec --close)
actions-arg-all = Lister aussi les actions closes

## sign
sign-about = Signer le compte rendu de l'exercice : signer la tête du journal (le hachage de sa dernière ligne, qui couvre toutes les lignes d'avant) avec une clé SSH, par `ssh-keygen -Y sign` (espace de noms `reprise`). La signature est ajoutée à `JOURNAL.signatures` ; le rapport la montre et `reprise verify --allowed-signers FICHIER` la vérifie
sign-after =
    Exemples :
      reprise sign exercice.jsonl --role "responsable du plan"
      reprise sign exercice.jsonl --key ~/.ssh/id_ed25519 --role RSSI
      reprise verify exercice.jsonl --allowed-signers signataires

    Le fichier allowed-signers est celui d'OpenSSH (ssh-keygen(1), ALLOWED SIGNERS) : une ligne `alice@hopital.example ssh-ed25519 AAAA…` par personne. Le texte signé est décrit dans docs/journal.md, si bien qu'une signature peut être vérifiée à la main.

    Codes de sortie : 0 signé, 2 journal abîmé, pas de clé, ou refus de ssh-keygen.
sign-arg-journal = Le journal de l'exercice
sign-arg-key = La clé : un fichier de clé privée, ou une clé publique dont la moitié privée est dans ssh-agent (par défaut : ~/.ssh/id_ed25519, id_ecdsa, puis id_rsa)
sign-arg-role = En quelle qualité vous signez (« responsable du plan », « RSSI », « directeur »)

## attach
attach-about = Rattacher ce terminal à un exercice en cours : voir ce qui est noté, répondre aux éléments de votre équipe, ajouter des notes, sous votre propre compte (l'exercice le tient du système). `détacher`, Ctrl-D ou Ctrl-C laissent l'exercice tourner. Si le processus de l'exercice meurt, ce terminal attend et se rattache tout seul dès que `reprise resume` le relance
attach-after =
    Exemples :
      reprise attach journals/pra-20261206T081500Z.jsonl --as labo --role lab
      reprise attach journals/pra-20261206T081500Z.jsonl --observer --as auditeur
      ssh -t crisis-host reprise attach /srv/pra/journals/pra-20261206T081500Z.jsonl

    Codes de sortie : 0 détaché ou exercice terminé, 2 aucun exercice en cours sur ce journal.
attach-arg-journal = Le journal de l'exercice en cours
attach-arg-name = Le nom que portent vos enregistrements (par défaut : votre nom de connexion)
attach-arg-roles = Montrer d'abord les éléments ouverts de ce rôle (répétable ; par défaut : les rôles de votre compte dans `roles:` du runbook)
attach-arg-read_only = Seulement regarder : la vue en direct, rien de ce que vous tapez n'est noté
attach-arg-observer = Regarder et noter des observations (`note TEXTE`) en observateur ; le rapport les liste à part. Rien d'autre n'est noté

## notify-test
notify-test-about = Envoyer un message de test par chaque destinataire d'alerte du runbook (et de `--notify`), et dire lesquels ont marché : à lancer avant l'exercice, pour qu'une mauvaise adresse de webhook soit trouvée le lundi, pas le dimanche à 3 h 10
notify-test-after =
    Exemples :
      reprise notify-test runbooks/hopital-baie-stockage.yaml
      reprise notify-test rb.yaml --notify step_waiting='wall'

    Codes de sortie : 0 chaque destinataire a marché, 1 certains ont échoué, 2 entrée invalide ou aucun destinataire.
notify-test-arg-runbook = Le runbook (YAML)
notify-test-arg-notify = D'autres destinataires, comme pour `reprise run --notify`

## compare
compare-about = Comparer des exercices d'un même plan d'après leurs journaux, les plus anciens d'abord : délai de reprise face à la DMIA et la marge, modifications du runbook (étapes ajoutées, retirées, modifiées), le temps réel de chaque étape par exercice avec sa tendance, où le temps est passé, et les écarts, avec les étapes qui s'écartent dans plusieurs exercices
compare-after =
    Exemples :
      reprise compare journals/
      reprise compare journals/postgres-failover-*.jsonl --format html -o exercices.html
      reprise compare journals/ --format json | jq '.drills[].rto_margin_secs'

    Les journaux d'un autre plan que celui de l'exercice le plus récent (d'après le nom du runbook) et les essais à blanc sont laissés de côté avec un avertissement. Un journal abîmé est refusé, sauf avec --force. Les heures sont données dans le fuseau local (TZ). Le texte, le Markdown et le HTML parlent la langue de l'exercice le plus récent (`lang:` de son runbook, puis LANG, ou --lang) : en français, les durées se lisent « 4 h 12 min ». docs/history.md décrit la sortie.

    Codes de sortie : 0 écrit, 2 journal illisible ou abîmé, aucun exercice, ou le fichier de sortie ne peut être écrit.
compare-arg-journals = Les journaux des exercices (fichiers, ou dossiers de fichiers `*.jsonl`)
compare-arg-format = Format de sortie
compare-arg-output = Écrire dans ce fichier au lieu de la sortie standard
compare-arg-force = Utiliser un journal abîmé jusqu'à son dommage, et passer un fichier qui n'est pas le journal d'un exercice, au lieu de s'arrêter
compare-arg-lang = Langue du texte, du Markdown et du HTML : en ou fr (par défaut : `lang:` du runbook de l'exercice le plus récent, puis LANG). Le JSON est le même dans toutes les langues

## schema
schema-about = Écrire le schéma JSON du format des runbooks
schema-long-about = Écrire le schéma JSON (draft 2020-12) du format des runbooks sur la sortie standard, pour les éditeurs qui complètent et vérifient le YAML pendant la frappe. Il est produit d'après les listes de clés de l'analyseur lui-même ; `reprise check` reste l'autorité (les cycles, les identifiants inconnus et les durées ne sont vérifiés que là).
schema-after =
    Exemples :
      reprise schema > runbook.schema.json
      # puis, en première ligne d'un runbook (yaml-language-server, par exemple l'extension YAML de VS Code) :
    { "  # yaml-language-server: $schema=./runbook.schema.json" }

## completions
completions-about = Écrire un script de complétion pour le shell
completions-long-about = Écrire un script de complétion pour le shell sur la sortie standard, produit d'après les mêmes définitions que celles que le programme analyse.
completions-after =
    Exemples :
      reprise completions bash > ~/.local/share/bash-completion/completions/reprise
      reprise completions zsh > ~/.zfunc/_reprise    # avec fpath+=(~/.zfunc) avant compinit
      reprise completions fish > ~/.config/fish/completions/reprise.fish
completions-arg-shell = Le shell pour lequel écrire le script
