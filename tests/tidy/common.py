"""What the plugin's integration tests share: the Context a test gets and reading clang-tidy's output.

Context is one test's work directory (a harness.WorkTree, with its own
.clang-tidy so that none around the build directory applies) and the tools:
it writes sources and compile_commands.json, runs clang-tidy with the plugin
(a crash always fails the test), clang++, cmake --install, and reads the
blocks of docs/ marked for testing. diagnostics() and by_symbol() turn
clang-tidy's output into the plugin's warnings, each with its notes.
"""

import json
import os
import re
import subprocess

from harness import Failure, WorkTree, check  # tests/harness.py, on the path driver.py sets up

DIAG = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<sev>warning|error|note): "
                  r"(?P<msg>.*?)(?: \[(?P<check>[^\]]+)\])?$")
ALL_CHECKS_CONFIG = "{Checks: '-*,sharedstate-*'}"


class Result:
    def __init__(self, argv, proc, cwd):
        self.argv = argv
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.cwd = cwd

    def describe(self):
        cmd = " ".join(a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'%s'" % a for a in self.argv)
        return "command: %s\n(in %s)\nexit code: %s\n--- stderr ---\n%s--- stdout (first 4000 chars) ---\n%s" % (
            cmd, self.cwd, self.rc, self.err, self.out[:4000])


class Diagnostic:
    def __init__(self, m):
        self.file = m.group("file")
        self.line = int(m.group("line"))
        self.col = int(m.group("col"))
        self.severity = m.group("sev")
        self.message = m.group("msg")
        self.check = m.group("check") or ""
        self.notes = []

    @property
    def symbol(self):
        m = re.search(r"'([^']+)'", self.message)
        return m.group(1) if m else ""

    def __repr__(self):
        return "%s:%d:%d: %s: %s [%s]" % (os.path.basename(self.file), self.line, self.col, self.severity,
                                         self.message, self.check)


def diagnostics(text):
    """The warnings and errors of clang-tidy output, each with the notes that follow it."""
    found = []
    for line in text.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        d = Diagnostic(m)
        if d.severity == "note":
            if found:
                found[-1].notes.append(d)
        elif d.check.startswith("sharedstate-"):
            found.append(d)
    return found


def by_symbol(diags):
    out = {}
    for d in diags:
        check(d.symbol not in out, "two sharedstate diagnostics for %r: %s" % (d.symbol, diags))
        out[d.symbol] = d
    return out


class Context(WorkTree):
    def __init__(self, a, work):
        super().__init__(work)
        self.clang_tidy = a.clang_tidy
        self.run_clang_tidy = a.run_clang_tidy
        self.other_clang_tidy = a.other_clang_tidy
        self.plugin = a.plugin
        self.scanner = a.scanner
        self.clangxx = a.clangxx
        self.major = a.llvm_major
        self.cmake = a.cmake
        self.build_dir = a.build_dir
        self.source_dir = a.source_dir
        # Isolate from any .clang-tidy above the work directory.
        self.write(".clang-tidy", "Checks: '-*,sharedstate-*'\n")

    # ---- files -------------------------------------------------------------
    def write(self, rel, text):
        """Like WorkTree.write; a leading newline (of a triple-quoted source) is dropped."""
        return super().write(rel, text[1:] if text.startswith("\n") else text)

    def read(self, rel):
        with open(self.path(rel)) as f:
            return f.read()

    def write_db(self, files, directory=None, std="c++17"):
        directory = directory or self.work
        db = [{"directory": directory, "file": self.path(f),
               "arguments": [self.clangxx, "-std=" + std, "-c", self.path(f), "-o", f + ".o"]} for f in files]
        return self.write(os.path.join(os.path.relpath(directory, self.work), "compile_commands.json"),
                          json.dumps(db, indent=2))

    # ---- running -----------------------------------------------------------
    def run(self, argv, cwd=None, env=None, timeout=25, input=None):
        cwd = cwd or self.work
        try:
            proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                                  input=input)
        except subprocess.TimeoutExpired:
            raise Failure("did not finish within %ss: %s" % (timeout, " ".join(argv)))
        r = Result(argv, proc, cwd)
        check(r.rc >= 0, "killed by signal %d (a crash)\n%s" % (-r.rc, r.describe()))
        return r

    def tidy(self, files, *args, config=ALL_CHECKS_CONFIG, binary=None, plugin=None, cwd=None, db=True):
        argv = [binary or self.clang_tidy, "--load=" + (plugin or self.plugin)]
        if config is not None:
            argv.append("--config=" + config)
        argv += list(args)
        if db:
            argv += ["-p", self.work]
        argv += [self.path(f) for f in files]
        return self.run(argv, cwd=cwd)

    def tidy_ok(self, files, *args, **kw):
        r = self.tidy(files, *args, **kw)
        check(r.rc == 0, "clang-tidy failed\n" + r.describe())
        check("Error" not in r.err and "error:" not in r.out,
              "clang-tidy reported an error\n" + r.describe())
        return r

    def compiles(self, files, *extra):
        return self.run([self.clangxx, "-std=c++17", "-fsyntax-only", *extra, *[self.path(f) for f in files]])

    def install(self, prefix_rel="prefix"):
        prefix = self.path(prefix_rel)
        r = self.run([self.cmake, "--install", self.build_dir, "--prefix", prefix], timeout=60)
        check(r.rc == 0, "cmake --install failed\n" + r.describe())
        return prefix

    def doc_blocks(self, doc):
        """The fenced blocks of docs/<doc> marked `<!-- test: NAME -->`, by NAME."""
        with open(os.path.join(self.source_dir, "docs", doc)) as f:
            text = f.read()
        blocks = {}
        for m in re.finditer(r"<!-- test: ([a-z0-9-]+) -->\n```[a-z]*\n(.*?)```\n", text, re.S):
            blocks[m.group(1)] = m.group(2)
        return blocks
