import { describe, expect, it } from 'vitest';
import { adviceFor } from '../../../../main/service/doctor/advice';

describe('adviceFor', () => {
  it('a TUN removed from outside is not blamed on missing privileges', () => {
    const gone = adviceFor({ reason: 'network-config-failed', detail: { step: 'tun', tunGone: true } });
    expect(gone.title).toMatch(/interface was removed/);
    expect(gone.fix).not.toMatch(/root|CAP_NET_ADMIN/);
    // A TUN that could not be opened still points at privileges.
    const cannotOpen = adviceFor({ reason: 'network-config-failed', detail: { step: 'tun' } });
    expect(cannotOpen.fix).toMatch(/root/);
    expect(adviceFor({ reason: 'network-config-failed' })).toEqual(cannotOpen);
  });

  it('tunGone only changes the network-config-failed advice', () => {
    expect(adviceFor({ reason: 'peer-disconnected', detail: { tunGone: true } })).toEqual(adviceFor({ reason: 'peer-disconnected' }));
  });
});
