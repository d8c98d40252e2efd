// See Paths.h.
#include "facts/Paths.h"

#include <array>
#include <filesystem>
#include <string_view>

namespace sharedstate {

std::string relativeTo(const std::string &Path, const std::string &Root) {
  if (Root.empty() || Path.empty())
    return Path;
  std::filesystem::path Rel = std::filesystem::path(Path).lexically_relative(Root);
  if (Rel.empty() || *Rel.begin() == "..")
    return Path;
  return Rel.generic_string();
}

bool isTestSupportPath(const std::string &Path) {
  static constexpr std::array<std::string_view, 8> Words = {"test",     "tests",     "testing", "testutil",
                                                            "testutils", "testlib", "gtest",   "gmock"};
  const size_t Slash = Path.find_last_of('/');
  size_t Begin = Slash == std::string::npos ? 0 : Slash + 1;
  for (size_t I = Begin; I <= Path.size(); ++I) {
    if (I < Path.size() && Path[I] != '_' && Path[I] != '-' && Path[I] != '.')
      continue;
    std::string_view Word(Path.data() + Begin, I - Begin);
    for (std::string_view W : Words)
      if (Word == W)
        return true;
    Begin = I + 1;
  }
  return false;
}

} // namespace sharedstate
