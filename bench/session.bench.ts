/**
 * The whole userspace data path, per full-size IP packet (the negotiated tunnel MTU, 1396 with
 * pptpd's MRU): the client engine (PPP framing,
 * MPPE-128 encryption, GRE sequencing and encoding) and, on the way back, GRE reception,
 * MPPE decryption and deframing — against the simulated pptpd/pppd server of the session
 * simulations. No sockets: this is the engine's CPU cost, the ceiling the service can reach.
 * Compared side by side: one way (client encrypts, server decrypts, GRE acks flow back), and a full round trip through both engines
 * (client encrypt → server decrypt → server encrypt → client decrypt), stateless vs stateful.
 */
import { registerBenchmark } from './harness';
import { connectedPair, ipPacket } from './support/engine-pair';


for (const stateful of [false, true]) {
  const mode = stateful ? 'stateful' : 'stateless';
  const send = connectedPair(stateful);
  const ip = ipPacket(send.mtu);
  registerBenchmark({
    group: `engine data path, ${send.mtu}-octet IP packets, MPPE-128`,
    name: `one way, client → server (acks returned), ${mode}`,
    bytesPerOp: ip.length,
    run: () => {
      const now = send.tick();
      send.client.handleTunPacket(now, ip);
      send.shuttle();
      if (send.server.ipReceived.length !== 1) throw new Error('packet not delivered');
      send.server.ipReceived.length = 0;
    },
  });
  const rt = connectedPair(stateful);
  registerBenchmark({
    group: `engine data path, ${send.mtu}-octet IP packets, MPPE-128`,
    name: `round trip through client and server engines, ${mode}`,
    bytesPerOp: ip.length,
    run: () => {
      const now = rt.tick();
      rt.client.handleTunPacket(now, ip);
      rt.shuttle();
      for (let p = rt.server.ipReceived.shift(); p; p = rt.server.ipReceived.shift()) rt.server.sendIp(now, p);
      rt.shuttle();
      if (rt.client.pollTunPacket() === undefined) throw new Error('echo not delivered');
    },
  });
}
