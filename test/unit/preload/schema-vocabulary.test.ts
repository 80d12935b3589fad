/**
 * The zod schemas at the edges wrap the shared vocabulary (preload/vocabulary.ts) and accept
 * exactly its values: every listed word, nothing else. (No copy is kept equal here: the schemas
 * are built from the vocabulary, so this only checks the wrapping.)
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AUTH_METHODS, FAILURE_REASONS, LOG_LEVELS, MPPE_KEY_BITS, MPPE_REQUIREMENTS, TUNNEL_PHASES } from '../../../preload/vocabulary';
import { failureReasonSchema, logEventSchema, mppeInfoSchema, phaseSchema } from '../../../preload/schema/tunnel';
import { ProfileSettingsSchema } from '../../../preload/schema/profile';

function acceptsExactly(schema: z.ZodType, values: readonly unknown[], outsider: unknown): void {
  for (const v of values) expect(schema.safeParse(v).success, String(v)).toBe(true);
  expect(schema.safeParse(outsider).success).toBe(false);
}

describe('tunnel event schemas take the vocabulary', () => {
  it('failureReason_acceptsEveryReason_andNoOther', () => {
    acceptsExactly(failureReasonSchema, FAILURE_REASONS, 'gre-filtered');
  });

  it('phase_acceptsEveryPhase_andNoOther', () => {
    acceptsExactly(phaseSchema, TUNNEL_PHASES, 'chap');
  });

  it('mppeInfo_acceptsEveryKeyLength_andNoOther', () => {
    acceptsExactly(mppeInfoSchema, MPPE_KEY_BITS.map((bits) => ({ bits, stateful: false })), { bits: 64, stateful: false });
  });

  it('logEvent_acceptsEveryLevel_andNoOther', () => {
    const line = (level: unknown) => ({ event: 'log', level, message: 'm' });
    acceptsExactly(logEventSchema, LOG_LEVELS.map(line), line('trace'));
  });
});

describe('the profile schema takes the vocabulary', () => {
  const profile = ProfileSettingsSchema.shape;

  it('auth_acceptsEveryMethod_andNoOther', () => {
    acceptsExactly(profile.auth, AUTH_METHODS.map((m) => [m]), ['spap']);
  });

  it('mppe_acceptsEveryRequirement_andNoOther', () => {
    acceptsExactly(profile.mppe, MPPE_REQUIREMENTS, 'required-128');
  });
});
