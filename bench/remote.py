"""Remote steps at fleet scale (bench/remote): reprise against xargs -P +
ssh, pdsh, parallel-ssh and Ansible (raw and command), on one OpenSSH
server on loopback that listens on 127.0.0.1-127.0.0.100 and so is reached
as 100 hosts, each connection its own. Every tool runs `echo ok` on the 100
hosts with the same key, the same known_hosts and strict host key checking.
reprise runs the work as one step on 100 hosts (`max_parallel: P`) and as
100 one-host steps (`--jobs P`); then once through a bastion with stock
settings (MaxStartups 10:30:100). Writes its table into RESULTS.md between
the bench/remote markers."""

import datetime
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPRISE = os.environ["REPRISE"]
PDSH = os.environ.get("PDSH") or None
PSSH = os.environ.get("PSSH") or None
ANSIBLE = os.environ.get("ANSIBLE") or None
# QUICK=1: one repetition, and Ansible (minutes per run on a loaded
# machine) only at the highest parallelism: about 5-10 minutes in all.
QUICK = os.environ.get("QUICK") == "1"
# NO_ANSIBLE=1 (bench/remote): Ansible left out, said "not run".
NO_ANSIBLE = os.environ.get("NO_ANSIBLE") == "1"
REPS = int(os.environ.get("REPS", "1" if QUICK else "3"))
HOSTS = int(os.environ.get("HOSTS", "100"))
# PARALLEL=10 measures one parallelism alone (e.g. on a quiet moment).
PARALLEL = [int(p) for p in os.environ.get("PARALLEL", "10,50").split(",")]
# No run of a tool may hang the bench: one that takes longer is recorded
# as timed out (its hosts counted as failed).
RUN_LIMIT = 600
CMD = "echo ok"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keygen(path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


def start_sshd(d, port, addresses, settings="", n=0):
    cfg = d / f"sshd_config_{port}_{n}"
    listen = "".join(f"ListenAddress {a}\n" for a in addresses)
    cfg.write_text(
        f"{settings}Port {port}\n{listen}HostKey {d}/host_key\n"
        f"AuthorizedKeysFile {d}/authorized_keys\nPidFile {d}/sshd_{port}_{n}.pid\n"
        "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nLogLevel ERROR\n"
    )
    os.makedirs("/run/sshd", exist_ok=True)
    p = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(cfg)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=open(d / f"sshd_{port}_{n}.log", "w"))
    for _ in range(100):
        try:
            socket.create_connection((addresses[-1], port), timeout=0.2).close()
            return p
        except OSError:
            time.sleep(0.05)
    sys.exit(f"sshd on port {port} did not start: {(d / f'sshd_{port}_{n}.log').read_text()}")


def timed(cmd, cwd=None, env=None):
    t = time.perf_counter()
    try:
        out = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=RUN_LIMIT).stdout
    except subprocess.TimeoutExpired:
        out = ""
    return time.perf_counter() - t, out


def main():
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="rb-", dir="/tmp"))
    d = work
    keygen(d / "host_key")
    keygen(d / "user_key")
    shutil.copy(d / "user_key.pub", d / "authorized_keys")
    port, bport = free_port(), free_port()
    addrs = [f"127.0.0.{i}" for i in range(1, HOSTS + 1)]
    # Generous limits on the hosts' server (100 hosts really are 100
    # servers); stock ones on the bastion.
    # sshd listens on at most 16 addresses: one server per 16.
    servers = [start_sshd(d, port, addrs[k:k + 16], "MaxStartups 200\nMaxSessions 100\n", k)
               for k in range(0, len(addrs), 16)]
    bastion = start_sshd(d, bport, ["127.0.0.1"], "")
    key = (d / "host_key.pub").read_text().split()[:2]
    kh = d / "known_hosts"
    kh.write_text("".join(f"[{a}]:{port} {' '.join(key)}\n" for a in addrs)
                  + f"[127.0.0.1]:{bport} {' '.join(key)}\n")
    ssh_opts = ["-p", str(port), "-i", str(d / "user_key"), "-oIdentitiesOnly=yes",
                f"-oUserKnownHostsFile={kh}", "-oBatchMode=yes",
                "-oStrictHostKeyChecking=yes", "-oUpdateHostKeys=no", "-oConnectTimeout=10"]
    (d / "hosts").write_text("".join(f"{a}:{port}\n" for a in addrs))
    inv = d / "inventory.ini"
    inv.write_text("[fleet]\n" + "".join(f"{a} ansible_port={port}\n" for a in addrs)
                   + "[fleet:vars]\nansible_user=root\n"
                   + f"ansible_ssh_private_key_file={d}/user_key\n"
                   + f"ansible_ssh_common_args='-oUserKnownHostsFile={kh} -oStrictHostKeyChecking=yes -oIdentitiesOnly=yes'\n"
                   + "ansible_python_interpreter=/usr/bin/python3\n")

    def host_entries(jump=False):
        j = ", jump: bastion" if jump else ""
        lines = [f"  h{i}: {{address: {a}, port: {port}, identity_file: {d}/user_key, known_hosts: {kh}{j}}}\n"
                 for i, a in enumerate(addrs, 1)]
        if jump:
            lines.append(f"  bastion: {{address: 127.0.0.1, port: {bport}, identity_file: {d}/user_key, known_hosts: {kh}}}\n")
        return "".join(lines)

    def runbook(path, shape, p, jump=False):
        head = f"version: 1\nname: Fleet\ndefaults:\n  timeout: 5m\nhosts:\n{host_entries(jump)}steps:\n"
        names = [f"h{i}" for i in range(1, HOSTS + 1)]
        if shape == "one step":
            steps = f"  - id: all\n    title: All\n    host: [{', '.join(names)}]\n    max_parallel: {p}\n    run: '{CMD}'\n"
        else:
            steps = "".join(f"  - id: s{i}\n    title: S{i}\n    host: {n}\n    run: '{CMD}'\n"
                            for i, n in enumerate(names, 1))
        path.write_text(head + steps)

    def reprise(shape, p, jump=False):
        run = Path(tempfile.mkdtemp(dir=work))
        runbook(run / "drill.yaml", shape, p, jump)
        secs, out = timed([REPRISE, "run", "--yes", "--jobs", str(p), "drill.yaml"], cwd=run,
                          env={**os.environ, "NO_COLOR": "1"})
        ok = 0
        for j in (run / "journals").glob("*.jsonl"):
            for line in j.read_text().splitlines():
                e = json.loads(line)
                if e.get("event") == "host_finished" and e.get("exit_code") == 0:
                    ok += 1
        return secs, ok

    def xargs(p):
        cmd = ["xargs", "-P", str(p), "-I{}", "ssh", *ssh_opts, "{}", CMD]
        t = time.perf_counter()
        out = subprocess.run(cmd, input="\n".join(addrs) + "\n", stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        return time.perf_counter() - t, out.stdout.split().count("ok")

    def pdsh(p):
        env = {**os.environ, "PDSH_RCMD_TYPE": "ssh",
               "PDSH_SSH_ARGS": " ".join(ssh_opts) + " %h"}
        secs, out = timed([PDSH, "-f", str(p), "-w", f"127.0.0.[1-{HOSTS}]", CMD], env=env)
        return secs, len(re.findall(r": ok$", out, re.M))

    def pssh(p):
        secs, out = timed([PSSH, "-p", str(p), "-t", "0", "-h", str(d / "hosts"),
                           "-x", " ".join(o for o in ssh_opts if o not in ("-p", str(port))), CMD])
        return secs, out.count("[SUCCESS]")

    def ansible(module, p):
        cp = Path(tempfile.mkdtemp(dir=work))
        env = {**os.environ, "ANSIBLE_HOST_KEY_CHECKING": "True",
               "ANSIBLE_SSH_CONTROL_PATH_DIR": str(cp), "ANSIBLE_LOCAL_TEMP": str(cp / "tmp"),
               "ANSIBLE_GATHERING": "explicit", "ANSIBLE_NOCOLOR": "1"}
        secs, out = timed([ANSIBLE, "fleet", "-i", str(inv), "-f", str(p), "-m", module, "-a", CMD], env=env)
        # Its shared connections (ControlPersist, its default) are closed
        # outside the timing.
        for s in cp.iterdir():
            if s.is_socket():
                subprocess.run(["ssh", "-o", f"ControlPath={s}", "-O", "exit", "x"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return secs, len(re.findall(r"\| (CHANGED|SUCCESS) \| rc=0", out))

    tools = [("xargs -P + ssh", xargs), ("pdsh", pdsh if PDSH else None),
             ("parallel-ssh", pssh if PSSH else None),
             ("Ansible raw", (lambda p: ansible("raw", p)) if ANSIBLE else None),
             ("Ansible command", (lambda p: ansible("command", p)) if ANSIBLE else None)]
    results = {}
    for p in PARALLEL:
        for rep in range(REPS):
            for shape in ("one step", "100 steps"):
                results.setdefault(("reprise", shape, p), []).append(reprise(shape, p))
            for name, fn in tools:
                # Ansible is slow: one run of it per parallelism (quick:
                # at the highest only).
                if fn is None or (name.startswith("Ansible")
                                  and (rep > 0 or (QUICK and p != PARALLEL[-1]))):
                    continue
                results.setdefault((name, "", p), []).append(fn(p))
            print(f"parallelism {p}, repetition {rep + 1} done", file=sys.stderr)
    via_bastion = reprise("one step", 10, jump=True)
    xargs_j = None
    t = time.perf_counter()
    out = subprocess.run(["xargs", "-P", "50", "-I{}", "ssh", *ssh_opts,
                          f"-oProxyCommand=ssh -p {bport} -i {d}/user_key -oIdentitiesOnly=yes "
                          f"-oUserKnownHostsFile={kh} -oBatchMode=yes -oStrictHostKeyChecking=yes "
                          "-W %h:%p 127.0.0.1", "{}", CMD],
                         input="\n".join(addrs) + "\n", stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True,
                         env={**os.environ})
    xargs_j = (time.perf_counter() - t, out.stdout.split().count("ok"))
    for server in servers:
        server.terminate()
    bastion.terminate()

    def fn_of(name):
        return dict(tools).get(name)

    def med(key):
        runs = results.get(key)
        if not runs:
            return None, None
        return statistics.median(r[0] for r in runs), min(r[1] for r in runs)

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_after = os.getloadavg()
    load = lambda l: ", ".join(f"{x:.1f}" for x in l)
    lines = [f"Run on {now}, {platform.machine()}, {os.cpu_count()} CPUs; "
             f"median of {REPS} run(s) (Ansible: one run{', at parallelism ' + str(PARALLEL[-1]) + ' only' if QUICK else ''}); "
             f"`echo ok` on {HOSTS} hosts "
             f"(sshd on loopback listening on 127.0.0.1-{HOSTS}), strict host key checking everywhere. "
             f"Load average (1, 5, 15 min) {load(load_before)} at the start, {load(load_after)} at the end.",
             "",
             f"### One command on {HOSTS} hosts (wall time, seconds; hosts that succeeded)",
             "",
             f"| parallelism | reprise, one step on {HOSTS} hosts | reprise, {HOSTS} one-host steps | "
             + " | ".join(n for n, _ in tools) + " | "
             + " | ".join(f"one step / {n}" for n, _ in tools) + f" | {HOSTS} steps / xargs |",
             "|---|---|---|" + "---|" * (2 * len(tools) + 1)]
    for p in PARALLEL:
        one, one_ok = med(("reprise", "one step", p))
        many, many_ok = med(("reprise", "100 steps", p))
        cells = [str(p), f"{one:.2f} s ({one_ok}/{HOSTS})", f"{many:.2f} s ({many_ok}/{HOSTS})"]
        ratios = []
        for name, _ in tools:
            t, ok = med((name, "", p))
            if t is None:
                cells.append("not run" if fn_of(name) or (name.startswith("Ansible") and NO_ANSIBLE)
                             else "not installed")
                ratios.append("–")
            else:
                cells.append(f"{t:.2f} s ({ok}/{HOSTS})")
                ratios.append(f"{one / t:.2f}×")
        xt, _ = med(("xargs -P + ssh", "", p))
        cells += ratios + [f"{many / xt:.2f}×"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["",
              "### Through a bastion with stock settings (`MaxStartups 10:30:100`)",
              "",
              "| tool | hosts that succeeded | wall time |",
              "|---|---|---|",
              f"| reprise, one step on {HOSTS} hosts, `jump: bastion`, `max_parallel: 10` | {via_bastion[1]}/{HOSTS} | {via_bastion[0]:.2f} s |",
              f"| `xargs -P50 ssh` through the bastion (like `ssh -J`: one bastion connection per host) | {xargs_j[1]}/{HOSTS} | {xargs_j[0]:.2f} s |"]
    table = "\n".join(lines)
    print(table)
    results_md = HERE / "RESULTS.md"
    text = results_md.read_text()
    begin, end = "<!-- bench/remote: begin -->", "<!-- bench/remote: end -->"
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: f"{begin}\n{table}\n{end}", text, flags=re.S)
    else:
        text += f"\n## Remote steps (bench/remote)\n\n{begin}\n{table}\n{end}\n"
    results_md.write_text(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
