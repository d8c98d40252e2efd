// URL routing. Each file of handlers registers its routes with a
// RouteRegistrar at namespace scope, so the route table is complete before
// main() runs.
#pragma once

#include "server/http.h"

#include <cstddef>
#include <initializer_list>

namespace server {

class RouteRegistrar {
public:
  struct Route {
    const char *path;
    Handler handler;
  };
  RouteRegistrar(std::initializer_list<Route> routes);
};

// Runs the handler for req.path, or answers 403/404/503.
Response dispatch(const Request &req);

std::size_t route_count();

// Requests dispatched since start-up.
extern unsigned long requests_total;

} // namespace server
