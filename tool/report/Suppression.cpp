// See Suppression.h; the comment syntax is NoLint.h's.
#include "report/Suppression.h"

#include "report/NoLint.h"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

namespace sharedstate {

namespace {
std::optional<std::string> readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return std::nullopt;
  std::ostringstream S;
  S << In.rdbuf();
  if (In.bad())
    return std::nullopt;
  return S.str();
}
} // namespace

std::set<std::string> suppressedFindings(const std::vector<Finding> &Findings) {
  std::map<std::string, std::optional<NoLintIndex>> Files;
  std::set<std::string> Ids;
  for (const Finding &F : Findings) {
    if (!F.location.valid())
      continue;
    auto [It, New] = Files.try_emplace(F.location.file);
    if (New)
      if (std::optional<std::string> Text = readFile(F.location.file))
        It->second.emplace(std::move(*Text));
    if (const std::optional<NoLintIndex> &Index = It->second;
        Index && Index->suppresses(F.location.line, F.location.column, F.check))
      Ids.insert(F.id);
  }
  return Ids;
}

} // namespace sharedstate
