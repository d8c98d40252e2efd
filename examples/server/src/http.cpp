// Status lines, content types and response serialization.
#include "server/http.h"

#include <cstdio>
#include <map>
#include <string>
#include <utility>

namespace server {

const std::map<int, std::string> kReasonPhrases = {
    {200, "OK"},        {204, "No Content"},          {400, "Bad Request"},         {403, "Forbidden"},
    {404, "Not Found"}, {500, "Internal Server Error"}, {503, "Service Unavailable"},
};

// Sent in the Server header.
std::string server_name = "tinyhttpd/0.3";

const char *reason_phrase(int status) {
  auto it = kReasonPhrases.find(status);
  return it == kReasonPhrases.end() ? "Unknown" : it->second.c_str();
}

const char *status_line(int status) {
  static char line[64];
  std::snprintf(line, sizeof line, "HTTP/1.1 %d %s", status, reason_phrase(status));
  return line;
}

// Same idea as status_line(), but each thread gets its own buffer.
static const char *content_length_header(std::size_t length) {
  static thread_local char header[48];
  std::snprintf(header, sizeof header, "Content-Length: %zu", length);
  return header;
}

const std::string &content_type_for(const std::string &extension) {
  // Built on first use; the language guarantees a single initialization even
  // when several threads get here at once.
  static const std::map<std::string, std::string> types = {
      {"html", "text/html; charset=utf-8"},
      {"json", "application/json"},
      {"txt", "text/plain; charset=utf-8"},
      {"png", "image/png"},
  };
  static const std::string fallback = "application/octet-stream";
  auto it = types.find(extension);
  return it == types.end() ? fallback : it->second;
}

std::string serialize(const Response &resp) {
  std::string out = status_line(resp.status);
  out += "\r\nServer: " + server_name;
  out += "\r\nContent-Type: " + resp.content_type;
  out += "\r\n";
  out += content_length_header(resp.body.size());
  out += "\r\n\r\n";
  out += resp.body;
  return out;
}

Response text(int status, std::string body) {
  Response resp;
  resp.status = status;
  resp.body = std::move(body);
  return resp;
}

} // namespace server
