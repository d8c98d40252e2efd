#!/usr/bin/python3
"""Scans examples/server and checks the report against the list below.

The list is the example's documentation in executable form: every shared
variable the example declares, with the category and verdict the README
promises. A finding that appears, disappears or changes class fails the test.

usage: check_server_report.py --scanner BIN --database DIR --root DIR
"""
import argparse
import json
import subprocess
import sys

SRC = "examples/server/src/"
INC = "examples/server/include/server/"

# symbol: (kind, category, verdict, file)
EXPECTED = {
    # category 1: never written after initialization
    "server::kReasonPhrases": ("mutable-global", 1, "thread-safe", SRC + "http.cpp"),
    "server::server_name": ("mutable-global", 1, "thread-safe", SRC + "http.cpp"),
    "server::content_type_for::types": ("function-local-static", 1, "thread-safe", SRC + "http.cpp"),
    "server::content_type_for::fallback": ("function-local-static", 1, "thread-safe", SRC + "http.cpp"),
    "server::UserDirectory::kMaxCached": ("mutable-static-member", 1, "thread-safe", INC + "users.h"),
    "server::routes": ("mutable-global", 1, "thread-safe", SRC + "handlers.cpp"),
    "kWorkload": ("mutable-global", 1, "thread-safe", SRC + "main.cpp"),
    # category 1: synchronization objects
    "server::blocklist_loaded": ("mutable-global", 1, "thread-safe", SRC + "router.cpp"),
    "server::bytes_sent": ("mutable-global", 1, "thread-safe", SRC + "stats.cpp"),
    "server::hits_mutex": ("mutable-global", 1, "thread-safe", SRC + "stats.cpp"),
    # category 2: written only by the registrars, during static initialization
    "server::route_table::table": ("function-local-static", 2, "probably-thread-safe", SRC + "router.cpp"),
    # category 3, synchronized: under a lock_guard, inside call_once
    "server::hits_by_path": ("mutable-global", 3, "probably-thread-safe", SRC + "stats.cpp"),
    "server::blocklist": ("mutable-global", 3, "probably-thread-safe", SRC + "router.cpp"),
    # category 3: mutated by concurrent requests
    "server::access_log": ("mutable-global", 3, "not-thread-safe", SRC + "stats.cpp"),
    "server::UserDirectory::cache_": ("mutable-static-member", 3, "not-thread-safe", INC + "users.h"),
    "server::status_line::line": ("function-local-static", 3, "not-thread-safe", SRC + "http.cpp"),
    "server::config::instance": ("function-local-static", 3, "not-thread-safe", SRC + "main.cpp"),
    # category 4: reassigned by concurrent requests
    "server::requests_total": ("mutable-global", 4, "not-thread-safe", SRC + "router.cpp"),
    "server::index_page::page": ("function-local-static", 4, "not-thread-safe", SRC + "handlers.cpp"),
}

# lazy initialization races: symbol: (shape, file of the check)
EXPECTED_LAZY = {
    # `if (page.empty()) page = ...;` in a handler
    "server::index_page::page": ("duplicate-init", SRC + "handlers.cpp"),
}

# symbol: (what, function, phase, synchronized, file) that must be in its evidence
EXPECTED_EVIDENCE = {
    # written in another file than the one defining it
    "server::access_log": ("mutate", "server::dispatch", "runtime", "none", SRC + "router.cpp"),
    # through the reference the singleton hands out
    "server::config::instance": ("mutate", "server::handle_maintenance", "runtime", "none", SRC + "handlers.cpp"),
    "server::route_table::table": ("mutate", "server::RouteRegistrar::RouteRegistrar", "initialization", "none",
                                   SRC + "router.cpp"),
    # a helper whose every caller holds the lock
    "server::hits_by_path": ("mutate", "server::evict_rare_paths", "runtime", "lock", SRC + "stats.cpp"),
    "server::blocklist": ("mutate", "server::is_blocked::(lambda)", "runtime", "once", SRC + "router.cpp"),
    "server::status_line::line": ("mutate", "server::status_line", "runtime", "none", SRC + "http.cpp"),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scanner", required=True)
    ap.add_argument("--database", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()

    cmd = [args.scanner, "-p", args.database, "--root", args.root, "--format", "json"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    problems = []
    if proc.returncode != 1:
        problems.append("exit code %d, expected 1 (not-thread-safe findings present)" % proc.returncode)
    try:
        report = json.loads(proc.stdout)
    except ValueError as e:
        print("FAIL: %s\nthe report is not JSON (%s)\nstderr:\n%s" % (" ".join(cmd), e, proc.stderr))
        return 1

    if report.get("errors"):
        problems.append("translation units failed: %s" % report["errors"])
    if report["summary"]["translation_units"] != 5:
        problems.append("%d translation units scanned, expected 5" % report["summary"]["translation_units"])

    variables = [f for f in report["findings"] if f["kind"] != "lazy-init"]
    found = {f["symbol"]: f for f in variables}
    if len(found) != len(variables):
        problems.append("duplicate symbols in the report")
    lazy = {f["symbol"]: f for f in report["findings"] if f["kind"] == "lazy-init"}
    for symbol in sorted(set(lazy) | set(EXPECTED_LAZY)):
        f, want = lazy.get(symbol), EXPECTED_LAZY.get(symbol)
        got = (f["shape"], f["location"]["file"]) if f else None
        if got != want:
            problems.append("lazy-init %s: got %s, expected %s" % (symbol, got, want))
    for symbol, (kind, category, verdict, path) in EXPECTED.items():
        f = found.get(symbol)
        if f is None:
            problems.append("missing: %s" % symbol)
            continue
        got = (f["kind"], f["category"], f["verdict"], f["location"]["file"])
        if got != (kind, category, verdict, path):
            problems.append("%s: got %s, expected %s" % (symbol, got, (kind, category, verdict, path)))
    for symbol in sorted(set(found) - set(EXPECTED)):
        f = found[symbol]
        problems.append("unexpected: %s (category %d, %s) at %s:%d" % (
            symbol, f["category"], f["verdict"], f["location"]["file"], f["location"]["line"]))

    for symbol, want in EXPECTED_EVIDENCE.items():
        f = found.get(symbol)
        if f is None:
            continue
        have = [(e["what"], e["function"], e["phase"], e["synchronized"], e["location"]["file"])
                for e in f["evidence"]]
        if want not in have:
            problems.append("%s: no evidence %s; have %s" % (symbol, want, have))

    if problems:
        print("FAIL: %s" % " ".join(cmd))
        for p in problems:
            print("  " + p)
        return 1
    print("ok: %d findings, %d not thread-safe" % (len(found), report["summary"]["by_verdict"]["not-thread-safe"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
