"""Where the report goes and what it is: -o replaces an existing report whole (by a rename,
never in place), keeping its mode, and leaves it alone when the scan fails; it follows
symlinks and writes FIFOs and devices in place; an output that cannot be written (a missing
or unwritable directory, a directory, a symlink loop) is a usage error found before the scan
starts, that creates nothing; and the JSON schema (docs/report.schema.json) accepts real
reports, with and without errors, and rejects drift."""

import glob
import json
import os
import stat

from harness import Skip, check
from common import BROKEN_CPP, COUNTER_CPP, LIMITS_CPP, expect_symbols, registry

TESTS, test = registry()


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
def output_checked_before_the_scan(c):
    """An output that cannot be written stops the scan before any TU is analyzed: the one
    error line names the output, not a crash in a TU that was analyzed first."""
    c.write("a.cpp", COUNTER_CPP)
    c.write("crash.cpp", "int before_the_crash = 1;\n#pragma clang __debug crash\n")
    c.default_db(["a.cpp", "crash.cpp"])
    for flags in (["-o", "nodir/report.json"], ["--save-facts", "nodir/facts.json"]):
        r = c.scan("-p", ".", *flags)
        c.expect_usage_error(r, "nodir/")
        check("crash.cpp" not in r.err, "the scan ran before the output was checked\n" + r.describe())
    c.no_tmp_files(c.work)


@test
def output_follows_symlinks_and_keeps_mode(c):
    """-o through a symlink replaces the file it points to and leaves the link a link; a
    replaced report keeps its permission bits."""
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    target = c.write("reports/real.json", "OLD\n")
    os.chmod(target, 0o640)
    os.symlink("reports/real.json", c.path("latest.json"))
    r = c.scan("-p", ".", "-o", "latest.json")
    check(r.rc == 1, "expected exit code 1 (a finding)\n" + r.describe())
    check(os.path.islink(c.path("latest.json")), "the symlink was replaced by a plain file")
    check(os.readlink(c.path("latest.json")) == "reports/real.json", "the symlink now points elsewhere")
    with open(target) as f:
        expect_symbols(c.report(f.read(), target), present=["requests_served"])
    mode = os.stat(target).st_mode & 0o777
    check(mode == 0o640, "the report's mode changed from 0640 to %o" % mode)
    c.no_tmp_files(c.work)
    c.no_tmp_files(c.path("reports"))
    # A dangling symlink: the report is created where it points.
    os.symlink("reports/new.json", c.path("dangling.json"))
    r = c.scan("-p", ".", "-o", "dangling.json")
    check(r.rc == 1, r.describe())
    check(os.path.islink(c.path("dangling.json")) and os.path.isfile(c.path("reports/new.json")),
          "the dangling symlink's target was not created")
    # A loop is an error, and creates nothing.
    os.symlink("loop2", c.path("loop1"))
    os.symlink("loop1", c.path("loop2"))
    r = c.scan("-p", ".", "-o", "loop1")
    c.expect_usage_error(r, "loop1", "symbolic links")


@test
def output_to_fifo_and_stdout(c):
    """What is not a regular file is written in place, never renamed over: a FIFO stays a FIFO
    and its reader gets the report. '-o -' is standard output."""
    import threading
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    fifo = c.path("pipe")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()), daemon=True)
    reader.start()
    r = c.scan("-p", ".", "-o", "pipe")
    reader.join(30)
    check(r.rc == 1, "expected exit code 1 (a finding)\n" + r.describe())
    check(got, "nothing was read from the FIFO")
    expect_symbols(c.report(got[0], "the FIFO"), present=["requests_served"])
    check(stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced")
    c.no_tmp_files(c.work)
    r = c.scan("-p", ".", "-o", "-")
    check(r.rc == 1, r.describe())
    expect_symbols(c.report(r.out, "stdout"), present=["requests_served"])
    check(not os.path.exists(c.path("-")), "'-o -' created a file named '-'")


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
        "unknown phase": lambda r: first_with_evidence(r)["evidence"][0].__setitem__("phase", "later"),
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
