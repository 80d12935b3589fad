# The PPTP Manager native helper (N-API, node-addon-api, C++17).
# N-API is ABI-stable, so the same build loads in Node and in Electron without a rebuild.
# Every OS: module registration, the utun framing exposed for tests, peer credentials (Linux and
# macOS; a typed "unsupported" error elsewhere), the TCP coalescer of Linux TUN writes and the GSO
# splitter of Linux TUN reads (pure C++, exposed for tests as tcpCoalesce and gsoSplit). Linux: the shared TUN device over /dev/net/tun;
# macOS: the shared TUN device over utun; everything else (Windows until Wintun): a stub whose
# openTun throws ERR_TUN_UNSUPPORTED_PLATFORM. GRE: the raw GRE socket (gre_port.cc) over
# recvmmsg/sendmmsg on Linux and a recvmsg/send loop on macOS; elsewhere gre_unsupported.cc
# (openGre throws ERR_GRE_UNSUPPORTED_PLATFORM). On Linux the macOS sources are syntax-checked by
# scripts/check-darwin.mjs against darwin-shim/ (never built into this target).
{
  "targets": [
    {
      "target_name": "pptp_native_helper",
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED"],
      "sources": ["src/addon.cc", "src/errno_name.cc", "src/utun_framing_binding.cc", "src/peer_credentials.cc",
                  "src/tcp_coalesce.cc", "src/tcp_coalesce_binding.cc", "src/gso_split.cc", "src/gso_split_binding.cc"],
      "conditions": [
        ["OS=='linux'", { "sources": ["src/tun_device.cc", "src/tun_linux.cc"] }],
        ["OS=='linux'", { "sources": ["src/gre_port.cc", "src/raw_gre_socket_linux.cc"] }],
        ["OS=='mac'", { "sources": ["src/gre_port.cc", "src/raw_gre_socket_darwin.cc"] }],
        ["OS!='linux' and OS!='mac'", { "sources": ["src/gre_unsupported.cc"] }],
        ["OS=='mac'", {
          "sources": ["src/tun_device.cc", "src/tun_darwin.cc"],
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra"],
            "MACOSX_DEPLOYMENT_TARGET": "10.15"
          }
        }],
        ["OS!='linux' and OS!='mac'", { "sources": ["src/tun_unsupported.cc"] }],
        ["OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1 } }
        }]
      ]
    }
  ]
}
