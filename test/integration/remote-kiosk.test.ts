/**
 * The agent listening beyond loopback, as a clinic runs it for a kiosk on another machine: HTTPS with
 * its own certificate, and the kiosk socket open only to registered device tokens. The agent binds
 * this machine's first non-loopback IPv4 address and the test connects to it, so the handshake comes
 * from a non-loopback address, exactly as a remote kiosk's would.
 */
import { request } from 'node:https';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAgent } from '@kiosk/agent/app.ts';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createDeviceTokens } from '@kiosk/agent/security/device-tokens.ts';
import { openDatabase } from '@kiosk/agent/storage/db.ts';
import { tempDir } from '../faults/support.ts';
import { TestKiosk } from '../support/kiosk-client.ts';
import { nonLoopbackAddress, selfSignedCertificate } from '../support/tls.ts';

const address = nonLoopbackAddress();
// A CI runner always has a network interface: there a missing one is a broken machine, not a reason to pass.
if (!address && process.env.CI === 'true') throw new Error('remote kiosk: CI=true and this machine has no non-loopback IPv4 address');
if (!address) console.warn('[integration] SKIPPED remote kiosk: this machine has no non-loopback IPv4 address to bind');
const remoteDescribe = address ? describe : describe.skip;

const data = tempDir('remote');
let agent: RunningAgent;
let cert: string;
let deviceToken: string;

beforeAll(async () => {
  if (!address) return;
  const pem = selfSignedCertificate(address);
  cert = pem.cert;
  writeFileSync(join(data.path, 'cert.pem'), pem.cert);
  writeFileSync(join(data.path, 'key.pem'), pem.key);
  // Registered the way "kiosk-agent staff device add" does, in the data folder the agent then opens.
  const db = openDatabase(join(data.path, 'kiosk.sqlite'));
  const token = createDeviceTokens(db).register('kiosk-1', new Date());
  db.close();
  if (!token.ok) throw new Error(token.error.message);
  deviceToken = token.value;
  agent = await startDemo({
    host: address,
    port: 0,
    dataDir: data.path,
    logger: silentLogger,
    tls: { certPath: join(data.path, 'cert.pem'), keyPath: join(data.path, 'key.pem') },
  });
});
afterAll(async () => {
  await agent?.close();
  data.remove();
});

remoteDescribe('kiosk on another machine (TLS + device tokens)', () => {
  it('serves HTTPS only, with upgrade-insecure-requests in the CSP', async () => {
    expect(agent.url).toBe(`https://${address}:${agent.port}`);
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      request(`${agent.url}/healthz`, { ca: cert }, (res) => {
        res.resume();
        resolve({ status: res.statusCode, ...res.headers });
      })
        .on('error', reject)
        .end();
    });
    expect(headers).toMatchObject({ status: 200, 'strict-transport-security': expect.stringContaining('max-age=') });
    expect(headers['content-security-policy']).toMatch(/(^|;)upgrade-insecure-requests(;|$)/);
    await expect(fetch(`http://${address}:${agent.port}/healthz`)).rejects.toThrow();
  });

  it('refuses a kiosk socket without a device token, or with a wrong one', async () => {
    for (const auth of [{}, { deviceToken: 'not-a-registered-token' }, { deviceToken: deviceToken.slice(0, -1) }]) {
      await expect(TestKiosk.connect(agent.url, true, { ca: cert, auth })).rejects.toMatchObject({
        message: 'TRANSPORT_UNAUTHORIZED',
        data: { code: 'TRANSPORT_UNAUTHORIZED' },
      });
    }
  });

  it('accepts a kiosk that presents its registered token: hello, then the welcome snapshot', async () => {
    const kiosk = await TestKiosk.connect(agent.url, true, { ca: cert, auth: { deviceToken } });
    expect((await kiosk.step('welcome')).sessionId).toBeNull();
    kiosk.close();
  });
});
