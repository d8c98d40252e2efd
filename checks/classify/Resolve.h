// Resolve: which shared variables an access reaches, and what each access
// means for its variable once the call graph has spoken.
//
// The extractor records some accesses against a call's result
// (`registry().add(x)`) or a forwarding-reference parameter, because only the
// whole program knows what that function returns or which object a call site
// bound. ReturnAlias facts say; resolving follows them, through chains of
// functions returning each other's results, to variables.
#pragma once

#include "classify/CallGraph.h"
#include "classify/Finding.h"
#include "facts/Merge.h"

#include <map>
#include <string>
#include <vector>

namespace sharedstate {

/// A resolved access: which variable, and whether it reached the whole object.
struct Resolved {
  std::string varKey;
  bool whole = true;
};

/// ReturnAlias facts by the call result or parameter they describe.
using AliasIndex = std::multimap<AccessTarget, const ReturnAlias *>;
AliasIndex indexAliases(const ProgramFacts &);

/// The variables T stands for: itself, or what the function it names hands
/// out (transitively). Whole is false once the path goes through an element
/// or field.
std::vector<Resolved> resolve(const AccessTarget &T, const AliasIndex &Aliases);

bool isWrite(AccessWhat W);

/// An access resolved to a variable, with the access it came from.
struct AccessOn {
  const Access *access;
  Evidence evidence;
  /// The mutexes held at the access itself (the access's, and the object's
  /// own mutex a synchronized method holds), before inheritance.
  std::vector<LockRef> locks;
  /// A call of a method that changes the object only under the object's
  /// own mutex (Summaries::selfLocks): the object synchronizes itself.
  bool selfSynced = false;
  /// A read of a variable that holds a pointer, not through a method: it
  /// reads the address, which a self-synchronized call does not change.
  bool readsAddress = false;
};

class ConcurrencyModel;
class Summaries;

/// Every access as evidence on the variables it reaches: phase from the
/// concurrency model, synchronization from the access or inherited from
/// every caller. Through an element or field, "reassign" only mutates the
/// variable. Accesses in dead code (nothing calls it, nothing outside can)
/// are left out. A non-const call of a project method that writes nothing
/// of its object is a read; one of a method that holds the object's own
/// mutex throughout holds that mutex of the variable; an object handed to a
/// project function that only reads through the parameter is read, and one
/// it only stores escapes (Summaries.h).
struct ResolvedAccesses {
  std::map<std::string, std::vector<AccessOn>> byVariable; ///< every access, reads included
  std::map<std::string, std::vector<AccessOn>> writesByVariable;
};
ResolvedAccesses resolveAccesses(const ProgramFacts &, const CallGraphFacts &, const AliasIndex &,
                                 const ConcurrencyModel &, const Summaries &);

} // namespace sharedstate
