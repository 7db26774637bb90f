# Les motifs que le moteur écrit dans le journal (event::EngineReason), tels
# que le terminal les montre.
engine-reason-aborted = l'exercice a été abandonné
engine-reason-aborted-before-decision = l'exercice a été abandonné avant une décision
engine-reason-aborted-while-running = l'exercice a été abandonné pendant son exécution
engine-reason-aborted-unrecorded = l'exercice a été abandonné ; reprise s'est arrêté avant que la fin de cette étape soit enregistrée
engine-reason-done-before-interruption = faite sur tous les hôtes avant l'interruption
engine-reason-only-in-drill = ne s'exécute qu'en exercice
engine-reason-only-in-incident = ne s'exécute qu'en incident réel
