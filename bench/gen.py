#!/usr/bin/env python3
"""Generate the same dependency graph for reprise and each peer tool.

Usage: gen.py SHAPE N OUTDIR
  SHAPE: independent | chain | layered | fan (one root, N-1 dependents)
Writes OUTDIR/{runbook.yaml, build.ninja, Makefile, justfile, Taskfile.yml}.
Every step runs `true`; reprise runs it as an argv (no shell), like ninja
and make run it through their own exec path.
"""
import os
import sys


def edges(shape, n):
    """Yield (step, [deps]) in a topological order."""
    if shape == "independent":
        for i in range(n):
            yield i, []
    elif shape == "chain":
        for i in range(n):
            yield i, ([i - 1] if i else [])
    elif shape == "fan":
        for i in range(n):
            yield i, ([0] if i else [])
    elif shape == "layered":
        width = 50
        for i in range(n):
            layer, pos = divmod(i, width)
            if layer == 0:
                yield i, []
            else:
                base = (layer - 1) * width
                yield i, sorted({base + pos, base + (pos + 1) % width})
    else:
        sys.exit(f"unknown shape {shape}")


def main():
    shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    graph = list(edges(shape, n))
    name = lambda i: f"s{i}"

    with open(os.path.join(out, "runbook.yaml"), "w") as f:
        f.write(f"version: 1\nname: bench {shape} {n}\ndefaults:\n  timeout: 1m\n  on_failure: abort\nsteps:\n")
        for i, deps in graph:
            f.write(f"  - id: {name(i)}\n    title: step {i}\n    run: [\"true\"]\n")
            if deps:
                f.write("    needs: [" + ", ".join(name(d) for d in deps) + "]\n")

    with open(os.path.join(out, "build.ninja"), "w") as f:
        f.write("rule r\n  command = true\n")
        for i, deps in graph:
            f.write(f"build {name(i)}: r" + ("".join(" " + name(d) for d in deps)) + "\n")
        f.write("build all: phony " + " ".join(name(i) for i, _ in graph) + "\ndefault all\n")

    with open(os.path.join(out, "Makefile"), "w") as f:
        f.write(".PHONY: all " + " ".join(name(i) for i, _ in graph) + "\n")
        f.write("all: " + " ".join(name(i) for i, _ in graph) + "\n")
        for i, deps in graph:
            f.write(f"{name(i)}:" + "".join(" " + name(d) for d in deps) + "\n\t@true\n")

    with open(os.path.join(out, "justfile"), "w") as f:
        f.write("all: " + " ".join(name(i) for i, _ in graph) + "\n\n")
        for i, deps in graph:
            f.write(f"{name(i)}:" + "".join(" " + name(d) for d in deps) + "\n  @true\n\n")

    with open(os.path.join(out, "Taskfile.yml"), "w") as f:
        f.write("version: '3'\ntasks:\n  default:\n    deps: [" + ", ".join(name(i) for i, _ in graph) + "]\n")
        for i, deps in graph:
            f.write(f"  {name(i)}:\n    run: once\n    cmds: ['true']\n")
            if deps:
                f.write("    deps: [" + ", ".join(name(d) for d in deps) + "]\n")


if __name__ == "__main__":
    main()
