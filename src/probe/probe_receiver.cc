#include "probe/probe_receiver.h"

#include "net/clock.h"
#include "packet/header.h"

namespace mcast::probe {

void FeedDatagram(const net::ReceivedDatagram& d, int64_t mono_ns,
                  int64_t fallback_real_ns, stats::ReceiverStats& stats) {
  stats::ReceivedPacket p;
  if (packet::DecodeHeader(d.data, &p.header) != packet::DecodeResult::kOk) {
    stats.OnForeign();
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
                             const stats::ReceiverStatsOptions& stats_options)
    : socket_options_(socket_options), stats_(stats_options) {}

absl::StatusOr<std::unique_ptr<ProbeReceiver>> ProbeReceiver::Open(
    const net::ReceiverSocketOptions& socket_options,
    const stats::ReceiverStatsOptions& stats_options) {
  auto receiver =
      std::make_unique<ProbeReceiver>(socket_options, stats_options);
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
  return absl::OkStatus();
}

void ProbeReceiver::CloseSocket() { socket_.reset(); }

absl::Status ProbeReceiver::OnReadable() {
  if (!socket_) return absl::OkStatus();
  for (int i = 0; i < kMaxBatchesPerCall; ++i) {
    absl::StatusOr<absl::Span<const net::ReceivedDatagram>> batch =
        socket_->RecvBatch();
    if (!batch.ok()) return batch.status();
    if (batch->empty()) break;
    // One clock read per batch: the kernel timestamps carry the per-packet
    // precision where it matters (jitter, delay).
    const int64_t mono = net::MonotonicNanos();
    const int64_t real = net::RealtimeNanos();
    for (const net::ReceivedDatagram& d : *batch) {
      FeedDatagram(d, mono, real, stats_);
    }
    uint32_t drops = socket_->kernel_drops();
    socket_drops_ += static_cast<uint32_t>(drops - last_kernel_drops_);
    last_kernel_drops_ = drops;
  }
  return absl::OkStatus();
}

}  // namespace mcast::probe
