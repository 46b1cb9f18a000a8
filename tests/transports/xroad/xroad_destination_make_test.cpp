// MakeXroadDestination refuses what cannot work before any request: a URL that is not http(s), no
// X-Road client, a destination of another kind.

#include <gtest/gtest.h>

#include "tests/transports/xroad/xroad_test_util.h"
#include "transports/xroad/xroad_destination.h"

namespace liitos {
namespace {

using testing::kTestClient;
using testing::XroadConfig;

TEST(XroadDestinationMake, RefusesBadConfig) {
  TransportContext ctx;
  EXPECT_FALSE(MakeXroadDestination(XroadConfig("ftp://h/x"), kTestClient, ctx).ok());
  EXPECT_FALSE(MakeXroadDestination(XroadConfig("https://h/x"), "", ctx).ok());
  DestinationConfig dir = XroadConfig("https://h/x");
  dir.kind = "dir";
  EXPECT_FALSE(MakeXroadDestination(dir, kTestClient, ctx).ok());
  ctx.xroad_client = kTestClient;
  EXPECT_TRUE(MakeXroadDestination(XroadConfig("HTTPS://h/x"), ctx).ok());
}

}  // namespace
}  // namespace liitos
