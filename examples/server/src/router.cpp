// Route table and request dispatch.
#include "server/router.h"

#include "server/config.h"
#include "server/stats.h"

#include <map>
#include <mutex>
#include <set>
#include <string>

namespace server {

using RouteTable = std::map<std::string, Handler>;

// A function-local static rather than a global: registrars in other files run
// during static initialization, possibly before this file's globals exist.
static RouteTable &route_table() {
  static RouteTable table;
  return table;
}

RouteRegistrar::RouteRegistrar(std::initializer_list<Route> routes) {
  for (const Route &route : routes)
    route_table().emplace(route.path, route.handler);
}

std::size_t route_count() { return route_table().size(); }

unsigned long requests_total = 0;

static std::once_flag blocklist_loaded;
static std::set<std::string> blocklist;

static bool is_blocked(const std::string &client) {
  std::call_once(blocklist_loaded, [] {
    blocklist.insert("10.0.0.66");
    blocklist.insert("192.0.2.1");
  });
  return blocklist.count(client) != 0;
}

Response dispatch(const Request &req) {
  ++requests_total;

  Response resp;
  auto route = route_table().find(req.path);
  if (is_blocked(req.client))
    resp = text(403, "forbidden\n");
  else if (route == route_table().end())
    resp = text(404, "no route for " + req.path + "\n");
  else if (config().maintenance && req.path != "/health" && req.path.rfind("/admin/", 0) != 0)
    resp = text(503, "down for maintenance\n");
  else
    resp = route->second(req);

  record_hit(req.path);
  bytes_sent += resp.body.size();
  access_log.push_back(req.client + " \"" + req.method + " " + req.path + "\" " + std::to_string(resp.status) +
                       " " + std::to_string(resp.body.size()));
  return resp;
}

} // namespace server
