#include "util/message_text.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace mcast::util {
namespace {

void AppendEscaped(unsigned char c, std::string* out) {
  switch (c) {
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    default:
      break;
  }
  if (c < 0x20 || c >= 0x7f) {
    absl::StrAppendFormat(out, "\\x%02x", c);
  } else {
    out->push_back(static_cast<char>(c));
  }
}

}  // namespace

std::string QuoteUntrusted(absl::string_view text, char quote) {
  const bool cut = text.size() > kMaxQuotedBytes;
  absl::string_view shown = cut ? text.substr(0, kMaxQuotedBytes) : text;
  std::string out(1, quote);
  out.reserve(shown.size() + 8);
  for (char ch : shown) {
    if (ch == '\\' || ch == quote) out.push_back('\\');
    AppendEscaped(static_cast<unsigned char>(ch), &out);
  }
  if (cut) out.append("...");
  out.push_back(quote);
  if (cut) absl::StrAppend(&out, " (", text.size(), " bytes)");
  return out;
}

std::string KeyForMessage(absl::string_view key) {
  bool bare = !key.empty();
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      bare = false;
    }
  }
  return bare ? std::string(key) : QuoteUntrusted(key, '"');
}

std::string SanitizeLine(absl::string_view line, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(line.size(), max_bytes) + 4);
  for (char ch : line) {
    AppendEscaped(static_cast<unsigned char>(ch), &out);
    if (out.size() > max_bytes) {
      // May end inside an escape; it stays printable and the "..." says
      // that something was cut.
      out.resize(max_bytes > 3 ? max_bytes - 3 : 0);
      out.append("...");
      return out;
    }
  }
  return out;
}

std::string RequoteEcho(absl::string_view message, absl::string_view raw) {
  return absl::StrReplaceAll(
      message, {{absl::StrCat("'", raw, "'"), QuoteUntrusted(raw)}});
}

}  // namespace mcast::util
