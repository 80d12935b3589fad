#!/usr/bin/env python3
"""A userspace netem for the soak: this machine's kernel has no sch_netem (CONFIG_NET_SCH_NETEM
is not set), so the soak takes the server VM's tap out of the test bridge and forwards Ethernet
frames between it and a veth on the bridge itself, both ways, with netem's impairments:

  --loss P        drop P % of frames
  --delay MS      hold each frame MS milliseconds ...
  --jitter MS     ... plus or minus up to MS (uniform), so frames may overtake each other
  --reorder P     with a delay: P % of frames go at once (netem's reorder: they overtake)
  --duplicate P   send P % of frames twice

Runs inside the test namespace only (`ip netns exec`), on the two interfaces it is given, until
SIGTERM. Frames it cannot send (larger than the link MTU, which GRO could make) are counted and
dropped. Prints its counters on exit. Seeded, so a run is repeatable in what it decides.
"""
import argparse, heapq, random, select, signal, socket, sys, time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    total = sum(memoryview(data).cast('H'))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF  # native order, stored native (little-endian) below


def fix_checksums(frame: bytes) -> bytes:
    """Frames read off a tap or veth may carry a partial TCP/UDP checksum (offload: the checksum
    was to be finished by hardware that is not there); the receiver then drops them. Finish it."""
    if len(frame) < 34 or frame[12:14] != b'\x08\x00':
        return frame
    ihl = (frame[14] & 0x0F) * 4
    proto = frame[23]
    total_len = int.from_bytes(frame[16:18], 'big')
    if proto not in (6, 17) or (int.from_bytes(frame[20:22], 'big') & 0x3FFF) != 0:
        return frame  # not TCP/UDP, or a fragment
    l4 = bytearray(frame[14 + ihl:14 + total_len])
    off = 16 if proto == 6 else 6
    if len(l4) < off + 2:
        return frame
    l4[off:off + 2] = b'\0\0'
    pseudo = frame[26:34] + bytes([0, proto]) + len(l4).to_bytes(2, 'big')
    c = csum(pseudo + bytes(l4))
    if proto == 17 and c == 0:
        c = 0xFFFF
    l4[off:off + 2] = c.to_bytes(2, 'little')
    return frame[:14 + ihl] + bytes(l4) + frame[14 + total_len:]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('a')
    ap.add_argument('b')
    ap.add_argument('--loss', type=float, default=0)
    ap.add_argument('--delay', type=float, default=0)
    ap.add_argument('--jitter', type=float, default=0)
    ap.add_argument('--reorder', type=float, default=0)
    ap.add_argument('--duplicate', type=float, default=0)
    ap.add_argument('--seed', type=int, default=1)
    o = ap.parse_args()
    rnd = random.Random(o.seed)
    socks = {}
    for name in (o.a, o.b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        s.setblocking(False)
        socks[name] = s
    peer = {o.a: socks[o.b], o.b: socks[o.a]}
    stats = {'in': 0, 'lost': 0, 'dup': 0, 'sent': 0, 'oversize': 0}
    queue = []  # (due, seq, sock, frame)
    seq = 0
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))

    def send(sock, frame):
        try:
            sock.send(frame)
            stats['sent'] += 1
        except OSError:
            stats['oversize'] += 1

    while running[0]:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, sock, frame = heapq.heappop(queue)
            send(sock, frame)
        timeout = max(0.0, queue[0][0] - now) if queue else 0.2
        try:
            ready, _, _ = select.select(list(socks.values()), [], [], timeout)
        except InterruptedError:
            continue
        for s in ready:
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except (BlockingIOError, InterruptedError):
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                stats['in'] += 1
                out = peer[addr[0]]
                frame = fix_checksums(frame)
                if rnd.random() * 100 < o.loss:
                    stats['lost'] += 1
                    continue
                copies = 2 if rnd.random() * 100 < o.duplicate else 1
                stats['dup'] += copies - 1
                for _ in range(copies):
                    hold = 0.0
                    if o.delay > 0 and not (rnd.random() * 100 < o.reorder):
                        hold = max(0.0, o.delay + rnd.uniform(-o.jitter, o.jitter)) / 1000
                    if hold == 0.0:
                        send(out, frame)
                    else:
                        seq += 1
                        heapq.heappush(queue, (time.monotonic() + hold, seq, out, frame))
    print(' '.join(f'{k}={v}' for k, v in stats.items()), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
