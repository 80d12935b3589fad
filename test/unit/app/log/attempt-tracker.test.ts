/** AttemptTracker: which attempt a log line belongs to, across a connect, a reconnect, an error and a second profile. */
import { describe, expect, it } from 'vitest';
import { AttemptTracker, ATTEMPT_HISTORY } from '../../../../main/app/log/attempt-tracker';
import { freshAttempt } from '../../../../main/app/tunnel/tunnel-view';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function tracker() {
  let n = 0;
  return new AttemptTracker(() => 5000, () => `id${++n}`);
}

describe('AttemptTracker', () => {
  it('theConnectLine_opensTheAttempt_theConnectingStateAdoptsIt', () => {
    const t = tracker();
    expect(t.tag({ source: 'app' })).toBeUndefined();
    expect(t.tag({ source: 'app', profileId: A })).toBe('id1');
    t.onState({ state: 'connecting', profileId: A, phase: null, attempt: 0 });
    expect(t.tag({ source: 'service' })).toBe('id1');
    t.onState({ state: 'connecting', profileId: A, phase: 'tcp', attempt: 0 });
    expect(t.tag({ source: 'tunnel', profileId: A })).toBe('id1');
    t.onState({ state: 'connected', profileId: A, details: {} as never });
    // A reconnect is a new attempt.
    t.onState({ state: 'connecting', profileId: A, phase: null, attempt: 1 });
    expect(t.tag({ source: 'tunnel', profileId: A })).toBe('id2');
    t.onState({ state: 'idle' });
    // After the end: the tunnel's late lines still belong to it, unrelated lines do not.
    expect(t.tag({ source: 'tunnel', profileId: A })).toBe('id2');
    expect(t.tag({ source: 'app' })).toBeUndefined();
    expect(t.tag({ source: 'tunnel', profileId: B })).toBeUndefined();
    expect(t.attempts().map((a) => [a.attemptId, a.reconnect])).toEqual([
      ['id1', 0],
      ['id2', 1],
    ]);
  });

  it('aConnectAfterAnError_isANewAttempt; aConnectWithoutTheLine_getsItsOwnId', () => {
    const t = tracker();
    t.onState({ state: 'connecting', profileId: A, phase: null, attempt: 0 });
    expect(t.currentId).toBe('id1');
    t.onState({ state: 'error', profileId: A, failure: { reason: 'auth-failed', message: 'x' }, advice: { title: '', fix: '' } });
    expect(t.tag({ source: 'tunnel', profileId: A })).toBe('id1');
    expect(t.tag({ source: 'app', profileId: A })).toBe('id2');
    t.onState({ state: 'connecting', profileId: A, phase: null, attempt: 0 });
    expect(t.currentId).toBe('id2');
  });

  it('keepsTheLatestViewOfEachAttempt_boundedHistory', () => {
    const t = tracker();
    for (let i = 0; i < ATTEMPT_HISTORY + 2; i++) {
      t.onState({ state: 'connecting', profileId: A, phase: null, attempt: 0 });
      t.onAttempt({ ...freshAttempt(A), failure: { reason: 'tcp-unreachable', message: `try ${i}` } });
      t.onState({ state: 'idle' });
    }
    const kept = t.attempts();
    expect(kept).toHaveLength(ATTEMPT_HISTORY);
    expect(kept.at(-1)?.attempt?.failure?.message).toBe(`try ${ATTEMPT_HISTORY + 1}`);
    // A view of another profile's attempt does not overwrite this one's.
    t.onAttempt({ ...freshAttempt(B) });
    expect(t.attempts().at(-1)?.profileId).toBe(A);
  });
});
