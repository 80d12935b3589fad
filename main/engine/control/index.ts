/**
 * The PPTP control connection (RFC 2637 §2, §3), client side: the public surface of this
 * folder. Re-exports only; see each module for what it owns.
 */
export * from './constants';
export type * from './messages';
export { parseControlHeader, type ControlHeader } from './header';
export { encodeControlMessage } from './encode';
export { decodeControlMessage } from './decode';
export * from './codes';
export { ControlFramer, DEFAULT_MAX_CONTROL_MESSAGE_LENGTH, type ControlFramerOptions, type FramerOutput } from './framer';
export * from './events';
export { ControlConnection } from './connection';
