"""The README's "Using it" commands, run verbatim the way a new user runs them: from a
copy of sharedstate's checkout (its build directory linked in) against a fresh CMake
project in ../myproject, then the clang-tidy line. The commands come from the blocks the
README marks <!-- test: readme-using-it --> and <!-- test: readme-clang-tidy -->, so a
change to them is a change to what this test runs."""

import os
import re
import subprocess

from harness import Skip, check
from common import registry

TESTS, test = registry()

MYPROJECT = {
    "CMakeLists.txt": """\
cmake_minimum_required(VERSION 3.20)
project(myproject CXX)
set(CMAKE_CXX_STANDARD 17)
find_package(Threads REQUIRED)
add_executable(server src/server.cpp src/cache.cpp)
target_link_libraries(server Threads::Threads)
""",
    "src/server.cpp": """\
#include <thread>
void remember(int key);
int requests_served = 0;
void serve(int key) {
  ++requests_served;
  remember(key);
}
int main() {
  std::thread a(serve, 1), b(serve, 2);
  a.join();
  b.join();
}
""",
    "src/cache.cpp": """\
#include <map>
std::map<int, int> cache;
void remember(int key) { cache[key] = key; }
""",
}


def readme_block(c, name):
    with open(os.path.join(c.source_dir, "README.md")) as f:
        text = f.read()
    m = re.search(r"<!-- test: %s -->\n```sh\n(.*?)```" % re.escape(name), text, re.S)
    check(m, "README.md has no ```sh block marked <!-- test: %s -->" % name)
    return [line for line in m.group(1).splitlines() if line.strip() and not line.startswith("#")]


def run(cwd, line):
    proc = subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True, timeout=300)
    return proc, "$ %s\nexit %d\nstdout:\n%s\nstderr:\n%s" % (line, proc.returncode, proc.stdout[-3000:],
                                                                proc.stderr[-3000:])


def checkout(c):
    """A fresh copy of the checkout as the README's commands see it: build/ is the real one."""
    build = os.path.dirname(os.path.dirname(os.path.abspath(c.scanner)))
    if not os.path.isfile(os.path.join(build, "lib", "libsharedstate-tidy.so")):
        raise Skip("no build/lib/libsharedstate-tidy.so next to the scanner")
    root = c.path("sharedstate")
    os.makedirs(root)
    os.symlink(build, os.path.join(root, "build"))
    for rel, text in MYPROJECT.items():
        c.write(os.path.join("myproject", rel), text)
    return root


@test
def readme_using_it(c):
    root = checkout(c)
    configure, *scans = readme_block(c, "readme-using-it")
    proc, log = run(root, configure)
    check(proc.returncode == 0, "the README's cmake command failed\n" + log)
    check(os.path.isfile(c.path("myproject", "build", "compile_commands.json")), "no compile_commands.json\n" + log)
    check(len(scans) == 3, "expected three sharedstate-scan commands, got %d" % len(scans))
    for line in scans:
        proc, log = run(root, line)
        check(proc.returncode == 1, "expected exit code 1 (the findings of ../myproject)\n" + log)
        check("error" not in proc.stderr, "errors on stderr\n" + log)
        if "--format text" in line:
            for symbol in ("requests_served", "cache"):
                check(re.search(r"warning: .*'%s'" % symbol, proc.stdout), "no warning for %s\n%s" % (symbol, log))
            continue
        if "-o " in line:
            with open(os.path.join(root, "shared-state.json")) as f:
                text = f.read()
        else:
            text = proc.stdout
        unsafe = {x["symbol"] for x in c.report(text, line)["findings"] if x["verdict"] == "not-thread-safe"}
        check(unsafe == {"requests_served", "cache"}, "not-thread-safe: %s\n%s" % (sorted(unsafe), log))


@test
def readme_clang_tidy(c):
    root = checkout(c)
    configure = readme_block(c, "readme-using-it")[0]
    proc, log = run(root, configure)
    check(proc.returncode == 0, "the README's cmake command failed\n" + log)
    (line,) = readme_block(c, "readme-clang-tidy")
    proc, log = run(root, line)
    check(proc.returncode == 0, "clang-tidy failed\n" + log)
    check(re.search(r"server\.cpp:\d+:\d+: warning: .*'requests_served'.*\[sharedstate-mutable-global\]",
                    proc.stdout), "no sharedstate warning for requests_served\n" + log)
