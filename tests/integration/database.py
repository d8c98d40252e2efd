"""The compilation database and the translation units it lists: a missing, unreadable,
malformed, empty or wrongly shaped database is a usage error (exit 2, one stderr line, no
report); a TU that is broken, missing, unreadable or not in the database fails alone (one
stderr line each, the other TUs are still reported); and a project's GCC-only flags and
-Werror do not fail a TU."""

import json
import os
import re

from harness import Failure, Skip, check
from common import BROKEN_CPP, COUNTER_CPP, LIMITS_CPP, expect_symbols, registry, symbols

TESTS, test = registry()


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
