import { describe, expect, it } from 'vitest';
import { EXIT_CODE_BY_REASON, EXIT_CODE_TABLE } from '../../../main/cli/exit-codes';
import { FAILURE_REASONS } from '../../../preload/vocabulary';
import { ADVICE } from '../../../main/service/doctor/advice';

describe('exit codes', () => {
  it('gives every failure reason a documented code, and distinct reasons distinct codes', () => {
    const documented = new Map(EXIT_CODE_TABLE.map(([code, name]) => [name, code]));
    const seen = new Set<number>();
    for (const reason of FAILURE_REASONS) {
      const code = EXIT_CODE_BY_REASON[reason];
      if (reason === 'local-disconnect') {
        expect(code).toBe(0);
        continue;
      }
      expect(documented.get(reason), reason).toBe(code);
      expect(seen.has(code), `${reason} shares exit code ${code}`).toBe(false);
      seen.add(code);
    }
  });
  it('gives the issue 10 reasons their own codes', () => {
    expect(EXIT_CODE_BY_REASON['data-path-dead']).toBe(17);
    expect(EXIT_CODE_BY_REASON['auth-method-refused']).toBe(18);
    // The encryption disagreements the client refuses itself (MPPE off, stateful, key length) stay 7.
    expect(EXIT_CODE_BY_REASON['encryption-refused']).toBe(7);
  });
  it('has advice for every reason', () => {
    for (const reason of FAILURE_REASONS) expect(ADVICE[reason].fix.length).toBeGreaterThan(10);
  });
});
