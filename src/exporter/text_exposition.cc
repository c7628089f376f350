#include "exporter/text_exposition.h"

#include <charconv>
#include <cmath>

namespace mcast::exporter {
namespace {

// '\' and newline always; '"' too inside label values.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '\\' && c != '\n' && !(quote && c == '"')) continue;
    out.append(text.data() + start, i - start);
    out += '\\';
    out += c == '\n' ? 'n' : c;
    start = i + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

}  // namespace

void TextExposition::Family(std::string_view name, std::string_view help,
                            std::string_view type) {
  if (!help.empty()) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    AppendEscaped(out_, help, /*quote=*/false);
    out_ += '\n';
  }
  out_ += "# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void TextExposition::Head(std::string_view name, std::string_view suffix,
                          std::string_view labels) {
  out_ += name;
  out_ += suffix;
  if (!labels.empty()) {
    out_ += '{';
    out_ += labels;
    out_ += '}';
  }
  out_ += ' ';
}

void TextExposition::Sample(std::string_view name, std::string_view suffix,
                            std::string_view labels, std::string_view extra,
                            uint64_t value) {
  out_ += name;
  out_ += suffix;
  out_ += '{';
  out_ += labels;
  if (!labels.empty() && !extra.empty()) out_ += ',';
  out_ += extra;
  out_ += "} ";
  AppendUint(out_, value);
  out_ += '\n';
}

void TextExposition::AppendLabel(std::string* out, std::string_view name,
                                 std::string_view value) {
  if (!out->empty()) *out += ',';
  *out += name;
  *out += "=\"";
  AppendEscaped(*out, value, /*quote=*/true);
  *out += '"';
}

void TextExposition::AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "Nan";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-Inf" : "+Inf";
    return;
  }
  char buf[32];
  std::to_chars_result r;
  // Most values are counts: an integer of at most 15 digits prints the same
  // under "%.16g", and the integer conversion is several times cheaper.
  // -0 keeps its sign through the general path.
  if (std::abs(value) < 1e15 && value == std::trunc(value) &&
      !(value == 0 && std::signbit(value))) {
    r = std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(value));
  } else {
    // As printf("%.16g") in the C locale, which is what prometheus-cpp's
    // ostream with precision 16 writes.
    r = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::general,
                      16);
  }
  out.append(buf, r.ptr);
}

void TextExposition::AppendUint(std::string& out, uint64_t value) {
  char buf[24];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), value);
  out.append(buf, r.ptr);
}

}  // namespace mcast::exporter
