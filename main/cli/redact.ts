/**
 * Last line of defence for what pptpctl prints: the shared redaction (main/log/redact.ts:
 * secret values, also JSON-escaped, and key=value patterns). Secrets shorter than 4 characters
 * are not searched for: replacing every "a" of a one-letter password would mangle ordinary
 * text, and the engine already never puts the password in events.
 */
import { redactText } from '../log/redact';

export function redactOutput(text: string, secrets: readonly string[]): string {
  return redactText(text, secrets.filter((s) => s.length >= 4));
}
