import { describe, expect, it } from 'vitest';
import { resolveControlConfig } from '../../../../main/engine/control/connection-config';
import { seededRandom } from '../../../../main/engine/random';

const random = seededRandom(1);

describe('control connection configuration', () => {
  it('fills in the defaults (RFC 2637 §3.1.4 echo 60 s, window 64, host "local")', () => {
    expect(resolveControlConfig({ random })).toEqual({
      hostName: 'local',
      vendor: 'PPTP Manager',
      firmwareRevision: 1,
      echoIdleMs: 60_000,
      echoReplyTimeoutMs: 60_000,
      replyTimeoutMs: 30_000,
      teardownTimeoutMs: 5_000,
      receiveWindow: 64,
      processingDelay: 0,
      phoneNumber: '',
      subaddress: '',
    });
  });

  it('keeps given values', () => {
    const c = resolveControlConfig({ random, hostName: 'h', receiveWindow: 1, processingDelay: 0xffff, echoIdleMs: 0.5 });
    expect(c).toMatchObject({ hostName: 'h', receiveWindow: 1, processingDelay: 0xffff, echoIdleMs: 0.5 });
  });

  it.each([
    ['echoIdleMs 0', { echoIdleMs: 0 }],
    ['echoReplyTimeoutMs negative', { echoReplyTimeoutMs: -1 }],
    ['replyTimeoutMs NaN', { replyTimeoutMs: Number.NaN }],
    ['teardownTimeoutMs infinite', { teardownTimeoutMs: Number.POSITIVE_INFINITY }],
    ['receiveWindow 0', { receiveWindow: 0 }],
    ['receiveWindow over 16 bits', { receiveWindow: 70_000 }],
    ['processingDelay fractional', { processingDelay: 1.5 }],
    ['firmwareRevision negative', { firmwareRevision: -1 }],
  ])('throws RangeError for %s', (_what, bad) => {
    expect(() => resolveControlConfig({ random, ...bad })).toThrow(RangeError);
  });
});
