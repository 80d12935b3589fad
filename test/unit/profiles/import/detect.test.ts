import { describe, expect, it } from 'vitest';
import { detectFormat, importFile } from '../../../../main/profiles/import/detect';
import { fixture, utf8 } from './fixtures';

describe('detectFormat', () => {
  it('byExtension', () => {
    const any = utf8('x');
    expect(detectFormat('rasphone.PBK', any)).toBe('rasphone-pbk');
    expect(detectFormat('Office.nmconnection', any)).toBe('nmconnection');
    expect(detectFormat('profiles.json', any)).toBe('pptp-manager-json');
  });

  it('byContent_forFilesWithoutExtension', () => {
    expect(detectFormat('office', fixture('peers-office'))).toBe('pppd-peers');
    expect(detectFormat('download', fixture('office.nmconnection'))).toBe('nmconnection');
    expect(detectFormat('download', fixture('rasphone.pbk'))).toBe('rasphone-pbk');
    expect(detectFormat('download', fixture('export-v1.json'))).toBe('pptp-manager-json');
    expect(detectFormat('pb', new Uint8Array([0xff, 0xfe, 0x5b, 0x00]))).toBe('rasphone-pbk');
  });

  it('unknownOrBinary_unknown', () => {
    expect(detectFormat('notes.txt', utf8('shopping list\nmilk\n'))).toBe('unknown');
    expect(detectFormat('blob', new Uint8Array([0, 1, 2, 3]))).toBe('unknown');
  });
});

describe('importFile', () => {
  it('dispatchesByDetection', () => {
    expect(importFile('/etc/ppp/peers/office', fixture('peers-office')).entries[0]?.sourceName).toBe('office');
    expect(importFile('rasphone.pbk', fixture('rasphone.pbk')).format).toBe('rasphone-pbk');
  });

  it('explicitFormat_overridesDetection', () => {
    const r = importFile('odd.txt', fixture('office.nmconnection'), 'nmconnection');
    expect(r.entries[0]?.profile?.server).toBe('vpn.office.example.com');
  });

  it('unknown_fileError', () => {
    expect(importFile('notes.txt', utf8('shopping list\n'))).toEqual({
      format: 'unknown',
      entries: [],
      fileError: expect.objectContaining({ code: 'unknown-format' }),
      fileWarnings: [],
    });
    expect(importFile('blob', new Uint8Array([0, 1, 2])).fileError?.code).toBe('binary-file');
  });

  it('huge_refusedWhateverTheFormat', () => {
    expect(importFile('big', new Uint8Array(2 * 1024 * 1024)).fileError?.code).toBe('file-too-large');
  });
});
