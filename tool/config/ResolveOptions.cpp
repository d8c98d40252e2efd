// Option precedence (see ResolveOptions.h).
#include "config/ResolveOptions.h"

#include "CheckTable.h"
#include "facts/Lists.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>

namespace sharedstate {

OptionLookup lookupIn(const std::map<std::string, std::string> &CheckOptions) {
  return [&CheckOptions](const std::string &Key) -> std::optional<std::string> {
    auto It = CheckOptions.find(Key);
    if (It == CheckOptions.end())
      return std::nullopt;
    return It->second;
  };
}

std::optional<FoundOption> checkOption(const OptionLookup &Lookup, const std::string &Check,
                                       const std::string &Option) {
  for (const std::string &Key : {Check + "." + Option, std::string(SharedPrefix) + "." + Option})
    if (std::optional<std::string> V = Lookup(Key))
      return FoundOption{Key, *V};
  return std::nullopt;
}

namespace {
std::optional<WarnOn> parseWarnOn(const FoundOption &Found, std::string &Error, std::string *BadKey) {
  std::optional<WarnOn> W = WarnOn::parse(Found.value, Error);
  if (!W && BadKey)
    *BadKey = Found.key;
  return W;
}

/// parseWarnOn with the key in the error, as the scanner reports it.
std::optional<WarnOn> parseWarnOnKeyed(const FoundOption &Found, std::string &Error, std::string *BadKey) {
  std::optional<WarnOn> W = parseWarnOn(Found, Error, BadKey);
  if (!W)
    Error = Found.key + ": " + Error;
  return W;
}

std::optional<WarnOn> defaultWarnOn(const std::string &Check) {
  const CheckInfo *C = findCheck(Check.c_str());
  std::string Ignored;
  return C ? WarnOn::parse(C->defaultWarnOn, Ignored) : WarnOn::defaults();
}
} // namespace

std::optional<WarnOn> resolveWarnOn(const OptionLookup &Lookup, const std::string &Check, std::string &Error,
                                    std::string *BadKey) {
  if (std::optional<FoundOption> Found = checkOption(Lookup, Check, "WarnOn"))
    return parseWarnOn(*Found, Error, BadKey);
  return defaultWarnOn(Check);
}

bool parseLibraryCallers(const std::string &Value, bool &Serial, std::string &Error) {
  if (Value == "concurrent" || Value == "serial") {
    Serial = Value == "serial";
    return true;
  }
  Error = "'" + Value + "' is neither 'concurrent' nor 'serial'";
  return false;
}

CheckSettings resolveCheck(const OptionLookup &Lookup, const std::string &Check) {
  CheckSettings S;
  S.analysis = AnalysisOptions::defaults();
  if (std::optional<std::string> V = Lookup(LibraryCallersKey)) {
    std::string Error;
    if (!parseLibraryCallers(*V, S.analysis.serialLibraryCallers, Error))
      S.problem = std::string(LibraryCallersKey) + ": " + Error;
  }
  for (const ListOption &L : ListOptions) {
    std::optional<FoundOption> Found = checkOption(Lookup, Check, L.option);
    std::string &Value = S.listValues[L.option] = Found ? Found->value : "";
    for (std::string &Item : splitList(Value))
      (S.analysis.*L.list).push_back(std::move(Item));
  }
  return S;
}

namespace {
/// The prefixes of our CheckOptions keys: `sharedstate`, then each check's id.
std::vector<std::string> optionPrefixes() {
  std::vector<std::string> Prefixes = {SharedPrefix};
  for (const CheckInfo &C : CheckTable)
    Prefixes.emplace_back(C.id);
  return Prefixes;
}
} // namespace

ExtensibleLists configuredLists(const OptionLookup &Lookup) {
  ExtensibleLists Out;
  for (const std::string &Prefix : optionPrefixes())
    for (const ListOption &L : ListOptions)
      if (std::optional<std::string> V = Lookup(Prefix + "." + L.option))
        appendUnique(Out.*L.list, *V);
  return Out;
}

bool resolveScan(const OptionLookup &Lookup, const CommandLineOptions &CommandLine, ScanSettings &Out,
                 std::string &Error, std::string *BadKey) {
  Out.analysis = AnalysisOptions::defaults();
  const ExtensibleLists FromFile = configuredLists(Lookup);
  for (const ListOption &L : ListOptions)
    for (const ExtensibleLists *From : {&FromFile, static_cast<const ExtensibleLists *>(&CommandLine)}) {
      std::vector<std::string> &To = Out.analysis.*L.list;
      To.insert(To.end(), (From->*L.list).begin(), (From->*L.list).end());
    }
  // WarnOn: the shared key is every check's fallback; a check's own key
  // overrides it for that check's findings.
  Out.warn = WarnPolicy();
  const std::string SharedKey = std::string(SharedPrefix) + ".WarnOn";
  std::optional<std::string> Shared = Lookup(SharedKey);
  if (Shared) {
    std::optional<WarnOn> W = parseWarnOnKeyed({SharedKey, *Shared}, Error, BadKey);
    if (!W)
      return false;
    Out.warn.fallback = *W;
  }
  for (const CheckInfo &C : CheckTable) {
    const std::string Key = std::string(C.id) + ".WarnOn";
    if (std::optional<std::string> V = Lookup(Key)) {
      std::optional<WarnOn> W = parseWarnOnKeyed({Key, *V}, Error, BadKey);
      if (!W)
        return false;
      Out.warn.perCheck[C.id] = *W;
    } else if (std::optional<WarnOn> Default = defaultWarnOn(C.id);
               !Shared && Default && Default->str() != Out.warn.fallback.str()) {
      Out.warn.perCheck[C.id] = *Default; // a check whose default is not the common one
    }
  }
  if (CommandLine.warnOn)
    Out.warn = WarnPolicy{*CommandLine.warnOn, {}};
  if (std::optional<std::string> V = Lookup(LibraryCallersKey);
      V && !parseLibraryCallers(*V, Out.analysis.serialLibraryCallers, Error)) {
    Error = std::string(LibraryCallersKey) + ": " + Error;
    if (BadKey)
      *BadKey = LibraryCallersKey;
    return false;
  }
  if (CommandLine.serialLibraryCallers)
    Out.analysis.serialLibraryCallers = *CommandLine.serialLibraryCallers;
  return true;
}

std::vector<UnknownKey> unknownKeys(const std::map<std::string, std::string> &CheckOptions) {
  const std::vector<std::string> Prefixes = optionPrefixes();
  std::vector<std::string> Known = {LibraryCallersKey};
  for (const std::string &Prefix : Prefixes) {
    Known.push_back(Prefix + ".WarnOn");
    for (const ListOption &L : ListOptions)
      Known.push_back(Prefix + "." + L.option);
  }
  std::vector<UnknownKey> Out;
  for (const auto &[Key, Value] : CheckOptions) {
    llvm::StringRef K(Key);
    size_t Dot = K.find('.');
    llvm::StringRef Prefix = K.substr(0, Dot);
    if (Dot == llvm::StringRef::npos || std::find(Prefixes.begin(), Prefixes.end(), Prefix) == Prefixes.end() ||
        std::find(Known.begin(), Known.end(), Key) != Known.end())
      continue;
    UnknownKey U{Key, ""};
    unsigned Best = 4; // a few typos away, no further
    for (const std::string &Candidate : Known)
      if (unsigned D = K.edit_distance(Candidate, true, Best); D < Best) {
        Best = D;
        U.closest = Candidate;
      }
    Out.push_back(std::move(U));
  }
  return Out;
}

} // namespace sharedstate
