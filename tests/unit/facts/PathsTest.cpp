// Paths: report-relative paths, and which file names say test support.
#include "facts/Paths.h"

#include <doctest/doctest.h>

using namespace sharedstate;

TEST_SUITE("paths") {

TEST_CASE("a file named as test support, by the words of its name") {
  CHECK(isTestSupportPath("/src/rocksdb/test_util/testutil.cc"));
  CHECK(isTestSupportPath("/src/absl/base/internal/atomic_hook_test_helper.cc"));
  CHECK(isTestSupportPath("/src/absl/container/internal/hash_generator_testing.cc"));
  CHECK(isTestSupportPath("/src/googletest/src/gtest-all.cc"));
  CHECK(isTestSupportPath("server_test.cpp"));
}

TEST_CASE("words inside other words, and the directories above, do not count") {
  CHECK_FALSE(isTestSupportPath("/src/app/latest.cpp"));
  CHECK_FALSE(isTestSupportPath("/src/app/contest_entry.cpp"));
  CHECK_FALSE(isTestSupportPath("/home/me/tests/server/main.cpp"));
  CHECK_FALSE(isTestSupportPath("/work/test/project/src/handlers.cpp"));
  CHECK_FALSE(isTestSupportPath(""));
}

TEST_CASE("relative to the root only inside it") {
  CHECK(relativeTo("/p/src/a.cpp", "/p") == "src/a.cpp");
  CHECK(relativeTo("/q/a.cpp", "/p") == "/q/a.cpp");
  CHECK(relativeTo("/p/a.cpp", "") == "/p/a.cpp");
}

} // TEST_SUITE
