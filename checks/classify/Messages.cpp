// The sentences (see Messages.h). Each function says one kind of finding;
// the rules pass in what they decided.
#include "classify/Messages.h"

namespace sharedstate {

namespace {
std::string subject(const SharedVariable &V) {
  switch (V.kind) {
  case VarKind::NamespaceGlobal:
    return "global '" + V.name + "'";
  case VarKind::StaticMember:
    return "static member '" + V.name + "'";
  case VarKind::FunctionLocalStatic:
    return "function-local static '" + V.name + "'";
  }
  return "'" + V.name + "'";
}

/// 'a', 'b' and 'c'; past Shown names, the first Shown and how many more
/// there are (a handler with 33 fields made a message of 1,157 characters).
std::string quotedList(const std::vector<std::string> &Names, size_t Shown = 4) {
  std::string S;
  if (Names.size() > Shown + 1) {
    for (size_t I = 0; I < Shown; ++I)
      S += (I == 0 ? "'" : ", '") + Names[I] + "'";
    return S + " and " + std::to_string(Names.size() - Shown) + " more (see the evidence)";
  }
  for (size_t I = 0; I < Names.size(); ++I)
    S += (I == 0 ? "" : I + 1 == Names.size() ? " and " : ", ") + ("'" + Names[I] + "'");
  return S;
}

} // namespace

std::string describe(const Evidence &E) {
  std::string S = std::string(toString(E.what)) + (E.field.empty() ? "" : " '" + E.field + "'") + " in '" +
                  E.function + "'";
  if (!E.detail.empty())
    S += " (" + E.detail + ")";
  S += std::string(", ") + toString(E.phase);
  if (E.sync != Sync::None)
    S += std::string(", synchronized by ") + toString(E.sync);
  return S;
}

void describeVariable(const SharedVariable &V, Finding &F, const VariableVerdict &W) {
  const std::string S = subject(V);
  const std::string Cat = "category " + std::to_string(F.category);
  const char *Did = W.reassigned ? "reassigned" : W.escaped ? "mutated (or its address escapes)" : "mutated";
  switch (F.category) {
  case 1:
    if (V.isSyncPrimitive)
      F.message = S + " is a synchronization object (" + V.syncType +
                  ") and is meant to be shared (" + Cat + ", thread-safe)";
    else
      F.message = S + " is never written after initialization (" + Cat + ", thread-safe)";
    // Not for a variable that hands out non-const access (returned by
    // reference, bound to a non-const alias): const would not compile.
    if (!V.isConst && !V.isSyncPrimitive && !V.isReference && !V.hasSyncMembers && !W.borrowed)
      F.hint = std::string("nothing writes it: declare it ") +
               (V.init == InitKind::Dynamic ? "const" : "constexpr or const") + " to say so";
    return;
  case 2:
    if (!W.startupEnds.empty())
      F.message = S + " is written only during start-up, before the first thread starts at " + W.startupEnds +
                  " (" + Cat + ", probably thread-safe): starting a thread orders the writes before it";
    else if (W.shutdownOnly)
      F.message = S + " is written only while main runs alone, after the threads it started are joined (" + Cat +
                  ", probably thread-safe)";
    else
      F.message = S + " is written only during initialization (" + Cat + ", probably thread-safe)";
    return;
  default:
    break;
  }
  const std::string Head = S + " is " + Did + " at run time";
  switch (W.why) {
  case VariableVerdict::Why::Races:
    F.message = Head + " without synchronization (" + Cat + ", not thread-safe): " + W.race +
                ", a data race, which is undefined behaviour; keep per-request data in the request, guard every "
                "access with one mutex, make it std::atomic or thread_local, or write it only during start-up";
    return;
  case VariableVerdict::Why::Guarded:
    F.message = Head + " under its guarded_by lock (" + Cat + ", probably thread-safe)";
    return;
  case VariableVerdict::Why::Confined:
    F.message = Head + ", only by " + W.confinedTo + ", which has one instance (" + Cat +
                ", probably thread-safe): it is confined to that thread";
    return;
  case VariableVerdict::Why::Sequential:
    F.message = Head + ", but never by two threads at once: each thread that reaches it is joined before the "
                "next one starts (" + Cat + ", probably thread-safe)";
    return;
  case VariableVerdict::Why::SingleThreaded:
    F.message = Head + ", but nothing that writes or reads it runs concurrently: the program starts no thread, "
                "handler or callback that reaches it (" + Cat + ", probably thread-safe)";
    return;
  case VariableVerdict::Why::Synchronized:
    F.message = Head + ", always synchronized (" + Cat + ", probably thread-safe)";
    return;
  case VariableVerdict::Why::EscapesOnly:
    F.message = S + " is never written, but its address escapes in '" + W.escapesIn + "' (" + Cat +
                ", probably thread-safe): writes through what keeps the pointer are reported on that variable; "
                "check that nothing else writes through it";
    return;
  }
}

std::string raceSide(const Evidence &E, const std::string &Where) {
  const char *What = E.what == AccessWhat::Read ? "read" : "written";
  return std::string(What) + " in '" + E.function + "' (" + Where + ")";
}

std::string lazyInitMessage(LazyShape Shape, const SharedVariable &V) {
  std::string Why, Fix;
  switch (Shape) {
  case LazyShape::IncompleteInit:
    Why = "it is filled after a check that it is empty, without synchronization: another request can use it "
          "half-built";
    Fix = "build it whole in a function-local 'static const auto x = build();', or fill it inside std::call_once";
    break;
  case LazyShape::DuplicateInit:
    Why = "it is initialized after a check that it is unset, without synchronization: two requests can both "
          "initialize it, a data race in C++ unless it is atomic";
    Fix = "use a function-local 'static T *const x = make();', std::call_once, or a std::atomic pointer published "
          "with release/acquire";
    break;
  case LazyShape::DoubleChecked:
    Why = "the check outside the lock races with the write inside it, because the variable is not atomic";
    Fix = "make it a std::atomic with acquire/release, or use a function-local static or std::call_once";
    break;
  case LazyShape::Memoize:
    Why = "it is looked up and then inserted into without synchronization: concurrent requests race on the container";
    Fix = "hold one lock across the lookup and the insert, or fill the cache once with std::call_once";
    break;
  case LazyShape::Flag:
    Why = "the flag is tested and then set without synchronization: another request can see it set before the "
          "data it guards is ready, or run the initialization twice";
    Fix = "use std::call_once or a function-local static instead of the flag";
    break;
  }
  return "lazy initialization race on '" + V.name + "' (" + toString(Shape) + "): " + Why + "; " + Fix;
}

std::string checkDetail(CheckKind Kind) { return std::string("tests that it is unset (") + toString(Kind) + ")"; }

namespace {
/// How a registration call holds its argument, as a noun phrase.
std::string heldPhrase(const HandlerInstance &H) {
  const std::string &S = H.subject;
  switch (H.held) {
  case HeldAs::ThisCaptured:
    return "'this' captured by a handler";
  case HeldAs::CapturedByReference:
    return "'" + S + "' captured by reference by a handler";
  case HeldAs::CapturedByCopy:
    return "'" + S + "' captured by copy by a handler";
  case HeldAs::StdRef:
    return "std::ref(" + S + ")";
  case HeldAs::StdCref:
    return "std::cref(" + S + ")";
  case HeldAs::MemberFunction:
    return "member function '" + S + "'";
  case HeldAs::This:
    return "'this'";
  case HeldAs::Pointer:
    return "a pointer (" + S + ")";
  case HeldAs::SmartPointer:
    return "a smart pointer (" + S + ")";
  case HeldAs::Object:
    return S + " (kept by reference or as one copy)";
  }
  return S;
}
} // namespace

std::string instanceDetail(const HandlerInstance &H) {
  switch (H.kind) {
  case InstanceKind::Controller:
    return "derives from " + H.via + ", which the framework instantiates once";
  case InstanceKind::Registration:
    return heldPhrase(H) + " registered with '" + H.via + "'";
  case InstanceKind::Accessor:
    return "returned by '" + H.via + "', which hands out the process's one instance";
  case InstanceKind::Global:
  case InstanceKind::Meyers:
    return "'" + H.subject + "'";
  }
  return H.via;
}

std::string variableInstanceDetail(const SharedVariable &V) {
  const char *What = V.kind == VarKind::FunctionLocalStatic ? "Meyers singleton '"
                     : V.kind == VarKind::StaticMember      ? "static member '"
                                                            : "global instance '";
  return What + V.name + "', whose methods are called at run time";
}

std::string singletonHandlerMessage(const std::string &Name, const std::vector<Instance> &Instances,
                                    const std::vector<std::string> &Fields) {
  return "'" + Name + "' has one instance per process (" + Instances.front().detail + ") and writes " +
         (Fields.size() == 1 ? "its field " : "its fields ") + quotedList(Fields) +
         " while serving requests (category 3, not thread-safe): one request's data stays behind for the next "
         "request, and concurrent requests race on " +
         (Fields.size() == 1 ? "it" : "them") +
         "; construct the handler per request, keep per-request data in locals or in the request or session, or "
         "guard the fields with a mutex";
}

} // namespace sharedstate
