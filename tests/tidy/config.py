"""Configuration through clang-tidy: --list-checks and --dump-config (every option of every
check with its default, the shared sharedstate. prefix and a check's own key, an invalid
value), the example .clang-tidy of docs/clang-tidy.md, an option set for one check leaving
the others alone, and WarningsAsErrors as the CI gate.

What the options mean for the findings is tested by fixtures/options/*.cpp (their
`// OPTIONS:` lines, through both front-ends)."""

import re

from harness import check
from common import by_symbol, diagnostics

CHECKS = ["sharedstate-function-local-static", "sharedstate-lazy-init", "sharedstate-mutable-global",
          "sharedstate-mutable-static-member", "sharedstate-singleton-handler"]


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
    """SyncTypes changes the analysis: set for one check it must not change another check's findings.
    (Under the shared prefix it applies to all: fixtures/options/sync_type_class.cpp.)"""
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

    for only, own_symbol, other_symbol in (("sharedstate-mutable-global", "hits", "on_other::local_hits"),
                                           ("sharedstate-function-local-static", "on_other::local_hits", "hits")):
        cfg = "{Checks: '-*,sharedstate-*', CheckOptions: {%s.SyncTypes: 'app::Counter'}}" % only
        got = set(by_symbol(diagnostics(ctx.tidy_ok(["sync.cpp"], config=cfg).out)))
        check(own_symbol not in got, "%s.SyncTypes did not apply to its own check: %r still warns "
              "(warnings: %s)" % (only, own_symbol, sorted(got)))
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


TESTS = {
    "dump-config": test_dump_config,
    "doc-clang-tidy-example": test_doc_clang_tidy_example,
    "options-per-check": test_options_per_check,
    "warnings-as-errors": test_warnings_as_errors,
}
