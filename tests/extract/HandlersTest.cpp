// Handlers: how one instance of a class comes to serve every request.
#include "Harness.h"

using namespace sharedstate;
using namespace sharedstate::extracttest;

namespace {
const char *const Framework = R"(
#include <ministd.h>
namespace web {
struct Request {};
struct Controller {};
struct Server {
  void Get(const char *path, std::function<void(const Request &)> handler);
};
} // namespace web
)";

AnalysisOptions withFramework() {
  AnalysisOptions Opts = AnalysisOptions::defaults();
  Opts.handlerBaseClasses.emplace_back("web::Controller");
  Opts.registrationFunctions.emplace_back("web::Server::Get");
  return Opts;
}
} // namespace

TEST_SUITE("extract: handlers") {

TEST_CASE("a subclass of a listed framework base is a controller") {
  TUFacts F = extract(std::string(Framework) + "struct Users : web::Controller { void show(); };\n",
                      withFramework());
  REQUIRE(F.handlerInstances.size() == 1);
  const HandlerInstance &H = F.handlerInstances.front();
  CHECK(H.kind == InstanceKind::Controller);
  CHECK(H.via == "web::Controller");
  CHECK(H.entryRule == EntryRule::PublicMethods);
  REQUIRE(F.classes.size() == 1);
  CHECK(F.classes.front().name == "Users");
}

TEST_CASE("a registered lambda's captures: this, by reference, and a copy only when mutable") {
  TUFacts F = extract(std::string(Framework) +
                          "struct Log { void add(); };\n"
                          "struct App {\n"
                          "  void routes(web::Server &s, Log &log, Log copy) {\n"
                          "    s.Get(\"/a\", [this](const web::Request &) { hits++; });\n"
                          "    s.Get(\"/b\", [&log](const web::Request &) { log.add(); });\n"
                          "    s.Get(\"/c\", [copy](const web::Request &) {});\n"
                          "  }\n"
                          "  int hits = 0;\n"
                          "};\n",
                      withFramework());
  std::vector<HeldAs> Held;
  for (const HandlerInstance &H : F.handlerInstances) {
    CHECK(H.kind == InstanceKind::Registration);
    CHECK(H.via == "web::Server::Get");
    CHECK(H.entries.size() == 1); // the lambda
    Held.push_back(H.held);
  }
  CHECK(Held == std::vector<HeldAs>{HeldAs::ThisCaptured, HeldAs::CapturedByReference});
  CHECK(F.handlerInstances[1].subject == "log");
}

TEST_CASE("a functor by std::ref, and a member function with its object") {
  TUFacts F = extract(std::string(Framework) +
                          "struct Counter { void operator()(const web::Request &); };\n"
                          "struct Api { void get(const web::Request &); };\n"
                          "template <class M, class O> std::function<void(const web::Request &)> bind(M, O);\n"
                          "void routes(web::Server &s, Counter &c, Api &api) {\n"
                          "  s.Get(\"/c\", std::ref(c));\n"
                          "  s.Get(\"/api\", bind(&Api::get, &api));\n"
                          "}\n",
                      withFramework());
  REQUIRE(F.handlerInstances.size() >= 1);
  const HandlerInstance &Ref = F.handlerInstances.front();
  CHECK(Ref.held == HeldAs::StdRef);
  CHECK(Ref.subject == "c");
  CHECK(Ref.entryRule == EntryRule::CallOperators);
}

TEST_CASE("a lambda knows the function it is written in") {
  TUFacts F = extract("void later(void (*)());\n"
                      "void outer() { later([] {}); }\n");
  const Function &L = function(F, "outer::(lambda)");
  CHECK(L.enclosing == function(F, "outer").key);
  CHECK(function(F, "outer").enclosing.empty());
}

} // TEST_SUITE
