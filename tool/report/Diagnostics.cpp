// See Diagnostics.h.
#include "report/Diagnostics.h"

#include "classify/Messages.h"

namespace sharedstate {

Diagnostic diagnose(const Finding &F) {
  Diagnostic D;
  D.location = F.location;
  D.check = F.check;
  D.message = F.message;
  for (const Evidence &E : F.evidence) {
    if (E.what == AccessWhat::Init || E.what == AccessWhat::Check)
      continue;
    D.notes.push_back({E.location, describe(E), false});
  }
  for (const Instance &I : F.instances)
    D.notes.push_back({I.location, "one instance per process: " + I.detail, false});
  if (!F.hint.empty())
    D.notes.push_back({F.location, F.hint, true});
  return D;
}

} // namespace sharedstate
