// Request statistics.
#include "server/stats.h"

#include "server/router.h"

#include <map>
#include <mutex>
#include <sstream>
#include <string>

namespace server {

std::vector<std::string> access_log;
std::atomic<unsigned long> bytes_sent{0};

static constexpr std::size_t kMaxTrackedPaths = 512;

static std::mutex hits_mutex;
static std::map<std::string, unsigned long> hits_by_path; // guarded by hits_mutex

// Drops paths seen only once. Caller holds hits_mutex.
static void evict_rare_paths() {
  for (auto it = hits_by_path.begin(); it != hits_by_path.end();) {
    if (it->second < 2)
      it = hits_by_path.erase(it);
    else
      ++it;
  }
}

void record_hit(const std::string &path) {
  std::lock_guard<std::mutex> lock(hits_mutex);
  ++hits_by_path[path];
  if (hits_by_path.size() > kMaxTrackedPaths)
    evict_rare_paths();
}

std::string stats_report() {
  std::ostringstream out;
  out << "requests " << requests_total << "\n";
  out << "bytes_sent " << bytes_sent.load() << "\n";
  out << "log_lines " << access_log.size() << "\n";
  std::lock_guard<std::mutex> lock(hits_mutex);
  for (const auto &[path, hits] : hits_by_path)
    out << "hits " << path << " " << hits << "\n";
  return out.str();
}

} // namespace server
