import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioXml } from '@kiosk/mocks/terminal/fixtures.ts';
import command from './oqs.ts';

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  const code = await command.run(argv);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kiosk-agent oqs parse', () => {
  it('--json prints header, body, results with the values as written, plus the outcome', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-cli-'));
    const file = join(dir, 'face.xml');
    await writeFile(file, scenarioXml('kokuho-6digit'));
    const { code, out } = await run(['parse', file, '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['header', 'body', 'results', 'outcome']);
    expect(doc.outcome).toBe('valid');
    expect(doc.results[0].InsurerNumber).toMatch(/^ {2}\d{6}$/);
    expect(doc.header.SegmentOfResult).toBe('1');
  });

  it('prints a readable summary and fails clearly on a bad file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-cli-'));
    const good = join(dir, 'good.xml');
    const bad = join(dir, 'bad.xml');
    await writeFile(good, scenarioXml('shift-jis'));
    await writeFile(bad, '<XmlMsg><MessageHeader>');
    const ok = await run(['parse', good]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('outcome: valid');
    expect(ok.out).toContain('試験　太郎');
    const failed = await run(['parse', bad]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('OQS_FILE_MALFORMED');
  });

  it('explains usage', async () => {
    const help = await run(['parse', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('personal data');
    expect((await run(['parse'])).code).toBe(2);
    expect((await run(['nonsense'])).code).toBe(2);
  });
});
