#ifndef MCAST_EXPORTER_HTTP_LIMITS_H_
#define MCAST_EXPORTER_HTTP_LIMITS_H_

// How many HTTP connections the metrics server holds at once. civetweb
// serves one connection per worker thread, from the moment it is accepted
// until it closes, so a client that connects and sends nothing holds a
// worker for the whole request timeout. Enough workers for a few hundred
// such clients, and a short timeout, keep scrapes answering; beyond
// kHttpWorkers open connections, new ones wait in civetweb's queue
// (kHttpConnectionQueue, accepted sockets: descriptors already) and then in
// the kernel's listen backlog. Here and not in http_endpoint.cc because
// the descriptor budget (fd_budget.h) counts them too.

namespace mcast::exporter {

inline constexpr int kHttpWorkers = 256;
inline constexpr int kHttpConnectionQueue = 64;

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_HTTP_LIMITS_H_
