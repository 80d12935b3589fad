/**
 * A client PptpSession brought up against the simulated pptpd/pppd server of the session
 * simulations (test/sim/support/pptp-server.ts), moving bytes synchronously: the fixture of the
 * engine benchmarks (session.bench.ts, engine-path.bench.ts). Not a benchmark file itself.
 */
import { PptpSession } from '../../main/engine/session';
import { seededRandom } from '../../main/engine/random';
import { PptpServer } from '../../test/sim/support/pptp-server';

export function ipPacket(size: number): Uint8Array {
  const p = new Uint8Array(size);
  p[0] = 0x45;
  p[2] = size >> 8;
  p[3] = size & 0xff;
  p[9] = 17;
  p.set([192, 168, 77, 10], 12);
  p.set([192, 168, 77, 1], 16);
  return p;
}

/** Brings a client session up against the simulated server, moving bytes synchronously. */
export function connectedPair(stateful: boolean) {
  let now = 0;
  const client = new PptpSession({
    random: seededRandom(1),
    credentials: { username: 'alice', password: 's3cret-Pass' },
    allowedAuth: ['mschapv2'],
    mppe: { mppe: 'require-128', allowStateful: stateful },
    lcpEcho: { mode: 'off' },
  });
  const server = new PptpServer({
    random: seededRandom(2),
    auth: { method: 'mschapv2', username: 'alice', password: 's3cret-Pass' },
    ppp: { dns: ['192.168.77.1'], ...(stateful ? { mppeOffer: 0x40 } : {}) },
  });
  const shuttle = () => {
    for (let moved = true; moved; ) {
      moved = false;
      for (let b = client.pollControlBytes(); b; b = client.pollControlBytes()) {
        server.handleStreamBytes(now, b);
        server.afterInput(now); // the harness contract: drain the endpoint after every input
        moved = true;
      }
      for (let g = client.pollGrePacket(); g; g = client.pollGrePacket()) {
        server.handleDatagram(now, g);
        server.afterInput(now);
        moved = true;
      }
      for (let b = server.pollStreamBytes(); b; b = server.pollStreamBytes()) {
        client.handleControlBytes(now, b);
        moved = true;
      }
      for (let g = server.pollDatagram(); g; g = server.pollDatagram()) {
        client.handleGre(now, g);
        moved = true;
      }
    }
  };
  server.handleConnected(now);
  client.start(now);
  for (let i = 0; i < 10_000 && client.state !== 'up'; i++) {
    shuttle();
    now += 1;
    client.handleTimeout(now);
    server.handleTimeout(now);
    server.afterInput(now);
  }
  shuttle();
  if (client.state !== 'up') throw new Error(`bench session did not come up (${client.state})`);
  for (let e = client.pollEvent(); e; e = client.pollEvent());
  const mtu = client.info!.mtu;
  // A benchmark that measured drops would be worse than none: one probe must come through.
  client.handleTunPacket(now, ipPacket(mtu));
  shuttle();
  if (server.ipReceived.length !== 1) throw new Error('bench session does not deliver a full-size packet');
  server.ipReceived.length = 0;
  // 0.1 ms of virtual time per packet (10k packets/s on the wire); due timers (delayed GRE acks,
  // reorder timeouts) fire as they would in the service.
  const tick = () => {
    now += 0.1;
    if ((client.nextTimeout() ?? Infinity) <= now) client.handleTimeout(now);
    if ((server.nextTimeout() ?? Infinity) <= now) {
      server.handleTimeout(now);
      server.afterInput(now);
    }
    return now;
  };
  return { client, server, shuttle, tick, mtu };
}

