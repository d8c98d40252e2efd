// AnalysisOptions: the lists that decide what counts as synchronization and
// which library calls write through their arguments. They are data, not code,
// so users can extend them for their own frameworks (--sync-type and friends on
// the scanner; CheckOptions in the clang-tidy plugin).
#pragma once

#include <string>
#include <vector>

namespace sharedstate {

/// A library function that writes through iterator arguments (std::sort(b, e)).
/// Index >= 0 counts from the first argument, < 0 from the last (-1 = last);
/// AnyIteratorArgument means every iterator argument is written through.
struct MutatingAlgorithm {
  std::string name;
  int argument;
};
inline constexpr int AnyIteratorArgument = 1000;

/// The lists users extend: the scanner's configuration and command line and
/// the clang-tidy checks' options each add to them (see ListOptions).
struct ExtensibleLists {
  /// Types meant to be shared: variables of these types are not hazards.
  /// Qualified names without template arguments, matched on the canonical type.
  std::vector<std::string> syncTypes;
  /// RAII types whose live object means "a lock is held in this scope".
  std::vector<std::string> lockGuardTypes;
  /// Calls that run their callable argument exactly once.
  std::vector<std::string> onceFunctions;
  /// Framework base classes whose subclasses the framework instantiates once
  /// and calls for every request (drogon::HttpController).
  std::vector<std::string> handlerBaseClasses;
  /// Calls that keep a handler (a functor, a lambda, an object and member
  /// function) for the life of the process and call it for every request.
  /// Qualified names without template arguments (httplib::Server::Get).
  std::vector<std::string> registrationFunctions;
  /// Calls that return the process's one instance of a class
  /// (drogon::HttpAppFramework::getPlugin).
  std::vector<std::string> singletonAccessors;
  /// Calls that run the callable they are given on a new thread
  /// (std::thread's constructor, pthread_create, std::async).
  std::vector<std::string> threadFunctions;
  /// Calls that post the callable they are given to an executor, which may
  /// run it on another thread (asio::post).
  std::vector<std::string> executorFunctions;
  /// Calls that keep a callback and run it, with all such callbacks, one at
  /// a time on one thread (an event loop's).
  std::vector<std::string> serialCallbackFunctions;
  /// Calls after which a server serves requests: in main, start-up ends at
  /// the first of them (httplib::Server::listen).
  std::vector<std::string> serverLoopFunctions;
  /// Calls that run an event loop on the calling thread (io_context::run):
  /// the callbacks its library runs, and those project code keeps, run
  /// there, one at a time. They end start-up like a server loop.
  std::vector<std::string> eventLoopFunctions;
  /// Namespaces of event-loop libraries: a callable handed to one of their
  /// functions runs on a thread that runs the loop (boost::asio).
  std::vector<std::string> eventLoopNamespaces;
  /// Calls that wait for a thread to end: in main, shutdown starts after the
  /// statement that joins the threads it started (std::thread::join).
  std::vector<std::string> joinFunctions;
  /// Test framework base classes: the methods a test class overrides are
  /// test bodies, run one after another (testing::Test).
  std::vector<std::string> testBaseClasses;
  /// Calls that register a test function (Catch::AutoReg::AutoReg).
  std::vector<std::string> testRegistrationFunctions;
};

/// One extensible list as users spell it.
struct ListOption {
  const char *option; ///< CheckOptions key after the prefix: "SyncTypes"
  const char *flag;   ///< sharedstate-scan's repeatable flag: "--sync-type"
  const char *help;   ///< the flag's help, lines separated by '\n'
  std::vector<std::string> ExtensibleLists::*list;
};

inline constexpr ListOption ListOptions[] = {
    {"SyncTypes", "--sync-type", "another synchronization type, e.g. absl::Mutex (repeatable)",
     &ExtensibleLists::syncTypes},
    {"LockGuardTypes", "--lock-guard-type", "another RAII lock type, e.g. absl::MutexLock (repeatable)",
     &ExtensibleLists::lockGuardTypes},
    {"OnceFunctions", "--once-function", "another call_once-like function (repeatable)",
     &ExtensibleLists::onceFunctions},
    {"HandlerBaseClasses", "--handler-base",
     "another framework base class whose subclasses serve\nevery request from one instance (repeatable)",
     &ExtensibleLists::handlerBaseClasses},
    {"RegistrationFunctions", "--registration-function",
     "another call that keeps a handler for the process's\nlife, e.g. myhttp::Router::add (repeatable)",
     &ExtensibleLists::registrationFunctions},
    {"SingletonAccessors", "--singleton-accessor", "another call returning a one-per-process instance (repeatable)",
     &ExtensibleLists::singletonAccessors},
    {"ThreadFunctions", "--thread-function", "another call that runs its callable on a new thread (repeatable)",
     &ExtensibleLists::threadFunctions},
    {"ExecutorFunctions", "--executor-function",
     "another call that posts its callable to an executor\nor thread pool (repeatable)",
     &ExtensibleLists::executorFunctions},
    {"SerialCallbackFunctions", "--serial-callback-function",
     "another call whose callbacks all run one at a time on\none thread, an event loop's (repeatable)",
     &ExtensibleLists::serialCallbackFunctions},
    {"ServerLoopFunctions", "--server-loop-function",
     "another call after which main serves requests: start-up\nends there (repeatable)",
     &ExtensibleLists::serverLoopFunctions},
    {"EventLoopFunctions", "--event-loop-function",
     "another call that runs an event loop on the calling thread\n(repeatable)", &ExtensibleLists::eventLoopFunctions},
    {"EventLoopNamespaces", "--event-loop-namespace",
     "another namespace whose functions hand callbacks to an event\nloop (repeatable)",
     &ExtensibleLists::eventLoopNamespaces},
    {"JoinFunctions", "--join-function", "another call that waits for a thread to end (repeatable)",
     &ExtensibleLists::joinFunctions},
    {"TestBaseClasses", "--test-base", "another test framework base class (repeatable)",
     &ExtensibleLists::testBaseClasses},
    {"TestRegistrationFunctions", "--test-registration-function",
     "another call that registers a test function (repeatable)", &ExtensibleLists::testRegistrationFunctions},
};

struct AnalysisOptions : ExtensibleLists {
  /// RAII types holding a shared (reader) lock: it orders nothing among
  /// writers, so a write under one alone is not synchronized.
  std::vector<std::string> sharedLockGuardTypes;
  /// Free functions that acquire (exclusively / shared) or release a lock.
  std::vector<std::string> lockFunctions;
  std::vector<std::string> sharedLockFunctions;
  std::vector<std::string> unlockFunctions;
  std::vector<MutatingAlgorithm> mutatingAlgorithms;
  /// Paths and keys under this directory are made relative to it, so that
  /// fingerprints do not depend on where the project is checked out.
  std::string root;
  /// Classification: the library's API (functions nothing scanned calls)
  /// is called from one thread at a time (LibraryCallers: serial), not
  /// from any thread at once (concurrent, the default).
  bool serialLibraryCallers = false;

  static AnalysisOptions defaults();
};

} // namespace sharedstate
