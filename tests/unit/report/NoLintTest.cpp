// NOLINT comments must mean in the scanner what they mean in clang-tidy:
// the same directives, the same check lists and globs, the same lines.
#include "report/NoLint.h"

#include "Doctest.h"

using namespace sharedstate;

namespace {
const std::string Global = "sharedstate-mutable-global";
const std::string Member = "sharedstate-mutable-static-member";

/// Line 2, column 5: where each test puts its finding.
bool suppressed(const std::string &Text, const std::string &Check = Global) {
  return isSuppressed(Text, 2, 5, Check);
}
} // namespace

TEST_SUITE("nolint") {

TEST_CASE("glob lists: names, stars, whitespace, negatives ignored") {
  CHECK(matchesGlobList("sharedstate-mutable-global", Global));
  CHECK(matchesGlobList("*", Global));
  CHECK(matchesGlobList("sharedstate-*", Global));
  CHECK(matchesGlobList("*-global", Global));
  CHECK(matchesGlobList("shared*mutable*", Global));
  CHECK(matchesGlobList("misc-foo, sharedstate-mutable-global", Global));
  CHECK(matchesGlobList(" misc-foo ,\n sharedstate-* ", Global));
  CHECK_FALSE(matchesGlobList("sharedstate-mutable", Global));      // a full match
  CHECK_FALSE(matchesGlobList("mutable-global", Global));
  CHECK_FALSE(matchesGlobList("misc-*", Global));
  CHECK_FALSE(matchesGlobList("", Global));
  CHECK_FALSE(matchesGlobList("-sharedstate-mutable-global", Global));
  // A negative glob does not take back a positive one: clang-tidy drops them.
  CHECK(matchesGlobList("sharedstate-*,-sharedstate-mutable-global", Global));
  // No regular expressions: '.' is a dot.
  CHECK_FALSE(matchesGlobList("sharedstate.mutable-global", Global));
}

TEST_CASE("NOLINT on the finding's line") {
  CHECK(suppressed("\nint x = 0; // NOLINT\n"));
  CHECK(suppressed("\nint x = 0; /* NOLINT */ int y;\n"));
  CHECK(suppressed("\nint x = 0; // NOLINT(sharedstate-mutable-global)\n"));
  CHECK(suppressed("\nint x = 0; // NOLINT(sharedstate-*)\n"));
  CHECK(suppressed("\nint x = 0; // NOLINT(*)\n"));
  CHECK(suppressed("\nint x = 0; // NOLINT(misc-foo, sharedstate-mutable-global)\n"));
  CHECK(suppressed("\nint x = 0; // NOLINT( sharedstate-mutable-global )\n"));
  CHECK(suppressed("\nint x = 0; // NOLINT: a reason\n"));
  CHECK(suppressed("\nint x = 0; // NOLINT(bugprone-foo) NOLINT(sharedstate-*)\n"));
  // The last line of a file without a newline.
  CHECK(suppressed("\nint x = 0; // NOLINT"));
  CHECK(suppressed("\r\nint x = 0; // NOLINT\r\n"));
}

TEST_CASE("NOLINT that does not cover the finding") {
  CHECK_FALSE(suppressed("\nint x = 0;\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINT(misc-foo)\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINT(sharedstate-mutable-static-member)\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINT()\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINT(-sharedstate-mutable-global)\n"));
  CHECK(suppressed("\nstatic int y; // NOLINT(sharedstate-mutable-static-member)\n", Member));
  // Other lines, other directives.
  CHECK_FALSE(suppressed("int a; // NOLINT\nint x = 0;\nint b; // NOLINT\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINTNEXTLINE\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINTBEGIN\n"));
  // Only the exact directive names count, in capitals.
  CHECK_FALSE(suppressed("\nint x = 0; // nolint\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINTED\n"));
  CHECK_FALSE(suppressed("\nint x = 0; // NOLINTNEXT\n"));
}

TEST_CASE("NOLINT with an unclosed list covers every check, as in clang-tidy") {
  CHECK(suppressed("\nint x = 0; // NOLINT(misc-foo\n"));
  // The list ends at the line: a ')' on the next line does not close it.
  CHECK(suppressed("\nint x = 0; // NOLINT(misc-foo\n)\n"));
}

TEST_CASE("NOLINTNEXTLINE on the line before") {
  CHECK(suppressed("// NOLINTNEXTLINE\nint x = 0;\n"));
  CHECK(suppressed("// NOLINTNEXTLINE(sharedstate-mutable-global)\nint x = 0;\n"));
  CHECK(suppressed("// NOLINTNEXTLINE(sharedstate-*, misc-*)\nint x = 0;\n"));
  CHECK_FALSE(suppressed("// NOLINTNEXTLINE(misc-foo)\nint x = 0;\n"));
  CHECK_FALSE(suppressed("// NOLINTNEXTLINE()\nint x = 0;\n"));
  // Two lines before is too far; NOLINT on the line before is not NEXTLINE.
  CHECK_FALSE(isSuppressed("// NOLINTNEXTLINE\n\nint x = 0;\n", 3, 5, Global));
  CHECK_FALSE(suppressed("int a; // NOLINT\nint x = 0;\n"));
  // On the first line there is no line before.
  CHECK_FALSE(isSuppressed("int x = 0;\n", 1, 5, Global));
}

TEST_CASE("NOLINTBEGIN and NOLINTEND around the finding") {
  CHECK(suppressed("// NOLINTBEGIN\nint x = 0;\n// NOLINTEND\n"));
  CHECK(isSuppressed("// NOLINTBEGIN\nint a;\n\nint x = 0;\n// NOLINTEND\n", 4, 5, Global));
  CHECK(suppressed("// NOLINTBEGIN(sharedstate-*)\nint x = 0;\n// NOLINTEND(sharedstate-*)\n"));
  CHECK(suppressed("// NOLINTBEGIN(a, sharedstate-*)\nint x = 0;\n// NOLINTEND(a,sharedstate-*)\n"));
  CHECK_FALSE(suppressed("// NOLINTBEGIN(misc-*)\nint x = 0;\n// NOLINTEND(misc-*)\n"));
  // Outside the block.
  CHECK_FALSE(isSuppressed("// NOLINTBEGIN\nint a;\n// NOLINTEND\nint x = 0;\n", 4, 5, Global));
  CHECK_FALSE(isSuppressed("int x = 0;\n// NOLINTBEGIN\nint a;\n// NOLINTEND\n", 1, 5, Global));
  // Unmatched: a BEGIN without END, an END without BEGIN, an END naming
  // other checks than its BEGIN. None of these suppresses.
  CHECK_FALSE(suppressed("// NOLINTBEGIN\nint x = 0;\n"));
  CHECK_FALSE(suppressed("\nint x = 0;\n// NOLINTEND\n"));
  CHECK_FALSE(suppressed("// NOLINTBEGIN(sharedstate-*)\nint x = 0;\n// NOLINTEND\n"));
}

TEST_CASE("NOLINTBEGIN blocks nest") {
  const std::string Text = "// NOLINTBEGIN(sharedstate-*)\n"  // 1
                           "int a;\n"                          // 2
                           "// NOLINTBEGIN(misc-*)\n"          // 3
                           "int b;\n"                          // 4
                           "// NOLINTEND(misc-*)\n"            // 5
                           "int c;\n"                          // 6
                           "// NOLINTEND(sharedstate-*)\n"     // 7
                           "int d;\n";                         // 8
  NoLintIndex Index(Text);
  for (unsigned Line : {2u, 4u, 6u}) {
    CAPTURE(Line);
    CHECK(Index.suppresses(Line, 5, Global));
  }
  CHECK_FALSE(Index.suppresses(8, 5, Global));
  CHECK(Index.suppresses(4, 5, "misc-foo"));
  CHECK_FALSE(Index.suppresses(6, 5, "misc-foo"));
  // An END that closes the wrong block is ignored: the outer block goes on.
  NoLintIndex Crossed("// NOLINTBEGIN(a)\n// NOLINTBEGIN(b)\n// NOLINTEND(a)\nint x;\n// NOLINTEND(b)\n");
  CHECK(Crossed.suppresses(4, 1, "b"));
  CHECK_FALSE(Crossed.suppresses(4, 1, "a"));
}

TEST_CASE("the finding's column decides for a block that opens or closes on its line") {
  const std::string Text = "int x; /* NOLINTBEGIN */ int y; /* NOLINTEND */ int z;\n";
  CHECK_FALSE(isSuppressed(Text, 1, 5, Global));
  CHECK(isSuppressed(Text, 1, 30, Global));
  CHECK_FALSE(isSuppressed(Text, 1, 53, Global));
}

TEST_CASE("lines out of range and empty files suppress nothing") {
  CHECK_FALSE(isSuppressed("", 1, 1, Global));
  CHECK_FALSE(isSuppressed("int x; // NOLINT\n", 0, 1, Global));
  CHECK_FALSE(isSuppressed("int x; // NOLINT\n", 9, 1, Global));
  // A column past the end of the line is clamped to it.
  CHECK(isSuppressed("int x; // NOLINT\n", 1, 400, Global));
}

} // TEST_SUITE
