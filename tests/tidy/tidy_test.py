#!/usr/bin/python3
"""Integration tests of the clang-tidy plugin, run the way CI runs it.

    tidy_test.py --clang-tidy PATH --run-clang-tidy PATH --plugin PATH --scanner PATH
                 --clangxx PATH --llvm-major N [--other-clang-tidy PATH]
                 --cmake PATH --build-dir DIR --source-dir DIR --work-dir DIR TEST
    tidy_test.py --list

Each TEST runs the real binaries (clang-tidy with --load, run-clang-tidy,
clang++, cmake --install, the installed scanner, jq) as subprocesses in a
fresh directory under --work-dir, and checks what a user sees: exit codes
(never a signal), diagnostics, the files --fix rewrote, and whether they still
compile. The ci-* tests run the commands and the workflow of docs/ci.md
verbatim, extracted from the document.

Every work directory gets its own .clang-tidy, so that the .clang-tidy of the
source tree around a build directory never applies.

Exit status: 0 pass, 1 fail, 77 skipped (ctest's SKIP_RETURN_CODE). A failed
test keeps its directory for inspection; a passed one removes it.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from harness import SKIP, Failure, Skip, WorkTree, check, run_one  # noqa: E402  (tests/harness.py)

CHECKS = ["sharedstate-function-local-static", "sharedstate-lazy-init", "sharedstate-mutable-global",
          "sharedstate-mutable-static-member", "sharedstate-singleton-handler"]
DIAG = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<sev>warning|error|note): "
                  r"(?P<msg>.*?)(?: \[(?P<check>[^\]]+)\])?$")
HINT = "nothing writes it"
ALL_CHECKS_CONFIG = "{Checks: '-*,sharedstate-*'}"
THREAD_SAFE_CONFIG = ("{Checks: '-*,sharedstate-*', "
                      "CheckOptions: [{key: sharedstate.WarnOn, value: thread-safe}]}")
# How GitHub Actions runs a step with `shell: bash`.
ACTIONS_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]




class Result:
    def __init__(self, argv, proc, cwd):
        self.argv = argv
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.cwd = cwd

    def describe(self):
        cmd = " ".join(a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'%s'" % a for a in self.argv)
        return "command: %s\n(in %s)\nexit code: %s\n--- stderr ---\n%s--- stdout (first 4000 chars) ---\n%s" % (
            cmd, self.cwd, self.rc, self.err, self.out[:4000])


class Diagnostic:
    def __init__(self, m):
        self.file = m.group("file")
        self.line = int(m.group("line"))
        self.col = int(m.group("col"))
        self.severity = m.group("sev")
        self.message = m.group("msg")
        self.check = m.group("check") or ""
        self.notes = []

    @property
    def symbol(self):
        m = re.search(r"'([^']+)'", self.message)
        return m.group(1) if m else ""

    def __repr__(self):
        return "%s:%d:%d: %s: %s [%s]" % (os.path.basename(self.file), self.line, self.col, self.severity,
                                         self.message, self.check)


def diagnostics(text):
    """The warnings and errors of clang-tidy output, each with the notes that follow it."""
    found = []
    for line in text.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        d = Diagnostic(m)
        if d.severity == "note":
            if found:
                found[-1].notes.append(d)
        elif d.check.startswith("sharedstate-"):
            found.append(d)
    return found


def by_symbol(diags):
    out = {}
    for d in diags:
        check(d.symbol not in out, "two sharedstate diagnostics for %r: %s" % (d.symbol, diags))
        out[d.symbol] = d
    return out


def has_hint(d):
    return any(HINT in n.message for n in d.notes)


class Context(WorkTree):
    def __init__(self, a, work):
        super().__init__(work)
        self.clang_tidy = a.clang_tidy
        self.run_clang_tidy = a.run_clang_tidy
        self.other_clang_tidy = a.other_clang_tidy
        self.plugin = a.plugin
        self.scanner = a.scanner
        self.clangxx = a.clangxx
        self.major = a.llvm_major
        self.cmake = a.cmake
        self.build_dir = a.build_dir
        self.source_dir = a.source_dir
        # Isolate from any .clang-tidy above the work directory.
        self.write(".clang-tidy", "Checks: '-*,sharedstate-*'\n")

    # ---- files -------------------------------------------------------------
    def write(self, rel, text):
        """Like WorkTree.write; a leading newline (of a triple-quoted source) is dropped."""
        return super().write(rel, text[1:] if text.startswith("\n") else text)

    def read(self, rel):
        with open(self.path(rel)) as f:
            return f.read()

    def write_db(self, files, directory=None, std="c++17"):
        directory = directory or self.work
        db = [{"directory": directory, "file": self.path(f),
               "arguments": [self.clangxx, "-std=" + std, "-c", self.path(f), "-o", f + ".o"]} for f in files]
        return self.write(os.path.join(os.path.relpath(directory, self.work), "compile_commands.json"),
                          json.dumps(db, indent=2))

    # ---- running -----------------------------------------------------------
    def run(self, argv, cwd=None, env=None, timeout=25, input=None):
        cwd = cwd or self.work
        try:
            proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                                  input=input)
        except subprocess.TimeoutExpired:
            raise Failure("did not finish within %ss: %s" % (timeout, " ".join(argv)))
        r = Result(argv, proc, cwd)
        check(r.rc >= 0, "killed by signal %d (a crash)\n%s" % (-r.rc, r.describe()))
        return r

    def tidy(self, files, *args, config=ALL_CHECKS_CONFIG, binary=None, plugin=None, cwd=None, db=True):
        argv = [binary or self.clang_tidy, "--load=" + (plugin or self.plugin)]
        if config is not None:
            argv.append("--config=" + config)
        argv += list(args)
        if db:
            argv += ["-p", self.work]
        argv += [self.path(f) for f in files]
        return self.run(argv, cwd=cwd)

    def tidy_ok(self, files, *args, **kw):
        r = self.tidy(files, *args, **kw)
        check(r.rc == 0, "clang-tidy failed\n" + r.describe())
        check("Error" not in r.err and "error:" not in r.out,
              "clang-tidy reported an error\n" + r.describe())
        return r

    def compiles(self, files, *extra):
        return self.run([self.clangxx, "-std=c++17", "-fsyntax-only", *extra, *[self.path(f) for f in files]])

    def install(self, prefix_rel="prefix"):
        prefix = self.path(prefix_rel)
        r = self.run([self.cmake, "--install", self.build_dir, "--prefix", prefix], timeout=60)
        check(r.rc == 0, "cmake --install failed\n" + r.describe())
        return prefix

    def doc_blocks(self, doc):
        """The fenced blocks of docs/<doc> marked `<!-- test: NAME -->`, by NAME."""
        with open(os.path.join(self.source_dir, "docs", doc)) as f:
            text = f.read()
        blocks = {}
        for m in re.finditer(r"<!-- test: ([a-z0-9-]+) -->\n```[a-z]*\n(.*?)```\n", text, re.S):
            blocks[m.group(1)] = m.group(2)
        return blocks


# ============================================================================
# Fix-its
# ============================================================================

FIXIT_SOURCE = r"""
#include <cstdlib>
#include <string>

std::string make_name();

static int max_connections = 64;
static std::string server_name = make_name();
static const char *home_dir = std::getenv("HOME");

struct Config {
  static int port;
  static std::string banner;
};
int Config::port = 8080;
std::string Config::banner = make_name();

extern int retry_limit;
int retry_limit = 3;

int exported_limit = 10;

int table_size() {
  static int size = 16;
  return size;
}

const std::string &default_route() {
  static std::string route = make_name() + "/index";
  return route;
}

int use() {
  return max_connections + static_cast<int>(server_name.size()) + home_dir[0] + Config::port +
         static_cast<int>(Config::banner.size()) + retry_limit + exported_limit + table_size() +
         static_cast<int>(default_route().size());
}
"""

# Every declaration of each fixed variable, as --fix must leave it.
FIXED_LINES = {
    "max_connections": ["static constexpr int max_connections = 64;"],
    "server_name": ["static const std::string server_name = make_name();"],
    "home_dir": ['static const char *const home_dir = std::getenv("HOME");'],
    "Config::port": ["  static const int port;", "const int Config::port = 8080;"],
    "Config::banner": ["  static const std::string banner;", "const std::string Config::banner = make_name();"],
    "retry_limit": ["extern const int retry_limit;", "const int retry_limit = 3;"],
    "table_size::size": ["  static constexpr int size = 16;"],
    "default_route::route": ['  static const std::string route = make_name() + "/index";'],
}
UNFIXABLE = {"exported_limit": "int exported_limit = 10;"}


def test_fixits(ctx):
    """Each supported shape gets const/constexpr on every declaration; the result compiles and
    the hint is gone; a global with external linkage and no extern declaration gets no fix-it."""
    ctx.write("fix.cpp", FIXIT_SOURCE)
    ctx.write_db(["fix.cpp"])
    check(ctx.compiles(["fix.cpp"]).rc == 0, "the test source itself does not compile")

    before = by_symbol(diagnostics(ctx.tidy_ok(["fix.cpp"], config=THREAD_SAFE_CONFIG).out))
    for sym in list(FIXED_LINES) + list(UNFIXABLE):
        check(sym in before, "no category 1 warning for %r before --fix: %s" % (sym, list(before)))
        check("category 1" in before[sym].message, "%r is not category 1: %s" % (sym, before[sym]))
        check(has_hint(before[sym]), "no const hint for %r before --fix: %s" % (sym, before[sym].notes))

    r = ctx.tidy_ok(["fix.cpp"], "--fix", config=THREAD_SAFE_CONFIG)
    n = len(sum(FIXED_LINES.values(), []))
    check(re.search(r"clang-tidy applied %d of %d suggested fixes" % (n, n), r.err + r.out),
          "expected %d fix-its to be applied\n%s" % (n, r.describe()))
    fixed = ctx.read("fix.cpp")
    lines = fixed.splitlines()
    for sym, want in FIXED_LINES.items():
        for w in want:
            check(w in lines, "after --fix, %r is not declared as %r:\n%s" % (sym, w, fixed))
    for sym, line in UNFIXABLE.items():
        check(line in lines, "%r must get no fix-it (const would give it internal linkage), but it "
              "changed:\n%s" % (sym, fixed))
        decl_line = lines.index(line) + 1
        applied_here = re.search(r"fix\.cpp:%d:\d+: note: FIX-IT applied" % decl_line, r.out + r.err)
        check(not applied_here, "a fix-it was applied on %r's line\n%s" % (sym, r.describe()))

    c = ctx.compiles(["fix.cpp"])
    check(c.rc == 0, "the source rewritten by --fix does not compile\n%s\n--- source ---\n%s" % (c.describe(), fixed))

    after = by_symbol(diagnostics(ctx.tidy_ok(["fix.cpp"], config=THREAD_SAFE_CONFIG).out))
    for sym, want in FIXED_LINES.items():
        if "constexpr" in want[0]:
            # constexpr variables are never reported (docs/threading-review.md).
            check(sym not in after, "%r is constexpr now and must not be reported: %s" % (sym, after.get(sym)))
            continue
        check(sym in after, "%r is no longer reported after --fix (it should stay category 1): %s"
              % (sym, list(after)))
        check(not has_hint(after[sym]), "the const hint for %r is still there after --fix: %s"
              % (sym, after[sym].notes))
    for sym in UNFIXABLE:
        check(sym in after and has_hint(after[sym]),
              "%r must keep its hint note (no fix-it, but still never written): %s" % (sym, after.get(sym)))

    again = ctx.tidy_ok(["fix.cpp"], "--fix", config=THREAD_SAFE_CONFIG)
    check(ctx.read("fix.cpp") == fixed, "a second --fix changed the file again\n" + again.describe())


def fix_then_compile(ctx, files, fix_files, *tidy_args, what):
    """Runs --fix (category 1 warns) on fix_files, then every file in files must still compile."""
    ctx.write_db(files)
    for f in files:
        check(ctx.compiles([f]).rc == 0, "the test source %s itself does not compile" % f)
    originals = {f: ctx.read(f) for f in files}
    r = ctx.tidy_ok(fix_files, "--fix", *tidy_args, config=THREAD_SAFE_CONFIG)
    broken = []
    for f in files:
        c = ctx.compiles([f])
        if c.rc != 0:
            broken.append("%s no longer compiles:\n%s" % (f, c.err))
    changed = [f for f in files if ctx.read(f) != originals[f]]
    check(not broken, "%s: --fix made code that does not compile (files changed: %s)\n%s\n--- clang-tidy ---\n%s"
          % (what, changed, "\n".join(broken), r.out[-3000:]))


def test_fixits_uninitialized(ctx):
    """A never-written variable without an initializer (zero-initialized) cannot simply become
    const: `static const int n;` is ill-formed. --fix must leave code that compiles."""
    ctx.write("uninit.cpp", r"""
static int zeroed;
struct Plain { int a; };
static Plain plain;
static char buffer[64];
int read_all() {
  static int calls_seen;
  return zeroed + plain.a + buffer[0] + calls_seen;
}
""")
    fix_then_compile(ctx, ["uninit.cpp"], ["uninit.cpp"], what="variables without an initializer")


def test_fixits_non_const_access(ctx):
    """A variable nothing writes in this file, but that hands out non-const access (returned by
    reference or pointer, bound to a non-const reference): const breaks that code in this very
    file (and the Meyers singleton is written through the reference elsewhere)."""
    ctx.write("access.cpp", r"""
#include <vector>
struct Widget { int hits = 0; };
Widget &instance() {
  static Widget w;
  return w;
}
static std::vector<int> routes_table;
std::vector<int> &routes() { return routes_table; }
static int port = 80;
int *port_ptr() { return &port; }
static int retries = 1;
int peek() {
  int &r = retries;
  return r;
}
""")
    fix_then_compile(ctx, ["access.cpp"], ["access.cpp"], what="variables handed out by non-const reference")


def test_fixits_header_cross_tu(ctx):
    """limits.h declares an extern global and a static member; a.cpp defines them and only reads
    them; b.cpp writes them. clang-tidy --fix on a.cpp alone sees them as never written; adding
    const to their declarations in the shared header must not break b.cpp."""
    ctx.write("limits.h", "#pragma once\nextern int max_clients;\nstruct Limits {\n  static int max_body;\n};\n")
    ctx.write("a.cpp", '#include "limits.h"\nint max_clients = 100;\nint Limits::max_body = 4096;\n'
                       "int capacity() { return max_clients * Limits::max_body; }\n")
    ctx.write("b.cpp", '#include "limits.h"\n'
                       "void configure(int n) {\n  max_clients = n;\n  Limits::max_body = n * 10;\n}\n")
    fix_then_compile(ctx, ["a.cpp", "b.cpp"], ["a.cpp"], "--header-filter=.*",
                     what="a header shared with a file that writes the variables")


# ============================================================================
# The version guard
# ============================================================================

def test_version_guard(ctx):
    """The plugin built for this LLVM refuses to load into another clang-tidy: exit 2, one error line."""
    other = ctx.other_clang_tidy
    if not other or not os.access(other, os.X_OK):
        raise Skip("no clang-tidy of another LLVM major at %r (LLVM_VERSION=22 bash scripts/install-deps.sh)"
                   % other)
    v = ctx.run([other, "--version"])
    m = re.search(r"version (\d+)\.", v.out)
    check(m, "cannot read the version of %s\n%s" % (other, v.describe()))
    other_major = m.group(1)
    check(other_major != str(ctx.major), "%s is LLVM %s, the plugin's own major" % (other, other_major))

    ctx.write("main.cpp", "long hits;\nvoid on_request() { ++hits; }\n")
    ctx.write_db(["main.cpp"])
    # Control: the right clang-tidy loads it and reports.
    ok = ctx.tidy(["main.cpp"])
    check(ok.rc == 0 and "hits" in ok.out, "the plugin does not work in its own clang-tidy\n" + ok.describe())

    for args in ([ctx.path("main.cpp"), "-p", ctx.work], ["--list-checks"]):
        r = ctx.run([other, "--load=" + ctx.plugin, "--checks=-*,sharedstate-*", *args])
        check(r.rc == 2, "expected exit code 2 from clang-tidy %s with the LLVM %s plugin\n%s"
              % (other_major, ctx.major, r.describe()))
        lines = [l for l in r.err.splitlines() if l.strip()]
        check(len(lines) == 1, "expected exactly one line on stderr\n" + r.describe())
        line = lines[0]
        check(line.startswith("error: "), "the stderr line is not an error\n" + r.describe())
        check(re.search(r"\bLLVM %s\b" % ctx.major, line), "the error does not name LLVM %s\n%s"
              % (ctx.major, r.describe()))
        check(re.search(r"\b%s\.\d" % other_major, line), "the error does not name version %s\n%s"
              % (other_major, r.describe()))
        check("clang-tidy-%s" % ctx.major in line, "the error does not say which clang-tidy to use\n"
              + r.describe())
        check("sharedstate-" not in r.out and "warning:" not in r.out,
              "the plugin ran despite the version mismatch\n" + r.describe())


# ============================================================================
# NOLINT
# ============================================================================

def test_nolint(ctx):
    """clang-tidy's NOLINT comments on the declaration line suppress the plugin's warnings."""
    ctx.write("nolint.cpp", r"""
int plain_hits;
int nolint_hits; // NOLINT
int nolint_named_hits; // NOLINT(sharedstate-mutable-global)
int nolint_glob_hits; // NOLINT(sharedstate-*)
int nolint_other_hits; // NOLINT(bugprone-branch-clone)
int nolint_wrong_check_hits; // NOLINT(sharedstate-function-local-static)
// NOLINTNEXTLINE(sharedstate-mutable-global)
int nextline_hits;
// NOLINTNEXTLINE
int nextline_all_hits;
// NOLINTBEGIN(sharedstate-*)
int block_hits_a;
int block_hits_b;
// NOLINTEND(sharedstate-*)
// NOLINTBEGIN
int block_all_hits;
// NOLINTEND
int after_block_hits;
int write_line_hits;
struct Stats {
  static int served; // NOLINT(sharedstate-mutable-static-member)
  static int failed;
};
int Stats::served;
int Stats::failed;
int next_id() {
  static int id; // NOLINT(sharedstate-function-local-static)
  static int other_id;
  return ++id + ++other_id;
}
void on_request() {
  ++plain_hits; ++nolint_hits; ++nolint_named_hits; ++nolint_glob_hits; ++nolint_other_hits;
  ++nolint_wrong_check_hits; ++nextline_hits; ++nextline_all_hits; ++block_hits_a; ++block_hits_b;
  ++block_all_hits; ++after_block_hits;
  ++write_line_hits; // NOLINT: on a write, not on the declaration
  ++Stats::served; ++Stats::failed;
}
""")
    ctx.write_db(["nolint.cpp"])
    r = ctx.tidy_ok(["nolint.cpp"])
    got = by_symbol(diagnostics(r.out))
    expected = {"plain_hits", "nolint_other_hits", "nolint_wrong_check_hits", "after_block_hits",
                "write_line_hits", "Stats::failed", "next_id::other_id"}
    check(set(got) == expected, "warnings: expected exactly %s, got %s\n%s"
          % (sorted(expected), sorted(got), r.describe()))
    # 10 suppressed warnings; clang-tidy also counts the note a NOLINT on a write line hides.
    m = re.search(r"Suppressed (\d+) warnings \((\d+) NOLINT\)", r.err)
    check(m and int(m.group(2)) >= 10, "expected clang-tidy to count at least 10 NOLINT suppressions\n"
          + r.describe())


# ============================================================================
# Configuration
# ============================================================================

CATEGORY_1_SOURCE = r"""
static int limit = 3;
int get_limit() {
  static int cached = 7;
  return limit + cached;
}
long hits;
void on_request() { ++hits; }
"""


def dump_options(ctx, cwd):
    r = ctx.run([ctx.clang_tidy, "--load=" + ctx.plugin, "--dump-config"], cwd=cwd)
    check(r.rc == 0, "--dump-config failed\n" + r.describe())
    opts = {}
    for m in re.finditer(r"^  (sharedstate[\w.-]*): *(.*)$", r.out, re.M):
        v = m.group(2).strip()
        if len(v) >= 2 and v[0] == v[-1] == "'":
            v = v[1:-1]
        opts[m.group(1)] = v
    return opts, r


def test_dump_config(ctx):
    """--dump-config shows every option of every check with its default; a .clang-tidy
    `sharedstate.WarnOn: all` makes category 1 findings warn; a check's own key wins."""
    listed = ctx.run([ctx.clang_tidy, "--load=" + ctx.plugin, "--checks=-*,sharedstate-*", "--list-checks"])
    for c in CHECKS:
        check(re.search(r"^\s+%s$" % re.escape(c), listed.out, re.M), "%s is not listed\n%s" % (c, listed.describe()))

    opts, r = dump_options(ctx, ctx.work)
    for c in CHECKS:
        for key, default in (("WarnOn", "not-thread-safe"), ("SyncTypes", ""), ("LockGuardTypes", ""),
                             ("OnceFunctions", ""), ("HandlerBaseClasses", ""), ("RegistrationFunctions", ""),
                             ("SingletonAccessors", "")):
            k = "%s.%s" % (c, key)
            check(k in opts, "--dump-config does not show %s\n%s" % (k, r.describe()))
            check(opts[k] == default, "%s is %r, expected the default %r" % (k, opts[k], default))

    ctx.write("cat1.cpp", CATEGORY_1_SOURCE)
    ctx.write_db(["cat1.cpp"])
    default = by_symbol(diagnostics(ctx.tidy_ok(["cat1.cpp"], config=None).out))
    check(set(default) == {"hits"}, "with the default WarnOn only the not-thread-safe 'hits' warns: %s"
          % list(default))

    ctx.write(".clang-tidy", "Checks: '-*,sharedstate-*'\nCheckOptions:\n  sharedstate.WarnOn: all\n")
    opts, r = dump_options(ctx, ctx.work)
    for c in CHECKS:
        check(opts.get(c + ".WarnOn") == "1;2;3;4", "with sharedstate.WarnOn: all, %s.WarnOn shows %r\n%s"
              % (c, opts.get(c + ".WarnOn"), r.describe()))
    got = by_symbol(diagnostics(ctx.tidy_ok(["cat1.cpp"], config=None).out))
    check({"limit", "get_limit::cached", "hits"} <= set(got), "with WarnOn all, category 1 must warn: %s" % list(got))
    check("category 1" in got["limit"].message and got["limit"].check == "sharedstate-mutable-global",
          "unexpected warning for 'limit': %s" % got["limit"])

    # A check's own key beats the shared one.
    ctx.write(".clang-tidy", "Checks: '-*,sharedstate-*'\nCheckOptions:\n  sharedstate.WarnOn: all\n"
                             "  sharedstate-function-local-static.WarnOn: not-thread-safe\n")
    opts, r = dump_options(ctx, ctx.work)
    check(opts.get("sharedstate-function-local-static.WarnOn") == "not-thread-safe"
          and opts.get("sharedstate-mutable-global.WarnOn") == "1;2;3;4",
          "per-check WarnOn not shown as in effect\n" + r.describe())
    got = by_symbol(diagnostics(ctx.tidy_ok(["cat1.cpp"], config=None).out))
    check("limit" in got and "get_limit::cached" not in got,
          "sharedstate-function-local-static.WarnOn must override sharedstate.WarnOn: %s" % list(got))

    # An invalid value: a configuration warning, and the default applies.
    ctx.write(".clang-tidy", "Checks: '-*,sharedstate-*'\nCheckOptions:\n  sharedstate.WarnOn: bogus\n")
    r = ctx.tidy(["cat1.cpp"], config=None)
    check(r.rc == 0, "an invalid WarnOn must not stop clang-tidy\n" + r.describe())
    check(re.search(r"invalid sharedstate-mutable-global\.WarnOn: unknown WarnOn item 'bogus'", r.out + r.err),
          "no configuration warning for the invalid WarnOn\n" + r.describe())
    check(set(by_symbol(diagnostics(r.out))) == {"hits"}, "an invalid WarnOn must fall back to the default\n"
          + r.describe())


def test_doc_clang_tidy_example(ctx):
    """The example .clang-tidy of docs/clang-tidy.md is valid and means what the doc says."""
    blocks = ctx.doc_blocks("clang-tidy.md")
    check("dot-clang-tidy" in blocks, "docs/clang-tidy.md has no block marked <!-- test: dot-clang-tidy -->")
    ctx.write(".clang-tidy", blocks["dot-clang-tidy"])
    opts, r = dump_options(ctx, ctx.work)
    check("warning" not in r.err.lower() and "error" not in r.err.lower(), "the example config has problems\n"
          + r.describe())
    expect = {
        "sharedstate-mutable-global.WarnOn": "not-thread-safe",
        "sharedstate-mutable-global.SyncTypes": "mylib::SpinLock;mylib::ConcurrentQueue",
        "sharedstate-mutable-static-member.LockGuardTypes": "mylib::SpinLockGuard",
        "sharedstate-function-local-static.WarnOn": "not-thread-safe;1",
    }
    for k, v in expect.items():
        check(opts.get(k) == v, "with the doc's .clang-tidy, %s is %r, expected %r\n%s" % (k, opts.get(k), v, r.describe()))
    check(re.search(r"^WarningsAsErrors:\s+'sharedstate-\*'", r.out, re.M), "WarningsAsErrors not taken\n"
          + r.describe())


def test_options_per_check(ctx):
    """SyncTypes changes the analysis: set for one check it must not change another check's findings;
    set under the shared prefix it applies to all."""
    ctx.write("sync.cpp", r"""
namespace app {
struct Counter {
  void add() { ++n; }
  int n = 0;
};
}  // namespace app
app::Counter hits;
void on_request() { hits.add(); }
void on_other() {
  static app::Counter local_hits;
  local_hits.add();
}
""")
    ctx.write_db(["sync.cpp"])
    plain = set(by_symbol(diagnostics(ctx.tidy_ok(["sync.cpp"]).out)))
    # Both variables, and their class: one instance per process writing its field.
    check(plain == {"hits", "on_other::local_hits", "app::Counter"}, "without SyncTypes all warn: %s" % plain)

    shared = "{Checks: '-*,sharedstate-*', CheckOptions: {sharedstate.SyncTypes: 'app::Counter'}}"
    got = set(by_symbol(diagnostics(ctx.tidy_ok(["sync.cpp"], config=shared).out)))
    check(got == set(), "with sharedstate.SyncTypes: app::Counter nothing warns: %s" % got)

    for only, other_symbol in (("sharedstate-mutable-global", "on_other::local_hits"),
                               ("sharedstate-function-local-static", "hits")):
        cfg = "{Checks: '-*,sharedstate-*', CheckOptions: {%s.SyncTypes: 'app::Counter'}}" % only
        got = set(by_symbol(diagnostics(ctx.tidy_ok(["sync.cpp"], config=cfg).out)))
        check(other_symbol in got, "%s.SyncTypes changed the findings of another check: %r no longer warns "
              "(warnings: %s)" % (only, other_symbol, sorted(got)))


def test_warnings_as_errors(ctx):
    """WarningsAsErrors: 'sharedstate-*' makes clang-tidy fail on a not-thread-safe finding (the CI gate)."""
    ctx.write("unsafe.cpp", "long hits;\nvoid on_request() { ++hits; }\n")
    ctx.write("safe.cpp", "#include <mutex>\nconst int kPort = 80;\nstd::mutex m;\nint port() { return kPort; }\n")
    ctx.write_db(["unsafe.cpp", "safe.cpp"])
    ctx.write(".clang-tidy", "Checks: '-*,sharedstate-*'\nWarningsAsErrors: 'sharedstate-*'\n")
    r = ctx.tidy(["unsafe.cpp"], config=None)
    check(r.rc != 0, "a not-thread-safe finding must fail clang-tidy with WarningsAsErrors\n" + r.describe())
    check(re.search(r"unsafe\.cpp:1:6: error: global 'hits' .*\[sharedstate-mutable-global,-warnings-as-errors\]",
                    r.out), "the finding is not reported as an error\n" + r.describe())
    r = ctx.tidy(["safe.cpp"], config=None)
    check(r.rc == 0, "thread-safe findings must not fail the gate\n" + r.describe())

    ctx.write(".clang-tidy", "Checks: '-*,sharedstate-*'\n")
    r = ctx.tidy(["unsafe.cpp"], config=None)
    check(r.rc == 0, "without WarningsAsErrors a warning does not fail clang-tidy\n" + r.describe())
    r = ctx.tidy(["unsafe.cpp"], "--warnings-as-errors=sharedstate-*", config=None)
    check(r.rc != 0, "--warnings-as-errors=sharedstate-* must fail on the finding\n" + r.describe())


def test_run_clang_tidy(ctx):
    """run-clang-tidy with -load and -j 2 over a 2-TU database reports both files' findings."""
    ctx.write("src/a.cpp", "long hits;\nvoid on_request() { ++hits; }\n")
    ctx.write("src/b.cpp", "#include <vector>\nstd::vector<int> log_lines;\nvoid record(int n) { log_lines.push_back(n); }\n")
    ctx.write_db(["src/a.cpp", "src/b.cpp"], directory=ctx.path("build"))
    base = [sys.executable, ctx.run_clang_tidy, "-clang-tidy-binary", ctx.clang_tidy, "-load", ctx.plugin,
            "-checks=-*,sharedstate-*", "-j", "2", "-p", ctx.path("build"), "-quiet"]
    r = ctx.run(base)
    check(r.rc == 0, "run-clang-tidy failed\n" + r.describe())
    got = by_symbol(diagnostics(r.out))
    check(set(got) == {"hits", "log_lines"}, "expected the findings of both files, got %s\n%s"
          % (sorted(got), r.describe()))
    check(got["hits"].file.endswith("a.cpp") and got["log_lines"].file.endswith("b.cpp"),
          "findings attributed to the wrong files: %s" % list(got.values()))
    r = ctx.run(base + ["-warnings-as-errors=sharedstate-*"])
    check(r.rc != 0, "run-clang-tidy -warnings-as-errors must fail on the findings\n" + r.describe())


# ============================================================================
# Install
# ============================================================================

def test_install(ctx):
    """cmake --install puts the scanner, the plugin and the docs under the prefix; both work from there."""
    prefix = ctx.install()
    scanner = os.path.join(prefix, "bin", "sharedstate-scan")
    plugin = os.path.join(prefix, "lib", "sharedstate", "libsharedstate-tidy.so")
    check(os.access(scanner, os.X_OK), "no executable %s" % scanner)
    check(os.path.isfile(plugin), "no plugin at %s" % plugin)
    stray = [n for n in os.listdir(os.path.join(prefix, "lib")) if n.endswith(".so")]
    check(not stray, "libraries installed directly in lib/ (the linker path): %s" % stray)
    docs_src = os.path.join(ctx.source_dir, "docs")
    docs_dst = os.path.join(prefix, "share", "doc", "sharedstate")
    for root, _, files in os.walk(docs_src):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), docs_src)
            check(os.path.isfile(os.path.join(docs_dst, rel)), "docs/%s is not installed in %s" % (rel, docs_dst))
    for f in ("usage.md", "json-report.md", "clang-tidy.md", "ci.md", "report.schema.json"):
        check(os.path.isfile(os.path.join(docs_dst, f)), "%s is not installed" % f)

    # Nothing in the installed binaries may point back into the build tree.
    for b in (scanner, plugin):
        with open(b, "rb") as fh:
            check(os.path.realpath(ctx.build_dir).encode() + b"/lib" not in fh.read(),
                  "%s refers to the build tree's lib directory" % b)

    # A fixture that includes a standard header: needs the right Clang resource dir.
    src = os.path.join(ctx.source_dir, "fixtures", "globals", "push_back.cpp")
    shutil.copy(src, ctx.path("push_back.cpp"))
    ctx.write_db(["push_back.cpp"], directory=ctx.path("db"))
    elsewhere = ctx.path("elsewhere")
    os.makedirs(elsewhere)
    v = ctx.run([scanner, "--version"], cwd=elsewhere)
    check(v.rc == 0 and re.search(r"\b%s\.\d" % ctx.major, v.out + v.err), "--version\n" + v.describe())
    r = ctx.run([scanner, "-p", ctx.path("db"), "--root", ctx.work], cwd=elsewhere)
    check(r.rc == 1, "the installed scanner should exit 1 (a not-thread-safe finding)\n" + r.describe())
    check(r.err == "", "the installed scanner printed errors (resource dir?)\n" + r.describe())
    rep = json.loads(r.out)
    found = {f["symbol"]: f for f in rep["findings"]}
    check("the_list" in found and found["the_list"]["verdict"] == "not-thread-safe",
          "the installed scanner did not find 'the_list'\n" + r.describe())

    t = ctx.run([ctx.clang_tidy, "--load=" + plugin, "--config=" + ALL_CHECKS_CONFIG, "-p", ctx.path("db"),
                 ctx.path("push_back.cpp")], cwd=elsewhere)
    check(t.rc == 0, "the installed plugin does not load into %s\n%s" % (ctx.clang_tidy, t.describe()))
    check(set(by_symbol(diagnostics(t.out))) == {"the_list"}, "the installed plugin did not report 'the_list'\n"
          + t.describe())


# ============================================================================
# docs/ci.md, run for real
# ============================================================================

def ci_setup(ctx):
    """An installed prefix, tool names as docs/ci.md spells them, and jq."""
    if not shutil.which("jq"):
        raise Skip("jq is not installed (apt-get install jq); docs/ci.md's recipe needs it")
    prefix = ctx.install()
    shims = ctx.path("shims")
    os.makedirs(shims)
    # The doc says clang-tidy-19 and run-clang-tidy-19 (Debian's names): point them at the
    # binaries this build uses.
    os.symlink(ctx.clang_tidy, os.path.join(shims, "clang-tidy-19"))
    os.symlink(ctx.run_clang_tidy, os.path.join(shims, "run-clang-tidy-19"))
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([shims, env.get("PATH", "/usr/bin:/bin")])
    return prefix, env


def ci_block(blocks, name, prefix):
    check(name in blocks, "docs/ci.md has no block marked <!-- test: %s -->" % name)
    return blocks[name].replace("/opt/sharedstate", prefix)


def ci_project(ctx, root):
    """A small project: one not-thread-safe global, one thread-safe one, a function-local cache."""
    files = {
        "src/stats.cpp": "long requests_served = 0;\nvoid on_request() { ++requests_served; }\n",
        "src/config.cpp": "const int kPort = 8080;\nint port() { return kPort; }\n",
        "src/cache.cpp": "#include <map>\n#include <string>\n"
                         "std::string lookup(int k) {\n  static std::map<int, std::string> cache;\n"
                         "  auto &v = cache[k];\n  return v;\n}\n",
    }
    for rel, text in files.items():
        ctx.write(os.path.join(root, rel), text)
    ctx.write(os.path.join(root, ".clang-tidy"), "Checks: '-*,sharedstate-*'\n")


def ci_db(ctx, root):
    srcs = sorted(os.path.relpath(os.path.join(d, f), ctx.work)
                  for d, _, fs in os.walk(ctx.path(root, "src")) for f in fs if f.endswith(".cpp"))
    ctx.write_db(srcs, directory=ctx.path(root, "build"))


def sh(ctx, script, cwd, env):
    return ctx.run(ACTIONS_BASH + ["-c", script], cwd=cwd, env=env)


def test_ci_recipe(ctx):
    """docs/ci.md's commands: the exit-code gate, the baseline record/gate/stale commands, run-clang-tidy."""
    prefix, env = ci_setup(ctx)
    env["PATH"] = os.pathsep.join([os.path.join(prefix, "bin"), env["PATH"]])
    blocks = ctx.doc_blocks("ci.md")
    proj = ctx.path("project")
    ci_project(ctx, "project")
    ci_db(ctx, "project")

    r = sh(ctx, ci_block(blocks, "scan-exit-code", prefix), proj, env)
    check(r.rc == 1, "the exit-code gate must fail (1) on a not-thread-safe finding\n" + r.describe())
    check(re.search(r"warning: global 'requests_served' .*\[sharedstate-mutable-global\]", r.out),
          "the text report does not show the finding\n" + r.describe())

    r = sh(ctx, ci_block(blocks, "baseline-record", prefix), proj, env)
    check(r.rc == 0, "recording the baseline failed\n" + r.describe())
    baseline = ctx.read("project/.sharedstate-baseline").splitlines()
    check(len(baseline) == 2 and any("requests_served" in l for l in baseline)
          and any("lookup::cache" in l for l in baseline),
          "the baseline should list the two not-thread-safe findings: %s" % baseline)
    check(all(re.match(r"^[0-9a-f]{16}  \S+  src/\S+$", l) for l in baseline),
          "baseline lines should be 'id  symbol  file': %s" % baseline)

    gate = ci_block(blocks, "baseline-gate", prefix)
    r = sh(ctx, gate, proj, env)
    check(r.rc == 0, "the gate must pass when every finding is in the baseline\n" + r.describe())

    # A new not-thread-safe global, and a comment in the baseline.
    ctx.write("project/src/sessions.cpp", "#include <vector>\nstd::vector<int> sessions;\n"
                                          "void open_session(int id) { sessions.push_back(id); }\n")
    ci_db(ctx, "project")
    with open(ctx.path("project/.sharedstate-baseline"), "a") as f:
        f.write("# accepted in review\n")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 1, "the gate must fail (1) on a new finding\n" + r.describe())
    check(re.search(r"src/sessions\.cpp:2:18: global 'sessions' .*\[sharedstate-mutable-global, id [0-9a-f]{16}\]",
                    r.err), "the gate does not name the new finding\n" + r.describe())
    check("requests_served" not in r.err and "cache" not in r.err,
          "the gate reports findings that are in the baseline\n" + r.describe())

    # NOLINT accepts it too (the scanner honours it; the report marks it suppressed).
    ctx.write("project/src/sessions.cpp", "#include <vector>\n"
                                          "std::vector<int> sessions; // NOLINT(sharedstate-mutable-global)\n"
                                          "void open_session(int id) { sessions.push_back(id); }\n")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 0, "a finding accepted with NOLINT must not fail the gate\n" + r.describe())

    # A fixed finding is stale in the baseline, and listed as such.
    ctx.write("project/src/stats.cpp", "#include <atomic>\nstd::atomic<long> requests_served{0};\n"
                                       "void on_request() { ++requests_served; }\n")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 0, "fixing a finding must not fail the gate\n" + r.describe())
    r = sh(ctx, ci_block(blocks, "baseline-stale", prefix), proj, env)
    check(r.rc == 0, "listing stale entries failed\n" + r.describe())
    stale = r.out.splitlines()
    check(len(stale) == 1 and "requests_served" in stale[0], "expected requests_served as the one stale entry: %s\n%s"
          % (stale, r.describe()))

    # A file that does not compile: exit 2.
    ctx.write("project/src/broken.cpp", "int broken( {\n")
    ci_db(ctx, "project")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 2, "the gate must fail with 2 when a file cannot be analyzed\n" + r.describe())
    os.remove(ctx.path("project/src/broken.cpp"))
    ci_db(ctx, "project")

    # run-clang-tidy, as the doc writes it: fails on the (not-NOLINT-ed) cache finding.
    tidy = ci_block(blocks, "run-clang-tidy", prefix)
    r = sh(ctx, tidy, proj, env)
    check(r.rc != 0, "run-clang-tidy with -warnings-as-errors must fail on a finding\n" + r.describe())
    check(re.search(r"error: function-local static 'lookup::cache' .*warnings-as-errors", r.out),
          "run-clang-tidy does not report the finding as an error\n" + r.describe())
    ctx.write("project/src/cache.cpp", "#include <map>\n#include <string>\n"
                                       "std::string lookup(int k) {\n"
                                       "  static std::map<int, std::string> cache; // NOLINT(sharedstate-*)\n"
                                       "  auto &v = cache[k];\n  return v;\n}\n")
    r = sh(ctx, tidy, proj, env)
    check(r.rc == 0, "run-clang-tidy must pass once every finding is fixed or NOLINT-ed\n" + r.describe())


def test_ci_workflow(ctx):
    """docs/ci.md's GitHub Actions workflow: valid YAML, and its steps, run the way Actions runs
    them, pass on the baseline and fail on a new finding."""
    try:
        import yaml
    except ImportError:
        raise Skip("%s has no yaml module (apt-get install python3-yaml)" % sys.executable)
    prefix, env = ci_setup(ctx)
    blocks = ctx.doc_blocks("ci.md")
    check("workflow" in blocks, "docs/ci.md has no block marked <!-- test: workflow -->")
    wf = yaml.safe_load(blocks["workflow"])
    jobs = wf.get("jobs", {})
    check(len(jobs) == 1, "expected one job: %s" % list(jobs))
    job = next(iter(jobs.values()))
    check(str(job.get("container", "")).startswith("debian:12"), "the job should run in debian:12")
    check(job.get("defaults", {}).get("run", {}).get("shell") == "bash", "steps should run in bash")
    check(True in wf or "on" in wf, "the workflow has no trigger")
    steps = job["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    for action in ("actions/checkout@v4", "actions/cache@v4", "actions/upload-artifact@v4"):
        check(action in uses, "the workflow does not use %s" % action)
    named = {s.get("name"): s for s in steps}
    for s in steps:
        if "run" in s and "uses" in s:
            raise Failure("a step has both run and uses: %s" % s)
    install = named.get("Install packages", {}).get("run", "")
    for pkg in ("llvm-19-dev", "libclang-19-dev", "clang-tidy-19", "jq", "nlohmann-json3-dev", "cmake", "ninja-build"):
        check(re.search(r"\b%s\b" % re.escape(pkg), install), "the workflow does not install %s" % pkg)
    gate_step = named.get("Fail on new shared mutable state", {}).get("run", "")
    check(gate_step.strip() == blocks["baseline-gate"].strip(),
          "the workflow's gate step differs from the tested baseline-gate command:\n%s" % gate_step)

    # The project, with the workflow's env and GITHUB_PATH, as on a runner where the
    # "Restore sharedstate" cache hit.
    proj = ctx.path("project")
    ci_project(ctx, "project")
    ctx.write("project/CMakeLists.txt", "cmake_minimum_required(VERSION 3.20)\nproject(demo CXX)\n"
                                        "file(GLOB sources CONFIGURE_DEPENDS src/*.cpp)\n"
                                        "add_library(demo STATIC ${sources})\n")
    github_path = ctx.path("github_path")
    open(github_path, "w").close()
    env.update({k: str(v) for k, v in wf.get("env", {}).items()})
    env["SHAREDSTATE_PREFIX"] = prefix
    env["GITHUB_PATH"] = github_path

    def run_steps(names):
        for name in names:
            check(name in named, "the workflow has no step %r" % name)
            step_env = dict(env)
            with open(github_path) as f:
                extra = [l.strip() for l in f if l.strip()]
            step_env["PATH"] = os.pathsep.join(list(reversed(extra)) + [env["PATH"]])
            r = sh(ctx, named[name]["run"], proj, step_env)
            if r.rc != 0:
                return name, r
        return None, None

    check("sharedstate-scan" not in (shutil.which("sharedstate-scan", path=env["PATH"]) or ""),
          "sharedstate-scan is already on PATH: the test would not check the PATH step")
    failed, r = run_steps(["Put sharedstate on PATH", "Generate compile_commands.json"])
    check(failed is None, "step %r failed\n%s" % (failed, r and r.describe()))
    check(os.path.isfile(ctx.path("project/build/compile_commands.json")), "no compile_commands.json generated")

    # The baseline, recorded as the doc says, then the gate passes.
    rec_env = dict(env)
    rec_env["PATH"] = os.pathsep.join([os.path.join(prefix, "bin"), env["PATH"]])
    r = sh(ctx, ci_block(blocks, "baseline-record", prefix), proj, rec_env)
    check(r.rc == 0, "recording the baseline failed\n" + r.describe())
    failed, r = run_steps(["Fail on new shared mutable state"])
    check(failed is None, "the gate step fails with every finding in the baseline\n%s" % (r and r.describe()))
    check(os.path.isfile(ctx.path("project/shared-state.json")), "no shared-state.json for the artifact step")

    # A new finding: configure again (a new file) and the gate fails, naming it.
    ctx.write("project/src/sessions.cpp", "#include <vector>\nstd::vector<int> sessions;\n"
                                          "void open_session(int id) { sessions.push_back(id); }\n")
    failed, r = run_steps(["Generate compile_commands.json", "Fail on new shared mutable state"])
    check(failed == "Fail on new shared mutable state" and r.rc == 1,
          "the gate step must fail with 1 on a new finding\n%s" % (r and r.describe()))
    check("'sessions'" in r.err and "requests_served" not in r.err, "the gate names the wrong findings\n"
          + r.describe())

    # The simpler variant the doc gives: the scanner's exit code.
    m = re.search(r"```yaml\n(\s+- name: Fail on shared mutable state\n.*?)```", ctx_doc(ctx, "ci.md"), re.S)
    check(m, "docs/ci.md lacks the simpler 'Fail on shared mutable state' step")
    simple = yaml.safe_load(textwrap.dedent(m.group(1)))[0]
    named[simple["name"]] = simple
    failed, r = run_steps([simple["name"]])
    check(failed and r.rc == 1, "the simple gate must fail (1) on not-thread-safe findings\n%s"
          % (r and r.describe()))


def ctx_doc(ctx, name):
    with open(os.path.join(ctx.source_dir, "docs", name)) as f:
        return f.read()


TESTS = {
    "fixits": test_fixits,
    "fixits-uninitialized": test_fixits_uninitialized,
    "fixits-non-const-access": test_fixits_non_const_access,
    "fixits-header-cross-tu": test_fixits_header_cross_tu,
    "version-guard": test_version_guard,
    "nolint": test_nolint,
    "dump-config": test_dump_config,
    "doc-clang-tidy-example": test_doc_clang_tidy_example,
    "options-per-check": test_options_per_check,
    "warnings-as-errors": test_warnings_as_errors,
    "run-clang-tidy": test_run_clang_tidy,
    "install": test_install,
    "ci-recipe": test_ci_recipe,
    "ci-workflow": test_ci_workflow,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for opt in ("--clang-tidy", "--run-clang-tidy", "--other-clang-tidy", "--plugin", "--scanner", "--clangxx",
                "--llvm-major", "--cmake", "--build-dir", "--source-dir", "--work-dir"):
        ap.add_argument(opt)
    ap.add_argument("--keep", action="store_true", help="keep the test directory even when the test passes")
    ap.add_argument("--list", action="store_true", help="print the test names, one a line")
    ap.add_argument("test", nargs="?")
    a = ap.parse_args()
    if a.list:
        print("\n".join(TESTS))
        return 0
    required = ("clang_tidy", "run_clang_tidy", "plugin", "scanner", "clangxx", "llvm_major", "cmake", "build_dir",
                "source_dir", "work_dir", "test")
    missing = [r for r in required if not getattr(a, r)]
    if missing:
        ap.error("missing: %s" % ", ".join(missing))
    if a.test not in TESTS:
        ap.error("unknown test %r; known: %s" % (a.test, ", ".join(TESTS)))
    for tool in ("clang_tidy", "plugin", "scanner", "clangxx"):
        if not os.path.exists(getattr(a, tool)):
            print("FAIL: no %s at %s" % (tool.replace("_", "-"), getattr(a, tool)))
            return 1
    return run_one(a.test, lambda work: TESTS[a.test](Context(a, work)), a.work_dir, a.keep)


if __name__ == "__main__":
    sys.exit(main())
