"""CI as docs/ci.md describes it: run-clang-tidy with the plugin over a database of two TUs,
then the doc's own commands (the exit-code gate, the baseline record/gate/stale commands,
run-clang-tidy) and its GitHub Actions workflow, extracted from the document and run the way
Actions runs them against an installed prefix. The ci-* tests need jq, ci-workflow also
python3-yaml; without them they are skipped."""

import os
import re
import shutil
import sys
import textwrap

from harness import Failure, Skip, check
from common import by_symbol, diagnostics

# How GitHub Actions runs a step with `shell: bash`.
ACTIONS_BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


def test_run_clang_tidy(ctx):
    """run-clang-tidy with -load and -j 2 over a 2-TU database reports both files' findings."""
    ctx.write("src/a.cpp", "long hits;\nvoid on_request() { ++hits; }\n")
    ctx.write("src/b.cpp", "#include <vector>\nstd::vector<int> log_lines;\nvoid record(int n) { log_lines.push_back(n); }\n")
    ctx.write_db(["src/a.cpp", "src/b.cpp"], directory=ctx.path("build"))
    base = [sys.executable, ctx.run_clang_tidy, "-clang-tidy-binary", ctx.clang_tidy, "-load", ctx.plugin,
            "-checks=-*,sharedstate-*", "-j", "2", "-p", ctx.path("build"), "-quiet"]
    r = ctx.run(base)
    check(r.rc == 0, "run-clang-tidy failed\n" + r.describe())
    got = by_symbol(diagnostics(r.out))
    check(set(got) == {"hits", "log_lines"}, "expected the findings of both files, got %s\n%s"
          % (sorted(got), r.describe()))
    check(got["hits"].file.endswith("a.cpp") and got["log_lines"].file.endswith("b.cpp"),
          "findings attributed to the wrong files: %s" % list(got.values()))
    r = ctx.run(base + ["-warnings-as-errors=sharedstate-*"])
    check(r.rc != 0, "run-clang-tidy -warnings-as-errors must fail on the findings\n" + r.describe())


def ci_setup(ctx):
    """An installed prefix, tool names as docs/ci.md spells them, and jq."""
    if not shutil.which("jq"):
        raise Skip("jq is not installed (apt-get install jq); docs/ci.md's recipe needs it")
    prefix = ctx.install()
    shims = ctx.path("shims")
    os.makedirs(shims)
    # The doc says clang-tidy-19 and run-clang-tidy-19 (Debian's names): point them at the
    # binaries this build uses.
    os.symlink(ctx.clang_tidy, os.path.join(shims, "clang-tidy-19"))
    os.symlink(ctx.run_clang_tidy, os.path.join(shims, "run-clang-tidy-19"))
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([shims, env.get("PATH", "/usr/bin:/bin")])
    return prefix, env


def ci_block(blocks, name, prefix):
    check(name in blocks, "docs/ci.md has no block marked <!-- test: %s -->" % name)
    return blocks[name].replace("/opt/sharedstate", prefix)


def ci_project(ctx, root):
    """A small project: one not-thread-safe global, one thread-safe one, a function-local cache."""
    files = {
        "src/stats.cpp": "long requests_served = 0;\nvoid on_request() { ++requests_served; }\n",
        "src/config.cpp": "const int kPort = 8080;\nint port() { return kPort; }\n",
        "src/cache.cpp": "#include <map>\n#include <string>\n"
                         "std::string lookup(int k) {\n  static std::map<int, std::string> cache;\n"
                         "  auto &v = cache[k];\n  return v;\n}\n",
    }
    for rel, text in files.items():
        ctx.write(os.path.join(root, rel), text)
    ctx.write(os.path.join(root, ".clang-tidy"), "Checks: '-*,sharedstate-*'\n")


def ci_db(ctx, root):
    srcs = sorted(os.path.relpath(os.path.join(d, f), ctx.work)
                  for d, _, fs in os.walk(ctx.path(root, "src")) for f in fs if f.endswith(".cpp"))
    ctx.write_db(srcs, directory=ctx.path(root, "build"))


def sh(ctx, script, cwd, env):
    return ctx.run(ACTIONS_BASH + ["-c", script], cwd=cwd, env=env)


def test_ci_recipe(ctx):
    """docs/ci.md's commands: the exit-code gate, the baseline record/gate/stale commands, run-clang-tidy."""
    prefix, env = ci_setup(ctx)
    env["PATH"] = os.pathsep.join([os.path.join(prefix, "bin"), env["PATH"]])
    blocks = ctx.doc_blocks("ci.md")
    proj = ctx.path("project")
    ci_project(ctx, "project")
    ci_db(ctx, "project")

    r = sh(ctx, ci_block(blocks, "scan-exit-code", prefix), proj, env)
    check(r.rc == 1, "the exit-code gate must fail (1) on a not-thread-safe finding\n" + r.describe())
    check(re.search(r"warning: global 'requests_served' .*\[sharedstate-mutable-global\]", r.out),
          "the text report does not show the finding\n" + r.describe())

    r = sh(ctx, ci_block(blocks, "baseline-record", prefix), proj, env)
    check(r.rc == 0, "recording the baseline failed\n" + r.describe())
    baseline = ctx.read("project/.sharedstate-baseline").splitlines()
    check(len(baseline) == 2 and any("requests_served" in l for l in baseline)
          and any("lookup::cache" in l for l in baseline),
          "the baseline should list the two not-thread-safe findings: %s" % baseline)
    check(all(re.match(r"^[0-9a-f]{16}  \S+  src/\S+$", l) for l in baseline),
          "baseline lines should be 'id  symbol  file': %s" % baseline)

    gate = ci_block(blocks, "baseline-gate", prefix)
    r = sh(ctx, gate, proj, env)
    check(r.rc == 0, "the gate must pass when every finding is in the baseline\n" + r.describe())

    # A new not-thread-safe global, and a comment in the baseline.
    ctx.write("project/src/sessions.cpp", "#include <vector>\nstd::vector<int> sessions;\n"
                                          "void open_session(int id) { sessions.push_back(id); }\n")
    ci_db(ctx, "project")
    with open(ctx.path("project/.sharedstate-baseline"), "a") as f:
        f.write("# accepted in review\n")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 1, "the gate must fail (1) on a new finding\n" + r.describe())
    check(re.search(r"src/sessions\.cpp:2:18: global 'sessions' .*\[sharedstate-mutable-global, id [0-9a-f]{16}\]",
                    r.err), "the gate does not name the new finding\n" + r.describe())
    check("requests_served" not in r.err and "cache" not in r.err,
          "the gate reports findings that are in the baseline\n" + r.describe())

    # NOLINT accepts it too (the scanner honours it; the report marks it suppressed).
    ctx.write("project/src/sessions.cpp", "#include <vector>\n"
                                          "std::vector<int> sessions; // NOLINT(sharedstate-mutable-global)\n"
                                          "void open_session(int id) { sessions.push_back(id); }\n")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 0, "a finding accepted with NOLINT must not fail the gate\n" + r.describe())

    # A fixed finding is stale in the baseline, and listed as such.
    ctx.write("project/src/stats.cpp", "#include <atomic>\nstd::atomic<long> requests_served{0};\n"
                                       "void on_request() { ++requests_served; }\n")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 0, "fixing a finding must not fail the gate\n" + r.describe())
    r = sh(ctx, ci_block(blocks, "baseline-stale", prefix), proj, env)
    check(r.rc == 0, "listing stale entries failed\n" + r.describe())
    stale = r.out.splitlines()
    check(len(stale) == 1 and "requests_served" in stale[0], "expected requests_served as the one stale entry: %s\n%s"
          % (stale, r.describe()))

    # A file that does not compile: exit 2.
    ctx.write("project/src/broken.cpp", "int broken( {\n")
    ci_db(ctx, "project")
    r = sh(ctx, gate, proj, env)
    check(r.rc == 2, "the gate must fail with 2 when a file cannot be analyzed\n" + r.describe())
    os.remove(ctx.path("project/src/broken.cpp"))
    ci_db(ctx, "project")

    # run-clang-tidy, as the doc writes it: fails on the (not-NOLINT-ed) cache finding.
    tidy = ci_block(blocks, "run-clang-tidy", prefix)
    r = sh(ctx, tidy, proj, env)
    check(r.rc != 0, "run-clang-tidy with -warnings-as-errors must fail on a finding\n" + r.describe())
    check(re.search(r"error: function-local static 'lookup::cache' .*warnings-as-errors", r.out),
          "run-clang-tidy does not report the finding as an error\n" + r.describe())
    ctx.write("project/src/cache.cpp", "#include <map>\n#include <string>\n"
                                       "std::string lookup(int k) {\n"
                                       "  static std::map<int, std::string> cache; // NOLINT(sharedstate-*)\n"
                                       "  auto &v = cache[k];\n  return v;\n}\n")
    r = sh(ctx, tidy, proj, env)
    check(r.rc == 0, "run-clang-tidy must pass once every finding is fixed or NOLINT-ed\n" + r.describe())


def test_ci_workflow(ctx):
    """docs/ci.md's GitHub Actions workflow: valid YAML, and its steps, run the way Actions runs
    them, pass on the baseline and fail on a new finding."""
    try:
        import yaml
    except ImportError:
        raise Skip("%s has no yaml module (apt-get install python3-yaml)" % sys.executable)
    prefix, env = ci_setup(ctx)
    blocks = ctx.doc_blocks("ci.md")
    check("workflow" in blocks, "docs/ci.md has no block marked <!-- test: workflow -->")
    wf = yaml.safe_load(blocks["workflow"])
    jobs = wf.get("jobs", {})
    check(len(jobs) == 1, "expected one job: %s" % list(jobs))
    job = next(iter(jobs.values()))
    check(str(job.get("container", "")).startswith("debian:12"), "the job should run in debian:12")
    check(job.get("defaults", {}).get("run", {}).get("shell") == "bash", "steps should run in bash")
    check(True in wf or "on" in wf, "the workflow has no trigger")
    steps = job["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    for action in ("actions/checkout@v4", "actions/cache@v4", "actions/upload-artifact@v4"):
        check(action in uses, "the workflow does not use %s" % action)
    named = {s.get("name"): s for s in steps}
    for s in steps:
        if "run" in s and "uses" in s:
            raise Failure("a step has both run and uses: %s" % s)
    install = named.get("Install packages", {}).get("run", "")
    for pkg in ("llvm-19-dev", "libclang-19-dev", "clang-tidy-19", "jq", "nlohmann-json3-dev", "cmake", "ninja-build"):
        check(re.search(r"\b%s\b" % re.escape(pkg), install), "the workflow does not install %s" % pkg)
    gate_step = named.get("Fail on new shared mutable state", {}).get("run", "")
    check(gate_step.strip() == blocks["baseline-gate"].strip(),
          "the workflow's gate step differs from the tested baseline-gate command:\n%s" % gate_step)

    # The project, with the workflow's env and GITHUB_PATH, as on a runner where the
    # "Restore sharedstate" cache hit.
    proj = ctx.path("project")
    ci_project(ctx, "project")
    ctx.write("project/CMakeLists.txt", "cmake_minimum_required(VERSION 3.20)\nproject(demo CXX)\n"
                                        "file(GLOB sources CONFIGURE_DEPENDS src/*.cpp)\n"
                                        "add_library(demo STATIC ${sources})\n")
    github_path = ctx.path("github_path")
    open(github_path, "w").close()
    env.update({k: str(v) for k, v in wf.get("env", {}).items()})
    env["SHAREDSTATE_PREFIX"] = prefix
    env["GITHUB_PATH"] = github_path

    def run_steps(names):
        for name in names:
            check(name in named, "the workflow has no step %r" % name)
            step_env = dict(env)
            with open(github_path) as f:
                extra = [l.strip() for l in f if l.strip()]
            step_env["PATH"] = os.pathsep.join(list(reversed(extra)) + [env["PATH"]])
            r = sh(ctx, named[name]["run"], proj, step_env)
            if r.rc != 0:
                return name, r
        return None, None

    check("sharedstate-scan" not in (shutil.which("sharedstate-scan", path=env["PATH"]) or ""),
          "sharedstate-scan is already on PATH: the test would not check the PATH step")
    failed, r = run_steps(["Put sharedstate on PATH", "Generate compile_commands.json"])
    check(failed is None, "step %r failed\n%s" % (failed, r and r.describe()))
    check(os.path.isfile(ctx.path("project/build/compile_commands.json")), "no compile_commands.json generated")

    # The baseline, recorded as the doc says, then the gate passes.
    rec_env = dict(env)
    rec_env["PATH"] = os.pathsep.join([os.path.join(prefix, "bin"), env["PATH"]])
    r = sh(ctx, ci_block(blocks, "baseline-record", prefix), proj, rec_env)
    check(r.rc == 0, "recording the baseline failed\n" + r.describe())
    failed, r = run_steps(["Fail on new shared mutable state"])
    check(failed is None, "the gate step fails with every finding in the baseline\n%s" % (r and r.describe()))
    check(os.path.isfile(ctx.path("project/shared-state.json")), "no shared-state.json for the artifact step")

    # A new finding: configure again (a new file) and the gate fails, naming it.
    ctx.write("project/src/sessions.cpp", "#include <vector>\nstd::vector<int> sessions;\n"
                                          "void open_session(int id) { sessions.push_back(id); }\n")
    failed, r = run_steps(["Generate compile_commands.json", "Fail on new shared mutable state"])
    check(failed == "Fail on new shared mutable state" and r.rc == 1,
          "the gate step must fail with 1 on a new finding\n%s" % (r and r.describe()))
    check("'sessions'" in r.err and "requests_served" not in r.err, "the gate names the wrong findings\n"
          + r.describe())

    # The simpler variant the doc gives: the scanner's exit code.
    m = re.search(r"```yaml\n(\s+- name: Fail on shared mutable state\n.*?)```", ctx_doc(ctx, "ci.md"), re.S)
    check(m, "docs/ci.md lacks the simpler 'Fail on shared mutable state' step")
    simple = yaml.safe_load(textwrap.dedent(m.group(1)))[0]
    named[simple["name"]] = simple
    failed, r = run_steps([simple["name"]])
    check(failed and r.rc == 1, "the simple gate must fail (1) on not-thread-safe findings\n%s"
          % (r and r.describe()))


def ctx_doc(ctx, name):
    with open(os.path.join(ctx.source_dir, "docs", name)) as f:
        return f.read()


TESTS = {
    "run-clang-tidy": test_run_clang_tidy,
    "ci-recipe": test_ci_recipe,
    "ci-workflow": test_ci_workflow,
}
