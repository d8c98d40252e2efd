// Parsing and applying the WarnOn option (see WarnOn.h).
#include "classify/WarnOn.h"

namespace sharedstate {

std::vector<std::string> splitList(const std::string &List) {
  std::vector<std::string> Out;
  std::string Item;
  auto Flush = [&] {
    size_t B = Item.find_first_not_of(" \t\n");
    size_t E = Item.find_last_not_of(" \t\n");
    if (B != std::string::npos)
      Out.push_back(Item.substr(B, E - B + 1));
    Item.clear();
  };
  for (char C : List) {
    if (C == ';' || C == ',')
      Flush();
    else
      Item += C;
  }
  Flush();
  return Out;
}

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

std::string WarnOn::str() const {
  std::string S;
  for (Verdict V : verdicts)
    S += (S.empty() ? "" : ";") + std::string(toString(V));
  for (int C : categories)
    S += (S.empty() ? "" : ";") + std::to_string(C);
  return S;
}

} // namespace sharedstate
