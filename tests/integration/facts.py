"""Saved facts: --save-facts writes every TU's facts and the TUs that failed, and
--load-facts classifies them again without a compilation database, giving the same
report and exit code as the scan that saved them. Several saved files merge into one
program. A facts file that is missing, not JSON, of another version or malformed is a
one-line error naming it, and no report is written."""

import json
import os

from harness import check
from common import BROKEN_CPP, COUNTER_CPP, LIMITS_CPP, expect_symbols, registry

TESTS, test = registry()


@test
def load_facts_gives_the_same_report(c):
    c.write("a.cpp", COUNTER_CPP)
    c.write("b.cpp", LIMITS_CPP)
    c.write("broken.cpp", BROKEN_CPP)
    c.default_db(["a.cpp", "b.cpp", "broken.cpp"])
    saved = c.scan("-p", ".", "--save-facts", "facts.json", "-o", "scanned.json", "--format", "json")
    c.expect_tu_errors(saved, ["broken.cpp"])
    os.remove(c.path("compile_commands.json"))  # the database is not needed any more
    loaded = c.scan("--load-facts", "facts.json", "-o", "loaded.json")
    check(loaded.rc == saved.rc, "exit %d after --load-facts, %d when scanned\n%s" % (loaded.rc, saved.rc,
                                                                                      loaded.describe()))
    c.expect_tu_errors(loaded, ["broken.cpp"])
    with open(c.path("scanned.json")) as f, open(c.path("loaded.json")) as g:
        check(f.read() == g.read(), "the report of the loaded facts differs from the scan's")
    rep = c.read_report(c.path("loaded.json"))
    expect_symbols(rep, present=["requests_served", "default_port", "fine_before_the_error"])
    # Text format and a warning list work on loaded facts as on a scan.
    r = c.scan("--load-facts", "facts.json", "--format", "text", "--warn-on", "all")
    check(r.rc == 3, r.describe())
    check("default_port" in r.out, "the text report of loaded facts lacks default_port\n" + r.describe())


@test
def load_facts_merges_several_files(c):
    # One TU defines the global, the other writes it: only the two together
    # show the write.
    c.write("def.cpp", "int hits = 0;\nint read_hits() { return hits; }\n")
    c.write("use.cpp", "extern int hits;\nvoid count() { ++hits; }\n")
    c.default_db(["def.cpp", "use.cpp"])
    r = c.scan("-p", ".", "def.cpp", "--save-facts", "def.facts.json")
    check(r.rc == 0, "def.cpp alone has no write\n" + r.describe())
    r = c.scan("-p", ".", "use.cpp", "--save-facts", "use.facts.json")
    r = c.scan("--load-facts", "def.facts.json", "--load-facts", "use.facts.json")
    check(r.rc == 1, "the two files together: hits is written at run time\n" + r.describe())
    rep = c.report(r.out, "stdout")
    hits = [f for f in rep["findings"] if f["symbol"] == "hits"]
    check(len(hits) == 1 and hits[0]["category"] == 4, "hits: %s" % hits)
    check(rep["summary"]["translation_units"] == 2, "summary: %s" % rep["summary"])


@test
def bad_facts_files(c):
    c.write("a.cpp", COUNTER_CPP)
    c.default_db(["a.cpp"])
    r = c.scan("-p", ".", "--save-facts", "good.json")
    check(r.rc == 1, r.describe())
    with open(c.path("good.json")) as f:
        good = json.load(f)
    old = dict(good, version=good["version"] - 1)
    unit = json.loads(json.dumps(good))
    del unit["units"][0]["variables"]
    c.write("old.json", json.dumps(old))
    c.write("text-version.json", json.dumps(dict(good, version="nine")))
    c.write("malformed-unit.json", json.dumps(unit))
    c.write("not-json.json", "{ this is not json")
    c.write("array.json", "[]")
    c.write("empty.json", "")
    os.mkdir(c.path("adir"))
    os.mkfifo(c.path("pipe.json"))
    cases = [
        ("missing.json", ["missing.json", "cannot read"]),
        ("not-json.json", ["not-json.json", "not a facts file"]),
        ("array.json", ["array.json", "not a facts file"]),
        ("empty.json", ["empty.json", "not a facts file"]),
        ("old.json", ["old.json", "version %d" % (good["version"] - 1), "save them again"]),
        ("malformed-unit.json", ["malformed-unit.json", "unit 1", "variables"]),
        ("text-version.json", ["text-version.json", "not a facts file"]),
        ("adir", ["adir", "not a regular file"]),
        ("pipe.json", ["pipe.json", "not a regular file"]),
    ]
    for name, needles in cases:
        r = c.scan("--load-facts", name, "-o", "report.json", timeout=20)
        c.expect_usage_error(r, *needles)
        check(not os.path.exists(c.path("report.json")), "%s: a report was written" % name)
    r = c.scan("--load-facts", "good.json", "a.cpp")
    c.expect_usage_error(r, "--load-facts", "a.cpp")
