/**
 * The RFC 1661 §4.1 state transition table, transcribed cell for cell (h11 style: everything
 * that decides a transition lives here, in one readable table). fsm.ts executes it; it adds no
 * transition of its own.
 *
 * Reading a cell: `actions/next-state`, actions comma-separated; a bare number is a transition
 * without actions; '-' is an event that cannot happen in that state (RFC 1661: "illegal
 * transition"; the automaton ignores it and counts it). Footnote letters after the state:
 *   r = restart option (§4.2: Open in Stopped/Closing/Stopping/Opened MAY restart the link; we
 *       do not: the table's base transition is taken),
 *   p = passive option (§4.2 Stopped: we are the active client, so tlf/3 is final),
 *   x = crossed connection (§4.2: the peer's reply crossed our new request; handled by scr/6).
 */

export const FSM_STATES = [
  'initial', // 0: lower layer down, no Open
  'starting', // 1: Open, lower layer down
  'closed', // 2: lower layer up, no Open
  'stopped', // 3: Open, negotiation ended (failed or peer terminated); waits for a peer restart
  'closing', // 4: we sent Terminate-Request after Close
  'stopping', // 5: Terminate-Request sent/received without Close
  'req-sent', // 6: our Configure-Request sent
  'ack-rcvd', // 7: our request Ack'd, waiting for an acceptable request from the peer
  'ack-sent', // 8: we Ack'd the peer's request, ours is not yet Ack'd
  'opened', // 9: both requests Ack'd
] as const;
export type FsmState = (typeof FSM_STATES)[number];

export const FSM_EVENTS = [
  'up', // lower layer is Up
  'down', // lower layer is Down
  'open', // administrative Open
  'close', // administrative Close
  'to+', // Restart timer expired, counter > 0
  'to-', // Restart timer expired, counter exhausted
  'rcr+', // Receive-Configure-Request, acceptable
  'rcr-', // Receive-Configure-Request, needs Nak or Reject
  'rca', // Receive-Configure-Ack
  'rcn', // Receive-Configure-Nak or Configure-Reject
  'rtr', // Receive-Terminate-Request
  'rta', // Receive-Terminate-Ack
  'ruc', // Receive-Unknown-Code
  'rxj+', // Receive-Code-Reject or Protocol-Reject, permitted
  'rxj-', // Receive-Code-Reject or Protocol-Reject, catastrophic
  'rxr', // Receive-Echo-Request, Echo-Reply or Discard-Request
] as const;
export type FsmEvent = (typeof FSM_EVENTS)[number];

export const FSM_ACTIONS = [
  'tlu', // This-Layer-Up
  'tld', // This-Layer-Down
  'tls', // This-Layer-Started
  'tlf', // This-Layer-Finished
  'irc', // Initialize-Restart-Count (Max-Configure before scr, Max-Terminate before str)
  'zrc', // Zero-Restart-Count (and arm the timer once)
  'scr', // Send-Configure-Request
  'sca', // Send-Configure-Ack
  'scn', // Send-Configure-Nak/Reject
  'str', // Send-Terminate-Request
  'sta', // Send-Terminate-Ack
  'scj', // Send-Code-Reject
  'ser', // Send-Echo-Reply
] as const;
export type FsmAction = (typeof FSM_ACTIONS)[number];

export interface FsmTransition {
  readonly actions: readonly FsmAction[];
  readonly next: FsmState;
  /** The RFC's footnote letter, when the cell has one. */
  readonly note?: 'r' | 'p' | 'x';
}

// prettier-ignore
export const RFC1661_TABLE: Readonly<Record<FsmEvent, readonly string[]>> = {
  //        0 Initial  1 Starting   2 Closed     3 Stopped        4 Closing    5 Stopping   6 Req-Sent    7 Ack-Rcvd    8 Ack-Sent    9 Opened
  'up':   [ '2',       'irc,scr/6', '-',         '-',             '-',         '-',         '-',          '-',          '-',          '-'             ],
  'down': [ '-',       '-',         '0',         'tls/1',         '0',         '1',         '1',          '1',          '1',          'tld/1'         ],
  'open': [ 'tls/1',   '1',         'irc,scr/6', '3r',            '5r',        '5r',        '6',          '7',          '8',          '9r'            ],
  'close':[ '0',       'tlf/0',     '2',         '2',             '4',         '4',         'irc,str/4',  'irc,str/4',  'irc,str/4',  'tld,irc,str/4' ],
  'to+':  [ '-',       '-',         '-',         '-',             'str/4',     'str/5',     'scr/6',      'scr/6',      'scr/8',      '-'             ],
  'to-':  [ '-',       '-',         '-',         '-',             'tlf/2',     'tlf/3',     'tlf/3p',     'tlf/3p',     'tlf/3p',     '-'             ],
  'rcr+': [ '-',       '-',         'sta/2',     'irc,scr,sca/8', '4',         '5',         'sca/8',      'sca,tlu/9',  'sca/8',      'tld,scr,sca/8' ],
  'rcr-': [ '-',       '-',         'sta/2',     'irc,scr,scn/6', '4',         '5',         'scn/6',      'scn/7',      'scn/6',      'tld,scr,scn/6' ],
  'rca':  [ '-',       '-',         'sta/2',     'sta/3',         '4',         '5',         'irc/7',      'scr/6x',     'irc,tlu/9',  'tld,scr/6x'    ],
  'rcn':  [ '-',       '-',         'sta/2',     'sta/3',         '4',         '5',         'irc,scr/6',  'scr/6x',     'irc,scr/8',  'tld,scr/6x'    ],
  'rtr':  [ '-',       '-',         'sta/2',     'sta/3',         'sta/4',     'sta/5',     'sta/6',      'sta/6',      'sta/6',      'tld,zrc,sta/5' ],
  'rta':  [ '-',       '-',         '2',         '3',             'tlf/2',     'tlf/3',     '6',          '6',          '8',          'tld,scr/6'     ],
  'ruc':  [ '-',       '-',         'scj/2',     'scj/3',         'scj/4',     'scj/5',     'scj/6',      'scj/7',      'scj/8',      'scj/9'         ],
  'rxj+': [ '-',       '-',         '2',         '3',             '4',         '5',         '6',          '6',          '8',          '9'             ],
  'rxj-': [ '-',       '-',         'tlf/2',     'tlf/3',         'tlf/2',     'tlf/3',     'tlf/3',      'tlf/3',      'tlf/3',      'tld,irc,str/5' ],
  'rxr':  [ '-',       '-',         '2',         '3',             '4',         '5',         '6',          '7',          '8',          'ser/9'         ],
};

/** Parses one cell; undefined for '-'. Exported for the table test. */
export function parseCell(cell: string): FsmTransition | undefined | 'invalid' {
  if (cell === '-') return undefined;
  const m = /^(?:([a-z,]+)\/)?([0-9])([rpx])?$/.exec(cell);
  if (!m) return 'invalid';
  const actions = m[1] ? m[1].split(',') : [];
  for (const a of actions) if (!(FSM_ACTIONS as readonly string[]).includes(a)) return 'invalid';
  const next = FSM_STATES[Number(m[2])];
  if (next === undefined) return 'invalid';
  const note = m[3] as 'r' | 'p' | 'x' | undefined;
  return { actions: actions as FsmAction[], next, ...(note ? { note } : {}) };
}

function buildTable(): ReadonlyMap<string, FsmTransition> {
  const table = new Map<string, FsmTransition>();
  for (const event of FSM_EVENTS) {
    const row = RFC1661_TABLE[event];
    FSM_STATES.forEach((state, i) => {
      const parsed = parseCell(row[i] ?? 'missing');
      // A typo in the constant table above is a programming error caught by the table test;
      // it is treated as an illegal transition rather than crashing at load.
      if (parsed !== undefined && parsed !== 'invalid') table.set(`${state}|${event}`, parsed);
    });
  }
  return table;
}

const TABLE = buildTable();

/** The RFC 1661 transition for (state, event), or undefined when the RFC marks it illegal. */
export function fsmTransition(state: FsmState, event: FsmEvent): FsmTransition | undefined {
  return TABLE.get(`${state}|${event}`);
}
