"""NOLINT, NOLINTNEXTLINE and NOLINTBEGIN/END comments, as clang-tidy reads them: a
suppressed finding stays in the JSON report (marked suppressed), does not warn or fail the
scan (even with --warn-on all), and is a note marked (suppressed) in the text report with
--all; directives that do not cover the finding change nothing."""

from harness import check
from common import NOTE_FINDING_LINE, WARNING_LINE, registry, symbols, warning_lines

TESTS, test = registry()

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
