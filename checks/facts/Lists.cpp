// See Lists.h.
#include "facts/Lists.h"

#include <algorithm>

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

void appendUnique(std::vector<std::string> &To, const std::string &List) {
  for (std::string &Item : splitList(List))
    if (std::find(To.begin(), To.end(), Item) == To.end())
      To.push_back(std::move(Item));
}

} // namespace sharedstate
