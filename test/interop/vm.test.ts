/**
 * Smoke test of the pptpd test VM (test/interop/support/pptpd-vm.ts): the image builds (or comes
 * from the cache), the VM boots in its namespace, the real pptpd answers a hand-built
 * Start-Control-Connection-Request, the test services work, every preset's pppd options parse,
 * and stop() leaves no namespace or process behind. Prints image build and boot times.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeControlMessage } from '../../main/engine/control';
import {
  PPTPD_PRESETS,
  ensurePptpdImage,
  listNetns,
  md5Hex,
  payloadFile,
  pptpPortOpen,
  renderServerConfig,
  requireInteropPrereqs,
  sizedPayload,
  startPptpdVm,
  tcpExchange,
  type PptpdVm,
} from './support/pptpd-vm';

const pre = await requireInteropPrereqs();

/** RFC 2637 §2.1 Start-Control-Connection-Request, built by hand (156 bytes). */
function startControlConnectionRequest(): Buffer {
  const b = Buffer.alloc(156);
  b.writeUInt16BE(156, 0); // Length
  b.writeUInt16BE(1, 2); // PPTP Message Type: Control Message
  b.writeUInt32BE(0x1a2b3c4d, 4); // Magic Cookie
  b.writeUInt16BE(1, 8); // Control Message Type: SCCRQ
  b.writeUInt16BE(0x0100, 12); // Protocol Version 1.0
  b.writeUInt32BE(1, 16); // Framing Capabilities: asynchronous
  b.writeUInt32BE(1, 20); // Bearer Capabilities: analog
  b.writeUInt16BE(0, 24); // Maximum Channels (0 for a PAC-less client)
  b.writeUInt16BE(1, 26); // Firmware Revision
  b.write('vm-smoke-test', 28, 'latin1'); // Host Name (64 octets)
  b.write('pptp-manager', 92, 'latin1'); // Vendor String (64 octets)
  return b;
}

/** RFC 2637 §2.7 Outgoing-Call-Request (168 bytes) with our call ID 0x4242. */
function outgoingCallRequest(): Buffer {
  const b = Buffer.alloc(168);
  b.writeUInt16BE(168, 0); // Length
  b.writeUInt16BE(1, 2); // Control Message
  b.writeUInt32BE(0x1a2b3c4d, 4); // Magic Cookie
  b.writeUInt16BE(7, 8); // OCRQ
  b.writeUInt16BE(0x4242, 12); // Call ID
  b.writeUInt16BE(1, 14); // Call Serial Number
  b.writeUInt32BE(2400, 16); // Minimum BPS
  b.writeUInt32BE(10_000_000, 20); // Maximum BPS
  b.writeUInt32BE(3, 24); // Bearer Type: either
  b.writeUInt32BE(3, 28); // Framing Type: either
  b.writeUInt16BE(64, 32); // Packet Recv. Window Size
  return b;
}

const cString = (b: Buffer, off: number, len: number) => {
  const field = b.subarray(off, off + len);
  const nul = field.indexOf(0);
  return field.subarray(0, nul === -1 ? len : nul).toString('latin1');
};

function processesWithArg(arg: string): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').includes(arg)) pids.push(Number(e));
    } catch {
      // gone
    }
  }
  return pids;
}

describe.skipIf(!pre.ok)('pptpd VM (user-mode-linux)', () => {
  let vm: PptpdVm | undefined;

  beforeAll(async () => {
    const first = await ensurePptpdImage();
    const again = await ensurePptpdImage({ force: true });
    console.log(
      `[pptpd-vm] image ${first.manifest.key}: ${first.cached ? 'from cache' : 'built'} in ${first.ensureMs} ms ` +
        `(cold build recorded in manifest: ${first.manifest.timingsMs.total} ms = download ${first.manifest.timingsMs.download} + ` +
        `assemble ${first.manifest.timingsMs.assemble} + pack ${first.manifest.timingsMs.pack}); cached lookup ${again.ensureMs} ms; ` +
        `initrd ${(first.manifest.initrdBytes / 1048576).toFixed(1)} MiB`,
    );
    expect(again.cached).toBe(true);
    expect(again.dir).toBe(first.dir);
    vm = await startPptpdVm();
    console.log(`[pptpd-vm] ${vm.name} ready in ${vm.bootMs} ms`);
  });

  afterAll(async () => {
    await vm?.stop();
  });

  it('boot_pptpdListensOn1723FromClientNamespace', async () => {
    const v = vm!;
    expect(v.log()).toMatch(/pptpd\[\d+\]: MGR: Manager process started/);
    expect(await pptpPortOpen(v)).toBe(true);
  });

  it('sccrq_linuxPptpdRepliesWithSccrpResultOk', async () => {
    const v = vm!;
    const mark = v.logMark();
    const reply = await tcpExchange(v.netns, v.serverIp, 1723, startControlConnectionRequest(), { expectBytes: 156, keepOpen: true });
    expect(reply.length).toBe(156);
    expect(reply.readUInt16BE(0)).toBe(156); // Length
    expect(reply.readUInt16BE(2)).toBe(1); // Control Message
    expect(reply.readUInt32BE(4)).toBe(0x1a2b3c4d); // Magic Cookie
    expect(reply.readUInt16BE(8)).toBe(2); // SCCRP
    expect(reply.readUInt16BE(12)).toBe(0x0100); // Protocol Version
    expect(reply.readUInt8(14)).toBe(1); // Result Code: successful channel establishment
    expect(cString(reply, 28, 64)).toBe('local');
    expect(cString(reply, 92, 64)).toBe('linux');

    // The project's own decoder reads the real server's reply the same way.
    const decoded = decodeControlMessage(new Uint8Array(reply));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      expect(decoded.value).toMatchObject({ kind: 'StartControlConnectionReply', resultCode: 1, vendorString: 'linux' });
    }

    await v.waitForLog(/pptpd\[\d+\]: CTRL: Client 10\.77\.0\.2 control connection started/, 10_000, mark);
    await v.waitForLog(/CTRL: Client 10\.77\.0\.2 control connection finished/, 10_000, mark);
  });

  it('ocrq_serverLaunchesPppdWhichOffersMsChapV2', async () => {
    // No GRE socket on our side, so the client kernel answers the server's first GRE packet
    // with ICMP protocol-unreachable and pptpd drops the call (pptpd-peer.md) — enough to see
    // that pppd runs in the image (libraries, /dev/ppp, ptys, modules) and what it offers.
    const v = vm!;
    const mark = v.logMark();
    const reply = await tcpExchange(v.netns, v.serverIp, 1723, Buffer.concat([startControlConnectionRequest(), outgoingCallRequest()]), {
      expectBytes: 156 + 32,
      keepOpen: true,
      lingerMs: 1_500,
    });
    const ocrp = reply.subarray(156);
    expect(ocrp.readUInt16BE(0)).toBe(32); // Length
    expect(ocrp.readUInt16BE(8)).toBe(8); // OCRP
    // offset 12: the server's Call ID (0, 128, 256, ... per control connection)
    expect(ocrp.readUInt16BE(12) % 128).toBe(0);
    expect(ocrp.readUInt16BE(14)).toBe(0x4242); // Peer's Call ID = ours
    expect(ocrp.readUInt8(16)).toBe(1); // Result Code: Connected
    expect(ocrp.readUInt32BE(20)).toBe(10_000_000); // Connect Speed
    expect(ocrp.readUInt16BE(24)).toBe(64); // Packet Recv. Window Size
    await v.waitForLog(/pppd\[\d+\]: pppd 2\.4\.9 started by root/, 10_000, mark);
    await v.waitForLog(/pppd\[\d+\]: sent \[LCP ConfReq id=0x1 <asyncmap 0x0> <auth chap MS-v2> <magic 0x[0-9a-f]+> <pcomp> <accomp>\]/, 10_000, mark);
    await v.waitForLog(/pppd\[\d+\]: Exit\./, 10_000, mark);
  });

  it('services_uploadDigestDownloadPayloadAndExec', async () => {
    const v = vm!;
    const upload = Buffer.from(sizedPayload(300_000).subarray(0, 300_000)).reverse();
    const digest = (await tcpExchange(v.netns, v.serverIp, v.services.uploadMd5, upload)).toString().trim();
    expect(digest).toBe(`${md5Hex(upload)}  -`);

    const download = await tcpExchange(v.netns, v.serverIp, v.services.download, '', { timeoutMs: 20_000 });
    expect(download.length).toBe(v.payload.size);
    expect(md5Hex(download)).toBe(v.payload.md5);
    expect(md5Hex(payloadFile())).toBe(v.payload.md5);

    const n = v.payload.size + 12_345;
    const sized = await tcpExchange(v.netns, v.serverIp, v.services.sizedDownload, `${n}\n`, { timeoutMs: 20_000 });
    expect(sized.length).toBe(n);
    expect(md5Hex(sized)).toBe(md5Hex(sizedPayload(n)));

    const r = await v.exec('ip -4 addr show eth0 | grep -o "inet [0-9./]*"; pidof pptpd >/dev/null; exit 7');
    expect(r.code).toBe(7);
    expect(r.output.trim()).toBe('inet 10.77.0.1/24');
  });

  it('presets_everyPppOptionsFileParsesInPppd', async () => {
    const v = vm!;
    // One exec running every dry run in parallel (each pppd start costs ~1 s in UML). pppd
    // checks at startup that a secret exists for the required auth method, so the presets'
    // secrets go in meanwhile; the running server's files are restored at the end.
    const presets = Object.entries(PPTPD_PRESETS);
    const all = presets.map(([, p]) => renderServerConfig(p));
    const script = [
      'mkdir -p /tmp/keep && cp /etc/ppp/chap-secrets /etc/ppp/pap-secrets /tmp/keep/',
      `cat >/etc/ppp/chap-secrets <<'EOF'\n${[...new Set(all.map((f) => f['chap-secrets'] ?? ''))].join('')}EOF`,
      `cat >/etc/ppp/pap-secrets <<'EOF'\n${[...new Set(all.map((f) => f['pap-secrets'] ?? ''))].join('')}EOF`,
    ];
    presets.forEach(([name], i) => {
      script.push(
        `cat >/tmp/opts.${name} <<'EOF'\n${all[i]?.['pptpd-options'] ?? ''}EOF`,
        `(pppd /dev/null file /tmp/opts.${name} dryrun nodetach >/tmp/out.${name} 2>&1; echo "=== ${name} rc=$?" >>/tmp/out.${name}) &`,
      );
    });
    script.push('wait', ...presets.map(([name]) => `echo "=== ${name}"; cat /tmp/out.${name}`), 'cp /tmp/keep/* /etc/ppp/');
    const r = await v.exec(script.join('\n'), 60_000);
    expect(r.code).toBe(0);
    for (const [name, preset] of Object.entries(PPTPD_PRESETS)) {
      const section = r.output.split(`=== ${name}\n`)[1]?.split(`=== ${name} rc=`) ?? [];
      const [output = '', rc = ''] = section;
      expect({ name, rc: rc.split('\n')[0], error: rc.startsWith('0') ? '' : output }).toEqual({ name, rc: '0', error: '' });
      // pppd lists the options in effect: each preset line shows up with "(from /tmp/opts.<name>)".
      for (const line of preset.pppOptions) {
        expect(output, `${name}: ${line}`).toMatch(new RegExp(`^${line.split(' ')[0]}\\b.*# \\(from /tmp/opts\\.${name}\\)`, 'm'));
      }
    }
  });

  it('stop_removesNamespaceAndProcesses', async () => {
    const v = vm!;
    const umid = `umid=${v.name}`;
    expect(processesWithArg(umid).length).toBeGreaterThan(0);
    expect(listNetns()).toContain(v.netns);
    await v.stop();
    expect(listNetns()).not.toContain(v.netns);
    expect(existsSync(`/etc/netns/${v.netns}`)).toBe(false);
    expect(processesWithArg(umid)).toEqual([]);
    expect(v.log()).toContain('PPTPD-VM READY'); // still readable after stop
    await v.stop(); // idempotent
    vm = undefined;
  });
});
