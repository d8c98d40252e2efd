// Parsing and applying the WarnOn option, and the per-check policy (see WarnOn.h).
#include "classify/WarnOn.h"

#include "facts/Lists.h"

namespace sharedstate {

WarnOn WarnOn::defaults() {
  WarnOn W;
  W.verdicts.insert(Verdict::NotThreadSafe);
  return W;
}

std::optional<WarnOn> WarnOn::parse(const std::string &Spec, std::string &Error) {
  WarnOn W;
  for (const std::string &Item : splitList(Spec)) {
    if (Item == "all") {
      W.categories = {1, 2, 3, 4};
    } else if (auto V = parseVerdict(Item)) {
      W.verdicts.insert(*V);
    } else if (Item.size() == 1 && Item[0] >= '1' && Item[0] <= '4') {
      W.categories.insert(Item[0] - '0');
    } else {
      Error = "unknown WarnOn item '" + Item +
              "' (expected thread-safe, probably-thread-safe, not-thread-safe, 1-4 or all)";
      return std::nullopt;
    }
  }
  if (W.verdicts.empty() && W.categories.empty()) {
    Error = "WarnOn lists nothing to warn on";
    return std::nullopt;
  }
  return W;
}

bool WarnOn::warns(const Finding &F) const {
  return verdicts.count(F.verdict) || categories.count(F.category);
}

bool WarnPolicy::warns(const Finding &F) const {
  auto It = perCheck.find(F.check);
  return (It != perCheck.end() ? It->second : fallback).warns(F);
}

std::string WarnOn::str() const {
  std::string S;
  for (Verdict V : verdicts)
    S += (S.empty() ? "" : ";") + std::string(toString(V));
  for (int C : categories)
    S += (S.empty() ? "" : ";") + std::to_string(C);
  return S;
}

} // namespace sharedstate
