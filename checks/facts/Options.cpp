// The default lists. Names are qualified without inline namespaces (libc++'s
// std::__1 prints as std) and without template arguments.
#include "facts/Options.h"

namespace sharedstate {

AnalysisOptions AnalysisOptions::defaults() {
  AnalysisOptions O;
  O.syncTypes = {"std::mutex",
                 "std::recursive_mutex",
                 "std::timed_mutex",
                 "std::recursive_timed_mutex",
                 "std::shared_mutex",
                 "std::shared_timed_mutex",
                 "std::condition_variable",
                 "std::condition_variable_any",
                 "std::once_flag",
                 "std::atomic",
                 "std::atomic_flag",
                 "std::atomic_ref",
                 "std::latch",
                 "std::barrier",
                 "std::counting_semaphore",
                 "std::binary_semaphore",
                 // Abseil's own once flag (its Mutex is an annotated capability),
                 // and its flags, which absl::GetFlag/SetFlag read and write
                 // under the flag's own lock.
                 "absl::once_flag",
                 "absl::Flag",
                 "absl::flags_internal::Flag", // what the absl::Flag alias template names
                 // POSIX, matched by typedef name.
                 "pthread_mutex_t",
                 "pthread_rwlock_t",
                 "pthread_spinlock_t",
                 "pthread_cond_t",
                 "pthread_once_t",
                 "pthread_barrier_t",
                 "sem_t"};
  O.lockGuardTypes = {"std::lock_guard", "std::unique_lock", "std::scoped_lock"};
  O.sharedLockGuardTypes = {"std::shared_lock"};
  O.onceFunctions = {"std::call_once", "absl::call_once", "absl::base_internal::LowLevelCallOnce", "pthread_once",
                     "boost::call_once"};
  O.lockFunctions = {"pthread_mutex_lock", "pthread_rwlock_wrlock", "pthread_spin_lock"};
  O.sharedLockFunctions = {"pthread_rwlock_rdlock"};
  O.unlockFunctions = {"pthread_mutex_unlock", "pthread_rwlock_unlock", "pthread_spin_unlock"};
  O.handlerBaseClasses = {"drogon::HttpController",     "drogon::HttpSimpleController",
                          "drogon::WebSocketController", "drogon::HttpFilter",
                          "drogon::HttpMiddleware",      "drogon::HttpCoroMiddleware",
                          "drogon::Plugin"};
  O.registrationFunctions = {
      // cpp-httplib
      "httplib::Server::Get", "httplib::Server::Post", "httplib::Server::Put", "httplib::Server::Patch",
      "httplib::Server::Delete", "httplib::Server::Options", "httplib::Server::set_error_handler",
      "httplib::Server::set_exception_handler", "httplib::Server::set_pre_routing_handler",
      "httplib::Server::set_post_routing_handler", "httplib::Server::set_logger",
      // Crow: CROW_ROUTE(app, url)(handler) and app.route_dynamic(url)(handler)
      "crow::TaggedRule::operator()", "crow::DynamicRule::operator()", "crow::WebSocketRule::onmessage",
      "crow::WebSocketRule::onopen", "crow::WebSocketRule::onclose",
      // Drogon
      "drogon::HttpAppFramework::registerHandler", "drogon::HttpAppFramework::registerHandlerViaRegex",
      "drogon::HttpAppFramework::registerController", "drogon::HttpAppFramework::registerFilter",
      "drogon::HttpAppFramework::registerPreRoutingAdvice", "drogon::HttpAppFramework::registerPostHandlingAdvice",
      // oatpp
      "oatpp::web::server::HttpRouter::addController",
      // Pistache: Routes::Get(router, url, Routes::bind(&X::f, obj))
      "Pistache::Rest::Routes::bind"};
  O.singletonAccessors = {"drogon::HttpAppFramework::getPlugin", "drogon::HttpAppFramework::getSharedPlugin"};
  // Where threads start. Constructors are spelled Class::Class.
  O.threadFunctions = {"std::thread::thread", "std::jthread::jthread", "boost::thread::thread", "pthread_create",
                       "thrd_create", "std::async"};
  O.executorFunctions = {"asio::post", "asio::dispatch", "asio::defer", "asio::co_spawn",
                         "boost::asio::post", "boost::asio::dispatch", "boost::asio::defer", "boost::asio::co_spawn",
                         "boost::asio::io_context::post", "boost::asio::io_context::dispatch",
                         "boost::asio::io_service::post", "boost::asio::io_service::dispatch",
                         "asio::io_context::post", "asio::io_context::dispatch", "pplx::create_task"};
  // libuv and GLib run every callback on their loop's thread.
  O.serialCallbackFunctions = {"uv_timer_start", "uv_read_start", "uv_listen", "uv_idle_start", "uv_poll_start",
                               "g_idle_add", "g_timeout_add"};
  O.serverLoopFunctions = {
      "httplib::Server::listen", "httplib::Server::listen_after_bind", "drogon::HttpAppFramework::run",
      "crow::Crow::run", "crow::Crow::run_async", "oatpp::network::Server::run", "Pistache::Http::Endpoint::serve",
      "Pistache::Http::Endpoint::serveThreaded", "boost::asio::io_context::run", "boost::asio::io_service::run",
      "asio::io_context::run", "websocketpp::transport::asio::endpoint::run",
      "web::http::experimental::listener::http_listener::open"};
  O.eventLoopFunctions = {"boost::asio::io_context::run", "boost::asio::io_service::run", "asio::io_context::run",
                          "asio::io_service::run", "websocketpp::transport::asio::endpoint::run", "uv_run",
                          "g_main_loop_run"};
  O.eventLoopNamespaces = {"boost::asio", "asio"};
  // A future's get() and wait() end what std::async runs for it.
  O.joinFunctions = {"std::thread::join", "std::jthread::join", "boost::thread::join", "pthread_join", "thrd_join",
                     "std::future::get",  "std::future::wait",  "std::shared_future::get", "std::shared_future::wait"};
  O.testBaseClasses = {"testing::Test", "UnitTest::Test"};
  O.testRegistrationFunctions = {"Catch::AutoReg::AutoReg", "doctest::detail::regTest",
                                 "benchmark::internal::RegisterBenchmarkInternal"};
  // Output positions of the standard algorithms that write through iterators.
  O.mutatingAlgorithms = {
      {"std::sort", AnyIteratorArgument},          {"std::stable_sort", AnyIteratorArgument},
      {"std::partial_sort", AnyIteratorArgument},  {"std::nth_element", AnyIteratorArgument},
      {"std::fill", AnyIteratorArgument},          {"std::fill_n", 0},
      {"std::generate", AnyIteratorArgument},      {"std::generate_n", 0},
      {"std::iota", AnyIteratorArgument},          {"std::reverse", AnyIteratorArgument},
      {"std::rotate", AnyIteratorArgument},        {"std::shuffle", AnyIteratorArgument},
      {"std::random_shuffle", AnyIteratorArgument}, {"std::remove", AnyIteratorArgument},
      {"std::remove_if", AnyIteratorArgument},     {"std::unique", AnyIteratorArgument},
      {"std::replace", AnyIteratorArgument},       {"std::replace_if", AnyIteratorArgument},
      {"std::partition", AnyIteratorArgument},     {"std::stable_partition", AnyIteratorArgument},
      {"std::make_heap", AnyIteratorArgument},     {"std::push_heap", AnyIteratorArgument},
      {"std::pop_heap", AnyIteratorArgument},      {"std::sort_heap", AnyIteratorArgument},
      {"std::inplace_merge", AnyIteratorArgument}, {"std::next_permutation", AnyIteratorArgument},
      {"std::prev_permutation", AnyIteratorArgument}, {"std::swap_ranges", AnyIteratorArgument},
      {"std::iter_swap", AnyIteratorArgument},     {"std::copy", -1},
      {"std::copy_n", -1},                         {"std::copy_if", -2},
      {"std::copy_backward", -1},                  {"std::move", -1},
      {"std::move_backward", -1},                  {"std::transform", -2},
      {"std::replace_copy", -3},                   {"std::remove_copy", -2},
      {"std::unique_copy", -1},                    {"std::reverse_copy", -1},
      {"std::rotate_copy", -1},                    {"std::merge", -1},
  };
  return O;
}

} // namespace sharedstate
