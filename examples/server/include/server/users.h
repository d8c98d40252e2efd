// Read access to the user store, with an in-process cache.
#pragma once

#include <cstddef>
#include <map>
#include <string>

namespace server {

struct User {
  int id = 0;
  std::string name;
  std::string email;
};

class UserDirectory {
public:
  // The user with this id, or nullptr. Loads from the store on a miss.
  static const User *find(int id);

  static const std::size_t kMaxCached = 1024;

private:
  static User load(int id);

  static std::map<int, User> cache_;
};

} // namespace server
