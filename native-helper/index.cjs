'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the addon loads in Node and Electron without a loader. */
// pptp-native-helper: the JavaScript face of the N-API addon (build/Release/pptp_native_helper.node).
//
// Owns: loading the compiled addon and turning the reader thread's batches (one byte block +
// end offsets) into arrays of Buffers, and passing through peerCredentials, the utun framing
// and the TCP coalescer (both exposed for tests). Loading this module never throws: when the addon is not built, or the
// platform has no TUN implementation yet, openTun() and peerCredentials() throw a TunHelperError
// with a stable `code` instead.
const path = require('node:path');

class TunHelperError extends Error {
  /**
   * @param {string} code ERR_TUN_UNSUPPORTED_PLATFORM | ERR_HELPER_NOT_BUILT | ERR_TUN_CLOSED | ERR_PEERCRED_* | an errno name (EPERM, EBUSY, ...)
   * @param {string} message
   * @param {unknown} [cause]
   */
  constructor(code, message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TunHelperError';
    this.code = code;
  }
}

let binding = null;
let loadError = null;
try {
  binding = require(path.join(__dirname, 'build', 'Release', 'pptp_native_helper.node'));
} catch (error) {
  loadError = error;
}

const platformSupported = binding !== null && binding.platformSupported === true;

function toHelperError(error) {
  if (error instanceof TunHelperError) return error;
  const code = error && typeof error.code === 'string' ? error.code : 'EUNKNOWN';
  const message = error && typeof error.message === 'string' ? error.message : String(error);
  const wrapped = new TunHelperError(code, message, error);
  if (error && typeof error.errno === 'number') wrapped.errno = error.errno;
  if (error && typeof error.syscall === 'string') wrapped.syscall = error.syscall;
  return wrapped;
}

// Platforms whose build has a TUN implementation (binding.gyp: tun_linux.cc, tun_darwin.cc).
const TUN_PLATFORMS = ['linux', 'darwin'];

function assertLoaded() {
  if (binding !== null) return;
  if (!TUN_PLATFORMS.includes(process.platform)) {
    throw new TunHelperError('ERR_TUN_UNSUPPORTED_PLATFORM', `TUN devices are not supported on this platform yet (${process.platform})`);
  }
  throw new TunHelperError(
    'ERR_HELPER_NOT_BUILT',
    'the native helper is not built (run `npm ci` or `npx node-gyp rebuild` in native-helper/)',
    loadError,
  );
}

/** An open TUN device. See index.d.ts for the contract. */
class Tun {
  constructor(native) {
    this._native = native;
    this._closed = false;
    this._reading = false;
    this.name = native.name;
    this.fd = native.fd;
  }

  get closed() {
    return this._closed;
  }

  startReading(onPackets, options = {}) {
    if (this._closed) throw new TunHelperError('ERR_TUN_CLOSED', 'the TUN device is closed');
    if (this._reading) throw new TunHelperError('ERR_TUN_READING', 'the TUN reader is already running');
    if (typeof onPackets !== 'function') throw new TypeError('startReading(onPackets) needs a function');
    const onError = typeof options.onError === 'function' ? options.onError : null;
    this._native.start(
      (error, bytes, ends) => {
        if (this._closed) return; // batches still queued when close() ran are dropped
        if (error) {
          if (onError) onError(toHelperError(error));
          return;
        }
        const packets = new Array(ends.length);
        let start = 0;
        for (let i = 0; i < ends.length; i++) {
          const end = ends[i];
          packets[i] = bytes.subarray(start, end);
          start = end;
        }
        onPackets(packets);
      },
      options.batchSize,
      options.queueLimit,
    );
    this._reading = true;
  }

  write(packet) {
    try {
      return this._native.write(packet);
    } catch (error) {
      throw toHelperError(error);
    }
  }

  writeBatch(packets) {
    try {
      return this._native.writeBatch(packets);
    } catch (error) {
      throw toHelperError(error);
    }
  }

  // --- region writes (no JS view per packet; Linux coalesces TCP runs of a batch) ---
  // A bad argument stays a TypeError/RangeError (a caller's bug); ERR_TUN_CLOSED is coded.
  writeAt(buffer, start, end) {
    try {
      return this._native.writeAt(buffer, start, end);
    } catch (error) {
      throw error instanceof TypeError || error instanceof RangeError ? error : toHelperError(error);
    }
  }

  writeBatchAt(buffers, starts, ends, count) {
    try {
      return this._native.writeBatchAt(buffers, starts, ends, count);
    } catch (error) {
      throw error instanceof TypeError || error instanceof RangeError ? error : toHelperError(error);
    }
  }
  // --- end region writes ---

  stats() {
    return this._native.stats();
  }

  ref() {
    this._native.ref();
  }

  unref() {
    this._native.unref();
  }

  close() {
    if (this._closed) return;
    this._closed = true;
    this._native.close();
  }
}

function openTun(options = {}) {
  assertLoaded();
  const name = options.name === undefined ? '' : options.name;
  if (typeof name !== 'string') throw new TypeError('openTun({name}) needs a string name');
  const offload = options.offload === undefined ? 'auto' : options.offload;
  if (offload !== 'auto' && offload !== 'none') throw new TypeError("openTun({offload}) is 'auto' or 'none'");
  try {
    return new Tun(new binding.TunDevice(name, offload === 'auto'));
  } catch (error) {
    throw toHelperError(error);
  }
}

/**
 * Who is at the other end of a connected Unix-domain socket (Linux SO_PEERCRED; macOS
 * getpeereid + LOCAL_PEERPID). See index.d.ts.
 */
function peerCredentials(fd) {
  if (binding === null) {
    throw new TunHelperError('ERR_HELPER_NOT_BUILT', 'the native helper is not built, so peer credentials cannot be read', loadError);
  }
  try {
    return binding.peerCredentials(fd);
  } catch (error) {
    throw toHelperError(error);
  }
}

/** The C++ utun framing (src/utun_frame.h), exposed so tests on every OS run it; null when not built. */
const utunFraming = binding === null ? null : binding.utunFraming;

/** The C++ TCP coalescer of Linux TUN writes (src/tcp_coalesce.h), exposed for tests; null when not built. */
const tcpCoalesce = binding === null ? null : binding.tcpCoalesce;
/** The C++ GSO splitter of Linux TUN reads (src/gso_split.h), exposed for tests; null when not built. */
const gsoSplit = binding === null ? null : binding.gsoSplit;

// ---- GRE: the raw GRE socket (src/gre_port.cc) -------------------------------------------
// Owns: opening a GrePort and passing batches through unchanged (bytes block + end offsets,
// IPv4 headers included: the caller strips them). Errors are TunHelperErrors with GRE codes.

// Platforms whose build has a raw GRE socket (binding.gyp: raw_gre_socket_linux.cc, _darwin.cc).
const GRE_PLATFORMS = ['linux', 'darwin'];

const greSupported = binding !== null && binding.greSupported === true;

function assertGreLoaded() {
  if (binding !== null) return;
  if (!GRE_PLATFORMS.includes(process.platform)) {
    throw new TunHelperError('ERR_GRE_UNSUPPORTED_PLATFORM', `raw GRE sockets are not supported on this platform yet (${process.platform})`);
  }
  throw new TunHelperError(
    'ERR_HELPER_NOT_BUILT',
    'the native helper is not built (run `npm ci` or `npx node-gyp rebuild` in native-helper/)',
    loadError,
  );
}

/** An open raw GRE socket connected to one peer. See index.d.ts for the contract. */
class GrePort {
  constructor(native, remote) {
    this._native = native;
    this._closed = false;
    this._reading = false;
    this.remote = remote;
    this.fd = native.fd;
  }

  get closed() {
    return this._closed;
  }

  startReading(onDatagrams, options = {}) {
    if (this._closed) throw new TunHelperError('ERR_GRE_CLOSED', 'the GRE socket is closed');
    if (this._reading) throw new TunHelperError('ERR_GRE_READING', 'the GRE reader is already running');
    if (typeof onDatagrams !== 'function') throw new TypeError('startReading(onDatagrams) needs a function');
    const onError = typeof options.onError === 'function' ? options.onError : null;
    this._native.start(
      (error, bytes, ends) => {
        if (this._closed) return; // batches still queued when close() ran are dropped
        if (error) {
          if (onError) onError(toHelperError(error));
          return;
        }
        onDatagrams(bytes, ends);
      },
      options.batchSize,
      options.queueLimit,
    );
    this._reading = true;
  }

  drain() {
    if (this._closed || !this._reading) return 0;
    try {
      return this._native.drain();
    } catch (error) {
      throw toHelperError(error);
    }
  }

  sendBatch(buffers, starts, ends, count) {
    try {
      return this._native.sendBatch(buffers, starts, ends, count);
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) throw error;
      throw toHelperError(error);
    }
  }

  stats() {
    return this._native.stats();
  }

  ref() {
    this._native.ref();
  }

  unref() {
    this._native.unref();
  }

  close() {
    if (this._closed) return;
    this._closed = true;
    this._native.close();
  }
}

function openGre(options) {
  assertGreLoaded();
  const remote = options === null || typeof options !== 'object' ? undefined : options.remote;
  if (typeof remote !== 'string') throw new TypeError('openGre({remote}) needs the peer\'s IPv4 address as a string');
  try {
    return new GrePort(new binding.GrePort(remote), remote);
  } catch (error) {
    if (error instanceof TypeError) throw error;
    throw toHelperError(error);
  }
}
// ---- end GRE -----------------------------------------------------------------------------

module.exports = { openTun, peerCredentials, utunFraming, tcpCoalesce, gsoSplit, platformSupported, loadError, TunHelperError, Tun, openGre, GrePort, greSupported };

