// Function summaries: what a call of a project function does to the objects
// it is given.
//
// The object of a member call: a non-const call is a write to the object
// only if the method (or a method it calls on `this`, or an override a
// virtual call may reach) writes a field of `this`. `NoDestructor::get()`,
// an `env()` accessor or a stateless virtual write nothing, so calling them
// on a global is a read.
//
// A pointer or non-const reference argument: handing a global to
// `AwaitState(mask, &ctx)` writes it only if AwaitState writes through that
// parameter, itself or through the functions it hands it on to, or through
// an override a virtual call may reach. A function that only stores the
// pointer keeps it (an escape); one that only reads through it reads.
//
// A function whose body was not seen (declared here, defined in a TU we did
// not scan, or in a library) may write anything: the list-based rules of
// the extractor stand.
//
// A method whose whole body holds a mutex field of `this` (a guard
// declared first, never released), or whose every write to a field of
// `this` (its own, and those of the methods it calls on `this`) holds one,
// is synchronized on the object: a call on a global instance holds that
// mutex of that global, so a class that locks its own mutex wherever it
// changes itself is safe to share.
#pragma once

#include "facts/Merge.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sharedstate {

/// What a function does to what a parameter refers to, weakest first.
enum class ParamUse { Reads, Keeps, Writes };

class Summaries {
public:
  explicit Summaries(const ProgramFacts &P);

  /// Whether a call of member function K may write the object it is called on.
  bool writesThis(const std::string &K) const { return !Pure.count(K); }

  /// The mutex fields of `this` that K holds for its whole body, or else
  /// at every write to a field of `this` it makes (itself or through the
  /// methods it calls on `this`).
  std::vector<std::string> selfLocks(const std::string &K) const;

  /// The mutex fields of `this` that K locks somewhere in its body.
  std::vector<LockRef> ownLocks(const std::string &K) const;

  /// What a call of function K does to what it is given as parameter Param.
  ParamUse paramUse(const std::string &K, unsigned Param) const;

private:
  void summarizeMethods();
  void summarizeParameters();

  const ProgramFacts &P;
  void summarizeWriteLocks();

  std::set<std::string> Pure; ///< methods seen whole that write no field of `this`
  /// Writers seen whole: the mutex fields of `this` every write they make to
  /// `this` holds (sorted; absent: none).
  std::map<std::string, std::vector<std::string>> WriteLocks;
  /// Parameters of functions seen whole (or overridden by such) that are
  /// not written: only read through or kept. Others write.
  std::map<std::pair<std::string, unsigned>, ParamUse> Params;
  std::set<std::string> Summarized; ///< functions whose parameters Params decides
};

} // namespace sharedstate
