"""The command line: unknown options and bad option values, --format and the text report,
the exit codes (0/1 by verdict), -j (the report and the error lines do not depend on it),
positional files restricting the scan, and --warn-on."""

import os
import re

from harness import check
from common import (BROKEN_CPP, COUNTER_CPP, LIMITS_CPP, LOCKED_MUTATION_CPP, NOTE_FINDING_LINE, PREFIX,
                    WARN_ON_3_LIST, WARNING_LINE, expect_symbols, registry, symbols, warning_lines)

TESTS, test = registry()

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
def command_line_like_llvm_tools(c):
    """llvm::cl's conventions: one dash or two, @response-files, --help by category, --version;
    -output=x.json is an unknown option (it used to write a file named 'utput=x.json'), and a
    misspelt option names the closest one."""
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    line = c.expect_usage_error(c.scan("-p", ".", "-output=x.json"), "-output=x.json")
    check("unknown option" in line, line)
    check(not os.path.exists(c.path("utput=x.json")) and not os.path.exists(c.path("x.json")), "a file was written")
    c.expect_usage_error(c.scan("-p", ".", "--fromat=text"), "--fromat=text", "did you mean '--format'")
    c.expect_usage_error(c.scan("-p", ".", "--all=maybe"), "--all", "maybe")
    direct = c.scan("-p", ".", "--format", "text")
    check(direct.rc == 1, direct.describe())
    for args in (["-p", ".", "-format", "text"], ["-p=.", "--format=text"], ["-p.", "-format=text"]):
        r = c.scan(*args)
        check(r.rc == 1 and r.out == direct.out, "%s differs from -p . --format text\n%s" % (args, r.describe()))
    c.write("args.rsp", "-p .\n--format text\n")
    r = c.scan("@args.rsp")
    check(r.rc == 1 and r.out == direct.out, "the response file was not read as its arguments\n" + r.describe())
    r = c.scan("--help")
    check(r.rc == 0 and r.err == "", r.describe())
    for heading in ("Input and output:", "What warns:", "Running:", "--sync-type=<name>", "Exit status:"):
        check(heading in r.out, "--help does not show %r\n%s" % (heading, r.describe()))
    check("--print-options" not in r.out and "--debug-counter" not in r.out, "--help lists LLVM's own options")
    check(c.scan("-h").out == r.out, "-h is not --help")
    v = c.scan("--version")
    check(v.rc == 0 and v.out.startswith("sharedstate-scan "), v.describe())


@test
def bad_format(c):
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    c.expect_usage_error(c.scan("-p", ".", "--format=xml"), "xml")
    c.expect_usage_error(c.scan("-p", ".", "--format", "sarif-ish", "-o", "report.json"), "sarif-ish")
    check(not os.path.exists(c.path("report.json")), "a report was written")
    c.expect_usage_error(c.scan("-p", ".", "--format="), "format")


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
def progress_lines(c):
    """--progress: a line per TU on stderr (done/total, failures, elapsed, a file), each TU error
    once, as it happens; the report is the same. On a terminal the line is overwritten in place."""
    import shutil
    import subprocess
    for name, text in PARALLEL_FILES.items():
        c.write(name, text)
    units = sorted(n for n in PARALLEL_FILES if n.endswith(".cpp"))
    c.default_db(units)
    plain = c.scan("-p", ".", "-j", "2")
    r = c.scan("-p", ".", "-j", "2", "--progress")
    check(r.out == plain.out, "--progress changed the report")
    lines = r.err.splitlines()
    progress = [l for l in lines if l.startswith("[")]
    check(len(progress) == len(units), "expected one progress line per TU, got:\n" + r.err)
    check(progress[-1].startswith("[%d/%d] 1 failed, " % (len(units), len(units))) and "elapsed" in progress[-1],
          "last progress line: %r" % progress[-1])
    errors = [l for l in lines if l.startswith(PREFIX)]
    check(len(errors) == 1 and "broken.cpp" in errors[0], "expected broken.cpp's error once:\n" + r.err)
    check(len(lines) == len(progress) + len(errors), "stray lines:\n" + r.err)
    if not shutil.which("script"):
        return
    tty = subprocess.run(["script", "-qec", "%s -p . -j 1 -o report.json" % c.scanner, "/dev/null"],
                         cwd=c.work, capture_output=True, timeout=120)
    out = tty.stdout.decode(errors="replace")  # bytes: text mode would turn the \r into newlines
    check("\r\x1b[K[" in out and "elapsed" in out, "no progress line on a terminal: %r" % out)
    check(out.count("broken.cpp: ") == 1, "the error is not printed once on a terminal: %r" % out)


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
    # From elsewhere: what is no database file from the current directory is looked up from
    # the entries' directory (the work dir), then as the end of one file's path.
    os.makedirs(c.path("elsewhere"))
    for spelling in ("src/a.cpp", "a.cpp"):
        r = c.scan("-p", "../build", spelling, cwd=c.path("elsewhere"))
        check(r.rc == 1, "%s from elsewhere/: expected exit code 1\n%s" % (spelling, r.describe()))
        c.expect_clean_stderr(r)
        expect_symbols(c.report(r.out, "stdout"), present=["a_counter"], absent=["b_counter", "c_counter"])
    # Two files end so: no guess, the file is not in the database.
    c.write("lib/a.cpp", "int lib_counter = 0;\nvoid lib() { ++lib_counter; }\n")
    c.write_db([(f, ["clang++", "-std=c++17", "-c", f]) for f in ("src/a.cpp", "lib/a.cpp")], rel_dir="two")
    r = c.scan("-p", "../two", "a.cpp", cwd=c.path("elsewhere"))
    c.expect_tu_errors(r, ["a.cpp"], all_failed=True)
    check("not in the compilation database" in r.err, r.describe())


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


@test
def root_must_be_a_directory(c):
    c.write("counter.cpp", COUNTER_CPP)
    c.default_db(["counter.cpp"])
    c.expect_usage_error(c.scan("-p", ".", "--root", "no/such/dir"), "--root", "no/such/dir", "not a directory")
    c.expect_usage_error(c.scan("-p", ".", "--root", "counter.cpp"), "--root", "not a directory")


@test
def full_standard_output_is_an_error(c):
    """A report that cannot reach stdout is exit 2 with the reason, not 1 ("findings")."""
    import subprocess
    c.write("counter.cpp", COUNTER_CPP)
    c.default_db(["counter.cpp"])
    with open("/dev/full", "w") as full:
        proc = subprocess.run([c.scanner, "-p", "."], cwd=c.work, stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    lines = proc.stderr.splitlines()
    check(proc.returncode == 2, "expected exit code 2, got %d: %s" % (proc.returncode, proc.stderr))
    check(len(lines) == 1 and lines[0].startswith(PREFIX) and "standard output" in lines[0],
          "expected one error line naming standard output, got %r" % proc.stderr)
