#ifndef MCAST_EXPORTER_TOML_NESTING_CHECK_H_
#define MCAST_EXPORTER_TOML_NESTING_CHECK_H_

// A pre-scan of TOML text that refuses deep nesting before toml++ sees it.
//
// Debian 12's toml++ 3.3.0 recurses once per level of nesting and has no
// limit for dotted keys and table headers: one key of ~30 800 parts
// overflows an 8 MiB stack (a 200 KB file), ~450 parts overflow a 128 KiB
// thread stack. Its own limit for inline tables and arrays (256) still
// needs ~330 KiB of stack for inline tables. Measured per level on amd64:
// ~270 bytes for a dotted key part or header part, ~1.3 KiB for an inline
// table, ~0.9 KiB for an array.
//
// Every construct that makes toml++ recurse adds one level, and the levels
// add up: each part of a dotted key (a.b.c), each part of a [table.header]
// or [[array.header]], each inline table {..} and each array [..]. The
// nesting of a value is the header's parts + the key's parts + the open
// brackets around it. An mcast-exporter config needs 3 ([[sender]], then
// `name`); kMaxTomlNesting = 32 bounds toml++'s stack use at ~45 KiB, so
// the loader is safe even on a 128 KiB thread stack. toml++'s tree can be
// up to twice as deep as this count (an [[array]] header part is an array
// and a table), which is harmless at these depths.
//
// The scanner knows TOML's strings (basic, literal, multi-line, escapes)
// and comments, so brackets and dots inside them do not count. It does not
// validate: invalid files that it reads differently from toml++ are
// rejected by toml++ at the first difference, before any deeper nesting.

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace mcast::exporter {

inline constexpr int kMaxTomlNesting = 32;

// OK, or kInvalidArgument with one line:
//   FILE:LINE:COL: nested more than 32 levels deep (...)
// pointing at the key part or bracket that opens level 33. COL counts
// characters (UTF-8 code points) from 1, as toml++ does.
absl::Status CheckTomlNesting(absl::string_view text,
                              absl::string_view file_name,
                              int max_depth = kMaxTomlNesting);

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_TOML_NESTING_CHECK_H_
