import { describe, expect, it } from 'vitest';
import { MAX_LOG_LINES, type LogLine } from '../../../preload/contract';
import { api } from '../../../renderer/src/services/bridge';
import { createAppStore } from '../../../renderer/src/store/app-store';
import { formatLogLine, logAttempts, visibleLogLines } from '../../../renderer/src/store/logs-slice';

function line(seq: number, level: LogLine['level'], message: string, source = 'tunnel'): LogLine {
  return { seq, time: Date.UTC(2025, 0, 1, 12, 0, seq), level, source, message };
}

describe('logs slice', () => {
  it('filters by minimum level and by text (case-insensitive, message or source)', () => {
    const lines = [line(1, 'debug', 'LCP ConfReq id=1'), line(2, 'info', 'Connected'), line(3, 'warn', 'Echo missed', 'service'), line(4, 'error', 'GRE blocked')];
    expect(visibleLogLines(lines, 'info', '').map((l) => l.seq)).toEqual([2, 3, 4]);
    expect(visibleLogLines(lines, 'warn', '').map((l) => l.seq)).toEqual([3, 4]);
    expect(visibleLogLines(lines, 'debug', 'lcp').map((l) => l.seq)).toEqual([1]);
    expect(visibleLogLines(lines, 'debug', 'SERVICE').map((l) => l.seq)).toEqual([3]);
    expect(visibleLogLines(lines, 'error', 'echo')).toEqual([]);
  });

  it('drops duplicate lines by seq and keeps them in order', () => {
    const store = createAppStore(api);
    const s = store.getState();
    s.appendLogLine(line(2, 'info', 'b'));
    s.appendLogLine(line(1, 'info', 'a'));
    s.appendLogLine(line(2, 'info', 'b again'));
    expect(store.getState().logLines.map((l) => `${l.seq}:${l.message}`)).toEqual(['1:a', '2:b']);
  });

  it('keeps at most MAX_LOG_LINES, the newest', () => {
    const store = createAppStore(api);
    for (let i = 0; i < MAX_LOG_LINES + 3; i++) store.getState().appendLogLine(line(i, 'info', `m${i}`));
    const kept = store.getState().logLines;
    expect(kept).toHaveLength(MAX_LOG_LINES);
    expect(kept[0]?.seq).toBe(3);
  });

  it('formats a line for copying', () => {
    expect(formatLogLine(line(5, 'warn', 'Echo missed'))).toBe('2025-01-01T12:00:05.000Z WARN  [tunnel] Echo missed');
  });
});

describe('logs slice: profiles and attempts', () => {
  const P = '11111111-1111-4111-8111-111111111111';
  const Q = '22222222-2222-4222-8222-222222222222';
  const tagged = (seq: number, level: LogLine['level'], tags: { profileId?: string; attemptId?: string }): LogLine => ({ ...line(seq, level, `m${seq}`), ...tags });

  it('logAttempts_newestFirst_withProfileLineCountAndFailure', () => {
    const lines = [tagged(1, 'info', { attemptId: 'x' }), tagged(2, 'error', { profileId: P, attemptId: 'x' }), tagged(3, 'info', { profileId: Q, attemptId: 'y' }), tagged(4, 'info', {})];
    expect(logAttempts(lines)).toEqual([
      { attemptId: 'y', profileId: Q, firstTime: lines[2]!.time, lineCount: 1, failed: false },
      { attemptId: 'x', profileId: P, firstTime: lines[0]!.time, lineCount: 2, failed: true },
    ]);
  });

  it('aProfile_includesTheUntaggedLinesOfItsAttempts_notOtherProfiles', () => {
    const lines = [tagged(1, 'info', { attemptId: 'x' }), tagged(2, 'info', { profileId: P, attemptId: 'x' }), tagged(3, 'info', { profileId: Q }), tagged(4, 'info', { profileId: P })];
    expect(visibleLogLines(lines, 'info', '', { profileId: P }).map((l) => l.seq)).toEqual([1, 2, 4]);
    expect(visibleLogLines(lines, 'info', '', { attemptId: 'x' }).map((l) => l.seq)).toEqual([1, 2]);
    expect(visibleLogLines(lines, 'info', '', { profileId: Q, attemptId: null }).map((l) => l.seq)).toEqual([3]);
  });
});
