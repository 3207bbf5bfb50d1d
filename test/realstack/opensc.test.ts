/**
 * Conformance with a peer nobody here wrote: OpenSC's JPKI driver (card-jpki.c + pkcs15-jpki.c) and its
 * PKCS#11 module must accept the virtual card, read the same certificate bytes as the agent, and
 * produce a signature that openssl verifies with that certificate.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReaderDriver } from '@kiosk/agent/flow/ports.ts';
import { openJpki } from '@kiosk/agent/card/jpki.ts';
import { TEST_PIN } from '@kiosk/mocks/card/index.ts';
import type { VpcdCardClient } from '@kiosk/mocks/card/index.ts';
import { EventLog, READERS, insertCard, realstackDescribe, removeCard, startDriver, virtualCard } from './support.ts';

const describe = realstackDescribe('OpenSC conformance (pkcs15-tool, pkcs11-tool, openssl)');
const run = promisify(execFile);

/** Debian's path; `dpkg -L opensc-pkcs11` lists it. */
const PKCS11_MODULE = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so'].find((p) => existsSync(p));

describe('OpenSC conformance (pkcs15-tool, pkcs11-tool, openssl)', () => {
  let driver: ReaderDriver;
  let log: EventLog;
  let client: VpcdCardClient;
  let dir: string;

  beforeAll(async () => {
    ({ driver, log } = await startDriver());
    client = await insertCard(log, await virtualCard('valid'));
    dir = await mkdtemp(join(tmpdir(), 'kiosk-opensc-'));
  });
  afterAll(async () => {
    if (client) await removeCard(log, client);
    await driver?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pkcs15-tool lists the user-authentication certificate', async () => {
    const { stdout } = await run('pkcs15-tool', ['--reader', READERS[0], '--list-certificates']);
    expect(stdout).toMatch(/X\.509 Certificate \[User Authentication Certificate\][\s\S]*?ID\s*: 01/);
  });

  it('pkcs15-tool --read-certificate 01 returns exactly the DER the agent reads', async () => {
    const pemFile = join(dir, 'auth.pem');
    await run('pkcs15-tool', ['--reader', READERS[0], '--read-certificate', '01', '--output', pemFile]);
    const opensc = new X509Certificate(await readFile(pemFile)).raw;

    const channel = await driver.openCard!(READERS[0]);
    if (!channel.ok) throw new Error(channel.error.code);
    const agent = await openJpki(channel.value).readAuthCertificate();
    await channel.value.close();
    if (!agent.ok) throw new Error(agent.error.code);
    expect(Buffer.from(agent.value).equals(opensc)).toBe(true);
  });

  it('pkcs11-tool logs in with the PIN and signs (SHA256-RSA-PKCS); openssl verifies with the certificate', async () => {
    expect(PKCS11_MODULE, 'opensc-pkcs11.so not found (apt-get install opensc-pkcs11)').toBeDefined();
    const message = join(dir, 'message.bin');
    const signature = join(dir, 'signature.bin');
    const certPem = join(dir, 'cert.pem');
    const publicKey = join(dir, 'public.pem');
    await writeFile(message, 'kiosk nonce for OpenSC conformance');
    await run('pkcs15-tool', ['--reader', READERS[0], '--read-certificate', '01', '--output', certPem]);
    await run('pkcs11-tool', [
      '--module',
      PKCS11_MODULE!,
      '--slot-index',
      '0',
      '--login',
      '--pin',
      TEST_PIN,
      '--sign',
      '--mechanism',
      'SHA256-RSA-PKCS',
      '--id',
      '01',
      '--input-file',
      message,
      '--output-file',
      signature,
    ]);
    await run('openssl', ['x509', '-in', certPem, '-pubkey', '-noout', '-out', publicKey]);
    const { stdout } = await run('openssl', ['dgst', '-sha256', '-verify', publicKey, '-signature', signature, message]);
    expect(stdout).toContain('Verified OK');
  });
});
