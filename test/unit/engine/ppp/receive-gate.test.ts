import { describe, expect, it } from 'vitest';
import type { ReceiveGateState } from '../../../../main/engine/ppp/receive-gate';
import { routeFrame } from '../../../../main/engine/ppp/receive-gate';
import {
  PPP_PROTO_CCP,
  PPP_PROTO_CHAP,
  PPP_PROTO_COMPRESSED,
  PPP_PROTO_IP,
  PPP_PROTO_IPCP,
  PPP_PROTO_IPV6,
  PPP_PROTO_IPV6CP,
  PPP_PROTO_LCP,
  PPP_PROTO_PAP,
} from '../../../../main/engine/ppp/protocol';

const CONFIGURE_REQUEST = Uint8Array.of(1, 1, 0, 4);
const CONFIGURE_ACK = Uint8Array.of(2, 1, 0, 4);

function state(over: Partial<ReceiveGateState>): ReceiveGateState {
  return { phase: 'network', authProtocol: undefined, authRunning: false, ccpRunning: false, ipcpStarted: false, ...over };
}

describe('routeFrame (RFC 1661 §3.4-3.7)', () => {
  it('LCP goes to LCP in every phase', () => {
    for (const phase of ['establish', 'authenticate', 'network', 'terminate'] as const) {
      expect(routeFrame(PPP_PROTO_LCP, CONFIGURE_REQUEST, state({ phase }))).toBe('lcp');
    }
  });

  it('Establish and Terminate: everything but LCP is dropped', () => {
    for (const phase of ['establish', 'terminate'] as const) {
      for (const protocol of [PPP_PROTO_IPCP, PPP_PROTO_CCP, PPP_PROTO_IP, PPP_PROTO_CHAP, PPP_PROTO_IPV6CP]) {
        expect(routeFrame(protocol, CONFIGURE_REQUEST, state({ phase }))).toBe('drop-wrong-phase');
      }
    }
  });

  it('Authenticate: the method gets its packets; network protocols are dropped, others Protocol-Rejected', () => {
    const s = state({ phase: 'authenticate', authProtocol: PPP_PROTO_CHAP, authRunning: true });
    expect(routeFrame(PPP_PROTO_CHAP, CONFIGURE_REQUEST, s)).toBe('auth');
    for (const protocol of [PPP_PROTO_IPCP, PPP_PROTO_CCP, PPP_PROTO_IP, PPP_PROTO_COMPRESSED]) {
      expect(routeFrame(protocol, CONFIGURE_REQUEST, s)).toBe('drop-wrong-phase');
    }
    expect(routeFrame(PPP_PROTO_PAP, CONFIGURE_REQUEST, s)).toBe('protocol-reject');
    expect(routeFrame(PPP_PROTO_CHAP, CONFIGURE_REQUEST, { ...s, authRunning: false })).toBe('drop-auth');
  });

  it('Network: the auth protocol is dropped once the method decided', () => {
    expect(routeFrame(PPP_PROTO_CHAP, CONFIGURE_REQUEST, state({ authProtocol: PPP_PROTO_CHAP }))).toBe('drop-auth');
  });

  it('Network: CCP only while it runs, else Protocol-Rejected', () => {
    expect(routeFrame(PPP_PROTO_CCP, CONFIGURE_REQUEST, state({ ccpRunning: true }))).toBe('ccp');
    expect(routeFrame(PPP_PROTO_CCP, CONFIGURE_REQUEST, state({ ccpRunning: false }))).toBe('protocol-reject');
  });

  it('Network: IPCP before it started keeps a Configure-Request and drops anything else', () => {
    expect(routeFrame(PPP_PROTO_IPCP, CONFIGURE_REQUEST, state({ ipcpStarted: true }))).toBe('ipcp');
    expect(routeFrame(PPP_PROTO_IPCP, CONFIGURE_REQUEST, state({}))).toBe('ipcp-early');
    expect(routeFrame(PPP_PROTO_IPCP, CONFIGURE_ACK, state({}))).toBe('drop-wrong-phase');
  });

  it('Network: IP and MPPE go to the data path; IPv6 and IPV6CP are Protocol-Rejected', () => {
    expect(routeFrame(PPP_PROTO_IP, Uint8Array.of(0x45), state({}))).toBe('ip');
    expect(routeFrame(PPP_PROTO_COMPRESSED, Uint8Array.of(0x90, 0), state({}))).toBe('mppe');
    expect(routeFrame(PPP_PROTO_IPV6, Uint8Array.of(0x60), state({}))).toBe('protocol-reject');
    expect(routeFrame(PPP_PROTO_IPV6CP, CONFIGURE_REQUEST, state({}))).toBe('protocol-reject');
  });
});
