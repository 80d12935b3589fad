// One packet in caller memory: the bytes [data, data + length). Shared by the TUN write path
// (tun_port.h, tun_device.cc), the TCP coalescer (tcp_coalesce.h) and the GRE send path
// (raw_gre_socket.h, gre_port.cc), which never own packets: JavaScript does, and they only live
// for the duration of one write or send call (the kernel copies the bytes).
#pragma once

#include <cstddef>
#include <cstdint>

struct PacketSpan {
  const uint8_t* data;
  size_t length;
};
