// Small builders for facts, so that each unit test states the program it is
// about in a few lines: which variables exist, who writes them, who calls whom.
//
// The facts are what the extractor would produce for a tiny program; tests then
// run the real merge and classify over them. Keys follow the extractor's USR
// shape ("c:@name") only for readability: nothing below depends on it.
#pragma once

#include "classify/Classify.h"
#include "facts/Facts.h"
#include "facts/Merge.h"

#include "Doctest.h"

#include <string>
#include <vector>

namespace sharedstate::unittest {

inline const char *const MainFile = "/src/server.cpp";

inline SourceLocation at(unsigned Line, unsigned Column = 1, std::string File = MainFile) {
  return SourceLocation{std::move(File), Line, Column};
}

inline std::string keyOf(const std::string &Name) { return "c:@" + Name; }

/// A defined, non-const, constant-initialized variable of the given kind.
inline SharedVariable variable(const std::string &Name, unsigned Line,
                               VarKind Kind = VarKind::NamespaceGlobal) {
  SharedVariable V;
  V.key = keyOf(Name);
  V.name = Name;
  V.kind = Kind;
  V.type = "int";
  V.location = at(Line);
  V.isDefinition = true;
  V.init = InitKind::Constant;
  return V;
}

/// `Function` tests at `Line` that `Var` is unset; the code that runs when it
/// is (the guarded region) spans lines RegionBegin to RegionEnd of the same
/// file. Set sync, doubleChecked and callees on the result as needed.
inline GuardedCheck guardedCheck(const std::string &Var, CheckKind Kind, const std::string &Function,
                                 unsigned Line, unsigned RegionBegin, unsigned RegionEnd) {
  GuardedCheck G;
  G.target = AccessTarget::variable(keyOf(Var));
  G.kind = Kind;
  G.location = at(Line, 7);
  G.functionKey = Function;
  G.functionName = Function;
  G.regionBegin = at(RegionBegin, 1);
  G.regionEnd = at(RegionEnd, 80);
  return G;
}

/// The one mutex of these tests: a global `mu`, held exclusively.
inline LockRef theMutex() {
  LockRef L;
  L.kind = LockRef::Kind::Variable;
  L.key = "c:@mu";
  L.name = "mu";
  return L;
}

inline Function function(const std::string &Key, bool Initializer = false, bool Entry = false) {
  Function F;
  F.key = Key;
  F.name = Key;
  F.isInitializer = Initializer;
  F.isEntry = Entry;
  // Like most C++ functions, it has external linkage: unless something we
  // see calls it, it is the library's API, callable from any thread.
  F.isExternal = !Initializer;
  return F;
}

/// `Function` does `What` to the entity keyed `Key` (a variable, or the class
/// of a member write) at `Where`.
inline Access accessTo(const std::string &Key, AccessWhat What, const std::string &Function,
                       SourceLocation Where, Sync S = Sync::None) {
  Access A;
  A.target = AccessTarget::variable(Key);
  A.what = What;
  A.location = std::move(Where);
  A.functionKey = Function;
  A.functionName = Function;
  A.sync = S;
  if (S == Sync::Lock)
    A.locks.push_back(theMutex());
  return A;
}

/// One translation unit's facts, written fluently.
struct Program {
  TUFacts tu;

  Program() { tu.mainFile = MainFile; }

  Program &var(SharedVariable V) {
    tu.variables.push_back(std::move(V));
    return *this;
  }
  Program &global(const std::string &Name, unsigned Line) { return var(variable(Name, Line)); }

  /// The dynamic initializer of a static-storage variable.
  Program &initializer(const std::string &Key) {
    tu.functions.push_back(function(Key, /*Initializer=*/true));
    return *this;
  }
  /// main, an address-taken or a virtual function: callable from anywhere.
  Program &entry(const std::string &Key) {
    tu.functions.push_back(function(Key, false, /*Entry=*/true));
    return *this;
  }
  Program &fn(const std::string &Key) {
    tu.functions.push_back(function(Key));
    return *this;
  }
  /// A lambda `Key` written in function `Enclosing`.
  Program &lambda(const std::string &Key, const std::string &Enclosing) {
    tu.functions.push_back(function(Key));
    tu.functions.back().enclosing = Enclosing;
    return *this;
  }
  Program &call(const std::string &Caller, const std::string &Callee, Sync S = Sync::None) {
    CallEdge E{Caller, Callee, S, {}, false, {}};
    if (S == Sync::Lock)
      E.locks.push_back(theMutex());
    tu.edges.push_back(std::move(E));
    return *this;
  }

  /// `Function` does `What` to variable `Var` at line `Line`.
  Program &access(const std::string &Var, AccessWhat What, const std::string &Function, unsigned Line,
                  Sync S = Sync::None, const std::string &Detail = "") {
    Access A = accessTo(keyOf(Var), What, Function, at(Line, 3), S);
    A.detail = Detail;
    tu.accesses.push_back(std::move(A));
    return *this;
  }
  Program &mutate(const std::string &Var, const std::string &Fn, unsigned Line, Sync S = Sync::None) {
    return access(Var, AccessWhat::Mutate, Fn, Line, S);
  }
  Program &reassign(const std::string &Var, const std::string &Fn, unsigned Line, Sync S = Sync::None) {
    return access(Var, AccessWhat::Reassign, Fn, Line, S);
  }

  /// A check-then-initialize condition (see guardedCheck).
  Program &guarded(GuardedCheck G) {
    tu.guardedChecks.push_back(std::move(G));
    return *this;
  }

  /// `Function` writes through the result of a call to `Callee`.
  Program &accessResult(const std::string &Callee, AccessWhat What, const std::string &Function,
                        unsigned Line) {
    Access A;
    A.target = AccessTarget::callResult(Callee);
    A.what = What;
    A.location = at(Line, 3);
    A.functionKey = Function;
    A.functionName = Function;
    tu.accesses.push_back(std::move(A));
    return *this;
  }
  /// `Function` returns a reference into variable `Var`.
  Program &returnsVar(const std::string &Function, const std::string &Var, bool Whole = true) {
    ReturnAlias R;
    R.alias = AccessTarget::callResult(Function);
    R.target = AccessTarget::variable(keyOf(Var));
    R.whole = Whole;
    tu.returnAliases.push_back(std::move(R));
    return *this;
  }
  /// `Function` returns a reference into whatever `Callee` returns.
  Program &returnsResultOf(const std::string &Function, const std::string &Callee, bool Whole = true) {
    ReturnAlias R;
    R.alias = AccessTarget::callResult(Function);
    R.target = AccessTarget::callResult(Callee);
    R.whole = Whole;
    tu.returnAliases.push_back(std::move(R));
    return *this;
  }

  // --- handler classes (singleton-handler) ---
  /// A class named `Name` defined at `Line`, deriving from `Bases` (class keys).
  Program &cls(const std::string &Name, unsigned Line, std::vector<std::string> Bases = {}) {
    tu.classes.push_back(ClassInfo{keyOf(Name), Name, at(Line), std::move(Bases)});
    return *this;
  }
  /// A non-static member function `Key` of class `Class`.
  Program &method(const std::string &Key, const std::string &Class, bool Public = true, bool CallOperator = false,
                  bool Structor = false) {
    Function F = function(Key);
    F.memberOf = keyOf(Class);
    F.isPublic = Public && !Structor;
    F.isCallOperator = CallOperator;
    F.isStructor = Structor;
    tu.functions.push_back(std::move(F));
    return *this;
  }
  /// One instance of `Class` serves every request; `Kind` says why, `Rule`
  /// which of its functions the framework calls besides `Entries`.
  Program &instance(const std::string &Class, InstanceKind Kind, EntryRule Rule,
                    std::vector<std::string> Entries = {}, unsigned Line = 90) {
    HandlerInstance H;
    H.classKey = keyOf(Class);
    H.kind = Kind;
    H.subject = Class;
    H.via = "framework";
    H.location = at(Line);
    H.entries = std::move(Entries);
    H.entryRule = Rule;
    tu.handlerInstances.push_back(std::move(H));
    return *this;
  }
  /// `Function` writes field `Field` of a `Class` object through `this`.
  Program &fieldWrite(const std::string &Class, const std::string &Field, const std::string &Function,
                      unsigned Line, AccessWhat What = AccessWhat::Mutate, Sync S = Sync::None) {
    Access A = accessTo(keyOf(Class), What, Function, at(Line, 5), S);
    A.target = AccessTarget::classField(keyOf(Class));
    A.field = Field;
    tu.memberWrites.push_back(std::move(A));
    return *this;
  }

  ProgramFacts facts() const { return merge({tu}); }
  std::vector<Finding> findings() const { return classify(facts()); }
  CallGraphFacts graph() const { return analyzeCallGraph(facts()); }

  /// The one finding for `Name`; fails the test if there is not exactly one.
  Finding finding(const std::string &Name) const {
    std::vector<Finding> All = findings();
    std::vector<Finding> Matching;
    for (const Finding &F : All)
      if (F.symbol == Name)
        Matching.push_back(F);
    REQUIRE_MESSAGE(Matching.size() == 1, "findings for '" << Name << "': " << Matching.size());
    return Matching.front();
  }
};

inline bool hasQualifier(const Finding &F, const std::string &Q) {
  for (const std::string &S : F.qualifiers)
    if (S == Q)
      return true;
  return false;
}

} // namespace sharedstate::unittest

// Readable failure messages: locations as file:line:col. (Enums print through
// sharedstate::toString, found by argument-dependent lookup; the build defines
// DOCTEST_CONFIG_DOUBLE_STRINGIFY so that its const char* becomes a String.)
namespace doctest {
template <> struct StringMaker<sharedstate::SourceLocation> {
  static String convert(const sharedstate::SourceLocation &L) {
    return (L.file + ":" + std::to_string(L.line) + ":" + std::to_string(L.column)).c_str();
  }
};
} // namespace doctest
