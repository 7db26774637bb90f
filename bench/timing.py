#!/usr/bin/env python3
"""Time reprise against its peers on the same generated graphs, in one run.

Called by bench/run, which builds reprise, installs the peers and passes
their paths in the environment (REPRISE, NINJA, MAKE, JUST, TASK, FLOOR).
Tools are alternated within each repetition so that machine noise falls on
all of them alike; the table reports medians and the ratio reprise / peer.
"""
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
REPS = int(os.environ.get("REPS", "5"))
TMPFS = "reprise, journal on tmpfs"
JOBS = "2"


def sh(cmd, cwd, env=None):
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-400:]}")
    return dt


def runners(tools):
    """name -> function(graph_dir) -> seconds."""
    out = {}

    def reprise(d):
        j = tempfile.mkdtemp(dir=OUT)
        try:
            return sh([tools["REPRISE"], "run", "--yes", "--jobs", JOBS,
                       "--journal", os.path.join(j, "j.jsonl"), "runbook.yaml"], d)
        finally:
            shutil.rmtree(j)
    out["reprise"] = reprise
    # The same with the journal in memory (tmpfs): no sync costs anything
    # there, so the difference is the durable journal's share. Not a
    # configuration to use; reported apart from the peers.
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        def reprise_tmpfs(d):
            j = tempfile.mkdtemp(dir="/dev/shm")
            try:
                return sh([tools["REPRISE"], "run", "--yes", "--jobs", JOBS,
                           "--journal", os.path.join(j, "j.jsonl"), "runbook.yaml"], d)
            finally:
                shutil.rmtree(j)
        out[TMPFS] = reprise_tmpfs
    if tools.get("NINJA"):
        def ninja(d):
            for f in (".ninja_log", ".ninja_deps"):
                try:
                    os.remove(os.path.join(d, f))
                except FileNotFoundError:
                    pass
            return sh([tools["NINJA"], "-j", JOBS, "-f", "build.ninja"], d)
        out["ninja"] = ninja
    if tools.get("MAKE"):
        out["make"] = lambda d: sh([tools["MAKE"], "-s", "-j", JOBS, "-f", "Makefile", "all"], d)
    if tools.get("JUST"):
        out["just"] = lambda d: sh([tools["JUST"], "--justfile", "justfile", "all"], d)
    if tools.get("TASK"):
        out["go-task"] = lambda d: sh([tools["TASK"], "--concurrency", JOBS, "-t", "Taskfile.yml", "default"], d)
    return out


def peak(cmd, cwd):
    """(seconds, peak RSS MiB) of one run under /usr/bin/time -v."""
    t = time.perf_counter()
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    if r.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {r.stderr[-400:]}")
    return dt, int(m.group(1)) / 1024 if m else float("nan")


def main():
    tools = {k: os.environ.get(k) for k in ("REPRISE", "NINJA", "MAKE", "JUST", "TASK", "FLOOR")}
    missing = [k.lower() for k in ("NINJA", "MAKE", "JUST", "TASK") if not tools[k]]
    os.makedirs(OUT, exist_ok=True)
    run = runners(tools)
    lines = []
    w = lines.append
    w(f"Run on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}, "
      f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
      f"{REPS} repetitions, tools alternated; `--jobs 2` / `-j 2` everywhere; "
      f"load average {os.getloadavg()[0]:.1f} at the start (a shared machine inflates wall times).")
    if missing:
        w(f"\nPeers that could not be run: {', '.join(missing)}.")
    w("")
    w("### Running 1,000 `true` commands (median wall time, seconds)\n")
    timed = list(run)
    names = [k for k in timed if k != TMPFS]
    w("| graph | " + " | ".join(names) + " | " + " | ".join(f"reprise / {n}" for n in names[1:]) + " |")
    w("|---" * (1 + 2 * len(names) - 1) + "|")
    share = []
    for shape, n in (("independent", 1000), ("chain", 1000), ("layered", 1000), ("fan", 1000)):
        d = os.path.join(OUT, f"{shape}-{n}")
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), shape, str(n), d], check=True)
        times = {k: [] for k in timed}
        for rep in range(REPS):
            order = timed[rep % len(timed):] + timed[:rep % len(timed)]
            for k in order:
                try:
                    times[k].append(run[k](d))
                except RuntimeError as e:
                    print(f"{shape}: {k}: {e}", file=sys.stderr)
        med = {k: statistics.median(v) if v else None for k, v in times.items()}
        cell = lambda x: f"{x:.3f}" if x is not None else "failed"
        ratio = lambda a, k: f"{med[a] / med[k]:.2f}×" if med.get(k) and med.get(a) else "–"
        w(f"| {shape} {n} | " + " | ".join(cell(med[k]) for k in names) + " | "
          + " | ".join(ratio("reprise", k) for k in names[1:]) + " |")
        print(lines[-1], file=sys.stderr)
        if TMPFS in med and "ninja" in med:
            share.append(f"| {shape} {n} | {cell(med['reprise'])} | {cell(med[TMPFS])} | {cell(med['ninja'])} "
                         f"| {ratio('reprise', 'ninja')} | {ratio(TMPFS, 'ninja')} |")
    if share:
        w("\n### The durable journal's share (same runs)\n")
        w("| graph | reprise | reprise, journal on tmpfs | ninja | reprise / ninja | tmpfs / ninja |")
        w("|---|---|---|---|---|---|")
        lines.extend(share)

    w("\n### `run` as the graph grows (median of 3, durable journal)\n")
    w("| graph | steps | time | time / previous |")
    w("|---|---|---|---|")
    for shape in ("fan", "layered", "chain"):
        prev = None
        for n in (1000, 2000, 4000):
            d = os.path.join(OUT, f"run-{shape}-{n}")
            subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), shape, str(n), d], check=True)
            t = statistics.median(run["reprise"](d) for _ in range(3))
            w(f"| {shape} | {n:,} | {t:.3f} s | {t / prev:.2f}× |" if prev else f"| {shape} | {n:,} | {t:.3f} s | – |")
            print(lines[-1], file=sys.stderr)
            prev = t

    w("\n### Validation and planning at scale (one run each, layered graphs)\n")
    w("| steps | file | YAML-parse floor | `check` | check / floor | `check` peak | floor peak | `plan` | `plan` peak |")
    w("|---|---|---|---|---|---|---|---|---|")
    for n in (1000, 10000, 100000):
        d = os.path.join(OUT, f"scale-{n}")
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "layered", str(n), d], check=True)
        size = os.path.getsize(os.path.join(d, "runbook.yaml")) / 2**20
        floor = [peak([tools["FLOOR"], "runbook.yaml"], d) for _ in range(3)]
        check = [peak([tools["REPRISE"], "check", "runbook.yaml"], d) for _ in range(3)]
        plan = [peak([tools["REPRISE"], "plan", "runbook.yaml"], d) for _ in range(3)]
        ft, fm = statistics.median(x[0] for x in floor), max(x[1] for x in floor)
        ct, cm = statistics.median(x[0] for x in check), max(x[1] for x in check)
        pt, pm = statistics.median(x[0] for x in plan), max(x[1] for x in plan)
        w(f"| {n:,} | {size:.1f} MiB | {ft:.3f} s | {ct:.3f} s | {ct / ft:.2f}× | {cm:.0f} MiB | {fm:.0f} MiB | {pt:.3f} s | {pm:.0f} MiB |")
        print(lines[-1], file=sys.stderr)

    w("\n### Linearity of `check` (median of 3)\n")
    w("| graph | steps | time | time / previous |")
    w("|---|---|---|---|")
    for shape in ("fan", "chain"):
        prev = None
        for n in (5000, 10000, 20000):
            d = os.path.join(OUT, f"lin-{shape}-{n}")
            subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), shape, str(n), d], check=True)
            t = statistics.median(peak([tools["REPRISE"], "check", "runbook.yaml"], d)[0] for _ in range(3))
            w(f"| {shape} | {n:,} | {t:.3f} s | {t / prev:.2f}× |" if prev else f"| {shape} | {n:,} | {t:.3f} s | – |")
            prev = t

    table = "\n".join(lines) + "\n"
    with open(os.path.join(OUT, "latest.md"), "w") as f:
        f.write(table)
    results = os.path.join(HERE, "RESULTS.md")
    begin, end = "<!-- bench/run: begin -->", "<!-- bench/run: end -->"
    text = open(results).read() if os.path.exists(results) else f"# Benchmark results\n\n{begin}\n{end}\n"
    if begin in text and end in text:
        text = text[: text.index(begin) + len(begin)] + "\n" + table + text[text.index(end):]
    with open(results, "w") as f:
        f.write(text)
    print(table)


if __name__ == "__main__":
    main()
