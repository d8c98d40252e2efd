#!/usr/bin/python3
"""Integration tests: the real sharedstate-scan binary, run the way a user runs it.

    scan_test.py --scanner PATH --source-dir DIR --work-dir DIR TEST
    scan_test.py --list

Each TEST writes its own sources and compile_commands.json into a fresh
directory under --work-dir, runs the scanner as a subprocess and checks what a
user sees: the exit code (0/1/2, never a signal), stderr (one line per error,
naming the file and the problem), the report (validated against
docs/report.schema.json whenever one is produced) and the files left on disk.

Exit status: 0 pass, 1 fail, 77 skipped (ctest's SKIP_RETURN_CODE). A failed
test keeps its directory for inspection; a passed one removes it.

Needs Debian's python3-jsonschema (scripts/install-deps.sh), hence /usr/bin/python3.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from harness import SKIP, Failure, Skip, WorkTree, check, run_one  # noqa: E402  (tests/harness.py)

PREFIX = "sharedstate-scan: error: "
WARNING_LINE = re.compile(r"^[^:]+:\d+:\d+: warning: .* \[sharedstate-[a-z-]+\]$")
NOTE_FINDING_LINE = re.compile(r"^[^:]+:\d+:\d+: note: .* \[sharedstate-[a-z-]+\]$")


def printable(text):
    """Control characters escaped, so that a test log stays text."""
    return re.sub(r"[^\n\t\x20-\x7e\u00a0-\uffff]", lambda m: "\\x%02x" % ord(m.group()), text)


class Result:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def describe(self):
        return "command: %s\nexit code: %s\n--- stderr ---\n%s--- stdout (first 2000 chars) ---\n%s" % (
            " ".join(self.args), self.rc, printable(self.err), printable(self.out[:2000]))


class Context(WorkTree):
    def __init__(self, scanner, source_dir, work):
        super().__init__(work)
        self.scanner = scanner
        self.source_dir = source_dir
        self._schema = None

    # ---- files -------------------------------------------------------------
    def write_db(self, entries, rel_dir="."):
        """entries: list of (file, args-or-command-string); the directory is the work dir."""
        db = []
        for file, cmd in entries:
            e = {"directory": self.work, "file": file}
            if isinstance(cmd, str):
                e["command"] = cmd
            else:
                e["arguments"] = cmd
            db.append(e)
        return self.write(os.path.join(rel_dir, "compile_commands.json"), json.dumps(db, indent=2))

    def default_db(self, files, extra=()):
        return self.write_db([(f, ["clang++", "-std=c++17", *extra, "-c", f, "-o", f + ".o"]) for f in files])

    # ---- running the scanner -----------------------------------------------
    def scan(self, *args, cwd=None, timeout=60):
        argv = [self.scanner, *args]
        try:
            proc = subprocess.run(argv, cwd=cwd or self.work, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Failure("scanner did not finish within %ss: %s" % (timeout, " ".join(argv)))
        r = Result(argv, proc)
        check(r.rc >= 0, "scanner was killed by signal %d (a crash)\n%s" % (-r.rc, r.describe()))
        check(r.rc in (0, 1, 2), "exit code %d is not one of the documented 0/1/2\n%s" % (r.rc, r.describe()))
        return r

    # ---- expectations ------------------------------------------------------
    def expect_usage_error(self, r, *needles, prefix=PREFIX):
        """Exit 2, nothing on stdout, exactly one stderr line naming the problem."""
        check(r.rc == 2, "expected exit code 2\n" + r.describe())
        check(r.out == "", "expected nothing on stdout\n" + r.describe())
        lines = r.err.splitlines()
        check(len(lines) == 1, "expected exactly one line on stderr, got %d\n%s" % (len(lines), r.describe()))
        line = lines[0]
        check(line.startswith(prefix), "stderr line does not start with %r\n%s" % (prefix, r.describe()))
        check(line.count("sharedstate-scan:") == 1,
              "the program name is repeated in the error line\n" + r.describe())
        for n in needles:
            check(n in line, "stderr line does not mention %r\n%s" % (n, r.describe()))
        return line

    def expect_tu_errors(self, r, files, strict=True):
        """Exit 2; stderr is one 'sharedstate-scan: error: FILE: ...' line per failed TU.

        strict: and nothing else (tests about something else pass strict=False, so
        that one stray-output bug fails the tests about stderr, not all of them)."""
        check(r.rc == 2, "expected exit code 2 (a TU failed)\n" + r.describe())
        lines = r.err.splitlines()
        for line in lines:
            check(line.startswith(PREFIX) or not strict,
                  "stray line on stderr (only one error line per failed TU is expected): %r\n%s"
                  % (line, r.describe()))
        lines = [l for l in lines if l.startswith(PREFIX)]
        check(len(lines) == len(files),
              "expected %d error line(s) on stderr, got %d\n%s" % (len(files), len(lines), r.describe()))
        for f in files:
            check(any(f in line for line in lines), "no stderr line names %r\n%s" % (f, r.describe()))

    def expect_clean_stderr(self, r):
        check(r.err == "", "expected nothing on stderr (compiler warnings are not the scanner's output)\n"
              + r.describe())

    def no_tmp_files(self, directory):
        left = [n for n in os.listdir(directory) if ".tmp." in n]
        check(not left, "temporary files left in %s: %s" % (directory, left))

    # ---- reports -----------------------------------------------------------
    def schema(self):
        if self._schema is None:
            try:
                import jsonschema  # noqa: F401
            except ImportError:
                raise Failure("%s has no jsonschema module: install python3-jsonschema "
                              "(bash scripts/install-deps.sh)" % sys.executable)
            with open(os.path.join(self.source_dir, "docs", "report.schema.json")) as f:
                self._schema = json.load(f)
            jsonschema.Draft202012Validator.check_schema(self._schema)
        return self._schema

    def schema_errors(self, report):
        import jsonschema
        v = jsonschema.Draft202012Validator(self.schema())
        return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(top)", e.message)
                for e in sorted(v.iter_errors(report), key=lambda e: list(map(str, e.absolute_path)))]

    def report(self, text, where="report"):
        """Parses a JSON report, validates it against the schema and checks its internal consistency."""
        try:
            rep = json.loads(text)
        except ValueError as e:
            raise Failure("%s is not JSON (%s): %r" % (where, e, text[:500]))
        errs = self.schema_errors(rep)
        check(not errs, "%s does not validate against docs/report.schema.json:\n  %s" % (where, "\n  ".join(errs[:20])))
        f = rep["findings"]
        s = rep["summary"]
        check(s["findings"] == len(f), "summary.findings %d != %d findings" % (s["findings"], len(f)))
        for key, field in (("by_kind", "kind"), ("by_verdict", "verdict"), ("by_category", "category")):
            counts = {}
            for x in f:
                counts[str(x[field])] = counts.get(str(x[field]), 0) + 1
            for k, n in s[key].items():
                check(counts.get(k, 0) == n, "summary.%s[%s] is %d but %d findings have it" % (key, k, n, counts.get(k, 0)))
            for k, n in counts.items():
                check(s[key].get(k) == n, "summary.%s lacks %s (%d findings)" % (key, k, n))
        ids = [x["id"] for x in f]
        check(len(ids) == len(set(ids)), "finding ids are not unique: %s" % ids)
        return rep

    def read_report(self, path):
        check(os.path.isfile(path), "no report at %s" % path)
        with open(path) as fh:
            return self.report(fh.read(), path)


def symbols(rep):
    return {x["symbol"]: x for x in rep["findings"]}


def expect_symbols(rep, present=(), absent=()):
    s = symbols(rep)
    for name in present:
        check(name in s, "expected a finding for %r; findings: %s" % (name, sorted(s)))
    for name in absent:
        check(name not in s, "unexpected finding for %r (it is not in the scanned TUs)" % name)
    return s


# Small TUs without standard headers: each parses in a few milliseconds.
COUNTER_CPP = """\
// reassigned at run time: category 4, not thread-safe
int requests_served = 0;
void handle_request() { ++requests_served; }
"""
LIMITS_CPP = """\
// never written: category 1, thread-safe
const int max_connections = 64;
int default_port = 8080;
int port() { return default_port; }
"""
BROKEN_CPP = """\
int fine_before_the_error = 1;

int broken(int x) { return x + ; }
"""
SAFE_ONLY_CPP = """\
const int table[] = {1, 2, 3};
constexpr long limit = 10;
int never_written = 4;
thread_local int per_thread = 0;
int lookup(int i) {
  int local = table[i] + never_written;
  ++local;
  ++per_thread;
  return local + static_cast<int>(limit);
}
"""


# ---------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------
TESTS = {}


def test(fn):
    TESTS[fn.__name__.replace("_", "-")] = fn
    return fn


@test
def no_database(c):
    os.makedirs(c.path("build"))
    os.makedirs(c.path("out"))
    r = c.scan("-p", "build", "-o", "out/report.json")
    c.expect_usage_error(r, "'build'", "compile_commands.json")
    check(os.listdir(c.path("out")) == [], "files created in out/: %s" % os.listdir(c.path("out")))
    # The default -p is the current directory.
    r = c.scan(cwd=c.path("build"))
    c.expect_usage_error(r, "compile_commands.json")


@test
def database_path_missing(c):
    r = c.scan("-p", "no/such/dir", "-o", "report.json")
    c.expect_usage_error(r, "no/such/dir")
    check(not os.path.exists(c.path("report.json")), "a report was written")


@test
def malformed_database(c):
    c.write("a.cpp", COUNTER_CPP)
    complete = json.dumps([{"directory": c.work, "file": "a.cpp", "command": "clang++ -c a.cpp"}])
    texts = [
        "garbage{",
        "",
        "\x00\x01binary",
        "[1, 2",
        "[ @ ]",
        '["unterminated',
        '[{"directory": "/tmp", "file": ',
        complete[:-1],  # truncated just before the closing bracket: a build still writing it
    ]
    failures = []
    for i, text in enumerate(texts):
        d = "db%d" % i
        db = c.write(os.path.join(d, "compile_commands.json"), text)
        for p in (d, db):  # -p accepts the directory or the file itself
            try:
                r = c.scan("-p", p, "-o", "report.json")
                c.expect_usage_error(r, os.path.join(d, "compile_commands.json"))
                check(not os.path.exists(c.path("report.json")), "a report was written")
                c.no_tmp_files(c.work)
            except Failure as e:
                failures.append("database %r:\n%s" % (text, e))
            if os.path.exists(c.path("report.json")):
                os.remove(c.path("report.json"))
    check(not failures, "\n\n".join(failures))


@test
def wrong_shape_database(c):
    c.write("a.cpp", COUNTER_CPP)
    shapes = [
        {"directory": c.work, "file": "a.cpp", "arguments": ["clang++", "a.cpp"]},  # object, not array
        [1, 2],
        "compile_commands",
        [{"file": "a.cpp"}],  # neither command nor arguments
        [{"file": "a.cpp", "arguments": ["clang++", "a.cpp"]}],  # no directory
        [{"directory": c.work, "file": "a.cpp", "arguments": "clang++ a.cpp"}],  # arguments not a list
    ]
    failures = []
    for i, shape in enumerate(shapes):
        d = "db%d" % i
        c.write(os.path.join(d, "compile_commands.json"), json.dumps(shape))
        try:
            r = c.scan("-p", d, "-o", "report.json")
            c.expect_usage_error(r, os.path.join(d, "compile_commands.json"))
            check(not os.path.exists(c.path("report.json")), "a report was written")
        except Failure as e:
            failures.append("database %s:\n%s" % (json.dumps(shape), e))
        if os.path.exists(c.path("report.json")):
            os.remove(c.path("report.json"))
    check(not failures, "\n\n".join(failures))


@test
def empty_database(c):
    c.write("build/compile_commands.json", "[]")
    r = c.scan("-p", "build", "-o", "report.json")
    c.expect_usage_error(r, "build", "no files")
    check(not os.path.exists(c.path("report.json")), "a report was written")


@test
def syntax_error_among_good(c):
    c.write("good_a.cpp", COUNTER_CPP)
    c.write("broken.cpp", BROKEN_CPP)
    c.write("good_b.cpp", LIMITS_CPP)
    c.default_db(["good_a.cpp", "broken.cpp", "good_b.cpp"])
    r = c.scan("-p", ".", "-o", "report.json")
    c.expect_tu_errors(r, ["broken.cpp"])
    check(r.out == "", "stdout is not empty with -o\n" + r.describe())
    rep = c.read_report(c.path("report.json"))
    expect_symbols(rep, present=["requests_served", "max_connections", "default_port"])
    check(len(rep["errors"]) == 1, "expected one error, got %s" % rep["errors"])
    err = rep["errors"][0]
    check(err["file"] == "broken.cpp", "the error names %r, not broken.cpp" % err["file"])
    check(re.search(r"broken\.cpp:3:\d+", err["message"]),
          "the message does not give the first compile error's location (broken.cpp:3:col): %r" % err["message"])
    check(rep["summary"]["translation_units"] == 3, "summary.translation_units is not 3")
    # The stderr line gives the same location.
    check(re.search(r"broken\.cpp:3:\d+", r.err), "stderr does not locate the error\n" + r.describe())
    c.no_tmp_files(c.work)


@test
def missing_listed_file(c):
    c.write("a.cpp", COUNTER_CPP)
    c.write("b.cpp", LIMITS_CPP)
    c.default_db(["a.cpp", "gone.cpp", "b.cpp"])
    r = c.scan("-p", ".")
    c.expect_tu_errors(r, ["gone.cpp"])
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["requests_served", "max_connections"])
    errs = {e["file"]: e["message"] for e in rep["errors"]}
    check(list(errs) == ["gone.cpp"], "errors should name gone.cpp only: %s" % rep["errors"])
    check("no such file" in errs["gone.cpp"].lower(), "message does not say the file is missing: %r" % errs["gone.cpp"])


@test
def file_not_in_database(c):
    c.write("a.cpp", COUNTER_CPP)
    c.write("other.cpp", LIMITS_CPP)
    c.default_db(["a.cpp"])
    r = c.scan("-p", ".", "a.cpp", "other.cpp", "nowhere.cpp")
    c.expect_tu_errors(r, ["other.cpp", "nowhere.cpp"])
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["requests_served"], absent=["max_connections"])
    errs = {e["file"]: e["message"] for e in rep["errors"]}
    check(set(errs) == {"other.cpp", "nowhere.cpp"}, "errors: %s" % rep["errors"])
    for f, m in errs.items():
        check("not in the compilation database" in m, "%s: message does not say why: %r" % (f, m))


@test
def unknown_option(c):
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    c.expect_usage_error(c.scan("-p", ".", "--no-such-option"), "--no-such-option")
    c.expect_usage_error(c.scan("-p", ".", "--no-such-option", "-o", "report.json"), "--no-such-option")
    check(not os.path.exists(c.path("report.json")), "a report was written")
    # Bad option values: one "error:" line naming the option and the value.
    c.expect_usage_error(c.scan("-p", ".", "-j", "many"), "-j", "many")
    c.expect_usage_error(c.scan("-p", ".", "-j=0"), "-j", "0")
    c.expect_usage_error(c.scan("-p", ".", "-o"), "-o")


@test
def bad_format(c):
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    c.expect_usage_error(c.scan("-p", ".", "--format=xml"), "xml")
    c.expect_usage_error(c.scan("-p", ".", "--format", "sarif-ish", "-o", "report.json"), "sarif-ish")
    check(not os.path.exists(c.path("report.json")), "a report was written")
    c.expect_usage_error(c.scan("-p", ".", "--format="), "format")


@test
def output_replaces_existing(c):
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    out = c.write("reports/report.json", "OLD REPORT, deliberately not JSON\n" * 1000)
    before = os.stat(out).st_ino
    r = c.scan("-p", ".", "-o", "reports/report.json")
    check(r.rc == 1, "expected exit code 1 (a not-thread-safe finding)\n" + r.describe())
    c.expect_clean_stderr(r)
    check(r.out == "", "stdout is not empty with -o\n" + r.describe())
    with open(out) as f:
        text = f.read()
    check("OLD REPORT" not in text, "the old report was not replaced whole")
    expect_symbols(c.report(text, out), present=["requests_served"])
    check(os.stat(out).st_ino != before,
          "the report was rewritten in place (same inode), not replaced by a rename")
    c.no_tmp_files(c.path("reports"))
    # A scan that fails before reporting leaves the existing report alone.
    r = c.scan("-p", "missing-build-dir", "-o", "reports/report.json")
    c.expect_usage_error(r, "missing-build-dir")
    with open(out) as f:
        check(f.read() == text, "a failed scan changed the existing report")
    c.no_tmp_files(c.path("reports"))
    # Text reports go through the same path.
    r = c.scan("-p", ".", "--format", "text", "-o", "reports/report.json")
    check(r.rc == 1, r.describe())
    with open(out) as f:
        check(f.read().startswith("a.cpp:"), "the text report did not replace the JSON one")
    c.no_tmp_files(c.path("reports"))


@test
def output_dir_missing(c):
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    before = sorted(os.listdir(c.work))
    r = c.scan("-p", ".", "-o", "nodir/report.json")
    c.expect_usage_error(r, "nodir/report.json")
    check(not os.path.exists(c.path("nodir")), "the scanner created nodir/")
    check(sorted(os.listdir(c.work)) == before, "files appeared: %s" % sorted(set(os.listdir(c.work)) - set(before)))
    # -o naming an existing directory: an error, and the directory is untouched.
    os.makedirs(c.path("adir"))
    r = c.scan("-p", ".", "-o", "adir")
    c.expect_usage_error(r, "adir")
    check(os.path.isdir(c.path("adir")) and os.listdir(c.path("adir")) == [], "adir/ changed")
    c.no_tmp_files(c.work)


@test
def output_dir_unwritable(c):
    if os.geteuid() == 0:
        raise Skip("running as root, who can write into a read-only directory")
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    os.makedirs(c.path("ro"))
    os.chmod(c.path("ro"), 0o555)
    try:
        r = c.scan("-p", ".", "-o", "ro/report.json")
        c.expect_usage_error(r, "ro/report.json")
        check(os.listdir(c.path("ro")) == [], "files created in ro/: %s" % os.listdir(c.path("ro")))
    finally:
        os.chmod(c.path("ro"), 0o755)


@test
def gcc_only_flags(c):
    c.write("a.cpp", COUNTER_CPP)
    c.write("b.cpp", LIMITS_CPP)
    gcc = ("-fconcepts-diagnostics-depth=2 -fipa-pta -fno-lifetime-dse -fdiagnostics-urls=never "
           "-Wno-some-gcc-only-warning -Wsuggest-attribute=noreturn")
    c.write_db([
        ("a.cpp", "/usr/bin/g++ -std=gnu++17 -O2 %s -c a.cpp -o a.cpp.o" % gcc),
        ("b.cpp", ["g++", "-std=gnu++17", *gcc.split(), "-Werror", "-c", "b.cpp", "-o", "b.cpp.o"]),
    ])
    r = c.scan("-p", ".")
    check(r.rc == 1, "expected exit code 1 (GCC-only flags must not fail the TUs)\n" + r.describe())
    rep = c.report(r.out, "stdout")
    check(rep["errors"] == [], "errors: %s" % rep["errors"])
    expect_symbols(rep, present=["requests_served", "max_connections", "default_port"])
    c.expect_clean_stderr(r)


WARNING_CPP = """\
int hits = 0;
int count_twice(int x) {
  int unused = 1;
  if (x = 2)
    ++hits;
  return hits;
}
"""


@test
def werror_project(c):
    c.write("w.cpp", WARNING_CPP)
    c.default_db(["w.cpp"], extra=["-Wall", "-Wextra", "-Werror"])
    r = c.scan("-p", ".")
    check(r.rc == 1, "expected exit code 1 (-Werror must not fail the TU)\n" + r.describe())
    rep = c.report(r.out, "stdout")
    check(rep["errors"] == [], "errors: %s" % rep["errors"])
    expect_symbols(rep, present=["hits"])
    check(symbols(rep)["hits"]["category"] == 4, "hits should be category 4")
    c.expect_clean_stderr(r)


@test
def werror_specific_warnings(c):
    c.write("w.cpp", WARNING_CPP + "int zero_length[0];\n")
    c.default_db(["w.cpp"], extra=["-Wall", "-Werror=unused-variable", "-Werror=parentheses", "-pedantic-errors"])
    r = c.scan("-p", ".")
    check(r.rc == 1, "expected exit code 1 (-Werror=<warning> and -pedantic-errors must not fail the TU)\n"
          + r.describe())
    rep = c.report(r.out, "stdout")
    check(rep["errors"] == [], "errors: %s" % rep["errors"])
    expect_symbols(rep, present=["hits"])
    c.expect_clean_stderr(r)


@test
def positional_restricts(c):
    c.write("src/a.cpp", "int a_counter = 0;\nvoid a() { ++a_counter; }\n")
    c.write("src/b.cpp", "int b_counter = 0;\nvoid b() { ++b_counter; }\n")
    c.write("src/c.cpp", "int c_counter = 0;\nvoid c() { c_counter += 2; }\n")
    c.write_db([(os.path.join("src", f), ["clang++", "-std=c++17", "-c", os.path.join("src", f)])
                for f in ("a.cpp", "b.cpp", "c.cpp")], rel_dir="build")
    for spelling in ("src/a.cpp", "./src/a.cpp", "src/../src/a.cpp", c.path("src", "a.cpp")):
        r = c.scan("-p", "build", spelling)
        check(r.rc == 1, "%s: expected exit code 1\n%s" % (spelling, r.describe()))
        c.expect_clean_stderr(r)
        rep = c.report(r.out, "stdout")
        expect_symbols(rep, present=["a_counter"], absent=["b_counter", "c_counter"])
        check(rep["summary"]["translation_units"] == 1, "%s: translation_units != 1" % spelling)
    # Positional paths are relative to the current directory, not to -p.
    r = c.scan("-p", "../build", "a.cpp", "c.cpp", cwd=c.path("src"))
    check(r.rc == 1, r.describe())
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["a_counter", "c_counter"], absent=["b_counter"])
    check(rep["summary"]["translation_units"] == 2, "translation_units != 2")
    # Without positionals every TU is scanned.
    rep = c.report(c.scan("-p", "build").out, "stdout")
    expect_symbols(rep, present=["a_counter", "b_counter", "c_counter"])


@test
def schema_fixtures(c):
    fixtures = os.path.join(c.source_dir, "fixtures")
    files = sorted(glob.glob(os.path.join(fixtures, "globals", "*.cpp")))
    check(files, "no fixtures under %s/globals" % fixtures)
    c.write_db([(f, ["clang++", "-std=c++17", "-I" + os.path.join(fixtures, "include"), "-c", f]) for f in files])
    r = c.scan("-p", ".", "--root", c.source_dir, "-j", "2")
    check(r.rc in (0, 1), "fixtures should scan without errors\n" + r.describe())
    rep = c.report(r.out, "the report over fixtures/globals")
    check(rep["errors"] == [], "errors: %s" % rep["errors"])
    check(rep["findings"], "no findings over fixtures/globals")
    check(rep["root"] == c.source_dir, "root is %r, not --root %r" % (rep["root"], c.source_dir))
    for x in rep["findings"]:
        check(x["location"]["file"].startswith("fixtures/globals/"),
              "location not relative to --root: %s" % x["location"])
    check({x["verdict"] for x in rep["findings"]} >= {"thread-safe", "not-thread-safe"},
          "expected both safe and unsafe findings among the fixtures")
    check(any(x["evidence"] for x in rep["findings"]), "no evidence anywhere")


@test
def schema_report_with_errors(c):
    c.write("a.cpp", COUNTER_CPP)
    c.write("broken.cpp", BROKEN_CPP)
    c.default_db(["a.cpp", "broken.cpp", "gone.cpp"])
    r = c.scan("-p", ".", "a.cpp", "broken.cpp", "gone.cpp", "stray.cpp", "-o", "report.json")
    c.expect_tu_errors(r, ["broken.cpp", "gone.cpp", "stray.cpp"], strict=False)
    rep = c.read_report(c.path("report.json"))
    check({e["file"] for e in rep["errors"]} == {"broken.cpp", "gone.cpp", "stray.cpp"},
          "errors: %s" % rep["errors"])
    expect_symbols(rep, present=["requests_served"])


@test
def schema_rejects_drift(c):
    """The schema is strict where the scanner is in control: drift fails validation."""
    c.write("a.cpp", COUNTER_CPP + LIMITS_CPP)
    c.default_db(["a.cpp"])
    r = c.scan("-p", ".")
    good = c.report(r.out, "stdout")
    check(any(x["evidence"] for x in good["findings"]), "need a finding with evidence")

    def mutated(fn):
        rep = json.loads(json.dumps(good))
        fn(rep)
        return rep

    def first_with_evidence(rep):
        return next(x for x in rep["findings"] if x["evidence"])

    cases = {
        "unknown top-level field": lambda r: r.__setitem__("extra", 1),
        "version 2": lambda r: r.__setitem__("version", 2),
        "missing errors": lambda r: r.pop("errors"),
        "unknown tool field": lambda r: r["tool"].__setitem__("build", "x"),
        "unknown finding field": lambda r: r["findings"][0].__setitem__("severity", "high"),
        "uppercase id": lambda r: r["findings"][0].__setitem__("id", r["findings"][0]["id"].upper()),
        "short id": lambda r: r["findings"][0].__setitem__("id", "abc"),
        "category 5": lambda r: r["findings"][0].__setitem__("category", 5),
        "unknown check": lambda r: r["findings"][0].__setitem__("check", "sharedstate-everything"),
        "check/kind mismatch": lambda r: r["findings"][0].__setitem__("check", "sharedstate-function-local-static"),
        "category 1 not thread-safe": lambda r: r["findings"][0].update(category=1, verdict="not-thread-safe"),
        "unknown verdict": lambda r: r["findings"][0].__setitem__("verdict", "maybe"),
        "unknown qualifier": lambda r: r["findings"][0].__setitem__("qualifiers", ["volatile"]),
        "line 0": lambda r: r["findings"][0]["location"].__setitem__("line", 0),
        "unknown evidence what": lambda r: first_with_evidence(r)["evidence"][0].__setitem__("what", "write"),
        "unknown phase": lambda r: first_with_evidence(r)["evidence"][0].__setitem__("phase", "startup"),
        "unknown sync": lambda r: first_with_evidence(r)["evidence"][0].__setitem__("synchronized", "mutex"),
        "unknown evidence field": lambda r: first_with_evidence(r)["evidence"][0].__setitem__("thread", 1),
        "missing summary count": lambda r: r["summary"]["by_verdict"].pop("thread-safe"),
        "category 5 in summary": lambda r: r["summary"]["by_category"].__setitem__("5", 0),
        "error without message": lambda r: r["errors"].append({"file": "x.cpp"}),
        "multi-line error": lambda r: r["errors"].append({"file": "x.cpp", "message": "a\nb"}),
    }
    for name, fn in cases.items():
        check(c.schema_errors(mutated(fn)), "the schema accepts a report with %s" % name)
    # A singleton-handler finding says how its object is one per process, and
    # only it carries instances.
    where = {"file": "a.cpp", "line": 1, "column": 1}
    handler = mutated(lambda r: r["findings"][0].update(
        kind="singleton-handler", check="sharedstate-singleton-handler", category=3, verdict="not-thread-safe",
        instances=[{"how": "registration", "detail": "std::ref(h) registered with 'httplib::Server::Get'",
                    "location": where}]))
    check(not c.schema_errors(handler), "a singleton-handler finding rejected: %s" % c.schema_errors(handler))
    for name, fn in {
        "singleton-handler without instances": lambda r: r["findings"][0].update(
            kind="singleton-handler", check="sharedstate-singleton-handler", category=3, verdict="not-thread-safe"),
        "instances on a variable finding": lambda r: r["findings"][0].update(
            instances=[{"how": "global", "detail": "x", "location": where}]),
        "an unknown instance kind": lambda r: r["findings"][0].update(
            kind="singleton-handler", check="sharedstate-singleton-handler", category=3, verdict="not-thread-safe",
            instances=[{"how": "thread", "detail": "x", "location": where}]),
    }.items():
        check(c.schema_errors(mutated(fn)), "the schema accepts a report with %s" % name)


TEXT_CPP = COUNTER_CPP + LIMITS_CPP + """\
struct Registry { static int entries; };
int Registry::entries = 0;
void add_entry() { Registry::entries += 1; }
int next_id() { static int id = 0; return ++id; }
"""


@test
def text_format(c):
    c.write("server.cpp", TEXT_CPP)
    c.write("broken.cpp", BROKEN_CPP)
    c.default_db(["server.cpp", "broken.cpp"])
    r = c.scan("-p", ".", "--format", "text", "server.cpp")
    check(r.rc == 1, "expected exit code 1\n" + r.describe())
    c.expect_clean_stderr(r)
    lines = r.out.splitlines()
    warnings = [l for l in lines if ": warning: " in l]
    for l in warnings:
        check(WARNING_LINE.match(l), "warning line not in compiler style: %r" % l)
    for name, check_id in (("requests_served", "sharedstate-mutable-global"),
                           ("Registry::entries", "sharedstate-mutable-static-member"),
                           ("next_id::id", "sharedstate-function-local-static")):
        check(any(name.split("::")[-1] in l and l.endswith("[%s]" % check_id) for l in warnings),
              "no warning for %s [%s]:\n%s" % (name, check_id, r.out))
    check(all(l.startswith("server.cpp:") for l in warnings), "warning paths not relative to the root")
    check(not any("max_connections" in l for l in lines if not l.startswith("  ")),
          "a thread-safe variable is reported without --all:\n" + r.out)
    # The summary table, one row per category.
    check(any(l.startswith("shared variables by category (") for l in lines), "no summary table:\n" + r.out)
    rows = {}
    for l in lines:
        m = re.match(r"^  ([1-4])  (.+?)\s+(\d+)(?:  (.*))?$", l)
        if m:
            rows[int(m.group(1))] = (int(m.group(3)), m.group(4) or "")
    check(sorted(rows) == [1, 2, 3, 4], "summary table rows for categories 1-4 missing:\n" + r.out)
    check(rows[1][0] == 2 and "max_connections" in rows[1][1] and "default_port" in rows[1][1],
          "category 1 row: %s" % (rows[1],))
    check(rows[4][0] == 3, "category 4 row should count 3 variables: %s" % (rows[4],))

    # --all adds a note line, in the same style, for every thread-safe finding.
    r = c.scan("-p", ".", "--format", "text", "--all", "server.cpp")
    check(r.rc == 1, r.describe())
    notes = [l for l in r.out.splitlines() if NOTE_FINDING_LINE.match(l)]
    for name in ("max_connections", "default_port"):
        check(any("'%s'" % name in l for l in notes), "--all: no note line for %s:\n%s" % (name, r.out))
    where = next(l for l in notes if "'default_port'" in l).split(": note: ")[0]
    check(any(l.startswith(where + ": note: ") and "const" in l and "'default_port'" not in l
              for l in r.out.splitlines()),
          "--all: no const/constexpr hint at %s for default_port:\n%s" % (where, r.out))
    warnings_all = [l for l in r.out.splitlines() if ": warning: " in l]
    check(warnings_all == warnings, "--all changed the warning lines")

    # Failed TUs appear in the text report too.
    r = c.scan("-p", ".", "--format", "text")
    c.expect_tu_errors(r, ["broken.cpp"], strict=False)
    check(any(l.startswith("broken.cpp: error: ") for l in r.out.splitlines()),
          "the text report does not list the failed TU:\n" + r.out)


@test
def exit_codes(c):
    c.write("safe.cpp", SAFE_ONLY_CPP)
    c.write("locked.cpp", """\
#include <mutex>
std::mutex m;
long total = 0;
void add(long n) { std::lock_guard<std::mutex> g(m); total += n; }
""")
    c.write("unsafe.cpp", COUNTER_CPP)
    c.default_db(["safe.cpp", "locked.cpp", "unsafe.cpp"])
    for fmt in ("json", "text"):
        r = c.scan("-p", ".", "--format", fmt, "safe.cpp")
        check(r.rc == 0, "only thread-safe variables: expected exit code 0\n" + r.describe())
        c.expect_clean_stderr(r)
    rep = c.report(c.scan("-p", ".", "safe.cpp").out, "stdout")
    # constexpr, thread_local and locals are never findings.
    s = expect_symbols(rep, present=["table", "never_written"], absent=["limit", "per_thread", "local"])
    check(all(x["verdict"] == "thread-safe" for x in s.values()), "not all thread-safe: %s" % s)
    r = c.scan("-p", ".", "safe.cpp", "locked.cpp")
    check(r.rc == 0, "writes under a lock: expected exit code 0\n" + r.describe())
    check(symbols(c.report(r.out))["total"]["verdict"] == "probably-thread-safe", "total is not probably-thread-safe")
    for fmt in ("json", "text"):
        r = c.scan("-p", ".", "--format", fmt, "safe.cpp", "unsafe.cpp")
        check(r.rc == 1, "a not-thread-safe variable: expected exit code 1\n" + r.describe())
        c.expect_clean_stderr(r)


PARALLEL_FILES = {
    "globals.h": "extern int shared_total;\ninline int header_hits = 0;\n",
    "definition.cpp": '#include "globals.h"\nint shared_total = 0;\n',
    "writer.cpp": '#include "globals.h"\nvoid add(int n) { shared_total += n; ++header_hits; }\n',
    "reader.cpp": '#include "globals.h"\nint read() { return shared_total + header_hits; }\n',
    "memo.h": "template <class T> struct Memo { static T last; static void set(T v) { last = v; } };\n"
              "template <class T> T Memo<T>::last{};\n",
    "ints.cpp": '#include "memo.h"\nvoid remember(int v) { Memo<int>::set(v); }\n',
    "longs.cpp": '#include "memo.h"\nvoid remember(long v) { Memo<long>::set(v); }\n',
    "local.cpp": "int next() { static int n = 0; return ++n; }\nconst char *name() { static const char *s = \"x\"; return s; }\n",
    "broken.cpp": BROKEN_CPP,
}


@test
def parallel_deterministic(c):
    for name, text in PARALLEL_FILES.items():
        c.write(name, text)
    units = sorted(n for n in PARALLEL_FILES if n.endswith(".cpp"))
    c.default_db(units + ["gone.cpp"])
    runs = {}
    for jobs in ("1", "2", "2", "4", "1"):
        r = c.scan("-p", ".", "-j", jobs)
        c.expect_tu_errors(r, ["broken.cpp", "gone.cpp"], strict=False)
        runs.setdefault(jobs, []).append(r)
    reference = runs["1"][0]
    rep = c.report(reference.out, "-j 1 report")
    s = expect_symbols(rep, present=["shared_total", "header_hits", "next::n"])
    check(s["shared_total"]["category"] == 4, "shared_total (written in another TU) should be category 4")
    check(len([x for x in rep["findings"] if x["symbol"].startswith("Memo")]) == 1,
          "the template static member should be one finding: %s" % [x["symbol"] for x in rep["findings"]])
    for jobs, rs in runs.items():
        for r in rs:
            check(r.out == reference.out, "-j %s report differs from -j 1" % jobs)
            mine = [l for l in r.err.splitlines() if l.startswith(PREFIX)]
            ref = [l for l in reference.err.splitlines() if l.startswith(PREFIX)]
            check(mine == ref, "-j %s error lines differ from -j 1:\n%s\nvs\n%s" % (jobs, mine, ref))


@test
def unreadable_file(c):
    if os.geteuid() == 0:
        raise Skip("running as root, who can read a file without read permission")
    c.write("a.cpp", COUNTER_CPP)
    c.write("secret.cpp", LIMITS_CPP)
    c.default_db(["a.cpp", "secret.cpp"])
    os.chmod(c.path("secret.cpp"), 0)
    try:
        r = c.scan("-p", ".")
        c.expect_tu_errors(r, ["secret.cpp"])
        rep = c.report(r.out, "stdout")
        expect_symbols(rep, present=["requests_served"], absent=["max_connections"])
        errs = {e["file"]: e["message"] for e in rep["errors"]}
        check(list(errs) == ["secret.cpp"], "errors: %s" % rep["errors"])
        check("permission denied" in errs["secret.cpp"].lower(), "message: %r" % errs["secret.cpp"])
    finally:
        os.chmod(c.path("secret.cpp"), 0o644)


@test
def unreadable_database(c):
    if os.geteuid() == 0:
        raise Skip("running as root, who can read a file without read permission")
    c.write("a.cpp", COUNTER_CPP)
    db = c.default_db(["a.cpp"])
    os.chmod(db, 0)
    try:
        r = c.scan("-p", ".", "-o", "report.json")
        c.expect_usage_error(r, "compile_commands.json", "permission denied")
        check(not os.path.exists(c.path("report.json")), "a report was written")
    finally:
        os.chmod(db, 0o644)


# ---------------------------------------------------------------------------
# .clang-tidy configuration and NOLINT comments
# ---------------------------------------------------------------------------
# Category 3, every write under a lock: probably thread-safe, so no warning
# by default.
LOCKED_MUTATION_CPP = """\
#include <mutex>
struct Log { int n = 0; void add() { ++n; } };
Log request_log;
std::mutex log_mutex;
void record() { std::lock_guard<std::mutex> g(log_mutex); request_log.add(); }
"""
# Category 4 only (COUNTER_CPP's requests_served): not thread-safe.
WARN_ON_3_LIST = """\
Checks: '-*,sharedstate-*'
CheckOptions:
  - key: sharedstate.WarnOn
    value: '3'
"""
WARN_ON_3_MAP = """\
CheckOptions:
  sharedstate.WarnOn: 3
"""


def warning_lines(r):
    return [l for l in r.out.splitlines() if ": warning: " in l]


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
    c.write("spin.cpp", SPINLOCK_CPP)
    c.default_db(["spin.cpp"])
    r = c.scan("-p", ".")
    check(r.rc == 1, "without configuration: expected exit 1\n" + r.describe())
    s = symbols(c.report(r.out))
    check("synchronization" not in s["spin"]["qualifiers"], "spin is a synchronization object without configuration")
    check(s["counter"]["verdict"] == "not-thread-safe", "counter should be not thread-safe without configuration")

    for text in ("CheckOptions:\n  - key: sharedstate.SyncTypes\n    value: 'mylib::SpinLock;mylib::Ticket'\n",
                 "CheckOptions:\n  sharedstate-mutable-global.SyncTypes: mylib::SpinLock\n"
                 "  sharedstate-function-local-static.SyncTypes: mylib::Ticket\n"):
        c.write(".clang-tidy", text)
        r = c.scan("-p", ".")
        check(r.rc == 0, "SyncTypes from .clang-tidy: expected exit 0\n" + r.describe())
        c.expect_clean_stderr(r)
        s = symbols(c.report(r.out))
        for name in ("spin", "ticket"):
            check("synchronization" in s[name]["qualifiers"] and s[name]["verdict"] == "thread-safe",
                  "%s is not a synchronization object with SyncTypes from .clang-tidy: %s" % (name, s[name]))
        for name in ("counter", "served"):
            check(s[name]["verdict"] == "probably-thread-safe",
                  "%s is not synchronized by the configured lock: %s" % (name, s[name]))
    # The command line adds to the file's list.
    c.write(".clang-tidy", "CheckOptions:\n  sharedstate.SyncTypes: mylib::SpinLock\n")
    check(c.scan("-p", ".").rc == 1, "mylib::Ticket should not be a sync type from this file")
    r = c.scan("-p", ".", "--sync-type", "mylib::Ticket")
    check(r.rc == 0, "--sync-type should add to the file's SyncTypes\n" + r.describe())


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
                if "WarnOn" in what:
                    check("WarnOn" in line, "the error does not name the option: %r" % line)
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


@test
def warn_on_option(c):
    c.write("locked.cpp", LOCKED_MUTATION_CPP)
    c.write("counter.cpp", COUNTER_CPP)
    c.write("safe.cpp", SAFE_ONLY_CPP)
    c.default_db(["locked.cpp", "counter.cpp", "safe.cpp"])
    c.write(".clang-tidy", WARN_ON_3_LIST + "  - key: sharedstate-mutable-global.WarnOn\n    value: '2'\n")
    # --warn-on overrides the file, per-check values included.
    r = c.scan("-p", ".", "--warn-on", "not-thread-safe", "--format", "text", "counter.cpp")
    check(r.rc == 1 and len(warning_lines(r)) == 1, "--warn-on not-thread-safe: expected a warning\n" + r.describe())
    check(c.scan("-p", ".", "--warn-on=not-thread-safe", "locked.cpp").rc == 0, "--warn-on did not override WarnOn 3")
    check(c.scan("-p", ".", "locked.cpp").rc == 0, "the per-check WarnOn 2 should decide for a global")
    check(c.scan("-p", ".", "--warn-on", "3", "locked.cpp").rc == 1, "--warn-on 3: expected exit 1")
    check(c.scan("-p", ".", "--warn-on", "4;probably-thread-safe", "counter.cpp").rc == 1, "--warn-on 4;...")
    # all: every finding warns, even a thread-safe one.
    r = c.scan("-p", ".", "--warn-on", "all", "--format", "text", "safe.cpp")
    check(r.rc == 1 and len(warning_lines(r)) == len(symbols(c.report(c.scan("-p", ".", "safe.cpp").out))),
          "--warn-on all: every finding should warn\n" + r.describe())
    check(c.scan("-p", ".", "--warn-on", "thread-safe,probably-thread-safe", "counter.cpp").rc == 0,
          "--warn-on without not-thread-safe: expected exit 0")
    # Bad values are usage errors.
    for bad in ("sometimes", "5", "", "3;;often"):
        c.expect_usage_error(c.scan("-p", ".", "--warn-on", bad, "-o", "report.json"), "--warn-on")
        check(not os.path.exists(c.path("report.json")), "a report was written")
    c.expect_usage_error(c.scan("-p", ".", "--warn-on"), "--warn-on")


NOLINT_CASES = {
    # file: (text, the unsafe symbol, suppressed?)
    "nolint.cpp": ("int hits = 0; // NOLINT\nvoid hit() { ++hits; }\n", "hits", True),
    "nolint_check.cpp": ("int hits = 0; // NOLINT(sharedstate-mutable-global)\nvoid hit() { ++hits; }\n",
                         "hits", True),
    "nolint_glob.cpp": ("int hits = 0; // NOLINT(bugprone-foo, sharedstate-*)\nvoid hit() { ++hits; }\n",
                        "hits", True),
    "nextline.cpp": ("// NOLINTNEXTLINE(sharedstate-mutable-global)\nint hits = 0;\nvoid hit() { ++hits; }\n",
                     "hits", True),
    "block.cpp": ("// NOLINTBEGIN(sharedstate-*)\nint before = 1;\nint hits = 0;\n// NOLINTEND(sharedstate-*)\n"
                  "void hit() { ++hits; }\n", "hits", True),
    "member.cpp": ("struct Registry {\n  static int entries; // NOLINT(sharedstate-mutable-static-member)\n};\n"
                   "int Registry::entries = 0;\nvoid add() { ++Registry::entries; }\n", "Registry::entries", True),
    "local.cpp": ("int next_id() {\n  // NOLINTNEXTLINE(sharedstate-function-local-static)\n"
                  "  static int id = 0;\n  return ++id;\n}\n", "next_id::id", True),
    "header.cpp": ('#include "header.h"\nvoid hit() { ++header_hits; }\n', "header_hits", True),
    # Directives that do not cover the finding.
    "other_check.cpp": ("int hits = 0; // NOLINT(bugprone-branch-clone)\nvoid hit() { ++hits; }\n", "hits", False),
    "wrong_kind.cpp": ("int hits = 0; // NOLINT(sharedstate-function-local-static)\nvoid hit() { ++hits; }\n",
                       "hits", False),
    "next_too_far.cpp": ("// NOLINTNEXTLINE\n\nint hits = 0;\nvoid hit() { ++hits; }\n", "hits", False),
    "unmatched.cpp": ("// NOLINTBEGIN\nint hits = 0;\nvoid hit() { ++hits; }\n", "hits", False),
    "ended.cpp": ("// NOLINTBEGIN\nint before = 1;\n// NOLINTEND\nint hits = 0;\nvoid hit() { ++hits; }\n",
                  "hits", False),
    "lowercase.cpp": ("int hits = 0; // nolint\nvoid hit() { ++hits; }\n", "hits", False),
}


@test
def nolint(c):
    c.write("header.h", "inline int header_hits = 0; // NOLINT\n")
    for name, (text, _, _) in NOLINT_CASES.items():
        c.write(name, text)
    c.default_db(sorted(NOLINT_CASES))
    for name, (text, symbol, suppressed) in sorted(NOLINT_CASES.items()):
        r = c.scan("-p", ".", name)
        what = "%s (%s)" % (name, "suppressed" if suppressed else "not suppressed")
        check(r.rc == (0 if suppressed else 1), "%s: expected exit %d\n%s" % (what, 0 if suppressed else 1, r.describe()))
        c.expect_clean_stderr(r)
        s = symbols(c.report(r.out, name + " report"))
        check(symbol in s, "%s: no finding for %s: %s" % (what, symbol, sorted(s)))
        x = s[symbol]
        check(x["verdict"] == "not-thread-safe", "%s: %s should still be not-thread-safe: %s" % (what, symbol, x))
        check(x["suppressed"] is suppressed, "%s: suppressed is %r" % (what, x["suppressed"]))
        r = c.scan("-p", ".", "--format", "text", name)
        check((not warning_lines(r)) == suppressed, "%s: warnings in text output\n%s" % (what, r.describe()))
        r = c.scan("-p", ".", "--format", "text", "--all", name)
        line = [l for l in r.out.splitlines() if ("'%s'" % symbol) in l and (": warning: " in l or ": note: " in l)]
        check(len(line) == 1, "%s --all: expected one line for %s\n%s" % (what, symbol, r.describe()))
        if suppressed:
            check(NOTE_FINDING_LINE.match(line[0]) and "(suppressed)" in line[0],
                  "%s --all: expected a note marked (suppressed): %r" % (what, line[0]))
        else:
            check(WARNING_LINE.match(line[0]) and "(suppressed)" not in line[0],
                  "%s --all: expected a warning: %r" % (what, line[0]))
    # A suppressed finding does not warn even when WarnOn selects everything.
    check(c.scan("-p", ".", "--warn-on", "all", "nolint.cpp").rc == 0, "--warn-on all: a suppressed finding warned")


HTTPLIB_SERVER_CPP = r"""#include <httplib.h>

#include <string>
#include <vector>

// One object, shared by reference with the server: it serves every request.
struct VisitLog {
  std::vector<std::string> paths_;
  std::string last_user_;
  void operator()(const httplib::Request &req, httplib::Response &res) {
    last_user_ = req.get_header_value("X-User");
    paths_.push_back(req.path);
    res.set_content("hello " + last_user_, "text/plain");
  }
};

// Built for each request inside the registered lambda.
struct Greeter {
  std::string user_;
  void operator()(const httplib::Request &req, httplib::Response &res) {
    user_ = req.get_header_value("X-User");
    res.set_content("hi " + user_, "text/plain");
  }
};

int main() {
  httplib::Server svr;
  VisitLog log;
  svr.Get("/log", std::ref(log));
  svr.Get("/greet", [](const httplib::Request &req, httplib::Response &res) { Greeter{}(req, res); });
  return svr.listen("127.0.0.1", 0) ? 0 : 1;
}
"""


@test
def httplib_handlers(c):
    """A real cpp-httplib server (Debian's libcpp-httplib-dev): the functor shared by reference is a
    singleton handler with request state, the one built per request is not."""
    check(os.path.exists("/usr/include/httplib.h"),
          "cpp-httplib is not installed (libcpp-httplib-dev, see scripts/install-deps.sh)")
    c.write("server.cpp", HTTPLIB_SERVER_CPP)
    # It is a real program: it compiles and links against the library.
    cxx = shutil.which("c++") or shutil.which("g++")
    check(cxx, "no C++ compiler on PATH")
    built = subprocess.run([cxx, "-std=c++17", "server.cpp", "-o", "server", "-lcpp-httplib"], cwd=c.work,
                           capture_output=True, text=True)
    check(built.returncode == 0, "server.cpp does not build against cpp-httplib:\n" + built.stderr[-2000:])
    c.default_db(["server.cpp"])
    r = c.scan("-p", ".")
    check(r.rc == 1, "a not-thread-safe handler must make the scan exit 1\n" + r.describe())
    c.expect_clean_stderr(r)
    rep = c.report(r.out)
    handlers = [x for x in rep["findings"] if x["kind"] == "singleton-handler"]
    check([x["symbol"] for x in handlers] == ["VisitLog"],
          "expected exactly one singleton-handler finding, for VisitLog: %s" % [x["symbol"] for x in handlers])
    x = handlers[0]
    check(x["check"] == "sharedstate-singleton-handler" and x["category"] == 3 and x["verdict"] == "not-thread-safe",
          "wrong check, category or verdict: %s" % x)
    lines = HTTPLIB_SERVER_CPP.splitlines()
    def line_of(text):
        return next(i + 1 for i, l in enumerate(lines) if text in l)
    check(x["location"] == {"file": "server.cpp", "line": line_of("struct VisitLog"), "column": 8},
          "the finding is not at the class: %s" % x["location"])
    writes = {(e["field"], e["what"], e["location"]["line"], e["function"]) for e in x["evidence"]}
    check(writes == {("last_user_", "reassign", line_of("last_user_ = req"), "VisitLog::operator()"),
                     ("paths_", "mutate", line_of("paths_.push_back"), "VisitLog::operator()")},
          "unexpected evidence: %s" % sorted(writes))
    check(len(x["instances"]) == 1 and x["instances"][0]["how"] == "registration"
          and x["instances"][0]["location"]["line"] == line_of("std::ref(log)")
          and "httplib::Server::Get" in x["instances"][0]["detail"],
          "the instance should be the std::ref registration with httplib::Server::Get: %s" % x["instances"])
    for field in ("'last_user_'", "'paths_'", "per request"):
        check(field in x["message"], "the message does not mention %s: %s" % (field, x["message"]))
    check(rep["summary"]["by_kind"]["singleton-handler"] == 1, "summary: %s" % rep["summary"])

    # The text report says the same, with a note per write and per instance.
    r = c.scan("-p", ".", "--format", "text")
    check(re.search(r"^server\.cpp:%d:8: warning: 'VisitLog' has one instance per process .*"
                    r"\[sharedstate-singleton-handler\]$" % line_of("struct VisitLog"), r.out, re.M),
          "no warning for VisitLog in the text report\n" + r.describe())
    check("Greeter" not in r.out, "the per-request handler is reported\n" + r.describe())
    check(re.search(r"^server\.cpp:%d:\d+: note: one instance per process: .*httplib::Server::Get"
                    % line_of("std::ref(log)"), r.out, re.M), "no note for the registration\n" + r.describe())

    # Registered only per request: nothing to report, exit 0.
    c.write("per_request.cpp", HTTPLIB_SERVER_CPP.replace('svr.Get("/log", std::ref(log));', "(void)log;"))
    c.default_db(["per_request.cpp"])
    r = c.scan("-p", ".")
    check(r.rc == 0, "without the shared functor nothing is not thread-safe\n" + r.describe())
    kinds = [x["kind"] for x in c.report(r.out)["findings"]]
    check("singleton-handler" not in kinds, "unexpected singleton-handler finding: %s" % kinds)


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
    """--registration-function and --handler-base (and their .clang-tidy keys) teach the
    singleton-handler check a framework it does not know."""
    c.write("app.cpp", CUSTOM_FRAMEWORK_CPP)
    c.default_db(["app.cpp"])

    def handlers(*args):
        r = c.scan("-p", ".", *args)
        c.expect_clean_stderr(r)
        return sorted(x["symbol"] for x in c.report(r.out)["findings"] if x["kind"] == "singleton-handler")

    check(handlers() == [], "an unknown framework is not a handler: %s" % handlers())
    got = handlers("--registration-function", "myhttp::on", "--handler-base", "myhttp::Controller")
    check(got == ["Profile", "Tracker"], "with the options both handlers are found: %s" % got)
    c.write(".clang-tidy", "CheckOptions:\n  sharedstate.RegistrationFunctions: 'myhttp::on'\n"
            "  sharedstate-singleton-handler.HandlerBaseClasses: 'myhttp::Controller'\n")
    got = handlers()
    check(got == ["Profile", "Tracker"], "the .clang-tidy options are not applied: %s" % got)


# ---------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scanner")
    ap.add_argument("--source-dir")
    ap.add_argument("--work-dir")
    ap.add_argument("--keep", action="store_true", help="keep the test directory even when the test passes")
    ap.add_argument("--list", action="store_true", help="print the test names, one a line")
    ap.add_argument("test", nargs="?")
    a = ap.parse_args()
    if a.list:
        print("\n".join(TESTS))
        return 0
    if not (a.scanner and a.source_dir and a.work_dir and a.test):
        ap.error("--scanner, --source-dir, --work-dir and a test name are required")
    if a.test not in TESTS:
        ap.error("unknown test %r; known: %s" % (a.test, ", ".join(TESTS)))
    if not os.access(a.scanner, os.X_OK):
        print("FAIL: no scanner binary at %s" % a.scanner)
        return 1

    def run(work):
        # The scanner reads the nearest .clang-tidy above --root; the work
        # directory may be inside a checkout that has one. This one, without
        # options, stops the search so that every test starts from the defaults.
        with open(os.path.join(work, ".clang-tidy"), "w") as f:
            f.write("# scan_test.py: no options, so that no enclosing .clang-tidy applies\n")
        TESTS[a.test](Context(os.path.realpath(a.scanner), os.path.realpath(a.source_dir), work))

    return run_one(a.test, run, a.work_dir, a.keep)


if __name__ == "__main__":
    sys.exit(main())
