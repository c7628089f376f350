#include "exporter/toml_nesting_check.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "util/message_text.h"

namespace mcast::exporter {
namespace {

// Long enough for any path; the file name is the operator's.
constexpr size_t kMaxLine = 1024;

class NestingScanner {
 public:
  NestingScanner(absl::string_view text, int max_depth)
      : text_(text), max_depth_(max_depth) {}

  // False when too deep; line() and column() then point at the culprit.
  bool Scan() {
    StartKey(/*base=*/0);
    while (!AtEnd()) {
      if (in_key_) {
        if (!ScanKeyChar()) return false;
      } else {
        if (!ScanValueChar()) return false;
      }
    }
    return true;
  }

  uint32_t line() const { return error_line_; }
  uint32_t column() const { return error_column_; }

 private:
  enum class Kind { kTop, kArray, kInlineTable };
  struct Frame {
    Kind kind;
    int depth;  // Of the container itself; its contents are at depth + 1.
  };

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void Advance() {
    unsigned char c = static_cast<unsigned char>(text_[pos_++]);
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((c & 0xC0) != 0x80) {  // Not a UTF-8 continuation byte.
      ++column_;
    }
  }

  bool TooDeep(int depth) {
    if (depth <= max_depth_) return false;
    error_line_ = line_;
    error_column_ = column_;
    return true;
  }

  Frame& Top() { return frames_.back(); }

  // The depth keys of the innermost table start from: the header's parts
  // at the top level, the inline table's own depth inside one.
  void StartKey(int base) {
    in_key_ = true;
    key_base_ = base;
    key_parts_ = 0;
    expect_part_ = true;
    in_header_ = false;
  }

  void StartValue() {
    in_key_ = false;
    value_depth_ = key_base_ + key_parts_;
  }

  // --- Strings and comments: skipped whole, they never nest. ---

  void SkipComment() {
    while (!AtEnd() && Peek() != '\n') Advance();
  }

  // At the opening quote(s). Multi-line strings may end in up to two extra
  // quotes ("""a"""" is a followed by one quote), so those are eaten too.
  void SkipString() {
    const char q = Peek();
    const bool basic = q == '"';
    if (Peek(1) == q && Peek(2) == q) {
      for (int i = 0; i < 3; ++i) Advance();
      while (!AtEnd()) {
        if (basic && Peek() == '\\') {
          Advance();
          if (!AtEnd()) Advance();
          continue;
        }
        if (Peek() == q && Peek(1) == q && Peek(2) == q) {
          for (int i = 0; i < 3; ++i) Advance();
          for (int i = 0; i < 2 && Peek() == q; ++i) Advance();
          return;
        }
        Advance();
      }
      return;
    }
    Advance();
    while (!AtEnd() && Peek() != '\n') {
      if (basic && Peek() == '\\') {
        Advance();
        if (!AtEnd() && Peek() != '\n') Advance();
        continue;
      }
      if (Peek() == q) {
        Advance();
        return;
      }
      Advance();
    }
  }

  // --- Keys: bare or quoted parts joined by dots, up to '=' (or ']' in a
  // header). Every part is one more level. ---

  bool ScanKeyChar() {
    const char c = Peek();
    switch (c) {
      case ' ':
      case '\t':
      case '\r':
        Advance();
        return true;
      case '\n':
        Advance();
        if (Top().kind == Kind::kTop) StartKey(top_base_);
        return true;
      case '#':
        SkipComment();
        return true;
      case '.':
        Advance();
        expect_part_ = true;
        return true;
      case '=':
        Advance();
        StartValue();
        return true;
      case ',':  // Between key/value pairs of an inline table.
        Advance();
        if (Top().kind == Kind::kInlineTable) StartKey(Top().depth);
        return true;
      case '}':  // Empty inline table or trailing comma.
        Advance();
        if (Top().kind == Kind::kInlineTable) {
          frames_.pop_back();
          AfterContainer();
        }
        return true;
      case '[':
        if (Top().kind == Kind::kTop && !in_header_ && key_parts_ == 0) {
          Advance();
          if (Peek() == '[') Advance();
          StartKey(0);
          in_header_ = true;
          return true;
        }
        Advance();
        return true;
      case ']':
        if (in_header_) {
          Advance();
          if (Peek() == ']') Advance();
          top_base_ = key_parts_;
          StartKey(top_base_);
          return true;
        }
        Advance();
        return true;
      default:
        break;
    }
    if (expect_part_) {
      ++key_parts_;
      expect_part_ = false;
      if (TooDeep(key_base_ + key_parts_)) return false;
    }
    if (c == '"' || c == '\'') {
      SkipString();
    } else {
      Advance();
    }
    return true;
  }

  // --- Values: only strings, comments and brackets matter. ---

  bool ScanValueChar() {
    const char c = Peek();
    switch (c) {
      case '"':
      case '\'':
        SkipString();
        return true;
      case '#':
        SkipComment();
        return true;
      case '\n':
        Advance();
        if (Top().kind == Kind::kTop) StartKey(top_base_);
        return true;
      case '[':
      case '{': {
        if (TooDeep(value_depth_ + 1)) return false;
        Advance();
        const Kind kind = c == '[' ? Kind::kArray : Kind::kInlineTable;
        frames_.push_back({kind, value_depth_});
        if (kind == Kind::kArray) {
          value_depth_ = Top().depth + 1;
        } else {
          StartKey(Top().depth);
        }
        return true;
      }
      case ']':
      case '}':
        Advance();
        if (Top().kind == (c == ']' ? Kind::kArray : Kind::kInlineTable)) {
          frames_.pop_back();
          AfterContainer();
        }
        return true;
      case ',':
        Advance();
        if (Top().kind == Kind::kInlineTable) StartKey(Top().depth);
        return true;
      default:
        Advance();
        return true;
    }
  }

  // A closed container was a value of the enclosing one.
  void AfterContainer() {
    in_key_ = false;
    if (Top().kind == Kind::kArray) value_depth_ = Top().depth + 1;
  }

  absl::string_view text_;
  const int max_depth_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
  uint32_t error_line_ = 0;
  uint32_t error_column_ = 0;

  std::vector<Frame> frames_ = {{Kind::kTop, 0}};
  int top_base_ = 0;  // Parts of the last [table] header.
  bool in_key_ = true;
  bool in_header_ = false;
  bool expect_part_ = true;
  int key_base_ = 0;
  int key_parts_ = 0;
  int value_depth_ = 0;  // Depth of the value being scanned.
};

}  // namespace

absl::Status CheckTomlNesting(absl::string_view text,
                              absl::string_view file_name, int max_depth) {
  NestingScanner scanner(text, max_depth);
  if (scanner.Scan()) return absl::OkStatus();
  return absl::InvalidArgumentError(util::SanitizeLine(
      absl::StrCat(file_name, ":", scanner.line(), ":", scanner.column(),
                   ": nested more than ", max_depth,
                   " levels deep (dotted key parts, [table] headers, inline "
                   "tables and arrays count together)"),
      kMaxLine));
}

}  // namespace mcast::exporter
