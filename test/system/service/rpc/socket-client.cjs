// A tiny RPC client for the socket-service system test, run as another user through setpriv:
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: run as plain node under setpriv, no loader. */
// connects to argv[2], writes argv[3] (JSON-encoded text) and prints every line it gets back
// as one JSON array on stdout when the daemon closes the connection or after argv[4] ms.
'use strict';
const net = require('node:net');
const [socketPath, textJson, waitMs] = process.argv.slice(2);
const lines = [];
let buf = '';
const done = (error) => {
  process.stdout.write(JSON.stringify({ lines, error: error ?? null }) + '\n');
  process.exit(0);
};
const socket = net.createConnection({ path: socketPath });
socket.setEncoding('utf8');
socket.on('connect', () => socket.write(JSON.parse(textJson)));
socket.on('data', (chunk) => {
  buf += chunk;
  let nl;
  while ((nl = buf.indexOf('\n')) !== -1) {
    lines.push(JSON.parse(buf.slice(0, nl)));
    buf = buf.slice(nl + 1);
  }
});
socket.on('error', (e) => done(e.code || e.message));
socket.on('close', () => done());
setTimeout(() => done(), Number(waitMs) || 1500);
