#!/usr/bin/env python3
"""Checks the layers of the workspace; exits 1 on a finding.

1. No import circle between the modules of any crate (edges from
   `crate::a::b` paths, `use crate::{a, b}` groups and `super::x` paths;
   `#[cfg(test)] mod tests` blocks are left out).
2. The Tauri-free crates (the libraries, the session, the console CLI) have
   no Tauri, wry or WebKit package among their dependencies, and their
   source names no `tauri` path.

Usage: scripts/check-architecture.py (from anywhere in the repository)."""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAURI_FREE = ["tobira-core", "tobira-guides", "tobira-doctor", "tobira-secrets",
              "tobira-i18n", "tobira-session", "tobira-cli"]
WEB_VIEW_PACKAGES = re.compile(r"^(tauri|tauri-[a-z-]+|wry|webkit2gtk|webkit2gtk-sys|javascriptcore-rs|webview2-com)$")
TEST_MODULE = re.compile(r"^#\[cfg\(test\)\]\s*\n\s*mod tests", re.M)


def workspace_packages():
    out = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["packages"]


def modules_of(src):
    mods = {}
    for folder, _, files in os.walk(src):
        for name in files:
            if name.endswith(".rs"):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, src)[:-3].split(os.sep)
                if parts[-1] in ("mod", "lib", "main"):
                    parts = parts[:-1]
                mods["::".join(parts)] = path
    return mods


def imports(module, text, mods):
    found = set()
    parent = module.rsplit("::", 1)[0] if "::" in module else ""
    paths = re.findall(r"\bcrate::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)", text)
    paths += [f"{parent}::{p}" if parent else p
              for p in re.findall(r"\bsuper::([a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)", text)]
    for group in re.findall(r"use crate::\{([^}]*)\}", text):
        paths += [item.split("::")[0] for item in re.split(r"[,\s]+", group) if item]
    for path in paths:
        parts = path.split("::")
        for k in range(len(parts), 0, -1):
            target = "::".join(parts[:k])
            if target in mods:
                # A module's own children and ancestors are not circles.
                if target != module and not module.startswith(target + "::") \
                        and not target.startswith(module + "::"):
                    found.add(target)
                break
    return found


def circles(src):
    mods = modules_of(src)
    edges = {}
    for module, path in mods.items():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        cut = TEST_MODULE.search(text)
        edges[module] = imports(module, text[:cut.start()] if cut else text, mods)
    # Tarjan's strongly connected components, without recursion.
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for start in mods:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def web_view_dependencies(package):
    out = subprocess.run(["cargo", "tree", "-p", package, "-e", "normal,build", "--prefix", "none",
                          "--format", "{p}"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return sorted({line.split()[0] for line in out.splitlines()
                   if line and WEB_VIEW_PACKAGES.match(line.split()[0])})


def main():
    problems = []
    packages = workspace_packages()
    for package in packages:
        src = os.path.join(os.path.dirname(package["manifest_path"]), "src")
        for component in circles(src):
            problems.append(f"{package['name']}: import circle: {' <-> '.join(component)}")
    names = {p["name"]: p for p in packages}
    for name in TAURI_FREE:
        if name not in names:
            continue
        for dependency in web_view_dependencies(name):
            problems.append(f"{name}: depends on {dependency}; it must build without a web view")
        src = os.path.join(os.path.dirname(names[name]["manifest_path"]), "src")
        for module, path in modules_of(src).items():
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    if re.search(r"\btauri(_[a-z_]+)?::", line):
                        problems.append(f"{os.path.relpath(path, ROOT)}:{number}: names Tauri: {line.strip()}")
    for problem in problems:
        print(problem)
    checked = ", ".join(n for n in TAURI_FREE if n in names)
    print(f"architecture: {len(packages)} crates without import circles, Tauri-free: {checked}"
          if not problems else f"architecture: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
