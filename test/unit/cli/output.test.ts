/** output.ts: user-supplied text reaches the terminal without control characters; stdout/stderr, prefixes, colour, live lines. */
import { afterEach, describe, expect, it } from 'vitest';
import { colourEnabled, error, live, liveUpdatesEnabled, out, stdoutColour, streams, terminalText, warn } from '../../../main/cli/output';
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

describe('streams, prefixes, colour and live lines', () => {
  const saved = { ...streams };
  let o = '';
  let e = '';
  const use = (tty: boolean, env: NodeJS.ProcessEnv) => {
    o = '';
    e = '';
    streams.stdout = { isTTY: tty, write: (s: string) => (o += s) };
    streams.stderr = { isTTY: tty, write: (s: string) => (e += s) };
    streams.env = env;
  };
  afterEach(() => Object.assign(streams, saved));

  it('errorsAndWarnings_goToStderr_withOnePrefixEach', () => {
    use(false, {});
    out('result');
    error('bad thing\n  advice');
    warn('careful');
    expect(o).toBe('result\n');
    expect(e).toBe('pptpctl: error: bad thing\n  advice\npptpctl: warning: careful\n');
  });

  it('colour_onlyOnATerminal_andNeverWithNoColorOrDumbTerm', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true); // no-color.org: set and not empty
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    use(true, {});
    error('x');
    expect(e).toBe('\x1b[31mpptpctl: error:\x1b[39m x\n');
    use(true, { NO_COLOR: '1' });
    error('x');
    expect(stdoutColour('green', '✓')).toBe('✓');
    expect(e).toBe('pptpctl: error: x\n');
  });

  it('liveLine_rewrittenInPlaceOnATerminal_keptWhenLasting_erasedWhenTransient', () => {
    use(true, {});
    live('  … lcp', 'transient');
    out('  ✓ LCP');
    live('  up 1 s', 'lasting');
    live('  up 2 s', 'lasting');
    out('Disconnected');
    expect(o).toBe('\r\x1b[2K  … lcp\r\x1b[2K  ✓ LCP\n\r\x1b[2K  up 1 s\r\x1b[2K  up 2 s\nDisconnected\n');
  });

  it('liveLine_onAPipe_plainLines_noSpinner_noEscapes', () => {
    use(false, {});
    live('  … lcp', 'transient');
    live('  up 1 s', 'lasting');
    live('  up 2 s', 'lasting');
    expect(o).toBe('  up 1 s\n  up 2 s\n');
    expect(liveUpdatesEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('userTextCannotInjectEscapes_evenThroughTheErrorPrefix', () => {
    use(true, {});
    error('name \x1b[2J');
    expect(e).toBe('\x1b[31mpptpctl: error:\x1b[39m name ?[2J\n');
  });
});
