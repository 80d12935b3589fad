/** The renderer's security policy values and the code-drawn icons (PNG encoder). */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { CONTENT_SECURITY_POLICY, devToolsAllowed, secureWebPreferences, withCspHeader } from '../../../main/app/security-policy';
import { crc32, encodePng } from '../../../main/app/icons/png';
import { TRAY_COLOURS, trayIconPixels } from '../../../main/app/icons/draw';

describe('security policy', () => {
  it('csp_isStrict_andMatchesTheRendererMetaTag', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // Every directive of the page's meta tag is in the header too (the header adds frame-ancestors).
    for (const d of (meta ?? '').split(';').map((x) => x.trim())) expect(CONTENT_SECURITY_POLICY).toContain(d);
  });

  it('withCspHeader_replacesAnyServerCsp', () => {
    const h = withCspHeader({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' });
    expect(h['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(h['content-security-policy']).toBeUndefined();
    expect(h['Content-Type']).toEqual(['text/html']);
  });

  it('webPreferences_sandboxed_isolated_noNode', () => {
    expect(secureWebPreferences('/p.cjs', false)).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
  });

  it('devTools_onlyUnpackagedAndAskedFor', () => {
    expect(devToolsAllowed(false, { PPTP_DEVTOOLS: '1' })).toBe(true);
    expect(devToolsAllowed(true, { PPTP_DEVTOOLS: '1' })).toBe(false);
    expect(devToolsAllowed(false, {})).toBe(false);
  });
});

describe('icons', () => {
  it('crc32_knownValue', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the CRC-32 check value
  });

  it('encodePng_roundTripsThePixels', () => {
    const px = trayIconPixels('connected', 16);
    const png = encodePng(16, 16, px);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const idatLen = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    const row8 = raw.subarray(8 * 65 + 1, 9 * 65); // row 8, after its filter byte
    expect(Buffer.from(row8).equals(Buffer.from(px.subarray(8 * 64, 9 * 64)))).toBe(true);
  });

  it('trayIcons_haveTheStateColourAndTransparentCorners', () => {
    for (const [state, [r, g, b]] of Object.entries(TRAY_COLOURS)) {
      const px = trayIconPixels(state as keyof typeof TRAY_COLOURS, 32);
      expect(px[3]).toBe(0); // corner transparent
      const i = (16 * 32 + 3) * 4; // left edge of the disc, outside the lock
      expect([px[i], px[i + 1], px[i + 2]]).toEqual([r, g, b]);
    }
  });
});
