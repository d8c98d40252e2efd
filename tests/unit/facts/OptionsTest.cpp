// The default lists decide what counts as synchronization out of the box; a
// missing std::mutex would turn every locked server into a wall of warnings.
#include "facts/Options.h"

#include "Doctest.h"

#include <algorithm>
#include <set>

using namespace sharedstate;

namespace {
bool contains(const std::vector<std::string> &List, const std::string &S) {
  return std::find(List.begin(), List.end(), S) != List.end();
}
template <typename T> bool unique(const std::vector<T> &List) {
  return std::set<T>(List.begin(), List.end()).size() == List.size();
}
} // namespace

TEST_SUITE("options") {

TEST_CASE("defaults know the standard synchronization types") {
  AnalysisOptions O = AnalysisOptions::defaults();
  for (std::string T : {"std::mutex", "std::shared_mutex", "std::atomic", "std::once_flag",
                        "std::condition_variable"})
    CHECK_MESSAGE(contains(O.syncTypes, T), T);
  for (std::string T : {"std::lock_guard", "std::unique_lock", "std::scoped_lock"})
    CHECK_MESSAGE(contains(O.lockGuardTypes, T), T);
  CHECK(contains(O.onceFunctions, "std::call_once"));
  CHECK(contains(O.lockFunctions, "pthread_mutex_lock"));
  CHECK(contains(O.unlockFunctions, "pthread_mutex_unlock"));
  CHECK(O.root.empty());
}

TEST_CASE("default lists have no duplicates") {
  AnalysisOptions O = AnalysisOptions::defaults();
  CHECK(unique(O.syncTypes));
  CHECK(unique(O.lockGuardTypes));
  CHECK(unique(O.sharedLockGuardTypes));
  CHECK(unique(O.sharedLockFunctions));
  CHECK(unique(O.onceFunctions));
  CHECK(unique(O.lockFunctions));
  CHECK(unique(O.unlockFunctions));
  CHECK(unique(O.handlerBaseClasses));
  CHECK(unique(O.registrationFunctions));
  CHECK(unique(O.singletonAccessors));
  std::vector<std::string> Algorithms;
  Algorithms.reserve(O.mutatingAlgorithms.size());
  for (const MutatingAlgorithm &A : O.mutatingAlgorithms)
    Algorithms.push_back(A.name);
  CHECK(unique(Algorithms));
}

TEST_CASE("a shared (reader) lock is not an exclusive one") {
  // A reader lock orders nothing among writers: a write under one alone must
  // not count as synchronized.
  AnalysisOptions O = AnalysisOptions::defaults();
  CHECK(contains(O.sharedLockGuardTypes, "std::shared_lock"));
  CHECK_FALSE(contains(O.lockGuardTypes, "std::shared_lock"));
  CHECK(contains(O.sharedLockFunctions, "pthread_rwlock_rdlock"));
  CHECK_FALSE(contains(O.lockFunctions, "pthread_rwlock_rdlock"));
  CHECK(contains(O.lockFunctions, "pthread_rwlock_wrlock"));
  for (const std::string &G : O.sharedLockGuardTypes)
    CHECK_MESSAGE(!contains(O.lockGuardTypes, G), G);
  for (const std::string &F : O.sharedLockFunctions)
    CHECK_MESSAGE(!contains(O.lockFunctions, F), F);
}

TEST_CASE("a lock type is never also a lock guard type") {
  AnalysisOptions O = AnalysisOptions::defaults();
  for (const std::string &G : O.lockGuardTypes)
    CHECK_MESSAGE(!contains(O.syncTypes, G), G);
  for (const std::string &G : O.sharedLockGuardTypes)
    CHECK_MESSAGE(!contains(O.syncTypes, G), G);
}

TEST_CASE("std::copy writes through its last argument, std::sort through all") {
  AnalysisOptions O = AnalysisOptions::defaults();
  auto Find = [&](const std::string &Name) -> const MutatingAlgorithm * {
    for (const MutatingAlgorithm &A : O.mutatingAlgorithms)
      if (A.name == Name)
        return &A;
    return nullptr;
  };
  REQUIRE(Find("std::copy"));
  CHECK(Find("std::copy")->argument == -1);
  REQUIRE(Find("std::sort"));
  CHECK(Find("std::sort")->argument == AnyIteratorArgument);
  REQUIRE(Find("std::transform"));
  CHECK(Find("std::transform")->argument < 0);
}

TEST_CASE("defaults know the frameworks' handler bases and registration calls") {
  AnalysisOptions O = AnalysisOptions::defaults();
  for (const char *Base : {"drogon::HttpController", "drogon::HttpSimpleController", "drogon::WebSocketController",
                           "drogon::HttpFilter", "drogon::HttpMiddleware", "drogon::Plugin"})
    CHECK(contains(O.handlerBaseClasses, Base));
  for (const char *Call : {"httplib::Server::Get", "httplib::Server::Post", "crow::TaggedRule::operator()",
                           "crow::DynamicRule::operator()", "drogon::HttpAppFramework::registerHandler",
                           "oatpp::web::server::HttpRouter::addController", "Pistache::Rest::Routes::bind"})
    CHECK(contains(O.registrationFunctions, Call));
}

} // TEST_SUITE
