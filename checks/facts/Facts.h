// Facts: what one translation unit says about shared state, as plain data.
//
// Extraction (checks/extract/) is the only code that sees Clang types; it turns
// a TU into the structs below, keyed by stable strings (USRs), so that facts
// from many TUs can be merged, cached on disk and classified without an AST.
// Keys are identities only: nothing parses structure back out of them; what
// a fact is (a call's result, a parameter, a lambda's enclosing function, how
// a handler is kept) is a typed field. Nothing here decides whether a
// variable is safe: that is classification's job (checks/classify/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sharedstate {

/// Version of the TU-facts serialization; bump when a field changes meaning.
inline constexpr int FactsVersion = 9;

enum class VarKind { NamespaceGlobal, StaticMember, FunctionLocalStatic };
enum class InitKind { None, Constant, Dynamic };

/// What an access does to the shared object it reaches.
enum class AccessWhat {
  Reassign, ///< =, op=, ++/-- on the variable itself
  Mutate,   ///< elements/fields written, non-const call, non-const ref/ptr argument
  Escape,   ///< a non-const pointer/reference leaves where we can follow it
  Check,    ///< a read that decides whether to initialize (lazy-init)
  Init,     ///< the dynamic initializer of the variable itself
  Read,     ///< any other use: it races with a concurrent write
};

/// Synchronization observed at the access.
enum class Sync { None, Lock, Atomic, Once };

/// When an access runs: in a static initializer, in main before any thread
/// starts, while the program runs concurrently, or in main after every
/// thread it started was joined.
enum class Phase { Initialization, Runtime, Startup, Shutdown };

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
  /// A pointer (or an array of them, or a std::unique_ptr/shared_ptr): what
  /// reads of it read is the address, not the object it points to.
  bool holdsPointer = false;
  bool isSyncPrimitive = false;   ///< type is a synchronization object (mutex, atomic, ...)
  std::string syncType;           ///< which synchronization type matched
  bool isGuarded = false;         ///< annotated guarded_by / pt_guarded_by
  bool hasSyncMembers = false;    ///< a mutex/atomic among its fields: cannot be const
  InitKind init = InitKind::None;
  /// The user class of the object it holds or points to (T, T*, smart
  /// pointers to T): a global or Meyers instance of a handler class.
  std::string classKey;
};

/// Where an access lands. Only a Variable is an answer; the other kinds
/// are resolved in classification, through ReturnAlias facts, once the
/// whole program is known.
struct AccessTarget {
  enum class Kind {
    Variable,   ///< the shared variable `key`
    CallResult, ///< what a call to function `key` returns (a reference or pointer)
    Parameter,  ///< what call sites bind to forwarding parameter `index` of function `key`
    ClassField, ///< a data member of `this` in class `key` (member writes; Access::field names it)
  };
  Kind kind = Kind::Variable;
  std::string key;
  unsigned index = 0; ///< Parameter only

  static AccessTarget variable(std::string Key) { return {Kind::Variable, std::move(Key), 0}; }
  static AccessTarget callResult(std::string Function) { return {Kind::CallResult, std::move(Function), 0}; }
  static AccessTarget parameter(std::string Function, unsigned Index) {
    return {Kind::Parameter, std::move(Function), Index};
  }
  static AccessTarget classField(std::string Class) { return {Kind::ClassField, std::move(Class), 0}; }
  bool isVariable() const { return kind == Kind::Variable; }

  friend bool operator==(const AccessTarget &A, const AccessTarget &B) {
    return A.kind == B.kind && A.index == B.index && A.key == B.key;
  }
  friend bool operator!=(const AccessTarget &A, const AccessTarget &B) { return !(A == B); }
  friend bool operator<(const AccessTarget &A, const AccessTarget &B);
};

/// A mutex held at an access or a call, by identity: which object it is.
/// Two accesses are ordered by a lock only when they hold the same one.
struct LockRef {
  enum class Kind {
    Variable,    ///< the shared variable `key`: a global or static mutex
    ObjectField, ///< data member `field` of the shared variable `key` (`stats.mu`)
    ThisField,   ///< data member `field` of `this`, in class `key`: the object is assumed to be one
    CallResult,  ///< what function `key` returns a reference to (`registry_mutex()`), resolved later
    Spelled,     ///< none of these (`impl_->mu`, a parameter): `key` is how the code names it,
                 ///< and it matches only the same name
  };
  Kind kind = Kind::Variable;
  std::string key;
  std::string field;
  bool shared = false; ///< held as a reader lock: it excludes writers, not other readers
  std::string name;    ///< how the code names it, for messages (not part of its identity)

  auto tie() const { return std::tie(kind, key, field, shared); }
  friend bool operator==(const LockRef &A, const LockRef &B) { return A.tie() == B.tie(); }
  friend bool operator<(const LockRef &A, const LockRef &B) { return A.tie() < B.tie(); }
  /// The same mutex, whichever way it is held.
  bool sameMutex(const LockRef &O) const { return kind == O.kind && key == O.key && field == O.field; }
};

/// Release/acquire hand-offs around an access or a call, by the atomic
/// flag's identity (as for a mutex). An access with a release store of F
/// after it is ordered before every access that an acquire load of F that
/// saw it set precedes (extract/HandOff.h has the patterns).
struct HandOffs {
  std::vector<LockRef> releasedAfter;  ///< sorted: a release store of each follows it
  std::vector<LockRef> acquiredBefore; ///< sorted: an acquire load saw each set before it
  bool empty() const { return releasedAfter.empty() && acquiredBefore.empty(); }
  auto tie() const { return std::tie(releasedAfter, acquiredBefore); }
  friend bool operator==(const HandOffs &A, const HandOffs &B) { return A.tie() == B.tie(); }
  friend bool operator<(const HandOffs &A, const HandOffs &B) { return A.tie() < B.tie(); }
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
  /// The mutexes held (sorted): `sync` is Lock when one of them is exclusive.
  std::vector<LockRef> locks;
  HandOffs handOffs;
  /// The write hands the object to parameter `passedIndex` of the project
  /// function `passedTo` (by non-const reference or pointer): it writes only
  /// if that function writes through the parameter (Function::paramEffects).
  std::string passedTo;
  unsigned passedIndex = 0;
};

/// "`alias` stands for (part of) `target`": a function's result (CallResult)
/// that is a non-const reference or pointer into it, or a forwarding
/// parameter (Parameter) that a call site bound to it. Accesses whose target
/// is `alias` are resolved to `target` in classification.
struct ReturnAlias {
  AccessTarget alias;
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
  AccessTarget target; ///< the variable tested, or a call's result (`registry().items.empty()`)
  CheckKind kind = CheckKind::Nullness;
  SourceLocation location; ///< the variable's mention in the condition
  std::string functionKey;
  std::string functionName;
  Sync sync = Sync::None;                ///< synchronization held at the check
  SourceLocation regionBegin, regionEnd; ///< what runs when it is unset
  std::vector<std::string> callees;      ///< functions called in that region
  bool doubleChecked = false;            ///< checked again inside, under a lock
};

/// What a function does to the object a pointer or non-const reference
/// parameter refers to, in its own body: writes it, or keeps the pointer
/// (stores it, returns it) where others may write through it.
struct ParamEffect {
  unsigned param = 0;
  bool writes = true; ///< false: only keeps it
  auto tie() const { return std::tie(param, writes); }
  friend bool operator<(const ParamEffect &A, const ParamEffect &B) { return A.tie() < B.tie(); }
  friend bool operator==(const ParamEffect &A, const ParamEffect &B) { return A.tie() == B.tie(); }
};

/// A parameter handed on to a parameter of another project function: what
/// that one does to it, this one does.
struct ParamPass {
  unsigned param = 0;
  std::string callee;
  unsigned calleeParam = 0;
  auto tie() const { return std::tie(param, callee, calleeParam); }
  friend bool operator<(const ParamPass &A, const ParamPass &B) { return A.tie() < B.tie(); }
  friend bool operator==(const ParamPass &A, const ParamPass &B) { return A.tie() == B.tie(); }
};

struct Function {
  std::string key;
  std::string name;
  bool isInitializer = false; ///< the dynamic initializer of a static-storage variable
  /// Its address is kept where the analysis cannot follow it (a table, a
  /// variable, a return value): it may be called from anywhere.
  bool isEntry = false;
  bool isMain = false;        ///< a program's main (its key is the TU's own)
  bool isExternal = false;    ///< external linkage: code outside the scan may call it
  bool isVirtual = false;
  bool hasBody = false; ///< its definition was seen: what it does is known
  bool runsEventLoop = false; ///< calls an event loop's run (EventLoopFunctions) itself
  /// The virtual functions it overrides: a call of one may run this one.
  std::vector<std::string> overrides;
  /// The mutexes held for the whole body (a guard declared first and never
  /// released): every access in it, and every call of it, is under them.
  std::vector<LockRef> bodyLocks;
  /// Member functions: the mutex fields of `this` it locks somewhere in its
  /// body (sorted; ThisField, shared when only a reader lock is taken).
  std::vector<LockRef> ownLocks;
  /// Its type, canonical ("int (const char *)"): a call through a pointer
  /// of this type may call it when its address escapes.
  std::string signature;
  // Member functions (not lambdas): what a framework or registry can call.
  std::string memberOf;        ///< the class of a non-static member function
  bool isPublic = false;       ///< public, not a constructor, destructor or operator=
  bool isCallOperator = false; ///< operator()
  bool isStructor = false;     ///< constructor or destructor
  /// Lambdas: the key of the function the lambda is written in, if any.
  std::string enclosing;
  /// Its pointer and non-const reference parameters: what its body does to
  /// what they refer to (sorted, unique). A parameter in neither list is
  /// only read through.
  std::vector<ParamEffect> paramEffects;
  std::vector<ParamPass> paramPasses;
};

/// Where code starts to run concurrently with the code that starts it.
enum class RootKind {
  Thread,   ///< a new thread runs the entries (std::thread, pthread_create, std::async, ...)
  Executor, ///< the entries are posted to an executor (asio::post, ...)
  Callback, ///< the entries are handed to code the scan cannot see, or kept by a registration
  Test,     ///< a test body of a known framework: test bodies run one after another
};

/// One place where concurrency starts. Request handlers are roots too; they
/// are found in classification, from the handler instances.
struct Root {
  RootKind kind = RootKind::Thread;
  std::string via;                  ///< the call or base that makes it: "std::thread", "pthread_create", ...
  std::vector<std::string> entries; ///< the functions that run there
  std::string entryClass;           ///< a functor's class: its call operators run there
  std::string starter;              ///< the function that starts it
  SourceLocation location;
  bool inLoop = false; ///< started in a loop: many instances
  bool serial = false; ///< the API runs such callbacks one at a time, on one thread
  /// Callback only: it runs on a thread the program already has, one call at
  /// a time, interrupting it: a signal handler (signal, sigaction) or an
  /// atexit handler. Where the program starts no thread, on main's.
  bool borrowsThread = false;
  /// Callback only: kept by a project function (a std::function member),
  /// or handed to an event-loop library: where the program's event loop
  /// runs, it runs.
  bool onLoop = false;
  /// Callback only: the function given the callable. When the program
  /// defines it (not a library), the callable runs inside that call: no root.
  std::string handedTo;
  /// Callback only: kept in a std::function of this call signature
  /// ("void (int)") by the program's own code. Where the program calls
  /// std::functions of that type, it runs there: no root of its own.
  std::string keptAs;
  /// Thread only: the object that owns the thread (a std::thread or future
  /// variable, a pthread_t, a container or array of them), as an identity
  /// MainStep::joined uses; "" when it is not kept. A join of it in main
  /// ends the thread's lifetime there.
  std::string handle;
};

/// One top-level statement of a program's main, in order. Start-up is the
/// statements before the first that can start a thread or enter a server.
struct MainStep {
  SourceLocation begin, end;
  std::vector<std::string> callees; ///< the functions it calls, anywhere inside
  bool serverLoop = false;          ///< it calls a listed server loop (httplib::Server::listen, ...)
  bool eventLoop = false;           ///< it runs a listed event loop on main's thread (io_context::run)
  bool joins = false;               ///< it calls a listed join (std::thread::join, pthread_join, ...)
  /// The thread handles (Root::handle) it joins: `t.join()`, `pthread_join(t[i], 0)`, a loop over a
  /// container joining each element, a std::jthread that goes out of scope inside it.
  std::vector<std::string> joined;
  /// Objects (variable keys, or the function whose result it is) given a
  /// callback to keep, and objects a member function is called on: a call on
  /// an object that was given a callback may start running it.
  std::vector<std::string> registers, uses;
};

/// A program: the TU that defines main, and main's statements.
struct ProgramMain {
  std::string function; ///< main's key
  std::string file;
  std::vector<MainStep> steps;
  /// The classes of main's local objects (by value or owned through a
  /// pointer): they live as long as the program serves.
  std::vector<std::string> locals;
};

/// Why one instance of a class serves every request.
enum class InstanceKind {
  Controller,   ///< derives from a listed framework base (`via`)
  Registration, ///< handed to a registration call (`via`), kept as `held`
  Accessor,     ///< returned by a listed accessor (`via`)
  Global,       ///< a global or static member instance (found in classification)
  Meyers,       ///< a function-local static instance (found in classification)
};

/// How a registration call keeps the object it is given.
enum class HeldAs {
  ThisCaptured,        ///< `this` captured by a registered lambda
  CapturedByReference, ///< `subject` captured by reference (or a reference) by a lambda
  CapturedByCopy,      ///< `subject` captured by copy by a mutable lambda, or a pointer to it
  StdRef,              ///< std::ref(subject)
  StdCref,             ///< std::cref(subject)
  MemberFunction,      ///< member function `subject`, bound with its object
  This,                ///< `this` itself
  Pointer,             ///< a pointer (`subject`)
  SmartPointer,        ///< a smart pointer (`subject`)
  Object,              ///< `subject`, kept by reference or as one copy
};

/// Which member functions of the class the framework calls.
enum class EntryRule {
  Entries,       ///< exactly the functions listed in `entries`
  PublicMethods, ///< every public member function (and `entries`)
  CallOperators, ///< every operator() (and `entries`)
};

/// One reason one instance of a user class serves every request. Global and
/// Meyers instances are found in classification, from SharedVariable::classKey.
struct HandlerInstance {
  std::string classKey;
  InstanceKind kind = InstanceKind::Registration;
  HeldAs held = HeldAs::Object; ///< registrations only
  std::string subject;          ///< the name `held` refers to, if any
  std::string via;              ///< the listed base, registration function or accessor
  SourceLocation location;
  /// The functions the framework calls on it, besides what entryRule adds.
  std::vector<std::string> entries;
  EntryRule entryRule = EntryRule::Entries;
  /// Kept by a member function that takes a std::function, not by a listed
  /// registration: a callback of some object, which serves every request
  /// only if that object lives as long as the process.
  bool generic = false;
  bool inMain = false; ///< registered by main's own code: the registry lives as long as main
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
  Sync sync = Sync::None;      ///< synchronization held at the call site
  std::vector<LockRef> locks;  ///< the mutexes held there (sorted)
  bool onThis = false;         ///< a member call on `this`: the callee's ThisField locks are the caller's
  HandOffs handOffs;           ///< the flags released after the call and acquired before it
  auto tie() const { return std::tie(caller, callee, sync, locks, onThis, handOffs); }
  friend bool operator==(const CallEdge &A, const CallEdge &B) { return A.tie() == B.tie(); }
  friend bool operator<(const CallEdge &A, const CallEdge &B) { return A.tie() < B.tie(); }
};

/// A call through a function pointer, or a pointer to member function, of
/// the given type: it may call any function of that type whose address escapes.
/// A call through a pointer to function of a signature ("int (const char *)"),
/// or of a std::function (stdFunctionCall: "std::function<void (int)>").
struct IndirectCall {
  std::string caller;
  std::string signature;
  auto tie() const { return std::tie(caller, signature); }
};

/// The IndirectCall signature of calling a std::function of call signature Sig.
inline std::string stdFunctionCall(const std::string &Sig) { return "std::function<" + Sig + ">"; }

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
  /// Writes to non-static data members of `this` (target: the ClassField
  /// of the class declaring the field, `field` its name), outside
  /// constructors and destructors.
  std::vector<Access> memberWrites;
  std::vector<HandlerInstance> handlerInstances;
  std::vector<ClassInfo> classes;
  std::vector<Root> roots;
  std::vector<ProgramMain> programs;
  /// Functions other than main that start a thread, with their statements
  /// (`steps`, as for main): a thread such a function joins before it
  /// returns runs only while that function does.
  std::vector<ProgramMain> starters;
  std::vector<IndirectCall> indirectCalls;
};

// Names used in JSON and messages; the inverse parsers return nullopt on junk.
const char *toString(VarKind);
const char *toString(InitKind);
const char *toString(AccessWhat);
const char *toString(Sync);
const char *toString(Phase);
const char *toString(CheckKind);
const char *toString(AccessTarget::Kind);
const char *toString(InstanceKind);
const char *toString(HeldAs);
const char *toString(EntryRule);
const char *toString(LockRef::Kind);
const char *toString(RootKind);
std::optional<VarKind> parseVarKind(const std::string &);
std::optional<InitKind> parseInitKind(const std::string &);
std::optional<AccessWhat> parseAccessWhat(const std::string &);
std::optional<Sync> parseSync(const std::string &);
std::optional<Phase> parsePhase(const std::string &);
std::optional<CheckKind> parseCheckKind(const std::string &);
std::optional<AccessTarget::Kind> parseTargetKind(const std::string &);
std::optional<InstanceKind> parseInstanceKind(const std::string &);
std::optional<HeldAs> parseHeldAs(const std::string &);
std::optional<EntryRule> parseEntryRule(const std::string &);
std::optional<LockRef::Kind> parseLockKind(const std::string &);
std::optional<RootKind> parseRootKind(const std::string &);

void to_json(nlohmann::json &, const SourceLocation &);
void from_json(const nlohmann::json &, SourceLocation &);
void to_json(nlohmann::json &, const ProgramMain &);
void from_json(const nlohmann::json &, ProgramMain &);
void to_json(nlohmann::json &, const TUFacts &);
/// Throws nlohmann::json::exception (or std::invalid_argument) on malformed input.
void from_json(const nlohmann::json &, TUFacts &);

} // namespace sharedstate
