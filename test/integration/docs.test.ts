/**
 * The docs cannot drift from the code: every table that lists what the code defines (mock scenarios,
 * error codes, status words) is compared with the code, the README stays a front page, and every
 * relative link in the docs resolves.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '@kiosk/protocol';
import { STATUS_WORDS } from '@kiosk/agent/card/status-words.ts';
import { ACTIONS, SCENARIOS } from '@kiosk/mocks/driver/scenarios.ts';
import { REPO_ROOT } from '../realstack/support.ts';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

/** The rows of the first markdown table after `heading`, as cells (the header and the rule dropped). */
function tableAfter(text: string, heading: string): string[][] {
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const lines = text.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const codesIn = (cell: string) => [...cell.matchAll(/`([A-Z_]+)`(\*)?/g)].map((m) => ({ code: m[1]!, retriable: m[2] === '*' }));

describe('docs match the code', () => {
  it('the mock scenario table lists every scenario with its description, and every reader action', () => {
    const docs = read('docs/mocks.md');
    const rows = tableAfter(docs, '## The mock reader and `kiosk-mock`');
    expect(rows.map(([name, description]) => [name, description])).toEqual(SCENARIOS.map((s) => [`\`${s.name}\``, s.description]));
    expect(rows.map((row) => row[2])).toEqual(SCENARIOS.map((s) => s.patient ?? '—'));
    for (const action of ACTIONS) expect(docs).toContain(`\`${action.name}\` (${action.description.toLowerCase()})`);
  });

  it('the error table lists every code once, under its cause, starred exactly when retriable', () => {
    const rows = tableAfter(read('protocol/README.md'), '## Errors');
    const listed = rows.flatMap(([cause, cell]) => codesIn(cell!).map((c) => ({ ...c, cause })));
    expect(listed.map((c) => c.code).sort()).toEqual(Object.keys(ERRORS).sort());
    for (const { code, cause, retriable } of listed) {
      expect({ code, cause, retriable }).toEqual({ code, cause: ERRORS[code as ErrorCode].cause, retriable: ERRORS[code as ErrorCode].retriable });
    }
  });

  it('the status-word table gives each fixed status word the code the card layer returns', () => {
    const rows = tableAfter(read('docs/card.md'), '## Status words');
    const documented = new Map<number, string>();
    for (const [words, code] of rows) {
      const target = /`([A-Z_]+)`/.exec(code!)?.[1];
      for (const sw of words!.matchAll(/`([0-9A-F]{4})`/g)) documented.set(Number.parseInt(sw[1]!, 16), target!);
    }
    for (const [sw, meaning] of STATUS_WORDS) expect([sw.toString(16), documented.get(sw)]).toEqual([sw.toString(16), meaning.code]);
  });

  it('the README is a front page: at most 200 lines, and it names the two commands', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/^npm test\b/m);
  });

  it('every relative link in the README, the package READMEs and docs/ resolves', () => {
    const files = [
      'README.md',
      ...['agent', 'mocks', 'protocol', 'kiosk-ui', 'test'].map((p) => `${p}/README.md`),
      ...readdirSync(join(REPO_ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const broken: string[] = [];
    for (const file of files) {
      for (const [, target] of read(file).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(resolve(dirname(join(REPO_ROOT, file)), target!))) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
