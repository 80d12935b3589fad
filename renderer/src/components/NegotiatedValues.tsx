/** What the connection negotiated: server, addresses, DNS, MTU, auth method and MPPE. */
import type { ConnectedDetails } from '../../../preload/contract';
import { AUTH_METHOD_LABELS } from '../../../preload/vocabulary';
import { formatMs } from '../lib/format';

/** The method's one display name ('MS-CHAPv2'); a name the vocabulary does not know is shown as sent. */
function authLabel(auth: string): string {
  return Object.hasOwn(AUTH_METHOD_LABELS, auth) ? AUTH_METHOD_LABELS[auth as keyof typeof AUTH_METHOD_LABELS] : auth;
}

export function NegotiatedValues({ details }: { details: ConnectedDetails }) {
  const rows: [string, string][] = [
    ['Server', details.server],
    ['Local IP', details.localIp],
    ['Remote IP', details.remoteIp],
    ['DNS', details.dns.length ? details.dns.join(', ') : 'none'],
    ['MTU', String(details.mtu)],
    ['Authentication', authLabel(details.auth)],
    ['Encryption', details.mppe ? `MPPE ${details.mppe.bits}-bit, ${details.mppe.stateful ? 'stateful' : 'stateless'}` : 'None (unencrypted)'],
    ['Connected in', formatMs(details.elapsedMs)],
  ];
  if (details.tunName) rows.push(['Interface', details.tunName]);
  if (details.wins?.length) rows.splice(4, 0, ['WINS', details.wins.join(', ')]);
  return (
    <dl className="values" aria-label="Negotiated values">
      {rows.map(([k, v]) => (
        <div key={k} className={`values__row ${k === 'Encryption' && !details.mppe ? 'values__row--danger' : ''}`}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
