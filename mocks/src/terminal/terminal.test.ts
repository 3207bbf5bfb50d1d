import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTerminalCli } from './cli.ts';
import { INSURERS, SCENARIO_NAMES, scenarioDocument } from './fixtures.ts';
import { insurerCheckDigit, isValidInsurerNumber } from './insurer-number.ts';

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('保険者番号 check digit', () => {
  it('accepts the documented examples and rejects a changed digit', () => {
    for (const n of ['01130012', '39131156', '06139992', '138057']) expect(isValidInsurerNumber(n)).toBe(true);
    expect(isValidInsurerNumber('01130013')).toBe(false);
    expect(insurerCheckDigit('0113001')).toBe('2');
  });

  it('every fixture insurer number is valid', () => {
    for (const n of Object.values(INSURERS)) expect(isValidInsurerNumber(n)).toBe(true);
    for (const name of SCENARIO_NAMES) {
      for (const r of scenarioDocument(name).doc.results) expect(isValidInsurerNumber(r.InsurerNumber ?? '')).toBe(true);
    }
  });
});

describe('kiosk-mock terminal CLI', () => {
  it('lists scenarios and writes one face file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-mock-'));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    expect(await runTerminalCli(['--list'])).toBe(0);
    expect(out.join('\n')).toContain('kokuho-6digit');
    expect(await runTerminalCli(['--dir', dir, '--scenario', 'multiple'])).toBe(0);
    const [name] = await readdir(join(dir, 'face'));
    expect(name).toMatch(/^OQSsiquc01res_face_\w+_\d{14}\.xml$/);
    expect(await runTerminalCli(['--dir', dir, '--scenario', 'nope'])).toBe(2);
  });
});
