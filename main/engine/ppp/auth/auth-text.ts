/**
 * Text that crosses the auth boundary: names and secrets going out (UTF-8, as pppd sends the
 * bytes it was configured with), and server messages coming in (untrusted: decoded leniently,
 * stripped of control characters, capped, and with the user's password redacted in case a
 * hostile or broken server echoes it back). Nothing here ever puts a secret into a message.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Longest server message we keep for the timeline / failure message. */
export const MAX_SERVER_TEXT = 200;

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The name the MS-CHAP methods and EAP Identity send: DOMAIN\\user when a domain is configured. */
export function fullUserName(username: string, domain: string | undefined): string {
  return domain !== undefined && domain !== '' ? `${domain}\\${username}` : username;
}

/**
 * A server's message as displayable text: lenient UTF-8, control characters turned into
 * spaces, trimmed, capped at MAX_SERVER_TEXT characters, and every occurrence of `secret`
 * replaced with "***". Returns undefined for an empty message.
 */
export function serverText(bytes: Uint8Array | string, secret: string): string | undefined {
  let text = typeof bytes === 'string' ? bytes : decoder.decode(bytes);
  text = redact(text, secret);
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (text.length > MAX_SERVER_TEXT) text = `${text.slice(0, MAX_SERVER_TEXT)}...`;
  // Truncation can cut a secret only if it was not redacted; redaction ran first on the whole text.
  return text === '' ? undefined : text;
}

/** Replaces every occurrence of a non-empty secret in text. */
export function redact(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('***');
}
