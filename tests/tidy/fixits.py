"""--fix: every supported shape of a never-written variable gets const or constexpr on each of
its declarations, the result compiles, the hint is gone and a second --fix changes nothing; a
global with external linkage and no extern declaration gets no fix-it. Where const would
not compile (no initializer, non-const access handed out, a header shared with a file that
writes the variable), --fix must leave code that compiles."""

import re

from harness import check
from common import by_symbol, diagnostics

HINT = "nothing writes it"
THREAD_SAFE_CONFIG = ("{Checks: '-*,sharedstate-*', "
                      "CheckOptions: [{key: sharedstate.WarnOn, value: thread-safe}]}")


def has_hint(d):
    return any(HINT in n.message for n in d.notes)


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


TESTS = {
    "fixits": test_fixits,
    "fixits-uninitialized": test_fixits_uninitialized,
    "fixits-non-const-access": test_fixits_non_const_access,
    "fixits-header-cross-tu": test_fixits_header_cross_tu,
}
