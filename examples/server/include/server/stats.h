// Counters and logs behind the /stats endpoint.
#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace server {

// One line per request, in arrival order.
extern std::vector<std::string> access_log;

// Body bytes sent since start-up.
extern std::atomic<unsigned long> bytes_sent;

void record_hit(const std::string &path);

std::string stats_report();

} // namespace server
