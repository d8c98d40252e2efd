// Listed: what the option lists (facts/Options.h) say about a type or a call.
//
// The lists name classes and functions the way users write them: qualified,
// without inline namespaces and without template arguments
// (`std::lock_guard`, `httplib::Server::Get`). This is the one place that
// turns a Clang type or declaration into that spelling and looks it up, so
// every concern agrees on what "listed" means.
#pragma once

#include "facts/Options.h"

#include <clang/AST/PrettyPrinter.h>
#include <clang/AST/Type.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class CXXRecordDecl;
class FunctionDecl;
} // namespace clang

namespace sharedstate::extract {

class Listed {
public:
  Listed(clang::ASTContext &Ctx, const AnalysisOptions &Opts, const clang::PrintingPolicy &Policy);

  /// Whether Name is in List (one of Opts' lists).
  bool has(const std::vector<std::string> &List, const std::string &Name) const;

  /// The qualified name of T's class (template) if it is in List.
  std::optional<std::string> classIn(clang::QualType T, const std::vector<std::string> &List) const;

  /// A synchronization type: listed in SyncTypes (classes, or C typedefs
  /// such as pthread_mutex_t), declared a capability for clang's
  /// thread-safety analysis (`class __attribute__((capability("mutex")))`),
  /// or a project mutex (see isProjectMutex).
  std::optional<std::string> syncType(clang::QualType T) const;

  /// A class of the project that is a mutex by its shape: it has a lock and
  /// an unlock member function (lock/unlock, Lock/Unlock, Acquire/Release,
  /// WriteLock/WriteUnlock) and a synchronization object among its fields,
  /// which those lock (re2's and leveldb's Mutex, googletest's
  /// internal::Mutex). Out-of-line bodies are often in another file, so the
  /// shape decides, not the bodies.
  bool isProjectMutex(const clang::CXXRecordDecl *RD) const;

  /// A lock guard by its shape: a class of the project named like one
  /// (Lock, Guard), not itself a mutex, with a destructor and a constructor
  /// taking a mutex (as above) by reference or pointer (MutexLock,
  /// ReadLock, WriteLock). Shared when its name says so (ReaderMutexLock,
  /// ReadLock, SharedLock).
  bool isProjectGuard(const clang::CXXRecordDecl *RD, bool &Shared) const;

  /// What a member function named Name does to a mutex it is called on:
  /// +1 locks, +2 locks shared, -1 unlocks, 0 nothing.
  static int lockEffect(llvm::StringRef Name);
  /// The same for a conditional lock (try_lock, TryLock): what it does
  /// when it returns true.
  static int tryLockEffect(llvm::StringRef Name);

  /// A class with a synchronization object among its fields (or its
  /// bases'): it cannot be made const, whatever else is written.
  bool hasSyncMember(clang::QualType T) const;

  /// F's qualified name as the lists spell it: no template arguments,
  /// neither the function's nor its class's (crow::TaggedRule::operator()).
  std::string listName(const clang::FunctionDecl *F) const;
  /// A member call's name on the class of the object it is called on, where
  /// listName names the class that declares the member: `std::future::wait`
  /// for libstdc++'s `std::__basic_future::wait`. Empty for other calls.
  std::string listNameOnObject(const clang::CallExpr *Call) const;

  /// The first class of List that RD derives from (transitively).
  std::optional<std::string> baseIn(const clang::CXXRecordDecl *RD, const std::vector<std::string> &List,
                                     int Depth = 0) const;

  /// Whether a call of Callee keeps the callable passed as its parameter
  /// Param to call it later: a listed registration function, or a non-const
  /// member function taking a std::function there (a registry storing it).
  bool keepsCallable(const clang::FunctionDecl *Callee, unsigned Param) const;

  /// RD's qualified name as the lists spell it: a specialization by its
  /// template's name.
  void printListName(const clang::CXXRecordDecl *RD, llvm::raw_ostream &OS) const;

private:
  clang::ASTContext &Ctx;
  const AnalysisOptions &Opts;
  const clang::PrintingPolicy &Policy;
  std::map<const std::vector<std::string> *, std::set<std::string>> Names;
  mutable std::map<const clang::CXXRecordDecl *, bool> MutexShape;
  mutable std::map<const clang::CXXRecordDecl *, int> GuardShape; ///< 0 no, 1 exclusive, 2 shared
};

} // namespace sharedstate::extract
