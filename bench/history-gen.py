#!/usr/bin/env python3
"""Synthetic drill history for `reprise plan --history` and `reprise compare`.

    history-gen.py STEPS DRILLS DIR [SEED]

writes DIR/runbook.yaml (STEPS steps in layers of 50, each step needing two
of the layer before; every 10th step manual, the others commands) and
DIR/journals/drill-NNN.jsonl, one journal per drill, as `reprise run` writes
them: `run_started` with the plan, then for every step `step_ready`,
`step_started` / `attempt_finished` (a retry for 1 step in 20) and
`step_finished`, and `run_finished`; each line with its `seq` and the
SHA-256 `prev` of the line before (so `reprise verify` accepts them).
Durations are random around each step's estimate (seeded: the same
arguments give the same files). About 4 lines per step per drill: 100
drills of 1,000 steps are 400,000 lines, ~80 MB.
"""

import hashlib
import json
import os
import random
import sys
from datetime import datetime, timedelta, timezone

LAYER = 50
NAME = "Synthetic history"


def step_ids(n):
    return [f"s{i:05d}" for i in range(n)]


def needs_of(i, ids):
    layer = i // LAYER
    if layer == 0:
        return []
    base = (layer - 1) * LAYER
    return sorted({ids[base + (i * 7) % LAYER], ids[base + (i * 13 + 1) % LAYER]})


def estimate_of(i):
    return 30 + (i * 37) % 600  # 30 s … 10 min


def write_runbook(path, n):
    ids = step_ids(n)
    out = [
        "version: 1",
        f"name: {NAME}",
        "objectives:",
        "  rto: 8h",
        "defaults:",
        "  timeout: 1h",
        "steps:",
    ]
    for i, sid in enumerate(ids):
        out.append(f"  - id: {sid}")
        out.append(f"    title: Step {i}")
        needs = needs_of(i, ids)
        if needs:
            out.append(f"    needs: [{', '.join(needs)}]")
        if i % 10 != 9:
            out.append('    run: "true"')
        out.append(f"    estimate: {estimate_of(i)}s")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


class Journal:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.seq = 0
        self.prev = "0" * 64

    def write(self, t, event, **fields):
        line = {"seq": self.seq, "time": stamp(t), "event": event}
        line.update(fields)
        line["prev"] = self.prev
        data = (json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n").encode()
        self.f.write(data)
        self.prev = hashlib.sha256(data).hexdigest()
        self.seq += 1

    def close(self):
        self.f.close()


def write_drill(path, n, k, rng, start):
    ids = step_ids(n)
    plan = []
    for i, sid in enumerate(ids):
        s = {
            "id": sid,
            "title": f"Step {i}",
            "phase": "main",
            "kind": "manual" if i % 10 == 9 else "command",
            "estimate": f"{estimate_of(i)}s",
        }
        needs = needs_of(i, ids)
        if needs:
            s["needs"] = needs
        plan.append(s)
    j = Journal(path)
    j.write(
        start,
        "run_started",
        runbook="runbook.yaml",
        runbook_sha256=hashlib.sha256(b"synthetic").hexdigest(),
        name=NAME,
        mode="drill",
        dry_run=False,
        operator="alice",
        host="bench",
        reprise_version="0.1.0",
        rto="8h",
        phases=[{"id": "main", "title": "Main"}],
        steps=plan,
    )
    # Steps in file order are a topological order (needs point back).
    end = {}
    events = []
    for i, sid in enumerate(ids):
        ready = max([end[x] for x in needs_of(i, ids)], default=start)
        took = timedelta(milliseconds=int(estimate_of(i) * 1000 * rng.uniform(0.5, 1.8)))
        events.append((ready, 0, sid, "ready", None))
        attempts = 0
        if i % 10 == 9:
            fin = ready + took
        else:
            attempts = 2 if rng.random() < 0.05 else 1
            t = ready
            for a in range(1, attempts + 1):
                events.append((t, 1, sid, "started", a))
                t = t + took / attempts
                events.append((t, 2, sid, "attempt", (a, 0 if a == attempts else 1)))
                if a < attempts:
                    t = t + timedelta(seconds=5)
            fin = t
        end[sid] = fin
        events.append((fin, 3, sid, "finished", attempts))
    events.sort(key=lambda e: (e[0], e[1]))
    for t, _, sid, kind, extra in events:
        if kind == "ready":
            j.write(t, "step_ready", step=sid)
        elif kind == "started":
            j.write(t, "step_started", step=sid, attempt=extra, pid=1000 + extra)
        elif kind == "attempt":
            a, code = extra
            j.write(t, "attempt_finished", step=sid, attempt=a, exit_code=code)
        elif extra == 0:  # manual
            j.write(t, "step_finished", step=sid, outcome="done", by="alice", source="operator")
        else:
            j.write(t, "step_finished", step=sid, outcome="done", exit_code=0, by="reprise",
                    source="command", attempts=extra)
    j.write(max(end.values()), "run_finished", result="recovered")
    j.close()


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    n, drills, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) == 5 else 18)
    os.makedirs(os.path.join(out, "journals"), exist_ok=True)
    write_runbook(os.path.join(out, "runbook.yaml"), n)
    first = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
    for k in range(drills):
        write_drill(
            os.path.join(out, "journals", f"drill-{k + 1:03d}.jsonl"),
            n, k, rng, first + timedelta(days=7 * k),
        )


if __name__ == "__main__":
    main()
