// One TCP exchange, run by `ip netns exec NS node tcp-oneshot.mjs ...` so it happens inside the
// test namespace (Node cannot switch namespaces itself). Plain JS so it starts in ~50 ms.
//
//   node tcp-oneshot.mjs HOST PORT [--timeout MS] [--expect N] [--linger MS] [--keep-open] [--connect-only]
//
// Reads all of stdin, connects, writes it, half-closes (unless --keep-open), and copies what the
// peer sends to stdout until the peer closes, or N bytes arrived (--expect), or the timeout.
// --linger MS: once N bytes arrived, keep the connection open MS longer (output stops at N).
// --connect-only: connect, then close at once (a reachability probe; nothing is written).
// Exit codes: 0 done, 2 connect failed, 3 timeout, 4 usage.
import net from 'node:net';

const argv = process.argv.slice(2);
const host = argv[0];
const port = Number(argv[1]);
let timeoutMs = 10_000;
let expect = -1;
let keepOpen = false;
let connectOnly = false;
let lingerMs = 0;
for (let i = 2; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--timeout') timeoutMs = Number(argv[++i]);
  else if (a === '--expect') expect = Number(argv[++i]);
  else if (a === '--keep-open') keepOpen = true;
  else if (a === '--linger') lingerMs = Number(argv[++i]);
  else if (a === '--connect-only') connectOnly = true;
  else {
    process.stderr.write(`tcp-oneshot: unknown argument ${a}\n`);
    process.exit(4);
  }
}
if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write('usage: tcp-oneshot.mjs HOST PORT [--timeout MS] [--expect N] [--linger MS] [--keep-open] [--connect-only]\n');
  process.exit(4);
}

const readStdin = async () => {
  if (connectOnly) return Buffer.alloc(0);
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  return Buffer.concat(chunks);
};

const input = await readStdin();
const timer = setTimeout(() => {
  process.stderr.write(`tcp-oneshot: timeout after ${timeoutMs} ms\n`);
  process.exit(3);
}, timeoutMs);

const sock = net.connect({ host, port });
let received = 0;
sock.on('connect', () => {
  if (connectOnly) {
    clearTimeout(timer);
    sock.destroy();
    return;
  }
  if (input.length > 0) sock.write(input);
  if (!keepOpen) sock.end();
});
let done = false;
sock.on('data', (d) => {
  if (done) return;
  const room = expect >= 0 ? expect - received : d.length;
  const part = room < d.length ? d.subarray(0, room) : d;
  received += part.length;
  process.stdout.write(part);
  if (expect >= 0 && received >= expect) {
    done = true;
    clearTimeout(timer);
    if (lingerMs > 0) setTimeout(() => sock.destroy(), lingerMs);
    else sock.destroy();
  }
});
sock.on('end', () => {
  clearTimeout(timer);
});
sock.on('error', (e) => {
  process.stderr.write(`tcp-oneshot: ${e.code ?? ''} ${e.message}\n`);
  process.exit(2);
});
