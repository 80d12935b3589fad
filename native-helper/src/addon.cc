// Entry point of the PPTP Manager native helper. It owns nothing but module registration:
// the TUN device (tun_device.cc + tun_linux.cc / tun_darwin.cc, or tun_unsupported.cc), the
// utun framing exposed for tests (utun_framing_binding.cc), peer credentials
// (peer_credentials.cc), the TCP coalescer and the GSO splitter exposed for tests
// (tcp_coalesce_binding.cc, gso_split_binding.cc) and the raw GRE socket (gre_port.cc + raw_gre_socket_linux.cc / raw_gre_socket_darwin.cc, or
// gre_unsupported.cc).
#include <napi.h>

#include "gre.h"
#include "gso_split_binding.h"
#include "peer_credentials.h"
#include "tcp_coalesce_binding.h"
#include "tun.h"
#include "utun_framing_binding.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("abiVersion", Napi::Number::New(env, 1));
  InitUtunFraming(env, exports);
  InitPeerCredentials(env, exports);
  InitTcpCoalesce(env, exports);
  InitGsoSplit(env, exports);
  InitGre(env, exports);
  return InitTun(env, exports);
}

NODE_API_MODULE(pptp_native_helper, Init)
