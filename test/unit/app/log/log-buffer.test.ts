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

  it('restore_putsEarlierLinesFirst_renumbers_scrubsAgain_keepsCapacity_andAnnouncesNothing', () => {
    const log = new LogBuffer(new SecretRegistry(), 3, () => 42);
    log.info('this run');
    const heard: string[] = [];
    log.onLine((l) => heard.push(l.message));
    log.restore([
      { time: 1, level: 'info', source: 'app', message: 'old 1' },
      { time: 2, level: 'warn', source: 'tunnel', message: 'old password=hunter2', profileId: 'p', attemptId: 'a' },
      { time: 3, level: 'info', source: 'app', message: 'old 3' },
    ]);
    expect(log.snapshot().map((l) => [l.seq, l.message])).toEqual([
      [1, 'old password=[redacted]'],
      [2, 'old 3'],
      [3, 'this run'],
    ]);
    expect(log.snapshot()[0]).toMatchObject({ profileId: 'p', attemptId: 'a' });
    expect(log.info('next').seq).toBe(4);
    expect(heard).toEqual(['next']);
  });

  it('theTagger_setsAttemptIds_andItsFailureDoesNotStopLogging', () => {
    const log = new LogBuffer();
    log.setTagger((l) => (l.profileId === 'p' ? 'attempt-1' : undefined));
    expect(log.info('a', 'app', 'p').attemptId).toBe('attempt-1');
    expect(log.info('b').attemptId).toBeUndefined();
    log.setTagger(() => {
      throw new Error('broken tagger');
    });
    expect(log.info('c').message).toBe('c');
  });

  it('clear_tellsClearListeners', () => {
    const log = new LogBuffer();
    let cleared = 0;
    log.onClear(() => cleared++);
    log.info('x');
    log.clear();
    expect([log.size, cleared]).toEqual([0, 1]);
  });
});
