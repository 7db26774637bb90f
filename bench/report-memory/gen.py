#!/usr/bin/env python3
"""A large, valid journal for `bench/report-memory/run`.

    gen.py MB OUT.jsonl

writes a drill of 50 remote steps on 4 hosts each, every step failing and
retried until about MB megabytes are written: each attempt records
`step_started`, one `host_finished` per host with 5 lines of output of
~1 KB (what reprise records for a failed host) and `attempt_finished`;
each step ends with `step_finished` (failed, 20 lines of output), and the
drill with `run_finished`. Each line has its `seq` and the SHA-256 `prev`
of the line before, so `reprise verify` accepts it.
"""

import hashlib
import json
import sys
from datetime import datetime, timedelta, timezone

STEPS = 50
HOSTS = ["db1", "db2", "app1", "app2"]


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


class Journal:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.seq = 0
        self.prev = "0" * 64
        self.size = 0

    def write(self, t, event, **fields):
        line = {"seq": self.seq, "time": stamp(t), "event": event}
        line.update(fields)
        line["prev"] = self.prev
        data = (json.dumps(line, separators=(",", ":")) + "\n").encode()
        self.f.write(data)
        self.prev = hashlib.sha256(data).hexdigest()
        self.seq += 1
        self.size += len(data)


def output(step, attempt, host, n):
    return [
        f"[{host}] {step} attempt {attempt} line {i}: " + "replication lag too high " * 40
        for i in range(n)
    ]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    target = int(float(sys.argv[1]) * 1_000_000)
    ids = [f"s{i:03d}" for i in range(STEPS)]
    per_attempt = len(HOSTS) * 5 * 1050
    attempts = max(1, target // (STEPS * per_attempt))
    t = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
    j = Journal(sys.argv[2])
    j.write(
        t, "run_started",
        runbook="runbook.yaml",
        runbook_sha256=hashlib.sha256(b"synthetic").hexdigest(),
        name="Large journal", mode="drill", dry_run=False, operator="alice",
        host="bench", reprise_version="0.1.0", rto="8h",
        phases=[{"id": "main", "title": "Main"}],
        steps=[{"id": s, "title": f"Step {s}", "phase": "main", "kind": "command",
                "estimate": "60s", "hosts": HOSTS} for s in ids],
    )
    for s in ids:
        j.write(t, "step_ready", step=s)
        for a in range(1, attempts + 1):
            j.write(t, "step_started", step=s, attempt=a, pid=1000 + a)
            t += timedelta(seconds=1)
            for h in HOSTS:
                j.write(t, "host_finished", step=s, attempt=a, host=h, exit_code=1,
                        cause="exit", output_tail=output(s, a, h, 5))
            j.write(t, "attempt_finished", step=s, attempt=a, exit_code=1)
        j.write(t, "step_finished", step=s, outcome="failed", exit_code=1,
                reason="exit code 1", by="reprise", source="command", attempts=attempts,
                output_tail=output(s, attempts, "all", 20))
    j.write(t, "run_finished", result="degraded")
    j.f.close()
    print(f"{j.size} bytes, {j.seq} lines, {attempts} attempts per step", file=sys.stderr)


if __name__ == "__main__":
    main()
