#include "probe/probe_receiver.h"

#include "net/clock.h"
#include "packet/header.h"

namespace mcast::probe {

void FeedDatagram(const net::ReceivedDatagram& d, int64_t mono_ns,
                  int64_t fallback_real_ns, stats::ReceiverStats& stats,
                  streams::StreamTable* streams) {
  stats::ReceivedPacket p;
  if (packet::DecodeHeader(d.data, &p.header) != packet::DecodeResult::kOk) {
    stats.OnForeign();
    if (streams != nullptr) {
      streams->OnDatagram(
          d.source, d.source_port, d.data, mono_ns,
          d.kernel_time_ns > 0 ? d.kernel_time_ns : fallback_real_ns);
    }
    return;
  }
  p.source = d.source;
  p.size = static_cast<uint32_t>(d.length);
  p.ttl = d.ttl;
  p.tos = d.tos;
  p.mono_ns = mono_ns;
  p.real_ns = d.kernel_time_ns > 0 ? d.kernel_time_ns : fallback_real_ns;
  stats.OnPacket(p);
}

ProbeReceiver::ProbeReceiver(const net::ReceiverSocketOptions& socket_options,
                             const stats::ReceiverStatsOptions& stats_options,
                             const streams::StreamTableOptions& stream_options)
    : socket_options_(socket_options),
      stats_(stats_options),
      streams_(stream_options) {}

absl::StatusOr<std::unique_ptr<ProbeReceiver>> ProbeReceiver::Open(
    const net::ReceiverSocketOptions& socket_options,
    const stats::ReceiverStatsOptions& stats_options,
    const streams::StreamTableOptions& stream_options) {
  auto receiver = std::make_unique<ProbeReceiver>(socket_options, stats_options,
                                                  stream_options);
  absl::Status status = receiver->OpenSocket();
  if (!status.ok()) return status;
  return receiver;
}

absl::Status ProbeReceiver::OpenSocket() {
  CloseSocket();
  absl::StatusOr<net::ReceiverSocket> socket =
      net::ReceiverSocket::Open(socket_options_);
  if (!socket.ok()) return socket.status();
  socket_.emplace(std::move(*socket));
  last_kernel_drops_ = socket_->kernel_drops();
  join_.OnJoin(net::RealtimeNanos());
  return absl::OkStatus();
}

void ProbeReceiver::CloseSocket() {
  socket_.reset();
  join_.OnLeave();
}

void ProbeReceiver::NoteFirstPacket(
    absl::Span<const net::ReceivedDatagram> batch, int64_t fallback_real_ns) {
  for (const net::ReceivedDatagram& d : batch) {
    packet::Header h;
    if (packet::DecodeHeader(d.data, &h) != packet::DecodeResult::kOk) {
      continue;
    }
    join_.OnFirstPacket(
        d.kernel_time_ns > 0 ? d.kernel_time_ns : fallback_real_ns,
        h.timestamp_ns, h.realtime_clock(), h.sequence);
    return;
  }
}

absl::Status ProbeReceiver::OnReadable() {
  if (!socket_) return absl::OkStatus();
  const size_t batch_size = static_cast<size_t>(socket_->options().batch_size);
  for (int i = 0; i < kMaxBatchesPerCall; ++i) {
    absl::StatusOr<absl::Span<const net::ReceivedDatagram>> batch =
        socket_->RecvBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    // One clock read per batch: the kernel timestamps carry the per-packet
    // precision where it matters (jitter, delay). The real clock only for a
    // datagram without a kernel timestamp (SO_TIMESTAMPNS refused).
    const int64_t mono = net::MonotonicNanos();
    int64_t real = 0;
    for (const net::ReceivedDatagram& d : *batch) {
      if (d.kernel_time_ns <= 0) {
        real = net::RealtimeNanos();
        break;
      }
    }
    if (join_.pending()) NoteFirstPacket(*batch, real);
    for (const net::ReceivedDatagram& d : *batch) {
      FeedDatagram(d, mono, real, stats_, &streams_);
    }
    uint32_t drops = socket_->kernel_drops();
    socket_drops_ += static_cast<uint32_t>(drops - last_kernel_drops_);
    last_kernel_drops_ = drops;
    // A short batch means recvmmsg (MSG_DONTWAIT, no timeout) found the
    // queue empty before the batch was full: asking again would almost
    // always cost a recvmmsg that returns EAGAIN (the issue measured one per
    // received packet at low rates). Stopping here loses nothing:
    //  * the event loop's epoll is level-triggered (EventLoop registers
    //    plain EPOLLIN), so a datagram that arrived after this recvmmsg
    //    leaves the socket readable and the next epoll_wait returns it.
    //    Edge-triggered would do too: UDP wakes the socket's waiters (a new
    //    edge) for each datagram queued onto an empty queue, and after a
    //    short batch the queue was empty, so the next arrival is an edge.
    //  * recvmmsg also returns short when an error follows some datagrams;
    //    a pending socket error makes epoll report EPOLLERR, and the next
    //    call returns it.
    //  * SO_RXQ_OVFL is the kernel's drop count stamped on each queued
    //    datagram, so drops are counted with the next datagram whether it
    //    is read now or at the next wake-up; the EAGAIN call never carried
    //    one. Kernel timestamps are per datagram and unaffected.
    if (batch->size() < batch_size) break;
  }
  return absl::OkStatus();
}

}  // namespace mcast::probe
