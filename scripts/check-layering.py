#!/usr/bin/env python3
"""Checks every #include "..." under src/ against cmake/Layering.cmake, the table the build uses.

The compiler already rejects an include a library's include roots cannot resolve; this check
also rejects relative escapes ("../x.h") and names the rule that forbids each include, so the
dependency graph is checked in CI before anything is compiled. Exit status 1 on any violation.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MBED_DIRS = ["netsocket", "rtos", "events", "platform", "drivers", "mbed-trace",
             "mbed-mesh-api", "nanostack", "nanostack-interface", "greentea-client"]


def parse_layers():
    text = open(os.path.join(ROOT, "cmake", "Layering.cmake")).read()
    text = re.sub(r"#[^\n]*", "", text)
    layers = {}
    for m in re.finditer(r"^\s*meshwork_layer\(([^)]*)\)", text, re.M):
        words = m.group(1).split()
        lib, rest = words[0], words[1:]
        entry = {"deps": [], "headers": "none", "exports": False, "folder": folder_of(lib)}
        key = None
        for w in rest:
            if w in ("DEPS", "HEADERS", "FOLDER"):
                key = w
            elif w == "EXPORTS":
                entry["exports"] = True
                key = None
            elif key == "DEPS":
                entry["deps"].append(w)
            elif key == "HEADERS":
                entry["headers"] = w
            elif key == "FOLDER":
                entry["folder"] = w
        layers[lib] = entry
    return layers


def closure(layers, lib):
    seen, todo = set(), [lib]
    while todo:
        cur = todo.pop()
        for d in layers.get(cur, {}).get("deps", []):
            if d == "ANY":
                return None  # may use everything
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def folder_of(lib):
    return lib.replace("_", "/", 1) if lib.startswith("mesh_") else lib


def public_header(name):
    if os.path.isfile(os.path.join(ROOT, "include", name)):
        return True
    return any(os.path.isfile(os.path.join(ROOT, "include", d, name)) for d in MBED_DIRS)


def main():
    layers = parse_layers()
    # Libraries sharing a folder are checked together, with the union of what they may use.
    folders = {}
    for lib, e in layers.items():
        folders.setdefault(e["folder"], []).append(lib)
    exported = {e["folder"]: lib for lib, e in layers.items() if e["exports"]}
    errors = []
    for folder, libs in sorted(folders.items()):
        base = os.path.join(ROOT, "src", folder)
        if not os.path.isdir(base):
            continue
        lib = "+".join(libs)
        allowed = set(libs)
        for one in libs:
            reach = closure(layers, one)
            allowed = None if reach is None or allowed is None else allowed | reach
        order = ["none", "native", "mbed"]
        headers = max((layers[one]["headers"] for one in libs), key=order.index)
        for dirpath, dirs, files in os.walk(base):
            # A nested folder that is a library of its own is checked under its own name.
            dirs[:] = [d for d in dirs
                       if os.path.relpath(os.path.join(dirpath, d), os.path.join(ROOT, "src"))
                       not in folders]
            for f in sorted(files):
                if not f.endswith((".h", ".cpp", ".c")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, ROOT)
                for n, line in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    inc = m.group(1)
                    why = check(inc, dirpath, lib, allowed, headers, exported)
                    if why:
                        errors.append(f"{rel}:{n}: #include \"{inc}\": {why}")
    for e in errors:
        print(e)
    if errors:
        print(f"check-layering: {len(errors)} include(s) break cmake/Layering.cmake")
        return 1
    print(f"check-layering: {len(layers)} layers in {len(folders)} folders, every include allowed")
    return 0


def check(inc, dirpath, lib, allowed, headers, exported):
    if ".." in inc.split("/"):
        return "relative escape; include through the library's root instead"
    if "/" not in inc and os.path.isfile(os.path.join(dirpath, inc)):
        return None  # the library's own header
    for prefix, owner in exported.items():
        if inc.startswith(prefix + "/"):
            if allowed is None or owner in allowed:
                return None
            return f"layer '{lib}' may not use '{owner}' (cmake/Layering.cmake)"
    if inc.startswith("meshwork/") and os.path.isfile(os.path.join(ROOT, "include", inc)):
        if headers in ("native", "mbed"):
            return None
        return f"layer '{lib}' sees no public header (HEADERS none)"
    if public_header(inc):
        if headers == "mbed":
            return None
        return f"layer '{lib}' may not include the Mbed API (HEADERS {headers})"
    if os.path.isfile(os.path.join(dirpath, inc)):
        return None  # a sub-folder of the library's own folder
    return "resolves to no header this layer may see"


if __name__ == "__main__":
    sys.exit(main())
