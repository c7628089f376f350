#ifndef MCAST_UTIL_MESSAGE_TEXT_H_
#define MCAST_UTIL_MESSAGE_TEXT_H_

// Untrusted text (config values and keys, parser diagnostics) shown in error
// messages and logs. Such text can hold newlines, terminal escapes or
// megabytes: echoed raw, one bad value became millions of log lines. These
// helpers make it one short line of printable ASCII that still says what
// the input was.

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace mcast::util {

// How much of a value a message shows, in input bytes.
inline constexpr size_t kMaxQuotedBytes = 64;

// `quote` + the first kMaxQuotedBytes bytes of `text`, escaped + `quote`.
// Escapes: \n \r \t, \\, \<quote>, every other byte outside printable
// ASCII as \xNN. A cut value ends in "..." inside the quotes and is
// followed by its length: 'abc...' (10016 bytes).
std::string QuoteUntrusted(absl::string_view text, char quote = '\'');

// A TOML key as a message names it: bare when it could be written bare
// (letters, digits, '_', '-'), otherwise QuoteUntrusted with '"', as TOML
// itself would quote it.
std::string KeyForMessage(absl::string_view key);

// The last line of defence for a whole message line: every byte outside
// printable ASCII escaped as above (backslashes are kept as they are, the
// text may already hold escapes), cut to `max_bytes` with "...".
std::string SanitizeLine(absl::string_view line, size_t max_bytes);

// The shared parsers (util/, net/) echo their input as '<text>', raw: this
// swaps that echo for QuoteUntrusted(raw), so a message stays one short
// line whatever the input held.
std::string RequoteEcho(absl::string_view message, absl::string_view raw);

}  // namespace mcast::util

#endif  // MCAST_UTIL_MESSAGE_TEXT_H_
