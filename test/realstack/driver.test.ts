import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReaderDriver } from '@kiosk/agent/flow/ports.ts';
import { openJpki } from '@kiosk/agent/card/jpki.ts';
import { EventLog, READERS, insertCard, inserted, pcscStack, realstackDescribe, removeCard, removed, serviceIs, startDriver, virtualCard } from './support.ts';

const describe = realstackDescribe('pcsc driver over pcscd + vpcd');

describe('pcsc driver over pcscd + vpcd', () => {
  let driver: ReaderDriver;
  let log: EventLog;

  beforeAll(async () => {
    ({ driver, log } = await startDriver());
  });
  afterAll(async () => {
    await driver?.stop();
  });

  it('lists both virtual readers, empty', () => {
    expect(driver.status()).toMatchObject({
      driver: 'pcsc',
      service: 'ok',
      readers: READERS.map((name) => ({ name, driver: 'pcsc', state: 'empty' })),
    });
  });

  it('detects insertion with the ATR, then removal', async () => {
    const card = await virtualCard('valid');
    const client = await insertCard(log, card);
    expect(log.events.filter(inserted(READERS[0])).at(-1)).toEqual({ type: 'card-inserted', reader: READERS[0], atr: card.atrHex });
    expect(driver.status().readers[0]?.state).toBe('present');
    await removeCard(log, client);
    expect(driver.status().readers[0]?.state).toBe('empty');
  });

  it('serves two readers at once (slots 0 and 1), each with its own card', async () => {
    const [valid, juki] = await Promise.all([virtualCard('valid'), virtualCard('juki')]);
    const first = await insertCard(log, valid, 0);
    const second = await insertCard(log, juki, 1);
    const kinds: string[] = [];
    for (const reader of READERS) {
      const channel = await driver.openCard!(reader);
      if (!channel.ok) throw new Error(channel.error.code);
      const identity = await openJpki(channel.value).identify();
      kinds.push(identity.ok ? identity.value.kind : identity.error.code);
      await channel.value.close();
    }
    expect(kinds).toEqual(['my-number-card', 'juki-card']);
    await removeCard(log, first, 0);
    await removeCard(log, second, 1);
  });

  it('turns a card pulled mid-read into a retriable CARD_REMOVED, and reads it again once re-inserted', async () => {
    const card = await virtualCard('valid');
    const client = await insertCard(log, card);
    const channel = await driver.openCard!(READERS[0]);
    if (!channel.ok) throw new Error(channel.error.code);
    const gone = log.next(removed(READERS[0]));
    client.disconnectAfter(4); // SELECT AP, SELECT EF, first READ BINARY(s), then the card dies
    const read = await openJpki(channel.value).readAuthCertificate();
    expect(read).toMatchObject({ ok: false, error: { code: 'CARD_REMOVED', retriable: true } });
    await gone;
    await channel.value.close();

    const again = await insertCard(log, card);
    const reopened = await driver.openCard!(READERS[0]);
    if (!reopened.ok) throw new Error(reopened.error.code);
    expect((await openJpki(reopened.value).readAuthCertificate()).ok).toBe(true);
    await reopened.value.close();
    await removeCard(log, again);
  });

  it('recovers by itself when pcscd is stopped and started again', async () => {
    const card = await virtualCard('valid');
    const client = await insertCard(log, card);
    const down = log.next(serviceIs('unavailable'), 10_000, 'service unavailable');
    const cardGone = log.next(removed(READERS[0]), 10_000, 'card-removed on pcscd stop');
    await pcscStack('stop');
    await down;
    await cardGone;
    expect(driver.status()).toMatchObject({ service: 'unavailable', readers: [] });
    const channel = await driver.openCard!(READERS[0]);
    expect(channel).toMatchObject({ ok: false, error: { code: 'READER_SERVICE_UNAVAILABLE' } });

    const up = log.next(serviceIs('ok'), 15_000, 'service ok after restart');
    await pcscStack('start');
    await pcscStack('wait');
    await up;
    expect(driver.status().readers.map((r) => r.name)).toEqual([...READERS]);
    await client.remove(); // the old socket died with pcscd; insert the card again
    const back = await insertCard(log, card);
    const reopened = await driver.openCard!(READERS[0]);
    if (!reopened.ok) throw new Error(reopened.error.code);
    expect((await openJpki(reopened.value).identify()).ok).toBe(true);
    await reopened.value.close();
    await removeCard(log, back);
  });
});
