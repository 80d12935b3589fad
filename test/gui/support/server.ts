/**
 * The GUI tests' main process: the REAL main-process core (main/app/core.ts: the same Handlers
 * object the Electron adapter registers, the profile store, keytar, the tunnel supervisor) behind
 * a tiny HTTP transport, plus a static server for the BUILT renderer.
 *
 *   POST /__pptp/invoke  {channel, request} -> the contract envelope (dispatchInvoke)
 *   GET  /__pptp/events  Server-Sent Events: one `event: <channel>` per push event
 *   GET  /__pptp/transcript  every envelope and event this server sent (tests scan it for secrets)
 *   GET  /*              files of the renderer build, with the app's CSP header
 *
 * The transport's "sender check" mirrors the Electron one: only same-origin requests carrying
 * the shim's header are served. Run under dbus-run-session with gnome-keyring (harness.ts).
 *
 *   node --import tsx test/gui/support/server.ts --renderer DIR --data DIR --service '["cmd",...]' [--keychain NAME]
 * Prints one JSON line {"ready":true,"port":N} on stdout when listening. Stops on SIGTERM or
 * when stdin closes (disconnecting the tunnel first, as the app does on quit).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dispatchInvoke, type AppInfo } from '../../../preload/contract';
import { createAppCore } from '../../../main/app/core';
import { KeytarSecretStore } from '../../../main/profiles/keychain/keytar-secret-store';
import { withCspHeader } from '../../../main/app/security-policy';

const { values } = parseArgs({
  options: {
    renderer: { type: 'string' },
    data: { type: 'string' },
    service: { type: 'string' },
    'service-cwd': { type: 'string' },
    'service-env': { type: 'string' },
    keychain: { type: 'string', default: 'PPTP Manager GUI test' },
  },
});
if (!values.renderer || !values.data || !values.service) {
  process.stderr.write('usage: server.ts --renderer DIR --data DIR --service JSON\n');
  process.exit(64);
}
const rendererDir = path.resolve(values.renderer);
const serviceArgv = JSON.parse(values.service) as string[];
const serviceEnv = values['service-env'] ? (JSON.parse(values['service-env']) as Record<string, string>) : {};

const info: AppInfo = {
  name: 'PPTP Manager',
  version: '0.1.0-gui-test',
  platform: process.platform,
  arch: process.arch,
  privilegeMode: 'in-process',
  privilegeNote: 'GUI test harness: the renderer runs in Chromium, main-process handlers in Node.',
  canSaveFiles: false,
};

const core = await createAppCore({
  userDataDir: values.data,
  secrets: new KeytarSecretStore({ service: values.keychain }),
  serviceCommand: {
    mode: 'custom',
    command: serviceArgv[0] as string,
    args: serviceArgv.slice(1),
    env: serviceEnv,
    ...(values['service-cwd'] ? { cwd: values['service-cwd'] } : {}),
  },
  info: () => info,
});

const transcript: string[] = [];
const clients = new Set<ServerResponse>();
core.wire((channel, payload) => {
  const data = JSON.stringify(payload);
  transcript.push(`event ${channel} ${data}`);
  for (const res of clients) res.write(`event: ${channel}\ndata: ${data}\n\n`);
});
core.log.info('GUI test server started.');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  const h = withCspHeader(headers);
  for (const [k, v] of Object.entries(h)) res.setHeader(k, v);
  res.statusCode = status;
  res.end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

let origin = '';
const server = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    if (url.pathname === '/__pptp/invoke' && req.method === 'POST') {
      // The transport's sender check: same origin and the shim's header, like Electron's frame check.
      if (req.headers.origin !== origin || req.headers['x-pptp-bridge'] !== '1') {
        send(res, 403, { 'Content-Type': 'application/json' }, JSON.stringify({ ok: false, error: { code: 'forbidden', message: 'not the app' } }));
        return;
      }
      const body = await readBody(req, 8 * 1024 * 1024);
      let parsed: { channel?: unknown; request?: unknown } = {};
      try {
        parsed = body === undefined ? {} : (JSON.parse(body) as typeof parsed);
      } catch {
        parsed = {};
      }
      const envelope = await dispatchInvoke(core.handlers, String(parsed.channel ?? ''), parsed.request, { senderUrl: req.headers.referer ?? '' });
      const text = JSON.stringify(envelope);
      transcript.push(`invoke ${String(parsed.channel)} ${text}`);
      send(res, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, text);
      return;
    }
    if (url.pathname === '/__pptp/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname === '/__pptp/transcript') {
      send(res, 200, { 'Content-Type': 'text/plain; charset=utf-8' }, transcript.join('\n'));
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(rendererDir, `.${rel}`);
    if (!file.startsWith(rendererDir + path.sep)) {
      send(res, 403, { 'Content-Type': 'text/plain' }, 'forbidden');
      return;
    }
    try {
      const data = await fs.readFile(file);
      send(res, 200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }, data);
    } catch {
      send(res, 404, { 'Content-Type': 'text/plain' }, 'not found');
    }
  })().catch((error: unknown) => {
    if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'internal error');
    process.stderr.write(`gui server: ${String(error)}\n`);
  });
});

server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  origin = `http://127.0.0.1:${port}`;
  process.stdout.write(JSON.stringify({ ready: true, port }) + '\n');
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const c of clients) c.end();
  server.close();
  await core.shutdown(10_000);
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
