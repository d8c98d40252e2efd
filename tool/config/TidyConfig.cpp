// Reading .clang-tidy (see TidyConfig.h). The YAML is walked node by node with
// LLVM's YAML parser rather than mapped with YAMLTraits: the file is the
// user's clang-tidy configuration, full of keys we do not know and must not
// reject, and we need exactly two of them.
#include "config/TidyConfig.h"

#include "facts/Lists.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Casting.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/YAMLParser.h>

#include <algorithm>

namespace sharedstate {

namespace {

namespace yaml = llvm::yaml;

/// The first diagnostic of the YAML parser, as one line:
/// "file:line:column: invalid configuration: message".
void keepFirst(const llvm::SMDiagnostic &D, void *Context) {
  auto &First = *static_cast<std::string *>(Context);
  if (!First.empty())
    return;
  std::string Message = D.getMessage().str();
  std::replace(Message.begin(), Message.end(), '\n', ' ');
  First = D.getFilename().str() + ":" + std::to_string(D.getLineNo()) + ":" + std::to_string(D.getColumnNo() + 1) +
          ": invalid configuration: " + Message;
}

/// A scalar's value; an empty node (`key:`) is the empty string.
bool scalar(yaml::Node *N, std::string &Out) {
  if (auto *S = llvm::dyn_cast_or_null<yaml::ScalarNode>(N)) {
    llvm::SmallString<64> Storage;
    Out = S->getValue(Storage).str();
    return true;
  }
  if (auto *B = llvm::dyn_cast_or_null<yaml::BlockScalarNode>(N)) {
    Out = B->getValue().str();
    return true;
  }
  if (llvm::isa_and_nonnull<yaml::NullNode>(N)) {
    Out.clear();
    return true;
  }
  return false;
}

class Reader {
public:
  Reader(yaml::Stream &S, TidyFile &Out) : S(S), Out(Out) {}

  bool document(yaml::Node *Root) {
    if (!Root || llvm::isa<yaml::NullNode>(Root))
      return true; // an empty document: no options
    auto *Map = llvm::dyn_cast<yaml::MappingNode>(Root);
    if (!Map)
      return fail(Root, "expected a mapping of configuration keys (Checks, CheckOptions, ...)");
    for (yaml::KeyValueNode &KV : *Map) {
      std::string Key;
      if (!scalar(KV.getKey(), Key))
        return fail(KV.getKey(), "expected a scalar key");
      yaml::Node *Value = KV.getValue();
      if (!Value)
        return false; // a syntax error, already reported
      if (Key == "CheckOptions" && !checkOptions(Value))
        return false;
      if (Key == "InheritParentConfig") {
        std::string Text;
        std::optional<bool> B = scalar(Value, Text) ? yaml::parseBool(Text) : std::nullopt;
        if (!B)
          return fail(Value, "InheritParentConfig: expected true or false");
        Out.inheritParentConfig = *B;
      }
    }
    return true;
  }

private:
  /// clang-tidy accepts a list of {key, value} and a mapping key -> value.
  bool checkOptions(yaml::Node *Value) {
    if (llvm::isa<yaml::NullNode>(Value))
      return true;
    if (auto *Map = llvm::dyn_cast<yaml::MappingNode>(Value)) {
      for (yaml::KeyValueNode &KV : *Map) {
        std::string Key, Val;
        if (!scalar(KV.getKey(), Key))
          return fail(KV.getKey(), "CheckOptions: expected an option name");
        if (!KV.getValue())
          return false;
        if (!scalar(KV.getValue(), Val))
          return fail(KV.getValue(), "CheckOptions: the value of '" + Key + "' is not a string");
        Out.checkOptions[Key] = Val;
      }
      return true;
    }
    if (auto *Seq = llvm::dyn_cast<yaml::SequenceNode>(Value)) {
      for (yaml::Node &Item : *Seq) {
        auto *Entry = llvm::dyn_cast<yaml::MappingNode>(&Item);
        if (!Entry)
          return fail(&Item, "CheckOptions: expected an entry {key: ..., value: ...}");
        std::optional<std::string> Key, Val;
        for (yaml::KeyValueNode &KV : *Entry) {
          std::string Name, Text;
          if (!scalar(KV.getKey(), Name))
            return fail(KV.getKey(), "CheckOptions: expected 'key' or 'value'");
          if (!KV.getValue())
            return false;
          if (Name != "key" && Name != "value")
            continue;
          if (!scalar(KV.getValue(), Text))
            return fail(KV.getValue(), "CheckOptions: '" + Name + "' is not a string");
          (Name == "key" ? Key : Val) = Text;
        }
        if (!Key)
          return fail(Entry, "CheckOptions: entry without 'key'");
        if (!Val)
          return fail(Entry, "CheckOptions: entry '" + *Key + "' without 'value'");
        Out.checkOptions[*Key] = *Val;
      }
      return true;
    }
    return fail(Value, "CheckOptions: expected a list of {key, value} entries or a mapping");
  }

  bool fail(yaml::Node *N, const llvm::Twine &Message) {
    if (N) // null: the parser failed there and said so
      S.printError(N, Message);
    return false;
  }

  yaml::Stream &S;
  TidyFile &Out;
};

/// Reads and parses one file. Empty: the file has no bytes at all.
bool readFile(const std::string &Path, TidyFile &Out, bool &Empty, std::string &Error) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer) {
    Error = "cannot read configuration file '" + Path + "': " + Buffer.getError().message();
    return false;
  }
  Empty = (*Buffer)->getBuffer().empty();
  return parseTidyFile((*Buffer)->getBuffer().str(), Out, Error, Path);
}

} // namespace

bool parseTidyFile(const std::string &Text, TidyFile &Out, std::string &Error, const std::string &Name) {
  llvm::SourceMgr SM;
  std::string First;
  SM.setDiagHandler(keepFirst, &First);
  yaml::Stream S(llvm::MemoryBufferRef(Text, Name), SM);
  Reader R(S, Out);
  bool Ok = true;
  yaml::document_iterator Doc = S.begin();
  if (Doc != S.end())
    Ok = R.document(Doc->getRoot());
  // Parse whatever is left, so that a syntax error anywhere is one.
  for (; Ok && Doc != S.end(); ++Doc) {
  }
  if (Ok && !S.failed())
    return true;
  Error = First.empty() ? Name + ": invalid configuration: malformed YAML" : First;
  return false;
}

bool loadTidyConfig(const std::string &ConfigFile, const std::string &StartDir, TidyConfig &Out,
                    std::string &Error) {
  // Nearest file first; a key already taken from a nearer file wins.
  auto Merge = [&](const TidyFile &F, const std::string &Path) {
    for (const auto &[Key, Value] : F.checkOptions)
      if (Out.checkOptions.emplace(Key, Value).second)
        Out.origin[Key] = Path;
    Out.files.push_back(Path);
  };
  bool Inherit = true;
  if (!ConfigFile.empty()) {
    TidyFile F;
    bool Empty = false;
    if (!readFile(ConfigFile, F, Empty, Error))
      return false;
    Merge(F, ConfigFile);
    Inherit = F.inheritParentConfig;
  }
  if (Inherit) {
    llvm::SmallString<256> Dir(StartDir.empty() ? "." : StartDir);
    if (std::error_code EC = llvm::sys::fs::make_absolute(Dir)) {
      Error = "cannot look for " + std::string(TidyConfigName) + ": " + EC.message();
      return false;
    }
    llvm::sys::path::remove_dots(Dir, /*remove_dot_dot=*/true);
    for (std::string D(Dir); !D.empty(); D = llvm::sys::path::parent_path(D).str()) {
      llvm::SmallString<256> Path(D);
      llvm::sys::path::append(Path, TidyConfigName);
      if (!llvm::sys::fs::exists(Path) || llvm::sys::fs::is_directory(Path))
        continue;
      TidyFile F;
      bool Empty = false;
      if (!readFile(std::string(Path), F, Empty, Error))
        return false;
      if (Empty) // clang-tidy skips an empty file (say, one still being written)
        continue;
      Merge(F, std::string(Path));
      if (!F.inheritParentConfig)
        break;
    }
  }
  return true;
}

bool loadScanSettings(const std::string &ConfigFile, const std::string &StartDir,
                      const CommandLineOptions &CommandLine, ScanSettings &Out, std::string &Error,
                      std::vector<std::string> &Warnings) {
  TidyConfig Config;
  if (!loadTidyConfig(ConfigFile, StartDir, Config, Error))
    return false;
  std::string BadKey;
  if (!resolveScan(lookupIn(Config.checkOptions), CommandLine, Out, Error, &BadKey)) {
    Error = Config.origin[BadKey] + ": invalid configuration: " + Error;
    return false;
  }
  for (const UnknownKey &U : unknownKeys(Config.checkOptions))
    Warnings.push_back(Config.origin[U.key] + ": unknown option '" + U.key + "'" +
                       (U.closest.empty() ? std::string(", ignored") : "; did you mean '" + U.closest + "'?"));
  return true;
}

} // namespace sharedstate
