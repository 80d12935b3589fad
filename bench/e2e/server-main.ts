/**
 * The end-to-end benchmark's PPTP server process (run inside the server's network namespace by
 * bench/e2e/e2e.ts): starts a RealPptpServer, gives its TUN device the tunnel addresses, prints
 * one JSON line {"ready":true} on stdout when TCP 1723 listens, then a JSON line with its
 * counters and process.cpuUsage()/memoryUsage() on each SIGUSR2, and exits on SIGTERM/SIGINT.
 *
 *   node server.mjs --listen 10.1.2.1 --user u --password p --tun pptps0 --local 192.168.77.1 --assign 192.168.77.10
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { RealPptpServer } from './real-server';

const { values } = parseArgs({
  options: {
    listen: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    tun: { type: 'string', default: 'pptps0' },
    local: { type: 'string', default: '192.168.77.1' },
    assign: { type: 'string', default: '192.168.77.10' },
    mtu: { type: 'string', default: '1500' },
    window: { type: 'string', default: '64' },
  },
});
if (!values.listen || !values.user || values.password === undefined) {
  process.stderr.write('usage: server --listen IP --user NAME --password PW [--tun NAME --local IP --assign IP --mtu N]\n');
  process.exit(2);
}

const server = await RealPptpServer.start({
  listenIp: values.listen,
  username: values.user,
  password: values.password,
  tunName: values.tun,
  localIp: values.local,
  assignIp: values.assign,
  receiveWindow: Number(values.window),
  log: (line) => process.stderr.write(`server: ${line}\n`),
});
execFileSync('ip', ['addr', 'add', values.local, 'peer', values.assign, 'dev', server.tun.name]);
execFileSync('ip', ['link', 'set', server.tun.name, 'mtu', values.mtu, 'up']);

process.on('SIGUSR2', () => {
  process.stdout.write(`${JSON.stringify({ counters: server.counters, gre: server.greCounters, cpu: process.cpuUsage(), memory: process.memoryUsage() })}\n`);
});
const stop = () => {
  server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdout.write(`${JSON.stringify({ ready: true, tun: server.tun.name })}\n`);
