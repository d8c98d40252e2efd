// See Paths.h.
#include "facts/Paths.h"

#include <filesystem>

namespace sharedstate {

std::string relativeTo(const std::string &Path, const std::string &Root) {
  if (Root.empty() || Path.empty())
    return Path;
  std::filesystem::path Rel = std::filesystem::path(Path).lexically_relative(Root);
  if (Rel.empty() || *Rel.begin() == "..")
    return Path;
  return Rel.generic_string();
}

} // namespace sharedstate
