"""cmake --install: the scanner, the plugin (in lib/sharedstate/, off the linker path) and all
of docs/ land under the prefix; the installed binaries refer to nothing in the build tree
and work from there, the scanner with the right Clang resource directory."""

import json
import os
import re
import shutil

from harness import check
from common import ALL_CHECKS_CONFIG, by_symbol, diagnostics


def test_install(ctx):
    """cmake --install puts the scanner, the plugin and the docs under the prefix; both work from there."""
    prefix = ctx.install()
    scanner = os.path.join(prefix, "bin", "sharedstate-scan")
    plugin = os.path.join(prefix, "lib", "sharedstate", "libsharedstate-tidy.so")
    check(os.access(scanner, os.X_OK), "no executable %s" % scanner)
    check(os.path.isfile(plugin), "no plugin at %s" % plugin)
    stray = [n for n in os.listdir(os.path.join(prefix, "lib")) if n.endswith(".so")]
    check(not stray, "libraries installed directly in lib/ (the linker path): %s" % stray)
    docs_src = os.path.join(ctx.source_dir, "docs")
    docs_dst = os.path.join(prefix, "share", "doc", "sharedstate")
    for root, _, files in os.walk(docs_src):
        for f in files:
            rel = os.path.relpath(os.path.join(root, f), docs_src)
            check(os.path.isfile(os.path.join(docs_dst, rel)), "docs/%s is not installed in %s" % (rel, docs_dst))
    for f in ("usage.md", "json-report.md", "clang-tidy.md", "ci.md", "report.schema.json"):
        check(os.path.isfile(os.path.join(docs_dst, f)), "%s is not installed" % f)

    # Nothing in the installed binaries may point back into the build tree.
    for b in (scanner, plugin):
        with open(b, "rb") as fh:
            check(os.path.realpath(ctx.build_dir).encode() + b"/lib" not in fh.read(),
                  "%s refers to the build tree's lib directory" % b)

    # A fixture that includes a standard header: needs the right Clang resource dir.
    src = os.path.join(ctx.source_dir, "fixtures", "globals", "push_back.cpp")
    shutil.copy(src, ctx.path("push_back.cpp"))
    ctx.write_db(["push_back.cpp"], directory=ctx.path("db"))
    elsewhere = ctx.path("elsewhere")
    os.makedirs(elsewhere)
    v = ctx.run([scanner, "--version"], cwd=elsewhere)
    check(v.rc == 0 and re.search(r"\b%s\.\d" % ctx.major, v.out + v.err), "--version\n" + v.describe())
    r = ctx.run([scanner, "-p", ctx.path("db"), "--root", ctx.work], cwd=elsewhere)
    check(r.rc == 1, "the installed scanner should exit 1 (a not-thread-safe finding)\n" + r.describe())
    check(r.err == "", "the installed scanner printed errors (resource dir?)\n" + r.describe())
    rep = json.loads(r.out)
    found = {f["symbol"]: f for f in rep["findings"]}
    check("the_list" in found and found["the_list"]["verdict"] == "not-thread-safe",
          "the installed scanner did not find 'the_list'\n" + r.describe())

    t = ctx.run([ctx.clang_tidy, "--load=" + plugin, "--config=" + ALL_CHECKS_CONFIG, "-p", ctx.path("db"),
                 ctx.path("push_back.cpp")], cwd=elsewhere)
    check(t.rc == 0, "the installed plugin does not load into %s\n%s" % (ctx.clang_tidy, t.describe()))
    check(set(by_symbol(diagnostics(t.out))) == {"the_list"}, "the installed plugin did not report 'the_list'\n"
          + t.describe())


TESTS = {
    "install": test_install,
}
