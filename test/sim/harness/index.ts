/**
 * The simulation harness (see pair.ts for the full API and the endpoint contract):
 * VirtualClock, SimRandom (seeded), LossyLink (drop / duplicate / delay + jitter / reorder),
 * StreamLink (reliable in-order stream with re-segmentation and close), Pair (the two-endpoint
 * driver: step, drive, driveUntil, runToIdle, schedule) and PcapWriter (LINKTYPE_RAW captures).
 * Test code only: it may read nothing real either, so runs replay from their seeds.
 */
export { VirtualClock } from './virtual-clock';
export { SimRandom } from './sim-random';
export { LossyLink } from './lossy-link';
export type { LinkEvent, LinkImpairment, LinkStats } from './lossy-link';
export { StreamLink } from './stream-link';
export type { StreamImpairment } from './stream-link';
export { Pair } from './pair';
export type { PairOptions, SimEndpoint } from './pair';
export { PcapWriter, LINKTYPE_RAW, SIM_ADDRESS_A, SIM_ADDRESS_B, internetChecksum, ipv4Header } from './pcap';
