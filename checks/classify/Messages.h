// Messages: every sentence a user reads about a finding, in one place.
//
// The rules decide (a category, a shape, the fields written); this file says
// it. Every front-end prints these strings unchanged: the scanner's text and
// JSON, clang-tidy's diagnostics, the editor's. Fingerprints never depend on
// them, so rewording is safe.
#pragma once

#include "classify/Finding.h"
#include "facts/Facts.h"

#include <string>
#include <vector>

namespace sharedstate {

/// One line about a piece of evidence, the same in every front-end:
/// "mutate in 'handle' (calls non-const 'push_back'), runtime".
std::string describe(const Evidence &E);

/// What the rule decided about a variable, for its message.
struct VariableVerdict {
  bool reassigned = false; ///< reassigned at run time (else mutated)
  bool escaped = false;    ///< its address escapes at run time
  bool borrowed = false;   ///< non-const access to it is handed out: no "declare it const" hint
  /// Category 2: where the start-up it is written in ends ("main.cpp:52"),
  /// or that it is written only at shutdown; neither: static initialization.
  std::string startupEnds;
  bool shutdownOnly = false;
  /// Category 3 and 4: why it is safe, or the race ("written in 'f' (...)
  /// while read in 'g' (...)"), or where it is confined to.
  enum class Why { Races, Synchronized, Guarded, Confined, Sequential, SingleThreaded, EscapesOnly } why = Why::Synchronized;
  std::string race;
  std::string escapesIn; ///< EscapesOnly: the function its address escapes in
  std::string confinedTo;
};

/// What a variable finding says, given its category and verdict (F's).
/// Sets F.message and, for category 1, F.hint.
void describeVariable(const SharedVariable &V, Finding &F, const VariableVerdict &W);

/// One side of a race: "written in 'serve' (threads started at main.cpp:40)".
std::string raceSide(const Evidence &E, const std::string &Where);

/// The message of a lazy-initialization race of the given shape.
std::string lazyInitMessage(LazyShape Shape, const SharedVariable &V);

/// The detail of the evidence that is the lazy-initialization check itself.
std::string checkDetail(CheckKind Kind);

/// Why one instance of a class serves every request, as the evidence says
/// it: "std::ref(handler) registered with 'httplib::Server::Get'".
std::string instanceDetail(const HandlerInstance &H);
/// The same for a global, static member or Meyers instance V.
std::string variableInstanceDetail(const SharedVariable &V);

/// The message of a singleton-handler finding: the class, why it has one
/// instance (the first instance's detail) and the fields it writes.
std::string singletonHandlerMessage(const std::string &Name, const std::vector<Instance> &Instances,
                                    const std::vector<std::string> &Fields);

} // namespace sharedstate
