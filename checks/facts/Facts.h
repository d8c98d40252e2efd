// Facts: what one translation unit says about shared state, as plain data.
//
// Extraction (Extractor.cpp) is the only code that sees Clang types; it turns a
// TU into the structs below, keyed by stable strings (USRs), so that facts from
// many TUs can be merged, cached on disk and classified without an AST. Nothing
// here decides whether a variable is safe: that is Classify.cpp's job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sharedstate {

/// Version of the TU-facts serialization; bump when a field changes meaning.
inline constexpr int FactsVersion = 2;

enum class VarKind { NamespaceGlobal, StaticMember, FunctionLocalStatic };
enum class InitKind { None, Constant, Dynamic };

/// What an access does to the shared object it reaches.
enum class AccessWhat {
  Reassign, ///< =, op=, ++/-- on the variable itself
  Mutate,   ///< elements/fields written, non-const call, non-const ref/ptr argument
  Escape,   ///< a non-const pointer/reference leaves where we can follow it
  Check,    ///< a read that decides whether to initialize (lazy-init)
  Init,     ///< the dynamic initializer of the variable itself
};

/// Synchronization observed at the access.
enum class Sync { None, Lock, Atomic, Once };

enum class Phase { Initialization, Runtime };

struct SourceLocation {
  std::string file; ///< absolute, normalized path
  unsigned line = 0;
  unsigned column = 0;

  bool valid() const { return line != 0; }
  friend bool operator==(const SourceLocation &A, const SourceLocation &B) {
    return A.line == B.line && A.column == B.column && A.file == B.file;
  }
  friend bool operator<(const SourceLocation &A, const SourceLocation &B);
};

struct SharedVariable {
  std::string key;  ///< USR-based identity, equal across TUs for the same entity
  std::string name; ///< qualified name, see docs/json-report.md for the notation
  VarKind kind = VarKind::NamespaceGlobal;
  std::string type;
  SourceLocation location; ///< definition if this TU has it, else first declaration
  bool isDefinition = false;
  bool isConst = false;           ///< the object itself is const (top level or array element)
  bool isReference = false;       ///< a reference variable: writes reach its referent
  bool isSyncPrimitive = false;   ///< type is a synchronization object (mutex, atomic, ...)
  std::string syncType;           ///< which synchronization type matched
  bool isGuarded = false;         ///< annotated guarded_by / pt_guarded_by
  bool hasSyncMembers = false;    ///< a mutex/atomic among its fields: cannot be const
  InitKind init = InitKind::None;
  /// The user class of the object it holds or points to (T, T*, smart
  /// pointers to T): a global or Meyers instance of a handler class.
  std::string classKey;
};

/// Where an access lands: a shared variable, or the object returned by a call
/// to a function (resolved in merge through ReturnAlias facts).
struct AccessTarget {
  std::string varKey;    ///< set when the access names the variable
  std::string calleeKey; ///< set when it goes through a call's result
  bool operator==(const AccessTarget &O) const {
    return varKey == O.varKey && calleeKey == O.calleeKey;
  }
};

struct Access {
  AccessTarget target;
  AccessWhat what = AccessWhat::Mutate;
  SourceLocation location;
  std::string functionKey;  ///< enclosing function (or initializer pseudo-function)
  std::string functionName; ///< its display name (template pattern name, not instantiation)
  Sync sync = Sync::None;
  std::string detail;       ///< short description, e.g. "push_back", "passed to snprintf"
  /// The non-const member function the write calls on the object, if any:
  /// the methods called on a global or Meyers instance are its entry points.
  std::string method;
  /// Member writes only: the data member of `this` that is written.
  std::string field;
};

/// "`functionKey` stands for (part of) `target`": either a function that
/// returns a non-const reference/pointer into it, or (key "param:<fn>#<i>") a
/// forwarding-reference parameter that a call site bound to it. Accesses whose
/// target is that key are resolved to `target` in classification.
struct ReturnAlias {
  std::string functionKey;
  AccessTarget target;
  bool whole = true; ///< the whole object (vs an element or field of it)
};

/// How a condition tests that a shared variable is not set up yet.
enum class CheckKind {
  Emptiness, ///< v.empty(), v.size() == 0
  Nullness,  ///< !p, p == nullptr, !opt.has_value()
  Flag,      ///< !initialized (a bool)
  KeyLookup, ///< m.find(k) == m.end(), !m.count(k), !m.contains(k)
};

/// "Use it if initialized, otherwise initialize it": a condition that tests
/// a shared variable, and the region of code that runs when it is unset. The
/// writes inside the region (or in functions it calls, in any TU) decide in
/// classification whether this is a lazy-initialization race, and which.
struct GuardedCheck {
  std::string varKey; ///< the variable tested, or "callee:<function>" for what a call returns
  CheckKind kind = CheckKind::Nullness;
  SourceLocation location; ///< the variable's mention in the condition
  std::string functionKey;
  std::string functionName;
  Sync sync = Sync::None;                ///< synchronization held at the check
  SourceLocation regionBegin, regionEnd; ///< what runs when it is unset
  std::vector<std::string> callees;      ///< functions called in that region
  bool doubleChecked = false;            ///< checked again inside, under a lock
};

struct Function {
  std::string key;
  std::string name;
  bool isInitializer = false; ///< the dynamic initializer of a static-storage variable
  bool isEntry = false;       ///< called from outside what we see: main, address taken, virtual
  // Member functions (not lambdas): what a framework or registry can call.
  std::string memberOf;        ///< the class of a non-static member function
  bool isPublic = false;       ///< public, not a constructor, destructor or operator=
  bool isCallOperator = false; ///< operator()
  bool isStructor = false;     ///< constructor or destructor
};

/// Why one instance of a class serves every request. Global and Meyers
/// instances are found in classification, from SharedVariable::classKey.
struct HandlerInstance {
  std::string classKey;
  std::string how;    ///< "controller", "registration" or "accessor"
  std::string detail; ///< e.g. "passed by std::ref to 'httplib::Server::Get'"
  SourceLocation location;
  /// The functions the framework calls on it. Empty: by `entryRule`.
  std::vector<std::string> entries;
  /// "call-operators" or "public-methods": entries found among the class's
  /// member functions in every TU.
  std::string entryRule;
};

/// A user class that may serve requests: its name, where it is defined, and
/// the classes it derives from (transitively), whose fields it also has.
struct ClassInfo {
  std::string key;
  std::string name;
  SourceLocation location;
  std::vector<std::string> bases;
};

struct CallEdge {
  std::string caller;
  std::string callee;
  Sync sync = Sync::None; ///< synchronization held at the call site
  friend bool operator==(const CallEdge &A, const CallEdge &B) {
    return A.caller == B.caller && A.callee == B.callee && A.sync == B.sync;
  }
};

struct TUError {
  std::string file;
  std::string message;
};

/// Everything one TU contributes. Serializable; merge() combines many.
struct TUFacts {
  std::string mainFile;
  std::vector<SharedVariable> variables;
  std::vector<Access> accesses;
  std::vector<ReturnAlias> returnAliases;
  std::vector<Function> functions;
  std::vector<CallEdge> edges;
  std::vector<GuardedCheck> guardedChecks;
  /// Variables a non-const reference or pointer is taken to (bound to a
  /// local alias), whether or not anything writes through it: they cannot
  /// simply be declared const.
  std::vector<std::string> borrowed;
  /// Writes to non-static data members of `this` (target.varKey is the
  /// class declaring the field, `field` its name), outside constructors and
  /// destructors.
  std::vector<Access> memberWrites;
  std::vector<HandlerInstance> handlerInstances;
  std::vector<ClassInfo> classes;
};

// Names used in JSON and messages; the inverse parsers return nullopt on junk.
const char *toString(VarKind);
const char *toString(InitKind);
const char *toString(AccessWhat);
const char *toString(Sync);
const char *toString(Phase);
const char *toString(CheckKind);
std::optional<VarKind> parseVarKind(const std::string &);
std::optional<InitKind> parseInitKind(const std::string &);
std::optional<AccessWhat> parseAccessWhat(const std::string &);
std::optional<Sync> parseSync(const std::string &);
std::optional<Phase> parsePhase(const std::string &);
std::optional<CheckKind> parseCheckKind(const std::string &);

void to_json(nlohmann::json &, const SourceLocation &);
void from_json(const nlohmann::json &, SourceLocation &);
void to_json(nlohmann::json &, const TUFacts &);
/// Throws nlohmann::json::exception (or std::invalid_argument) on malformed input.
void from_json(const nlohmann::json &, TUFacts &);

} // namespace sharedstate
