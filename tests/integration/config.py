"""Configuration: which .clang-tidy applies (discovery from --root or the current directory,
empty files, InheritParentConfig) and --config-file, WarnOn from the file (both CheckOptions
spellings, per-check keys), malformed configuration (a usage error naming the file),
SyncTypes from the file and --sync-type, and the singleton-handler options.

What an option means for the findings is tested by fixtures/options/*.cpp (their
`// OPTIONS:` lines, through both front-ends); these tests are about the scanner's
front-end: how options reach it and what it says when they are wrong."""

import os

from harness import Failure, check
from common import (COUNTER_CPP, LOCKED_MUTATION_CPP, NOTE_FINDING_LINE, WARN_ON_3_LIST, WARNING_LINE,
                    registry, warning_lines)

TESTS, test = registry()

WARN_ON_3_MAP = """\
CheckOptions:
  sharedstate.WarnOn: 3
"""


@test
def config_file_warn_on(c):
    c.write("locked.cpp", LOCKED_MUTATION_CPP)
    c.write("counter.cpp", COUNTER_CPP)
    c.default_db(["locked.cpp", "counter.cpp"])
    c.write("ci/sharedstate.yaml", WARN_ON_3_LIST)
    # The defaults: the category 3 variable is fine, the category 4 one warns.
    r = c.scan("-p", ".", "--format", "text", "locked.cpp")
    check(r.rc == 0 and not warning_lines(r), "default WarnOn: expected exit 0, no warning\n" + r.describe())
    r = c.scan("-p", ".", "counter.cpp")
    check(r.rc == 1, "default WarnOn: expected exit 1 for category 4\n" + r.describe())
    default_report = c.report(r.out)
    for cfg in ("ci/sharedstate.yaml", c.path("ci", "sharedstate.yaml")):
        # WarnOn: 3 makes the category 3 finding a warning ...
        r = c.scan("-p", ".", "--config-file", cfg, "--format", "text", "locked.cpp")
        check(r.rc == 1, "WarnOn 3: expected exit 1 for a category 3 finding\n" + r.describe())
        c.expect_clean_stderr(r)
        w = warning_lines(r)
        check(len(w) == 1 and "'request_log'" in w[0] and WARNING_LINE.match(w[0]),
              "WarnOn 3: expected one warning, for request_log\n" + r.describe())
        # ... and a program with only a category 4 finding passes.
        for fmt in ("json", "text"):
            r = c.scan("-p", ".", "--config-file=" + cfg, "--format", fmt, "counter.cpp")
            check(r.rc == 0, "WarnOn 3: expected exit 0 for category 4 only\n" + r.describe())
            c.expect_clean_stderr(r)
        # With --all the category 4 finding is a note; the JSON inventory is unchanged.
        r = c.scan("-p", ".", "--config-file", cfg, "--format", "text", "--all", "counter.cpp")
        check(not warning_lines(r) and any(NOTE_FINDING_LINE.match(l) and "'requests_served'" in l
                                           for l in r.out.splitlines()),
              "WarnOn 3 --all: requests_served should be a note\n" + r.describe())
        rep = c.report(c.scan("-p", ".", "--config-file", cfg, "counter.cpp").out)
        check(rep["findings"] == default_report["findings"], "WarnOn changed the JSON findings")
    # The mapping spelling of CheckOptions works the same.
    c.write("map.yaml", WARN_ON_3_MAP)
    check(c.scan("-p", ".", "--config-file", "map.yaml", "locked.cpp").rc == 1, "CheckOptions as a mapping ignored")
    check(c.scan("-p", ".", "--config-file", "map.yaml", "counter.cpp").rc == 0, "CheckOptions as a mapping ignored")
    # A per-check WarnOn overrides sharedstate.WarnOn for that check only, as in the plugin.
    c.write("per-check.yaml", "CheckOptions:\n  sharedstate.WarnOn: '3'\n"
                              "  sharedstate-mutable-global.WarnOn: 'not-thread-safe'\n")
    check(c.scan("-p", ".", "--config-file", "per-check.yaml", "counter.cpp").rc == 1,
          "sharedstate-mutable-global.WarnOn should decide for a global")
    check(c.scan("-p", ".", "--config-file", "per-check.yaml", "locked.cpp").rc == 0,
          "sharedstate-mutable-global.WarnOn should decide for a global")


@test
def config_discovery(c):
    # proj/.clang-tidy applies to --root proj and to anything below it.
    c.write("proj/src/locked.cpp", LOCKED_MUTATION_CPP)
    c.write_db([("proj/src/locked.cpp", ["clang++", "-std=c++17", "-c", "proj/src/locked.cpp"])], rel_dir="proj/build")
    c.write("proj/.clang-tidy", WARN_ON_3_MAP)
    db = c.path("proj", "build")
    # Without --root, the current directory: the work directory's own
    # .clang-tidy (no options, written by the driver) is nearest.
    r = c.scan("-p", db)
    check(r.rc == 0, "from the work directory: expected exit 0 (proj/.clang-tidy does not apply)\n" + r.describe())
    for root, cwd in (("proj", None), (c.path("proj"), None), ("proj/src", None), ("proj/build", None),
                      (None, c.path("proj")), (None, c.path("proj", "src"))):
        args = ["-p", db] + (["--root", root] if root else [])
        r = c.scan(*args, "--format", "text", cwd=cwd)
        check(r.rc == 1 and any("'request_log'" in l for l in warning_lines(r)),
              "root %s, cwd %s: proj/.clang-tidy (WarnOn 3) not applied\n%s" % (root, cwd, r.describe()))
        c.expect_clean_stderr(r)
    # An empty .clang-tidy is skipped, as clang-tidy does ...
    c.write("proj/src/.clang-tidy", "")
    check(c.scan("-p", db, "--root", "proj/src").rc == 1, "an empty proj/src/.clang-tidy stopped the search")
    # ... a non-empty one is the configuration, and the search stops there ...
    c.write("proj/src/.clang-tidy", "Checks: '-*,sharedstate-*'\n")
    check(c.scan("-p", db, "--root", "proj/src").rc == 0, "the nearest .clang-tidy should win")
    # ... unless it asks for its parent's.
    c.write("proj/src/.clang-tidy", "Checks: '-*,sharedstate-*'\nInheritParentConfig: true\n")
    check(c.scan("-p", db, "--root", "proj/src").rc == 1, "InheritParentConfig: true not honored")
    # --config-file replaces the search.
    c.write("none.yaml", "Checks: '*'\n")
    check(c.scan("-p", db, "--root", "proj", "--config-file", "none.yaml").rc == 0,
          "--config-file should replace proj/.clang-tidy")
    # Checks: is ignored: the scanner runs every sharedstate check.
    c.write("proj/.clang-tidy", "Checks: '-*,misc-*'\n" + WARN_ON_3_MAP)
    r = c.scan("-p", db, "--root", "proj")
    check(r.rc == 1, "Checks: disabling sharedstate should not stop the scanner\n" + r.describe())
    check(c.report(r.out)["findings"], "no findings with Checks: -*")


@test
def config_malformed(c):
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    cases = [
        ("CheckOptions:\n  - key: sharedstate.WarnOn\n    value: '3\n", "unterminated quote"),
        ("Checks: '*'\n  bad indentation: 1\n", "bad indentation"),
        ("CheckOptions:\n  - key: a.b\n    value: [1, 2]\n", "a list as a value"),
        ("CheckOptions: 3\n", "CheckOptions a number"),
        ("CheckOptions:\n  - key: sharedstate.WarnOn\n", "an entry without value"),
        ("just text\n", "not a mapping"),
        ("CheckOptions:\n  sharedstate.WarnOn: sometimes\n", "an invalid WarnOn"),
        ("CheckOptions:\n  sharedstate-mutable-global.WarnOn: '5'\n", "an invalid per-check WarnOn"),
        ("CheckOptions:\n  sharedstate.WarnOn: ''\n", "an empty WarnOn"),
        ("CheckOptions:\n  sharedstate.LibraryCallers: often\n", "an invalid LibraryCallers"),
    ]
    failures = []
    for text, what in cases:
        for explicit in (False, True):
            name = "cfg.yaml" if explicit else ".clang-tidy"
            c.write(name, text)
            args = ["-p", ".", "-o", "report.json"] + (["--config-file", name] if explicit else [])
            try:
                r = c.scan(*args)
                line = c.expect_usage_error(r, c.path(name) if not explicit else name)
                check("invalid configuration" in line, "the error does not say what is wrong: %r" % line)
                for option in ("WarnOn", "LibraryCallers"):
                    if option in what:
                        check(option in line, "the error does not name the option: %r" % line)
                check(not os.path.exists(c.path("report.json")), "a report was written")
                # --warn-on does not excuse a broken file.
                c.expect_usage_error(c.scan(*args, "--warn-on", "all"), name)
            except Failure as e:
                failures.append("%s (%s):\n%s" % (what, name, e))
            c.write(name, "# no options\n")
    check(not failures, "\n\n".join(failures))
    # Syntax errors give the line.
    c.write(".clang-tidy", "Checks: '*'\n  bad indentation: 1\n")
    c.expect_usage_error(c.scan("-p", "."), c.path(".clang-tidy") + ":2:")
    c.write(".clang-tidy", "# no options\n")
    # A --config-file that does not exist.
    c.expect_usage_error(c.scan("-p", ".", "--config-file", "missing.yaml", "-o", "report.json"), "missing.yaml")
    check(not os.path.exists(c.path("report.json")), "a report was written")


SPINLOCK_CPP = """\
namespace mylib {
struct SpinLock { void lock(); void unlock(); };
struct Ticket { void lock(); void unlock(); };
}
mylib::SpinLock spin;
mylib::Ticket ticket;
int counter = 0;
int served = 0;
void bump() { spin.lock(); ++counter; spin.unlock(); }
void serve() { ticket.lock(); ++served; ticket.unlock(); }
"""


@test
def config_sync_types(c):
    """SyncTypes from .clang-tidy, in either spelling, reaches the scanner, and --sync-type adds to
    the file's list. What a sync type means for each variable: fixtures/options/project_lock*.cpp."""
    c.write("spin.cpp", SPINLOCK_CPP)
    c.default_db(["spin.cpp"])
    r = c.scan("-p", ".")
    check(r.rc == 1, "without configuration: expected exit 1\n" + r.describe())

    # Every variable here is a global, so the per-check spelling exits 0 only because the scanner,
    # one analysis for all checks, takes the union of the checks' lists (docs/clang-tidy.md).
    for what, text in (
            ("sharedstate.SyncTypes",
             "CheckOptions:\n  - key: sharedstate.SyncTypes\n    value: 'mylib::SpinLock;mylib::Ticket'\n"),
            ("per-check SyncTypes",
             "CheckOptions:\n  sharedstate-mutable-global.SyncTypes: mylib::SpinLock\n"
             "  sharedstate-function-local-static.SyncTypes: mylib::Ticket\n")):
        c.write(".clang-tidy", text)
        r = c.scan("-p", ".")
        check(r.rc == 0, "%s from .clang-tidy: expected exit 0\n%s" % (what, r.describe()))
        c.expect_clean_stderr(r)
    # The command line adds to the file's list.
    c.write(".clang-tidy", "CheckOptions:\n  sharedstate.SyncTypes: mylib::SpinLock\n")
    check(c.scan("-p", ".").rc == 1, "mylib::Ticket should not be a sync type from this file")
    r = c.scan("-p", ".", "--sync-type", "mylib::Ticket")
    check(r.rc == 0, "--sync-type should add to the file's SyncTypes\n" + r.describe())


CUSTOM_FRAMEWORK_CPP = r"""#include <string>
namespace myhttp {
struct Request { std::string user; };
template <typename F> void on(const char *path, F &handler);  // keeps &handler
class Controller {};
}  // namespace myhttp

struct Tracker {
  std::string last_;
  void operator()(const myhttp::Request &r) { last_ = r.user; }
};

class Profile : public myhttp::Controller {
public:
  void show(const myhttp::Request &r) { user_ = r.user; }
private:
  std::string user_;
};

int main() {
  Tracker t;
  myhttp::on("/t", t);
}
"""


@test
def handler_options(c):
    """--registration-function and --handler-base teach the singleton-handler check a framework it
    does not know (their .clang-tidy keys: fixtures/options/custom_framework.cpp)."""
    c.write("app.cpp", CUSTOM_FRAMEWORK_CPP)
    c.default_db(["app.cpp"])

    def handlers(*args):
        r = c.scan("-p", ".", *args)
        c.expect_clean_stderr(r)
        return sorted(x["symbol"] for x in c.report(r.out)["findings"] if x["kind"] == "singleton-handler")

    check(handlers() == [], "an unknown framework is not a handler: %s" % handlers())
    got = handlers("--registration-function", "myhttp::on", "--handler-base", "myhttp::Controller")
    check(got == ["Profile", "Tracker"], "with the options both handlers are found: %s" % got)


@test
def misspelt_key_warns(c):
    """A key of ours that names no option is a warning with the closest known key; the scan goes on."""
    c.write("counter.cpp", COUNTER_CPP)
    c.default_db(["counter.cpp"])
    c.write(".clang-tidy", "CheckOptions:\n  sharedstate.WarnOnn: all\n  readability-x.Y: 1\n")
    r = c.scan("-p", ".", "-o", "report.json")
    check(r.rc == 1, "the scan should go on with the defaults\n" + r.describe())
    lines = r.err.splitlines()
    check(len(lines) == 1, "expected one warning line\n" + r.describe())
    check(lines[0].startswith("sharedstate-scan: warning: ") and ".clang-tidy" in lines[0]
          and "'sharedstate.WarnOnn'" in lines[0] and "did you mean 'sharedstate.WarnOn'" in lines[0],
          "the warning should name the file, the key and the closest key\n" + r.describe())


@test
def library_callers(c):
    """LibraryCallers (or --library-callers, which wins) says whether the library's API may be called from
    several threads at once: by default it may, and a global its API writes races; with serial it does not."""
    c.write("codecs.cpp", "#include <string>\n#include <vector>\nstd::vector<std::string> codecs;\n"
            "void add_codec(const std::string &n) { codecs.push_back(n); }\n")
    c.default_db(["codecs.cpp"])

    def verdict(*args):
        r = c.scan("-p", ".", *args)
        check(r.rc in (0, 1), r.describe())
        rep = c.report(r.out, "stdout")
        return [f["verdict"] for f in rep["findings"] if f["symbol"] == "codecs"]

    check(verdict() == ["not-thread-safe"], "the default: callers may be concurrent")
    check(verdict("--library-callers", "serial") == ["probably-thread-safe"], "--library-callers serial")
    c.write(".clang-tidy", "CheckOptions:\n  sharedstate.LibraryCallers: serial\n")
    check(verdict() == ["probably-thread-safe"], "sharedstate.LibraryCallers: serial")
    check(verdict("--library-callers=concurrent") == ["not-thread-safe"], "the command line wins over the file")
    r = c.scan("-p", ".", "--library-callers", "sometimes")
    c.expect_usage_error(r, "--library-callers", "sometimes")
