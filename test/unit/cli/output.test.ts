/** terminalText: user-supplied text reaches pptpctl's terminal without control characters. */
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../../main/cli/output';
import { stripControlChars } from '../../../preload/schema/text';

describe('terminalText', () => {
  it('escSequences_areDefused', () => {
    // Colour, clear-screen, OSC title set (ends in BEL), cursor moves, 8-bit CSI.
    const hostile = 'Office\u001b[31m red\u001b[2J\u001b]0;owned\u0007 \u009b6n end';
    const safe = terminalText(hostile);
    expect(safe).toBe('Office?[31m red?[2J?]0;owned? ?6n end');
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(safe)).toBe(false); // eslint-disable-line no-control-regex
  });

  it('carriageReturn_cannotOverwriteTheLine', () => {
    expect(terminalText('safe\rEVIL')).toBe('safe?EVIL');
  });

  it('keepsTabsAndNewlines_thatPptpctlLaysOut', () => {
    expect(terminalText('name\tuser@server\nnext')).toBe('name\tuser@server\nnext');
  });

  it('ordinaryUnicode_isUntouched', () => {
    expect(terminalText('Büro Zürich — VPN ✓')).toBe('Büro Zürich — VPN ✓');
  });
});

describe('stripControlChars', () => {
  it('withoutLayout_tabsAndNewlinesGoToo', () => {
    expect(stripControlChars('a\tb\nc\u001bd', { replacement: '' })).toBe('abcd');
  });
});
