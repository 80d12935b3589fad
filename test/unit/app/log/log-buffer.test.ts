/** The app's log ring buffer: redacts on add, bounded capacity, listeners, long lines cut. */
import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../../../main/log/redact';
import { LogBuffer, MAX_LOG_MESSAGE } from '../../../../main/app/log/log-buffer';

describe('LogBuffer', () => {
  it('redactsOnAdd_boundsCapacity_andNotifies', () => {
    const log = new LogBuffer(new SecretRegistry(), 3, () => 42);
    log.secrets.hold('topsecret');
    const seen: string[] = [];
    log.onLine((l) => seen.push(l.message));
    for (let i = 0; i < 5; i++) log.info(`line ${i} topsecret`);
    expect(log.size).toBe(3);
    expect(log.snapshot().map((l) => l.seq)).toEqual([3, 4, 5]);
    expect(seen.every((m) => !m.includes('topsecret'))).toBe(true);
    expect(log.snapshot(4)).toHaveLength(1);
    expect(log.snapshot(0, 2).map((l) => l.seq)).toEqual([4, 5]);
  });

  it('longLines_areCut', () => {
    const log = new LogBuffer();
    const line = log.info('x'.repeat(MAX_LOG_MESSAGE * 3));
    expect(line.message.length).toBeLessThan(MAX_LOG_MESSAGE + 20);
    expect(line.message.endsWith('(cut)')).toBe(true);
  });
});
