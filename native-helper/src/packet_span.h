// One packet in caller memory: the bytes [data, data + length). Shared by the TUN write path
// (tun_port.h, tun_device.cc) and the TCP coalescer (tcp_coalesce.h), which never own packets:
// JavaScript does, and they only live for the duration of one write call.
#pragma once

#include <cstddef>
#include <cstdint>

struct PacketSpan {
  const uint8_t* data;
  size_t length;
};
