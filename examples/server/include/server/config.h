// Process-wide settings.
#pragma once

#include <cstddef>
#include <string>

namespace server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::size_t max_body = 1 << 20;
  bool maintenance = false; // POST /admin/maintenance?on=1 flips it
};

ServerConfig &config();

} // namespace server
