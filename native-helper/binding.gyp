# The PPTP Manager native helper (N-API, node-addon-api, C++17).
# N-API is ABI-stable, so the same build loads in Node and in Electron without a rebuild.
# Linux gets the real TUN device; other platforms compile a stub whose openTun throws
# "not supported on this platform yet" (macOS utun and Windows Wintun come later).
{
  "targets": [
    {
      "target_name": "pptp_native_helper",
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED"],
      "sources": ["src/addon.cc"],
      "conditions": [
        ["OS=='linux'", { "sources": ["src/tun_linux.cc"] }, { "sources": ["src/tun_unsupported.cc"] }],
        ["OS=='mac'", {
          "xcode_settings": { "GCC_ENABLE_CPP_EXCEPTIONS": "YES", "CLANG_CXX_LANGUAGE_STANDARD": "c++17" }
        }],
        ["OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1 } }
        }]
      ]
    }
  ]
}
