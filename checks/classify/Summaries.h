// Method summaries: what a call of a project member function does to the
// object it is called on.
//
// A non-const call is a write to the object only if the method (or a
// method it calls on `this`, or an override a virtual call may reach)
// writes a field of `this`. `NoDestructor::get()`, an `env()` accessor or a
// stateless virtual write nothing, so calling them on a global is a read.
// A method whose body was not seen (declared here, defined in a TU we did
// not scan, or in a library) may write anything: the list-based rules of
// the extractor stand.
//
// A method whose whole body holds a mutex field of `this` (a guard
// declared first, never released) is synchronized on the object: a call on
// a global instance holds that mutex of that global, so a class that locks
// its own mutex in every method is safe to share.
#pragma once

#include "facts/Merge.h"

#include <set>
#include <string>
#include <vector>

namespace sharedstate {

class MethodSummaries {
public:
  explicit MethodSummaries(const ProgramFacts &P);

  /// Whether a call of member function K may write the object it is called on.
  bool writesThis(const std::string &K) const { return !Pure.count(K); }

  /// The mutex fields of `this` that K holds for its whole body.
  std::vector<std::string> selfLocks(const std::string &K) const;

private:
  const ProgramFacts &P;
  std::set<std::string> Pure; ///< methods seen whole that write no field of `this`
};

} // namespace sharedstate
