import { describe, expect, it } from 'vitest';
import {
  FSM_EVENTS,
  FSM_STATES,
  RFC1661_TABLE,
  fsmTransition,
  parseCell,
} from '../../../../main/engine/ppp/fsm-table';

// RFC 1661 §4.1 as printed in the RFC (two halves); the code's table must say the same.
const RFC_TEXT_LEFT = `
 Up   |    2     irc,scr/6     -         -         -         -
 Down |    -         -         0       tls/1       0         1
 Open |  tls/1       1     irc,scr/6     3r        5r        5r
 Close|    0       tlf/0       2         2         4         4
  TO+ |    -         -         -         -       str/4     str/5
  TO- |    -         -         -         -       tlf/2     tlf/3
 RCR+ |    -         -       sta/2 irc,scr,sca/8   4         5
 RCR- |    -         -       sta/2 irc,scr,scn/6   4         5
 RCA  |    -         -       sta/2     sta/3       4         5
 RCN  |    -         -       sta/2     sta/3       4         5
 RTR  |    -         -       sta/2     sta/3     sta/4     sta/5
 RTA  |    -         -         2         3       tlf/2     tlf/3
 RUC  |    -         -       scj/2     scj/3     scj/4     scj/5
 RXJ+ |    -         -         2         3         4         5
 RXJ- |    -         -       tlf/2     tlf/3     tlf/2     tlf/3
 RXR  |    -         -         2         3         4         5
`;
const RFC_TEXT_RIGHT = `
 Up   |    -         -         -           -
 Down |    1         1         1         tld/1
 Open |    6         7         8           9r
 Close|irc,str/4 irc,str/4 irc,str/4 tld,irc,str/4
  TO+ |  scr/6     scr/6     scr/8         -
  TO- |  tlf/3p    tlf/3p    tlf/3p        -
 RCR+ |  sca/8   sca,tlu/9   sca/8   tld,scr,sca/8
 RCR- |  scn/6     scn/7     scn/6   tld,scr,scn/6
 RCA  |  irc/7     scr/6x  irc,tlu/9   tld,scr/6x
 RCN  |irc,scr/6   scr/6x  irc,scr/8   tld,scr/6x
 RTR  |  sta/6     sta/6     sta/6   tld,zrc,sta/5
 RTA  |    6         6         8       tld,scr/6
 RUC  |  scj/6     scj/7     scj/8       scj/9
 RXJ+ |    6         6         8           9
 RXJ- |  tlf/3     tlf/3     tlf/3   tld,irc,str/5
 RXR  |    6         7         8         ser/9
`;

function parseRfcText(): Map<string, string> {
  const cells = new Map<string, string>();
  const halves: [string, number][] = [
    [RFC_TEXT_LEFT, 0],
    [RFC_TEXT_RIGHT, 6],
  ];
  for (const [text, firstState] of halves) {
    for (const line of text.trim().split('\n')) {
      const [label, rest] = line.split('|');
      const event = label!.trim().toLowerCase();
      rest!.trim().split(/\s+/).forEach((cell, i) => cells.set(`${event}|${FSM_STATES[firstState + i]}`, cell));
    }
  }
  return cells;
}

describe('RFC 1661 §4.1 transition table', () => {
  const rfc = parseRfcText();

  it('has one cell for every state x event (160 cells)', () => {
    expect(rfc.size).toBe(FSM_STATES.length * FSM_EVENTS.length);
    for (const event of FSM_EVENTS) expect(RFC1661_TABLE[event]).toHaveLength(FSM_STATES.length);
  });

  for (const event of FSM_EVENTS) {
    it(`row ${event} matches the RFC text in every state`, () => {
      FSM_STATES.forEach((state, i) => {
        expect({ state, cell: RFC1661_TABLE[event][i] }).toEqual({ state, cell: rfc.get(`${event}|${state}`) });
        const parsed = parseCell(RFC1661_TABLE[event][i]!);
        expect(parsed).not.toBe('invalid');
        expect(fsmTransition(state, event)).toEqual(parsed);
      });
    });
  }

  it('parses cells into actions, next state and footnote', () => {
    expect(parseCell('tld,irc,str/4')).toEqual({ actions: ['tld', 'irc', 'str'], next: 'closing' });
    expect(parseCell('tlf/3p')).toEqual({ actions: ['tlf'], next: 'stopped', note: 'p' });
    expect(parseCell('9r')).toEqual({ actions: [], next: 'opened', note: 'r' });
    expect(parseCell('-')).toBeUndefined();
    expect(parseCell('xyz/4')).toBe('invalid');
    expect(parseCell('scr/12')).toBe('invalid');
  });
});
