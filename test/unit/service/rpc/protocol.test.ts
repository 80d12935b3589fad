/** The service's `status` reply speaks the shared vocabulary's tunnel states, and only those. */
import { describe, expect, it } from 'vitest';
import { serviceStatusSchema } from '../../../../main/service/rpc/protocol';
import { SERVICE_TUNNEL_STATES } from '../../../../preload/vocabulary';

describe('serviceStatusSchema', () => {
  it('acceptsEveryServiceTunnelState_andNoOther', () => {
    for (const state of SERVICE_TUNNEL_STATES) expect(serviceStatusSchema.safeParse({ state }).success, state).toBe(true);
    // 'error' is an app-side state (preload/contract.ts), never the service's.
    expect(serviceStatusSchema.safeParse({ state: 'error' }).success).toBe(false);
  });
});
