#!/usr/bin/env python3
"""Writes the fixture journals used by the report tests.

Each journal is a list of (minutes after the start, event) pairs; this script
adds `seq`, `time` and the `prev` hash chain exactly as the journal writer
does (SHA-256 of the previous line's bytes, newline included; 64 zeros for
the first line), so the fixtures also pass `reprise verify`.

Run it from anywhere: `python3 tests/journals/generate.py`. The .jsonl files
are committed; edit this script and re-run it rather than editing them.
"""

import hashlib
import json
import os
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
START = datetime(2026, 11, 28, 8, 0, 0, tzinfo=timezone.utc)
SHA = "5d41402abc4b2a76b9719d911017c592" * 2


def stamp(minutes):
    t = START + timedelta(seconds=round(minutes * 60, 3))
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def write(name, events, torn=None):
    prev = "0" * 64
    out = b""
    for seq, (minutes, event) in enumerate(events):
        line = {"seq": seq, "time": stamp(minutes), "prev": prev}
        line.update(event)
        data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        prev = hashlib.sha256(data).hexdigest()
        out += data
    if torn is not None:
        out += torn.encode()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(out)


def started(name, steps, phases, rto=None, rpo=None, mode="drill", dry_run=False, operator="alice"):
    e = {
        "event": "run_started",
        "runbook": "runbooks/plan.yaml",
        "runbook_sha256": SHA,
        "name": name,
        "mode": mode,
        "dry_run": dry_run,
        "operator": operator,
        "host": "pra-laptop-01",
        "reprise_version": "0.1.0",
        "phases": [{"id": i, "title": t} for i, t in phases],
        "steps": steps,
    }
    if rto:
        e["rto"] = rto
    if rpo:
        e["rpo"] = rpo
    return e


def step(id, title, phase, kind, estimate=None, needs=(), role=None, critical=False, only=None):
    s = {"id": id, "title": title, "phase": phase, "kind": kind}
    if role:
        s["role"] = role
    if estimate:
        s["estimate"] = estimate
    if critical:
        s["critical"] = True
    if needs:
        s["needs"] = list(needs)
    if only:
        s["only"] = only
    return s


def ready(s):
    return {"event": "step_ready", "step": s}


def start(s, attempt=1, pid=4242):
    return {"event": "step_started", "step": s, "attempt": attempt, "pid": pid}


def attempt(s, n, code=0, **kw):
    e = {"event": "attempt_finished", "step": s, "attempt": n, "exit_code": code}
    e.update(kw)
    if code is None:
        del e["exit_code"]
    return e


def finished(s, outcome, by="reprise", source="command", **kw):
    e = {"event": "step_finished", "step": s, "outcome": outcome, "by": by, "source": source}
    e.update(kw)
    return e


def decision(s, d, by, reason=None, source="operator"):
    e = {"event": "decision", "step": s, "decision": d, "by": by, "source": source}
    if reason:
        e["reason"] = reason
    return e


def note(text, by, step=None):
    e = {"event": "note", "text": text, "by": by}
    if step:
        e["step"] = step
    return e


def run_finished(result):
    return {"event": "run_finished", "result": result}


# 1. Recovered: a command retried automatically, a confirm step, a note with
#    markup, a handover; titles with markup, quotes and ampersands.
STORAGE_STEPS = [
    step("declarer", "Déclarer l'incident et ouvrir la cellule de crise", "alerte", "manual", "10m", role="direction"),
    step("etat-baie", "Relever l'état de la baie", "alerte", "command", "2m", role="stockage"),
    step("arret-non-critiques", "Arrêter les applications non critiques", "bascule", "confirm", "5m", ["declarer", "etat-baie"], role="système"),
    step("bascule-san", "Basculer les volumes sur SAN-SUD-01", "bascule", "command", "30m", ["arret-non-critiques"], role="stockage", critical=True),
    step("verif-dpi", "Vérifier l'accès <b>Dossier patient</b> & \"urgences\"", "bascule", "manual", "10m", ["bascule-san"], role="applications"),
]
write("recovered.jsonl", [
    (0, started("Panne de la baie de stockage – hôpital Nord", STORAGE_STEPS,
                [("alerte", "Alerte et évaluation"), ("bascule", "Bascule sur la baie de secours")],
                rto="1h", rpo="15m")),
    (0, ready("declarer")), (0, ready("etat-baie")), (0, start("etat-baie", 1, 5001)),
    (0.5, attempt("etat-baie", 1, 1)),
    (1.5, start("etat-baie", 2, 5002)),
    (2.5, attempt("etat-baie", 2, 0)),
    (2.5, finished("etat-baie", "done", attempts=2, exit_code=0)),
    (8, note("Le \"runbook\" ne mentionne pas <script>alert('x')</script> & le numéro d'astreinte", "alice", "declarer")),
    (9, finished("declarer", "done", by="alice", source="operator")),
    (9, ready("arret-non-critiques")),
    (11, decision("arret-non-critiques", "run", "alice")),
    (11, start("arret-non-critiques", 1, 5003)),
    (13, attempt("arret-non-critiques", 1, 0)),
    (13, finished("arret-non-critiques", "done", attempts=1, exit_code=0)),
    (13, ready("bascule-san")), (13, start("bascule-san", 1, 5004)),
    (20, {"event": "handover", "from": "alice", "to": "bob", "note": "Relève de 8h20 — bob prend la main"}),
    (41, attempt("bascule-san", 1, 0)),
    (41, finished("bascule-san", "done", attempts=1, exit_code=0)),
    (41, ready("verif-dpi")),
    (52, finished("verif-dpi", "done", by="bob", source="operator")),
    (52, note("Bascule plus longue que prévu : 28 min au lieu de 30 estimées, OK", "bob")),
    (52.01, run_finished("recovered")),
])

# 2. Degraded: a failed command with its output tail (secret masked), the
#    operator continues; a critical step skipped with a reason; RTO missed.
PG_STEPS = [
    step("stop-app", "Stop the application servers", "failover", "command", "2m", role="ops"),
    step("promote-replica", "Promote the replica", "failover", "command", "5m", ["stop-app"], role="dba"),
    step("switch-dns", "Point db.internal at the new primary", "failover", "manual", "5m", ["promote-replica"], role="network", critical=True),
    step("check-app", "Check the application | login & orders", "verify", "manual", "10m", ["switch-dns"], role="ops"),
    step("notify-cnil", "Notify the data-protection authority", "verify", "manual", "15m", ["check-app"], role="dpo", only="incident"),
]
write("degraded.jsonl", [
    (0, started("PostgreSQL failover", PG_STEPS,
                [("failover", "Failover"), ("verify", "Verification")], rto="20m", rpo="5m", operator="carol")),
    (0, finished("notify-cnil", "not_applicable", source="engine", reason="only in incident mode")),
    (0, ready("stop-app")), (0, start("stop-app", 1, 6001)),
    (1, attempt("stop-app", 1, 0)), (1, finished("stop-app", "done", attempts=1, exit_code=0)),
    (1, ready("promote-replica")), (1, start("promote-replica", 1, 6002)),
    (4, attempt("promote-replica", 1, 3)),
    (9, decision("promote-replica", "continue", "carol", "replica already promoted by hand during the incident call")),
    (9, finished("promote-replica", "failed", attempts=1, exit_code=3, reason="replica already promoted by hand during the incident call",
                 output_tail=["pg_ctl: connecting with PGPASSWORD=***", "pg_ctl: server is not in standby mode", "error: promote failed (exit 3)"])),
    (9, ready("switch-dns")),
    (25, finished("switch-dns", "skipped", by="carol", source="operator", reason="DNS team unreachable; hosts files edited instead")),
    (25, ready("check-app")),
    (38, finished("check-app", "done", by="carol", source="operator")),
    (38.5, note("Nobody had the DNS team's on-call number.\nAdd it to the runbook.", "carol", "switch-dns")),
    (38.5, run_finished("degraded")),
])

# 3. Aborted: the operator aborts during a running step, which is stopped;
#    a completed step is rolled back.
DC_STEPS = [
    step("shed-load", "Shed non-essential load", "power", "command", "5m", role="facilities"),
    step("start-generator", "Start the generator", "power", "manual", "10m", ["shed-load"], role="facilities", critical=True),
    step("restart-core", "Restart the core switches", "network", "command", "15m", ["start-generator"], role="network"),
]
write("aborted.jsonl", [
    (0, started("Data-centre power loss", DC_STEPS, [("power", "Power"), ("network", "Network")], rto="30m", operator="dave")),
    (0, ready("shed-load")), (0, start("shed-load", 1, 7001)),
    (3, attempt("shed-load", 1, 0)), (3, finished("shed-load", "done", attempts=1, exit_code=0)),
    (3, ready("start-generator")),
    (12, {"event": "abort_requested", "by": "dave", "reason": "generator fuel line leaking: stop the exercise"}),
    (12, finished("start-generator", "aborted", source="engine", reason="the drill was aborted")),
    (12.5, {"event": "rollback_started", "step": "shed-load"}),
    (14, {"event": "rollback_finished", "step": "shed-load", "outcome": "done", "exit_code": 0, "by": "dave"}),
    (14, run_finished("aborted")),
])

# 4. Interrupted: a real incident whose process died mid-write: no
#    `run_finished`, a command still running, a torn last line.
write("interrupted.jsonl", [
    (0, started("Ransomware: restore the file servers", [
        step("isolate", "Isolate the infected VLAN", "contain", "manual", "10m", role="security"),
        step("restore", "Restore the file servers from backup", "restore", "command", "2h", ["isolate"], role="backup", critical=True),
        step("verify", "Verify file shares", "restore", "manual", "20m", ["restore"], role="support"),
    ], [("contain", "Containment"), ("restore", "Restore")], rto="4h", rpo="24h", mode="incident", operator="erin")),
    (0, ready("isolate")),
    (7, finished("isolate", "done", by="erin", source="operator")),
    (7, ready("restore")), (7, start("restore", 1, 8001)),
    (35, note("Restore throughput 80 MB/s, slower than the 200 MB/s assumed", "erin", "restore")),
], torn='{"seq":6,"time":"2026-11-28T08:50:00.000Z","prev":"ab')

# 5. Dry run: nothing executed, every step confirmed by the engine.
write("dry-run.jsonl", [
    (0, started("Panne de la baie de stockage – hôpital Nord", STORAGE_STEPS,
                [("alerte", "Alerte et évaluation"), ("bascule", "Bascule sur la baie de secours")],
                rto="1h", rpo="15m", dry_run=True)),
    (0, ready("declarer")), (0, ready("etat-baie")),
    (0, finished("declarer", "done", source="engine", reason="dry run")),
    (0, finished("etat-baie", "done", source="engine", reason="dry run")),
    (0, ready("arret-non-critiques")),
    (0, finished("arret-non-critiques", "done", source="engine", reason="dry run")),
    (0, ready("bascule-san")),
    (0, finished("bascule-san", "done", source="engine", reason="dry run")),
    (0, ready("verif-dpi")),
    (0, finished("verif-dpi", "done", source="engine", reason="dry run")),
    (0.001, run_finished("recovered")),
])

# 6. Resumed: the laptop died while a command ran; another operator resumed
#    two hours later on another machine and re-ran it.
write("resumed.jsonl", [
    (0, started("Restore the intranet from backup", [
        step("fetch", "Fetch the last backup", "restore", "command", "10m", role="backup"),
        step("restore-db", "Restore the database", "restore", "command", "20m", ["fetch"], role="dba"),
        step("smoke", "Smoke-test the intranet", "restore", "manual", "5m", ["restore-db"], role="support"),
    ], [("restore", "Restore")], rto="4h", operator="frank")),
    (0, ready("fetch")), (0, start("fetch", 1, 9001)),
    (8, attempt("fetch", 1, 0)), (8, finished("fetch", "done", by="frank", attempts=1, exit_code=0)),
    (8, ready("restore-db")), (8, start("restore-db", 1, 9002)),
    (15, note("Laptop battery at 3 %", "frank")),
    (130, {"event": "run_resumed", "operator": "grace", "host": "pra-laptop-02", "reprise_version": "0.1.0"}),
    (131, decision("restore-db", "run", "grace", "the restore is not idempotent but the target was dropped first")),
    (131, start("restore-db", 2, 9100)),
    (150, attempt("restore-db", 2, 0)), (150, finished("restore-db", "done", by="grace", attempts=2, exit_code=0)),
    (150, ready("smoke")),
    (156, finished("smoke", "done", by="grace", source="operator")),
    (156, run_finished("recovered")),
])

# 7. A French hospital drill (`lang: fr`) with everything a dossier shows:
#    services with RTO and RPO (one met, one missed), a restore point typed
#    by the operator, a remote step on three hosts (a failure, a timeout,
#    a retry), a local command, an observer's note and a player's note.
HOSP_STEPS = [
    step("declarer", "Déclarer l'incident", "alerte", "manual", "5m", role="direction"),
    dict(step("arret-sil", "Arrêter le SIL sur les serveurs", "bascule", "command", "5m", ["declarer"], role="système"),
         hosts=["sil1", "sil2", "sil3"]),
    dict(step("restaurer-dpi", "Restaurer le DPI", "bascule", "manual", "20m", ["arret-sil"], role="applications", critical=True),
         restores=["DPI"], records=["restore_point"]),
    dict(step("relancer-labo", "Relancer le laboratoire", "bascule", "command", "10m", ["restaurer-dpi"], role="labo"),
         restores=["Laboratoire"]),
]
hosp_started = started("Bascule SIL – hôpital Nord", HOSP_STEPS,
                       [("alerte", "Alerte"), ("bascule", "Bascule")], rto="1h", rpo="15m", operator="alice")
hosp_started["services"] = [{"name": "DPI", "rto": "30m", "rpo": "1h"}, {"name": "Laboratoire", "rto": "20m", "rpo": "10m"}]
hosp_started["exercise"] = {"scenario": "Perte de la baie principale.", "lang": "fr",
                            "criteria": ["Le laboratoire rend des résultats dans les 2 h"]}


def host_end(s, n, host, code=None, **kw):
    e = {"event": "host_finished", "step": s, "attempt": n, "host": host}
    if code is not None:
        e["exit_code"] = code
    e.update(kw)
    return e


write("dossier-fr.jsonl", [
    (0, hosp_started),
    (0, ready("declarer")),
    (2, {"event": "note", "text": "La cellule se réunit sans le directeur", "by": "oscar", "account": "oscar", "observer": True}),
    (4, finished("declarer", "done", by="alice", source="operator")),
    (4, ready("arret-sil")), (4, start("arret-sil", 1, 5101)),
    (5, host_end("arret-sil", 1, "sil1", 0)),
    (6, host_end("arret-sil", 1, "sil2", 1, cause="exit", output_tail=["sil: service busy"])),
    (9, host_end("arret-sil", 1, "sil3", signal="SIGTERM", timed_out=True, cause="timed_out")),
    (9, attempt("arret-sil", 1, 1)),
    (10, start("arret-sil", 2, 5102)),
    (11, host_end("arret-sil", 2, "sil2", 0)),
    (12, host_end("arret-sil", 2, "sil3", 0)),
    (12, attempt("arret-sil", 2, 0)),
    (12, finished("arret-sil", "done", attempts=2, exit_code=0)),
    (12, ready("restaurer-dpi")),
    (30, {"event": "restore_point", "step": "restaurer-dpi", "point": "2026-11-28T07:20:00.000Z",
          "written": "2026-11-28T08:20:00+01:00", "by": "alice", "source": "operator"}),
    (30, finished("restaurer-dpi", "done", by="alice", source="operator")),
    (30, ready("relancer-labo")), (30, start("relancer-labo", 1, 5103)),
    (38, attempt("relancer-labo", 1, 0)),
    (38, finished("relancer-labo", "done", attempts=1, exit_code=0)),
    (38.5, note("Le numéro d'astreinte du labo manquait", "alice", "relancer-labo")),
    (38.5, run_finished("recovered")),
])
