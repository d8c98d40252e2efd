// Requests, responses and the helpers every handler uses.
#pragma once

#include <cstddef>
#include <map>
#include <string>

namespace server {

struct Request {
  std::string method = "GET";
  std::string path;
  std::map<std::string, std::string> query;
  std::string client; // peer address

  std::string param(const std::string &name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

using Handler = Response (*)(const Request &);

const char *reason_phrase(int status);

// "HTTP/1.1 404 Not Found". Returns a pointer to a static buffer that the
// next call overwrites.
const char *status_line(int status);

// Content type for a file extension ("html", "json", ...).
const std::string &content_type_for(const std::string &extension);

// The bytes that go on the wire.
std::string serialize(const Response &resp);

Response text(int status, std::string body);

} // namespace server
