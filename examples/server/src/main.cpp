// tinyhttpd: a small threaded HTTP server. The network layer is replaced by a
// canned workload that every worker thread replays, which is enough to run
// the request path concurrently.
#include "server/config.h"
#include "server/http.h"
#include "server/router.h"
#include "server/stats.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace server {

ServerConfig &config() {
  static ServerConfig instance;
  return instance;
}

} // namespace server

static const std::vector<server::Request> kWorkload = {
    {"GET", "/", {}, ""},
    {"GET", "/user", {{"id", "7"}}, ""},
    {"GET", "/user", {{"id", "42"}}, ""},
    {"GET", "/health", {}, ""},
    {"POST", "/admin/maintenance", {{"on", "1"}}, ""},
    {"GET", "/user", {{"id", "7"}}, ""},
    {"POST", "/admin/maintenance", {{"on", "0"}}, ""},
    {"GET", "/missing", {}, ""},
    {"GET", "/stats", {}, ""},
};

static void worker(int id, int rounds) {
  const std::string client = "10.0.0." + std::to_string(id + 1);
  for (int round = 0; round < rounds; ++round) {
    for (server::Request req : kWorkload) {
      req.client = client;
      std::string wire = server::serialize(server::dispatch(req));
      if (wire.compare(0, 12, "HTTP/1.1 500") == 0)
        std::fprintf(stderr, "worker %d: %s failed\n", id, req.path.c_str());
    }
  }
}

int main(int argc, char **argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 4;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 100;
  std::printf("listening on %s:%d, %zu routes, %d workers\n", server::config().host.c_str(),
              server::config().port, server::route_count(), threads);

  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back(worker, i, rounds);
  for (std::thread &t : pool)
    t.join();

  std::fputs(server::stats_report().c_str(), stdout);
  return 0;
}
