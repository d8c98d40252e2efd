"""Real frameworks: a cpp-httplib server (Debian's libcpp-httplib-dev) that builds and links,
scanned for singleton handlers, in the JSON and the text report."""

import os
import re
import shutil
import subprocess

from harness import check
from common import registry

TESTS, test = registry()

HTTPLIB_SERVER_CPP = r"""#include <httplib.h>

#include <string>
#include <vector>

// One object, shared by reference with the server: it serves every request.
struct VisitLog {
  std::vector<std::string> paths_;
  std::string last_user_;
  void operator()(const httplib::Request &req, httplib::Response &res) {
    last_user_ = req.get_header_value("X-User");
    paths_.push_back(req.path);
    res.set_content("hello " + last_user_, "text/plain");
  }
};

// Built for each request inside the registered lambda.
struct Greeter {
  std::string user_;
  void operator()(const httplib::Request &req, httplib::Response &res) {
    user_ = req.get_header_value("X-User");
    res.set_content("hi " + user_, "text/plain");
  }
};

int main() {
  httplib::Server svr;
  VisitLog log;
  svr.Get("/log", std::ref(log));
  svr.Get("/greet", [](const httplib::Request &req, httplib::Response &res) { Greeter{}(req, res); });
  return svr.listen("127.0.0.1", 0) ? 0 : 1;
}
"""


@test
def httplib_handlers(c):
    """A real cpp-httplib server (Debian's libcpp-httplib-dev): the functor shared by reference is a
    singleton handler with request state, the one built per request is not."""
    check(os.path.exists("/usr/include/httplib.h"),
          "cpp-httplib is not installed (libcpp-httplib-dev, see scripts/install-deps.sh)")
    c.write("server.cpp", HTTPLIB_SERVER_CPP)
    # It is a real program: it compiles and links against the library.
    cxx = shutil.which("c++") or shutil.which("g++")
    check(cxx, "no C++ compiler on PATH")
    built = subprocess.run([cxx, "-std=c++17", "server.cpp", "-o", "server", "-lcpp-httplib"], cwd=c.work,
                           capture_output=True, text=True)
    check(built.returncode == 0, "server.cpp does not build against cpp-httplib:\n" + built.stderr[-2000:])
    c.default_db(["server.cpp"])
    r = c.scan("-p", ".")
    check(r.rc == 1, "a not-thread-safe handler must make the scan exit 1\n" + r.describe())
    c.expect_clean_stderr(r)
    rep = c.report(r.out)
    handlers = [x for x in rep["findings"] if x["kind"] == "singleton-handler"]
    check([x["symbol"] for x in handlers] == ["VisitLog"],
          "expected exactly one singleton-handler finding, for VisitLog: %s" % [x["symbol"] for x in handlers])
    x = handlers[0]
    check(x["check"] == "sharedstate-singleton-handler" and x["category"] == 3 and x["verdict"] == "not-thread-safe",
          "wrong check, category or verdict: %s" % x)
    lines = HTTPLIB_SERVER_CPP.splitlines()
    def line_of(text):
        return next(i + 1 for i, l in enumerate(lines) if text in l)
    check(x["location"] == {"file": "server.cpp", "line": line_of("struct VisitLog"), "column": 8},
          "the finding is not at the class: %s" % x["location"])
    writes = {(e["field"], e["what"], e["location"]["line"], e["function"]) for e in x["evidence"]}
    check(writes == {("last_user_", "reassign", line_of("last_user_ = req"), "VisitLog::operator()"),
                     ("paths_", "mutate", line_of("paths_.push_back"), "VisitLog::operator()")},
          "unexpected evidence: %s" % sorted(writes))
    check(len(x["instances"]) == 1 and x["instances"][0]["how"] == "registration"
          and x["instances"][0]["location"]["line"] == line_of("std::ref(log)")
          and "httplib::Server::Get" in x["instances"][0]["detail"],
          "the instance should be the std::ref registration with httplib::Server::Get: %s" % x["instances"])
    for field in ("'last_user_'", "'paths_'", "per request"):
        check(field in x["message"], "the message does not mention %s: %s" % (field, x["message"]))
    check(rep["summary"]["by_kind"]["singleton-handler"] == 1, "summary: %s" % rep["summary"])

    # The text report says the same, with a note per write and per instance.
    r = c.scan("-p", ".", "--format", "text")
    check(re.search(r"^server\.cpp:%d:8: warning: 'VisitLog' has one instance per process .*"
                    r"\[sharedstate-singleton-handler\]$" % line_of("struct VisitLog"), r.out, re.M),
          "no warning for VisitLog in the text report\n" + r.describe())
    check("Greeter" not in r.out, "the per-request handler is reported\n" + r.describe())
    check(re.search(r"^server\.cpp:%d:\d+: note: one instance per process: .*httplib::Server::Get"
                    % line_of("std::ref(log)"), r.out, re.M), "no note for the registration\n" + r.describe())

    # Registered only per request: nothing to report, exit 0.
    c.write("per_request.cpp", HTTPLIB_SERVER_CPP.replace('svr.Get("/log", std::ref(log));', "(void)log;"))
    c.default_db(["per_request.cpp"])
    r = c.scan("-p", ".")
    check(r.rc == 0, "without the shared functor nothing is not thread-safe\n" + r.describe())
    kinds = [x["kind"] for x in c.report(r.out)["findings"]]
    check("singleton-handler" not in kinds, "unexpected singleton-handler finding: %s" % kinds)
