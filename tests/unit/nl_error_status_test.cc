// The one libnl -> Status table, and its agreement with the errno table:
// a kernel error means the same whether it came through libnl or not.
#include "netif/nl_error_status.h"

#include <gtest/gtest.h>
#include <netlink/errno.h>

#include <cerrno>
#include <map>
#include <set>
#include <string>

#include "util/errno_status.h"

namespace mcast::netif {
namespace {

struct Row {
  int nle;
  absl::StatusCode code;
};

TEST(NlErrorToStatusTest, Table) {
  const Row rows[] = {
      {NLE_PERM, absl::StatusCode::kPermissionDenied},
      {NLE_NOACCESS, absl::StatusCode::kPermissionDenied},
      {NLE_OBJ_NOTFOUND, absl::StatusCode::kNotFound},
      {NLE_NODEV, absl::StatusCode::kNotFound},
      {NLE_NOADDR, absl::StatusCode::kNotFound},
      {NLE_INVAL, absl::StatusCode::kInvalidArgument},
      {NLE_INTR, absl::StatusCode::kUnavailable},
      {NLE_AGAIN, absl::StatusCode::kUnavailable},
      {NLE_DUMP_INTR, absl::StatusCode::kUnavailable},
      {NLE_OPNOTSUPP, absl::StatusCode::kUnimplemented},
      {NLE_AF_NOSUPPORT, absl::StatusCode::kUnimplemented},
      {NLE_PROTO_MISMATCH, absl::StatusCode::kUnimplemented},
      {NLE_NOMEM, absl::StatusCode::kResourceExhausted},
      {NLE_FAILURE, absl::StatusCode::kInternal},
      {NLE_BAD_SOCK, absl::StatusCode::kInternal},
      {NLE_EXIST, absl::StatusCode::kInternal},
      {NLE_MSG_TRUNC, absl::StatusCode::kInternal},
      {NLE_PARSE_ERR, absl::StatusCode::kInternal},
      {NLE_MAX + 1, absl::StatusCode::kInternal},
  };
  for (const Row& row : rows) {
    // libnl returns them negative; the sign does not matter.
    for (int err : {-row.nle, row.nle}) {
      absl::Status s = NlErrorToStatus(err, "cannot list links");
      EXPECT_EQ(s.code(), row.code) << "NLE " << err << ": " << s;
      EXPECT_EQ(s.message(),
                std::string("cannot list links: ") + nl_geterror(err));
    }
  }
}

// For every errno, libnl's translation (nl_syserr2nlerr) goes through
// NlErrorToStatus to the code util::ErrnoToStatus gives directly, wherever
// libnl keeps the errno apart. Where it folds several errnos into one code
// (ENOENT and ESRCH, EINVAL and EFAULT, ...), the code is that of one of
// them; NLE_FAILURE ("unspecific failure") is Internal.
TEST(NlErrorToStatusTest, AgreesWithTheErrnoTable) {
  std::map<int, std::set<int>> errnos_of;  // NLE code -> errnos folded in.
  for (int e = 1; e < 134; ++e) errnos_of[nl_syserr2nlerr(e)].insert(e);
  ASSERT_GT(errnos_of.size(), 10u);  // libnl does tell errnos apart.
  for (const auto& [nle, errnos] : errnos_of) {
    const absl::StatusCode nl_code = NlErrorToStatus(-nle, "x").code();
    if (nle == NLE_FAILURE) {
      EXPECT_EQ(nl_code, absl::StatusCode::kInternal);
      continue;
    }
    std::set<absl::StatusCode> errno_codes;
    for (int e : errnos) {
      errno_codes.insert(util::ErrnoToStatus(e, "x").code());
    }
    if (errnos.size() == 1) {
      EXPECT_EQ(nl_code, *errno_codes.begin())
          << "NLE " << nle << " stands for errno " << *errnos.begin();
    } else {
      EXPECT_TRUE(errno_codes.contains(nl_code))
          << "NLE " << nle << " folds " << errnos.size()
          << " errnos, none of which has code " << static_cast<int>(nl_code);
    }
  }
}

// NlErrorErrno inverts libnl's own errno -> NLE translation wherever it names
// an errno, and the status code is then the errno table's, by construction.
TEST(NlErrorToStatusTest, ErrnoOfEachCodeMapsBackToIt) {
  int named = 0;
  for (int nle = 1; nle <= NLE_MAX; ++nle) {
    const int e = NlErrorErrno(-nle);
    EXPECT_EQ(NlErrorErrno(nle), e);
    EXPECT_EQ(NlErrorToStatus(-nle, "x").code(), util::ErrnoStatusCode(e))
        << "NLE " << nle;
    if (e == 0 || nle == NLE_DUMP_INTR) continue;
    ++named;
    EXPECT_EQ(nl_syserr2nlerr(e), nle)
        << "NLE " << nle << " is said to stand for errno " << e;
  }
  EXPECT_GE(named, 15);
  EXPECT_EQ(NlErrorErrno(NLE_DUMP_INTR), EINTR);
  EXPECT_EQ(NlErrorErrno(NLE_FAILURE), 0);
  EXPECT_EQ(NlErrorErrno(NLE_PARSE_ERR), 0);
}

}  // namespace
}  // namespace mcast::netif
