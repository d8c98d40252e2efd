"""One bad translation unit never costs the others: a TU that crashes Clang, never
finishes, is a FIFO, or has a compile command whose directory is gone is listed in the
report's errors with what happened (exit 3), and every other TU is reported. A file the
database lists with several commands is analyzed once per distinct command, and the facts
of all of them are merged. Paths that are not UTF-8 do not break the JSON report."""

import json
import os

from harness import check
from common import COUNTER_CPP, LIMITS_CPP, expect_symbols, registry

TESTS, test = registry()


def errors_by_file(rep):
    return {e["file"]: e["message"] for e in rep["errors"]}


@test
def crashing_tu_among_good(c):
    c.write("a.cpp", COUNTER_CPP)
    c.write("crash.cpp", "int before_the_crash = 1;\n#pragma clang __debug crash\n")
    c.write("b.cpp", LIMITS_CPP)
    c.default_db(["a.cpp", "crash.cpp", "b.cpp"])
    r = c.scan("-p", ".", "-o", "report.json")
    c.expect_tu_errors(r, ["crash.cpp"])
    rep = c.read_report(c.path("report.json"))
    expect_symbols(rep, present=["requests_served", "max_connections", "default_port"],
                   absent=["before_the_crash"])
    msg = errors_by_file(rep).get("crash.cpp", "")
    check("crashed with SIG" in msg, "the error does not say the TU crashed, and with which signal: %r" % msg)
    c.no_tmp_files(c.work)


@test
def deep_nesting_overflows_only_its_tu(c):
    c.write("a.cpp", COUNTER_CPP)
    # Deep enough to overflow Clang's parser stack on the main thread's 8 MiB.
    c.write("deep.cpp", "int deep = " + "(" * 100000 + "1" + ")" * 100000 + ";\n")
    c.default_db(["a.cpp", "deep.cpp"])
    r = c.scan("-p", ".", timeout=120)
    check(r.rc in (1, 3), "exit %d: expected the findings of a.cpp (1), or 3 if deep.cpp failed\n%s"
          % (r.rc, r.describe()))
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["requests_served"])
    if r.rc == 3:
        check(list(errors_by_file(rep)) == ["deep.cpp"], "errors: %s" % rep["errors"])


@test
def tu_timeout(c):
    c.write("a.cpp", COUNTER_CPP)
    # Opening a FIFO blocks until someone writes it: this TU never finishes.
    os.mkfifo(c.path("never.h"))
    c.write("slow.cpp", '#include "never.h"\nint after_the_include = 1;\n')
    c.default_db(["a.cpp", "slow.cpp"])
    r = c.scan("-p", ".", "--tu-timeout", "2", timeout=30)
    c.expect_tu_errors(r, ["slow.cpp"])
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["requests_served"])
    msg = errors_by_file(rep).get("slow.cpp", "")
    check("timed out after 2 s" in msg, "the error does not say it timed out: %r" % msg)
    r = c.scan("-p", ".", "--tu-timeout", "soon")
    c.expect_usage_error(r, "--tu-timeout", "soon")


@test
def fifo_source(c):
    c.write("a.cpp", COUNTER_CPP)
    os.mkfifo(c.path("pipe.cpp"))
    c.default_db(["a.cpp", "pipe.cpp"])
    r = c.scan("-p", ".", timeout=30)
    c.expect_tu_errors(r, ["pipe.cpp"])
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["requests_served"])
    msg = errors_by_file(rep).get("pipe.cpp", "")
    check("not a regular file" in msg, "message: %r" % msg)


@test
def missing_command_directory(c):
    c.write("a.cpp", COUNTER_CPP)
    c.write("b.cpp", LIMITS_CPP)
    gone = c.path("moved-build")
    db = [{"directory": c.work, "file": "a.cpp", "arguments": ["clang++", "-c", "a.cpp"]},
          {"directory": gone, "file": c.path("b.cpp"), "arguments": ["clang++", "-c", c.path("b.cpp")]}]
    c.write("compile_commands.json", json.dumps(db))
    r = c.scan("-p", ".")
    c.expect_tu_errors(r, ["b.cpp"])
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["requests_served"], absent=["max_connections"])
    msg = errors_by_file(rep).get("b.cpp", "")
    check("moved-build" in msg and "does not exist" in msg, "message: %r" % msg)


WRITER_CPP = """\
int mode = 0;
#ifdef WRITER
void set_mode(int m) { mode = m; }
#endif
int get_mode() { return mode; }
"""


def mode_finding(rep):
    found = [f for f in rep["findings"] if f["symbol"] == "mode"]
    check(len(found) == 1, "expected one finding for 'mode', got %d" % len(found))
    return found[0]


@test
def several_commands_for_one_file(c):
    c.write("w.cpp", WRITER_CPP)
    plain = ["clang++", "-std=c++17", "-c", "w.cpp"]
    writer = ["clang++", "-std=c++17", "-DWRITER", "-c", "w.cpp"]
    for order in ((writer, plain), (plain, writer)):
        c.write_db([("w.cpp", order[0]), ("w.cpp", order[1]), ("w.cpp", order[0])])  # the repeat counts once
        r = c.scan("-p", ".")
        check(r.rc == 1, "expected exit 1 (the write under -DWRITER), got %d\n%s" % (r.rc, r.describe()))
        rep = c.report(r.out, "stdout")
        f = mode_finding(rep)
        check(f["category"] == 4, "with the -DWRITER command %s, 'mode' is category %s, not 4"
              % ("first" if order[0] is writer else "second", f["category"]))
        check(rep["summary"]["translation_units"] == 2,
              "two distinct commands are two units, got %s" % rep["summary"]["translation_units"])


@test
def failing_second_command_names_it(c):
    c.write("w.cpp", WRITER_CPP + "#ifdef BROKEN\nint broken = ;\n#endif\n")
    c.write_db([("w.cpp", ["clang++", "-c", "w.cpp"]), ("w.cpp", ["clang++", "-DBROKEN", "-c", "w.cpp"])])
    r = c.scan("-p", ".")
    c.expect_tu_errors(r, ["w.cpp"])
    rep = c.report(r.out, "stdout")
    mode_finding(rep)
    msg = errors_by_file(rep).get("w.cpp", "")
    check("compile command 2 of 2" in msg, "the error does not say which command failed: %r" % msg)


@test
def non_utf8_header_path(c):
    # A database is JSON, so UTF-8; a header an #include names need not be.
    d = os.path.join(c.work.encode(), b"caf\xe9")
    os.makedirs(d)
    with open(os.path.join(d, b"counter.h"), "w") as f:
        f.write("inline int requests_served = 0;\ninline void handle_request() { ++requests_served; }\n")
    with open(c.path("a.cpp"), "wb") as f:
        f.write(b'#include "caf\xe9/counter.h"\nvoid serve() { handle_request(); }\n')
    c.default_db(["a.cpp"])
    r = c.scan("-p", ".")
    check(r.rc == 1, "expected exit 1 (the finding)\n%s" % r.describe())
    rep = c.report(r.out, "stdout")
    expect_symbols(rep, present=["requests_served"])
    check("caf\ufffd/counter.h" in r.out, "the path's invalid byte is not replaced by U+FFFD:\n" + r.out[:2000])
