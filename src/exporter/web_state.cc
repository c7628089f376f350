#include "exporter/web_state.h"

#include <sys/stat.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "exporter/web_config_parser.h"
#include "util/log.h"

namespace mcast::exporter {
namespace {

using util::Log;
using util::LogLevel;

std::string Stamp(const std::string& path) {
  struct stat st;
  if (path.empty()) return "";
  if (::stat(path.c_str(), &st) != 0) return absl::StrCat(path, " missing");
  return absl::StrCat(path, " ", st.st_dev, ":", st.st_ino, " ", st.st_size,
                      " ", st.st_mtim.tv_sec, ".", st.st_mtim.tv_nsec);
}

}  // namespace

absl::StatusOr<std::unique_ptr<WebState>> WebState::Create(
    const std::string& path) {
  std::unique_ptr<WebState> w(new WebState());
  w->path_ = path;
  if (path.empty()) {
    absl::MutexLock lock(&w->mu_);
    w->config_ = std::make_shared<const WebConfig>();
    return w;
  }
  if (absl::Status s = w->Load(/*at_start=*/true); !s.ok()) return s;
  return w;
}

std::shared_ptr<const WebConfig> WebState::config() const {
  absl::MutexLock lock(&mu_);
  return config_;
}

std::vector<std::string> WebState::Stamps(const WebConfig* config) const {
  std::vector<std::string> s = {Stamp(path_)};
  if (config != nullptr) {
    s.push_back(Stamp(config->tls.cert_file));
    s.push_back(Stamp(config->tls.key_file));
    s.push_back(Stamp(config->tls.client_ca_file));
  }
  return s;
}

absl::Status WebState::Load(bool at_start) {
  // Taken before reading, so that a change while reading is seen again.
  std::vector<std::string> before = Stamps(config().get());
  absl::StatusOr<WebConfig> loaded = LoadWebConfig(path_);
  std::shared_ptr<const TlsMaterial> material;
  if (loaded.ok() && loaded->tls.enabled) {
    absl::StatusOr<std::shared_ptr<const TlsMaterial>> m =
        TlsMaterial::Load(loaded->tls);
    if (!m.ok()) {
      loaded = absl::InvalidArgumentError(
          absl::StrCat(path_, ": ", m.status().message()));
    } else {
      material = *std::move(m);
    }
  }
  if (loaded.ok() && !at_start && loaded->tls.enabled != tls_) {
    loaded = absl::FailedPreconditionError(
        absl::StrCat(path_, ": tls_server_config ", tls_ ? "removed" : "added",
                     ": turning TLS on or off takes effect on restart"));
  }
  if (!loaded.ok()) {
    // Not retried until one of the files changes again.
    absl::MutexLock lock(&mu_);
    stamps_ = Stamps(config_.get());
    stamps_[0] = before[0];
    return loaded.status();
  }
  if (at_start) tls_ = loaded->tls.enabled;
  tls_switch_.Set(material);
  auto config = std::make_shared<const WebConfig>(*std::move(loaded));
  std::vector<std::string> after = Stamps(config.get());
  absl::MutexLock lock(&mu_);
  config_ = std::move(config);
  after[0] = before[0];  // A change while reading is seen next time.
  stamps_ = std::move(after);
  return absl::OkStatus();
}

bool WebState::Reload(bool force) {
  if (path_.empty()) return true;
  if (!force) {
    std::shared_ptr<const WebConfig> c = config();
    std::vector<std::string> now = Stamps(c.get());
    absl::MutexLock lock(&mu_);
    if (now == stamps_) return last_reload_ok_.load();
  }
  absl::Status s = Load(/*at_start=*/false);
  last_reload_ok_.store(s.ok());
  if (!s.ok()) {
    Log(LogLevel::kError,
        "reload of web config %s failed, keeping the running one:", path_);
    for (absl::string_view line : absl::StrSplit(s.message(), '\n')) {
      Log(LogLevel::kError, "  %s", std::string(line));
    }
    return false;
  }
  std::shared_ptr<const WebConfig> c = config();
  Log(LogLevel::kInfo, "reloaded web config %s: TLS %s, %d basic-auth users",
      path_, tls_ ? "on" : "off", static_cast<int>(c->basic_auth_users.size()));
  return true;
}

}  // namespace mcast::exporter
