"""The version guard: the plugin built for this LLVM major, loaded into the clang-tidy of
another (--other-clang-tidy; skipped when it is not installed), refuses to run: exit 2 and
one error line naming both versions and the clang-tidy to use."""

import os
import re

from harness import Skip, check


def test_version_guard(ctx):
    """The plugin built for this LLVM refuses to load into another clang-tidy: exit 2, one error line."""
    other = ctx.other_clang_tidy
    if not other or not os.access(other, os.X_OK):
        raise Skip("no clang-tidy of another LLVM major at %r (LLVM_VERSION=22 bash scripts/install-deps.sh)"
                   % other)
    v = ctx.run([other, "--version"])
    m = re.search(r"version (\d+)\.", v.out)
    check(m, "cannot read the version of %s\n%s" % (other, v.describe()))
    other_major = m.group(1)
    check(other_major != str(ctx.major), "%s is LLVM %s, the plugin's own major" % (other, other_major))

    ctx.write("main.cpp", "long hits;\nvoid on_request() { ++hits; }\n")
    ctx.write_db(["main.cpp"])
    # Control: the right clang-tidy loads it and reports.
    ok = ctx.tidy(["main.cpp"])
    check(ok.rc == 0 and "hits" in ok.out, "the plugin does not work in its own clang-tidy\n" + ok.describe())

    for args in ([ctx.path("main.cpp"), "-p", ctx.work], ["--list-checks"]):
        r = ctx.run([other, "--load=" + ctx.plugin, "--checks=-*,sharedstate-*", *args])
        check(r.rc == 2, "expected exit code 2 from clang-tidy %s with the LLVM %s plugin\n%s"
              % (other_major, ctx.major, r.describe()))
        lines = [l for l in r.err.splitlines() if l.strip()]
        check(len(lines) == 1, "expected exactly one line on stderr\n" + r.describe())
        line = lines[0]
        check(line.startswith("error: "), "the stderr line is not an error\n" + r.describe())
        check(re.search(r"\bLLVM %s\b" % ctx.major, line), "the error does not name LLVM %s\n%s"
              % (ctx.major, r.describe()))
        check(re.search(r"\b%s\.\d" % other_major, line), "the error does not name version %s\n%s"
              % (other_major, r.describe()))
        check("clang-tidy-%s" % ctx.major in line, "the error does not say which clang-tidy to use\n"
              + r.describe())
        check("sharedstate-" not in r.out and "warning:" not in r.out,
              "the plugin ran despite the version mismatch\n" + r.describe())


TESTS = {
    "version-guard": test_version_guard,
}
