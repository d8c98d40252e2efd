#!/usr/bin/env python3
"""Golden reports: what both front-ends print, captured before a refactoring
and compared byte for byte after each step.

    scripts/golden-reports.py capture --build build OUT_DIR
    scripts/golden-reports.py compare BEFORE_DIR AFTER_DIR

capture writes, for examples/server and for every fixture group (each folder
under fixtures/ scanned as one program: its one-TU files and its directory
programs together):
  <name>.json       sharedstate-scan's JSON report
  <name>.txt        its text report with --all
  <name>.tidy.txt   clang-tidy with the plugin, every TU of the group in turn
                    (sharedstate.WarnOn: all, every header), stdout
Paths are printed relative to the repository, so two checkouts compare equal.
Fixtures may carry `// OPTIONS:` (tests/fixture): a group is scanned with the
defaults, which is what a refactoring must keep; the fixture tests cover the
options.

compare prints a unified diff of every file that differs, or is missing on
one side, and exits 1 if any does: a refactoring that changes behaviour fails.
"""

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIDY_CONFIG = "{Checks: '-*,sharedstate-*', CheckOptions: [{key: sharedstate.WarnOn, value: all}]}"


def compile_db(path, sources, flags):
    entries = [{"directory": REPO, "file": s, "arguments": ["clang++"] + flags + ["-c", s]} for s in sources]
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "compile_commands.json"), "w") as f:
        json.dump(entries, f, indent=1)


def run(argv, out_path):
    proc = subprocess.run(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if proc.returncode not in (0, 1):
        sys.exit("golden-reports: %s exited with %d:\n%s" % (" ".join(argv), proc.returncode,
                                                              proc.stderr.decode(errors="replace")))
    with open(out_path, "wb") as f:
        f.write(proc.stdout.replace(REPO.encode() + b"/", b""))


def capture_one(args, out, name, db_dir, sources):
    scan = [os.path.join(args.build, "bin", "sharedstate-scan"), "--config-file", "/dev/null", "-p", db_dir,
            "--root", REPO, "-j", "2"]
    run(scan, os.path.join(out, name + ".json"))
    run(scan + ["--format", "text", "--all"], os.path.join(out, name + ".txt"))
    if args.clang_tidy:
        plugin = os.path.join(args.build, "lib", "libsharedstate-tidy.so")
        tidy_out = b""
        for s in sources:
            proc = subprocess.run([args.clang_tidy, "--load=" + plugin, "--config=" + TIDY_CONFIG,
                                   "--header-filter=.*", "--quiet", "-p", db_dir, s], cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=600)
            tidy_out += b"== " + os.path.relpath(s, REPO).encode() + b"\n" + proc.stdout
        with open(os.path.join(out, name + ".tidy.txt"), "wb") as f:
            f.write(tidy_out.replace(REPO.encode() + b"/", b""))


def capture(args):
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    args.build = os.path.abspath(args.build)
    scratch = tempfile.mkdtemp(prefix="golden.")
    server = os.path.join(REPO, "examples", "server")
    sources = sorted(os.path.join(server, "src", f) for f in os.listdir(os.path.join(server, "src")))
    db = os.path.join(scratch, "server")
    compile_db(db, sources, ["-std=c++17", "-I" + os.path.join(server, "include")])
    capture_one(args, out, "examples-server", db, sources)
    fixtures = os.path.join(REPO, "fixtures")
    for group in sorted(os.listdir(fixtures)):
        gdir = os.path.join(fixtures, group)
        if group == "include" or not os.path.isdir(gdir):
            continue
        sources = []
        for dirpath, _, files in os.walk(gdir):
            sources += [os.path.join(dirpath, f) for f in files if f.endswith(".cpp")]
        sources.sort()
        db = os.path.join(scratch, group)
        compile_db(db, sources, ["-std=c++17", "-isystem", os.path.join(fixtures, "include")])
        capture_one(args, out, "fixtures-" + group, db, sources)
    print("golden-reports: captured %d files in %s" % (len(os.listdir(out)), out))


def compare(args):
    names = sorted(set(os.listdir(args.before)) | set(os.listdir(args.after)))
    differ = 0
    for n in names:
        a, b = os.path.join(args.before, n), os.path.join(args.after, n)
        if not os.path.exists(a) or not os.path.exists(b):
            print("only in %s: %s" % (args.after if os.path.exists(b) else args.before, n))
            differ += 1
            continue
        with open(a, "rb") as f:
            x = f.read()
        with open(b, "rb") as f:
            y = f.read()
        if x == y:
            continue
        differ += 1
        sys.stdout.writelines(difflib.unified_diff(x.decode(errors="replace").splitlines(True),
                                                   y.decode(errors="replace").splitlines(True), a, b))
    print("golden-reports: %d of %d files differ" % (differ, len(names)))
    return 1 if differ else 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("capture")
    c.add_argument("--build", default=os.path.join(REPO, "build"))
    c.add_argument("--clang-tidy", default="/usr/lib/llvm-19/bin/clang-tidy",
                   help="clang-tidy matching the plugin's LLVM ('' to skip the plugin)")
    c.add_argument("out")
    d = sub.add_parser("compare")
    d.add_argument("before")
    d.add_argument("after")
    args = p.parse_args()
    if args.cmd == "capture":
        capture(args)
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
