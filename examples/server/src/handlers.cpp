// Request handlers and the routes they answer.
#include "server/config.h"
#include "server/http.h"
#include "server/router.h"
#include "server/stats.h"
#include "server/users.h"

#include <cstdlib>
#include <map>
#include <string>

namespace server {

// --- user directory ----------------------------------------------------------

std::map<int, User> UserDirectory::cache_;

User UserDirectory::load(int id) {
  // Stands in for a database query.
  User u;
  u.id = id;
  u.name = "user" + std::to_string(id);
  u.email = u.name + "@example.com";
  return u;
}

const User *UserDirectory::find(int id) {
  if (id <= 0)
    return nullptr;
  auto it = cache_.find(id);
  if (it == cache_.end()) {
    if (cache_.size() >= kMaxCached)
      cache_.clear();
    it = cache_.emplace(id, load(id)).first;
  }
  return &it->second;
}

// --- handlers ------------------------------------------------------------------

static const std::string &index_page() {
  static std::string page;
  if (page.empty())
    page = "<html><head><title>tinyhttpd</title></head><body><h1>It works</h1><p>" +
           std::to_string(route_count()) + " routes</p></body></html>\n";
  return page;
}

static Response handle_index(const Request &) {
  Response resp = text(200, index_page());
  resp.content_type = content_type_for("html");
  return resp;
}

static Response handle_health(const Request &) {
  return text(200, config().maintenance ? "maintenance\n" : "ok\n");
}

static Response handle_user(const Request &req) {
  const User *user = UserDirectory::find(std::atoi(req.param("id").c_str()));
  if (!user)
    return text(404, "no such user\n");
  Response resp = text(200, "{\"id\":" + std::to_string(user->id) + ",\"name\":\"" + user->name + "\"}\n");
  resp.content_type = content_type_for("json");
  return resp;
}

static Response handle_stats(const Request &) { return text(200, stats_report()); }

static Response handle_maintenance(const Request &req) {
  if (req.method != "POST")
    return text(400, "POST only\n");
  config().maintenance = req.param("on") == "1";
  return text(204, "");
}

// Added to the route table during static initialization.
const RouteRegistrar routes = {
    {"/", &handle_index},
    {"/health", &handle_health},
    {"/user", &handle_user},
    {"/stats", &handle_stats},
    {"/admin/maintenance", &handle_maintenance},
};

} // namespace server
