#ifndef MCAST_EXPORTER_TEXT_EXPOSITION_H_
#define MCAST_EXPORTER_TEXT_EXPOSITION_H_

// A small writer of Prometheus text exposition format 0.0.4 into a caller's
// buffer, for scrapes of thousands of flows: prometheus-cpp's TextSerializer
// goes through an ostream per value and its MetricFamily structs allocate
// per label, which made up ~87 % of a scrape's CPU. Values are written as
// prometheus-cpp writes them (printf "%.16g", "Nan", "+Inf", "-Inf"), so the
// served text stays byte for byte what it was; metric_text_test.cc checks
// that against TextSerializer. One difference, which the format asks for
// and prometheus-cpp 1.0 does not do: HELP text escapes '\' and newline.

#include <cstdint>
#include <string>
#include <string_view>

namespace mcast::exporter {

class TextExposition {
 public:
  // Appends to `out` (not cleared: the caller reuses its buffer).
  explicit TextExposition(std::string* out) : out_(*out) {}

  // "# HELP name help\n# TYPE name type\n"; an empty help is left out, as
  // prometheus-cpp does.
  void Family(std::string_view name, std::string_view help,
              std::string_view type);
  // `name` `suffix` {`labels`} value: `labels` is already rendered
  // label text (AppendLabel) without the braces; empty: no braces.
  void Sample(std::string_view name, std::string_view labels, double value) {
    Head(name, {}, labels);
    AppendDouble(out_, value);
    out_ += '\n';
  }
  void Sample(std::string_view name, std::string_view suffix,
              std::string_view labels, uint64_t value) {
    Head(name, suffix, labels);
    AppendUint(out_, value);
    out_ += '\n';
  }
  void Sample(std::string_view name, std::string_view suffix,
              std::string_view labels, double value) {
    Head(name, suffix, labels);
    AppendDouble(out_, value);
    out_ += '\n';
  }
  // A sample whose label text is `labels` then `extra` (e.g. `le="0.5"`),
  // joined with a comma when both are there.
  void Sample(std::string_view name, std::string_view suffix,
              std::string_view labels, std::string_view extra, uint64_t value);

  // `,name="value"` (no comma when `*out` is empty), value escaped.
  static void AppendLabel(std::string* out, std::string_view name,
                          std::string_view value);
  // prometheus-cpp's value text: "%.16g" in the C locale, "Nan", "+Inf",
  // "-Inf".
  static void AppendDouble(std::string& out, double value);
  static void AppendUint(std::string& out, uint64_t value);

 private:
  void Head(std::string_view name, std::string_view suffix,
            std::string_view labels);

  std::string& out_;
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_TEXT_EXPOSITION_H_
