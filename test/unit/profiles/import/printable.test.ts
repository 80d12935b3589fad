/** printable/shown: file text as a report may show it (no control characters, cut, quoted). */
import { describe, expect, it } from 'vitest';
import { printable, shown } from '../../../../main/profiles/import/printable';

describe('printable', () => {
  it('controlCharacters_becomeQuestionMarks', () => {
    expect(printable('a\u001b[31mb\u0007c\u009bd')).toBe('a?[31mb?c?d');
    expect(printable('tab\there\r\n')).toBe('tab?here??');
  });

  it('longValues_areCutAtMax_withAnEllipsis', () => {
    expect(printable('x'.repeat(60))).toBe('x'.repeat(60));
    expect(printable('x'.repeat(61))).toBe(`${'x'.repeat(60)}...`);
    expect(printable('abcdef', 3)).toBe('abc...');
  });

  it('ordinaryText_isUnchanged', () => {
    expect(printable('Office VPN (Zürich)')).toBe('Office VPN (Zürich)');
  });
});

describe('shown', () => {
  it('quotesThePrintableValue', () => {
    expect(shown('a"b')).toBe('"a\\"b"');
    expect(shown('a\u0000b')).toBe('"a?b"');
    expect(shown('abcdef', 2)).toBe('"ab..."');
  });
});
