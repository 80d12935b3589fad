/**
 * Scenario: packets both ways through the TUN. Opens a TUN, applies a full-tunnel plan, and
 * answers every ICMP echo request it reads from the TUN by writing the echo reply back (a
 * one-function "server"); then runs the real `ping` at an Internet address that the /1 routes
 * send into the tunnel. Args: { stateDir, plan, target, count }.
 */
import { TunDevice } from '../../../main/service/tun/tun-device';
import { createNetworkConfigurator, planNetwork, type NetworkPlanInput } from '../../../main/service/net';
import { emit, fail, scenarioArgs, sh } from './common';

function checksum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += (bytes[i]! << 8) | (i + 1 < end ? bytes[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The echo reply for an IPv4 ICMP echo request, or null for anything else. */
export function echoReply(packet: Buffer): Buffer | null {
  if (packet.length < 28 || packet[0]! >> 4 !== 4 || packet[9] !== 1) return null;
  const ihl = (packet[0]! & 0x0f) * 4;
  if (packet[ihl] !== 8) return null; // ICMP type 8: echo request (RFC 792)
  const reply = Buffer.from(packet);
  packet.copy(reply, 12, 16, 20); // src <- dst
  packet.copy(reply, 16, 12, 16); // dst <- src (the IP header checksum is unchanged by a swap)
  reply[ihl] = 0; // type 0: echo reply
  reply.writeUInt16BE(0, ihl + 2);
  reply.writeUInt16BE(checksum(reply, ihl, reply.length), ihl + 2);
  return reply;
}

async function main(): Promise<void> {
  const args = scenarioArgs<{ stateDir: string; plan: Omit<NetworkPlanInput, 'tunName'>; target: string; count: number }>();
  const opened = TunDevice.open({ name: 'pptp%d' });
  if (!opened.ok) throw opened.error;
  const tun = opened.value;
  let echoRequests = 0;
  let batches = 0;
  tun.onPackets((packets) => {
    batches++;
    for (const packet of packets) {
      const reply = echoReply(packet);
      if (reply === null) continue;
      echoRequests++;
      tun.write(reply);
    }
  });
  const plan = planNetwork({ ...args.plan, tunName: tun.name });
  if (!plan.ok) throw new Error(plan.error.message);
  const net = createNetworkConfigurator({ stateDir: args.stateDir });
  const applied = await net.apply(plan.value);
  const ping = await sh('ping', ['-n', '-c', String(args.count), '-i', '0.2', '-W', '2', args.target]);
  const restored = await net.restore();
  const stats = tun.stats();
  tun.close();
  emit({ applied, pingExit: ping.code, pingOutput: ping.stdout, echoRequests, batches, stats, restored });
}

main().catch(fail);
