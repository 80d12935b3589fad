/**
 * The advice for a failure the client caused by refusing the server's proposal (the engine's
 * ppp/refusal.ts puts `refusal` and the server's offer in Failure.detail): what the server
 * wanted, and how to allow it in the GUI's profile (its Security section) and in pptpctl
 * (`--auth`, `--mppe`, `--stateful`). Pure: reads the detail only; advice.ts's adviceFor()
 * calls it before falling back to the reason's advice.
 */
import {
  AUTH_METHOD_LABELS,
  AUTH_METHODS,
  MPPE_REQUIREMENT_LABELS,
  NEGOTIATION_REFUSALS,
  type AuthMethod,
  type NegotiationRefusal,
} from '../../../preload/vocabulary';
import type { Advice } from './advice';

/** A failure's detail as the engine, the service's error event or the GUI carries it. */
export type FailureDetail = Readonly<Record<string, unknown>>;
type Detail = FailureDetail;

/** What each weaker method costs, said when the advice is to allow it. */
const METHOD_NOTE: Readonly<Record<AuthMethod, string>> = {
  mschapv2: '',
  mschap: ' MS-CHAPv1 is weak: better ask the administrator to allow MS-CHAPv2.',
  chap: ' CHAP-MD5 yields no MPPE keys, so the profile must also allow no encryption (pptpctl: --mppe none): better ask the administrator to allow MS-CHAPv2.',
  pap: ' PAP sends the password unprotected and yields no MPPE keys, so the profile must also allow no encryption (pptpctl: --mppe none): better ask the administrator to allow MS-CHAPv2.',
  eap: ' Inside EAP this client does EAP-MS-CHAPv2 and EAP-MD5.',
};

function text(detail: Detail, key: string): string {
  const v = detail[key];
  return typeof v === 'string' ? v : '';
}

function authMethodAdvice(detail: Detail): Advice {
  const method = AUTH_METHODS.find((m) => m === detail.serverMethod);
  if (!method) {
    return {
      title: 'The server requires an authentication method this client does not speak',
      fix: `The server asked for ${text(detail, 'serverOffer') || 'an unknown method'}. Ask the administrator to allow MS-CHAPv2 for PPTP clients.`,
    };
  }
  const label = AUTH_METHOD_LABELS[method];
  const allowed = text(detail, 'allowedMethods');
  const flag = allowed ? `${allowed},${method}` : method;
  return {
    title: `The server requires ${label}, which this profile does not allow`,
    fix: `Allow ${label} if you accept it: tick it under Security in the profile, or with pptpctl add it to --auth (e.g. --auth ${flag}).${METHOD_NOTE[method]}`,
  };
}

function keyLengthAdvice(detail: Detail): Advice {
  const offered = text(detail, 'offeredBits')
    .split(',')
    .filter((b) => b === '40' || b === '56' || b === '128');
  if (offered.length === 0) {
    return {
      title: 'The server offers MPPE without a key length this client knows',
      fix: 'Ask the administrator to enable 128-bit MPPE encryption.',
    };
  }
  const flags = offered.map((b) => `--mppe ${b}`).join(' or ');
  return {
    title: `The server offers only ${text(detail, 'serverOffer')} MPPE keys, which this profile refuses`,
    fix: `To accept them, set Encryption (MPPE) under Security in the profile to "${MPPE_REQUIREMENT_LABELS['require-any']}" (pptpctl: ${flags}, or --mppe required for any length). Keys shorter than 128 bits are weak: better ask the administrator to enable 128-bit MPPE.`,
  };
}

const ADVICE_BY_REFUSAL: Readonly<Record<NegotiationRefusal, (detail: Detail) => Advice>> = {
  'auth-method': authMethodAdvice,
  'eap-type': (detail) => ({
    title: `The server wants ${text(detail, 'serverOffer') || 'an EAP type'}, which this client does not do`,
    fix: 'PPTP Manager does EAP-MS-CHAPv2 and EAP-MD5 only (not PEAP, EAP-TLS or other TLS-based EAP). Ask the administrator to allow MS-CHAPv2 (or EAP-MS-CHAPv2) for PPTP clients; if the server also offers plain MS-CHAPv2, untick EAP under Security in the profile (pptpctl: leave eap out of --auth) so that it asks for that instead.',
  }),
  'mppe-off': () => ({
    title: 'The server requires encryption, and this profile turns it off',
    fix: `Set Encryption (MPPE) under Security in the profile to "${MPPE_REQUIREMENT_LABELS['require-128']}" (pptpctl: --mppe 128, the default, instead of --mppe none). Encryption needs MS-CHAPv2 or MS-CHAPv1 as the authentication method.`,
  }),
  'mppe-stateful': () => ({
    title: 'The server insists on stateful MPPE, which this profile does not allow',
    fix: 'Tick "Allow stateful MPPE" under Security in the profile (pptpctl: add --stateful). FreeBSD mpd5 and firewalls built on it offer stateful MPPE unless told otherwise; it recovers more slowly from packet loss, so the administrator may prefer to enable stateless MPPE (mpd5: set mppc yes stateless).',
  }),
  'mppe-key-length': keyLengthAdvice,
};

/** The refusal's advice, or undefined when the detail names no refusal. */
export function refusalAdvice(detail: FailureDetail | undefined): Advice | undefined {
  const kind = NEGOTIATION_REFUSALS.find((k) => k === detail?.refusal);
  return kind && detail ? ADVICE_BY_REFUSAL[kind](detail) : undefined;
}
