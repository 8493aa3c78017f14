// Golden vectors for the journal (R3): a fixed command sealed into fixed envelopes with fixed hashes. The hashes were
// computed outside our code (Python: json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False), then
// hashlib.sha256), so a release that changes the envelope, the canonical JSON or the hash fails here instead of
// silently breaking every stored chain. Never update a vector to make a test pass.
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../shared/canonical.js';
import type { EventEnvelope } from '../../shared/events.js';
import { emptyHead, eventHash, sealEvents, verifyChain } from './chain.js';

const DEVICE = '0190c0de-0000-7000-8000-000000000d01';
const PRODUCT = '0190c0de-0000-7000-8000-0000000000a1';

const FIRST: EventEnvelope = {
  event_id: '0190c0de-0000-7000-8000-0000000000e1',
  command_id: '0190c0de-0000-7000-8000-0000000000c1',
  store_id: '0190c0de-0000-7000-8000-000000005701',
  device_id: DEVICE,
  device_seq: 1,
  type: 'PriceChanged',
  version: 1,
  payload: { productId: PRODUCT, price: 160000, previousPrice: 150000, currency: 'ARS', reason: 'Lista de precios ñandú €' },
  actor_id: 'owner',
  hlc: `001795608000000-000000-${DEVICE}`,
  created_at: '2026-11-25T12:00:00.000Z',
  prev_hash: '0000000000000000000000000000000000000000000000000000000000000000',
  hash: '1821aa7f8b213183b389de08c6d6c2f8e27da24e2c7e1fa54f5b0e3fe8564821',
};

const SECOND: EventEnvelope = {
  ...FIRST,
  event_id: '0190c0de-0000-7000-8000-0000000000e2',
  device_seq: 2,
  payload: { productId: PRODUCT, price: 170000, previousPrice: 160000, currency: 'ARS', reason: null },
  hlc: `001795608000000-000001-${DEVICE}`,
  prev_hash: '1821aa7f8b213183b389de08c6d6c2f8e27da24e2c7e1fa54f5b0e3fe8564821',
  hash: 'cbc9902b3db84d04d3232644f40ab45e05026726ab327fb5806232ab7ea914f3',
};

// The RFC 8785 form of FIRST without its hash: keys sorted at every depth, no spaces, non-ASCII as is.
const FIRST_CANONICAL =
  '{"actor_id":"owner","command_id":"0190c0de-0000-7000-8000-0000000000c1","created_at":"2026-11-25T12:00:00.000Z",' +
  '"device_id":"0190c0de-0000-7000-8000-000000000d01","device_seq":1,"event_id":"0190c0de-0000-7000-8000-0000000000e1",' +
  '"hlc":"001795608000000-000000-0190c0de-0000-7000-8000-000000000d01","payload":{"currency":"ARS","previousPrice":150000,' +
  '"price":160000,"productId":"0190c0de-0000-7000-8000-0000000000a1","reason":"Lista de precios ñandú €"},' +
  '"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",' +
  '"store_id":"0190c0de-0000-7000-8000-000000005701","type":"PriceChanged","version":1}';

const withoutHash = ({ hash: _hash, ...rest }: EventEnvelope) => rest;

// PriceChanged v2 (with `basis`, the clock of the price it replaced): what the same command seals into today. The
// v1 vectors above stay: events written before the new version must verify forever. Hashes computed with Python as
// above.
const FIRST_V2: EventEnvelope = {
  ...FIRST,
  version: 2,
  payload: { ...(FIRST.payload as object), basis: null },
  hash: '864be52e3f359f8350e4ba85614ecad0c7d1e52736634045a32a6cc5928f4d3c',
};
const SECOND_V2: EventEnvelope = {
  ...SECOND,
  version: 2,
  payload: { ...(SECOND.payload as object), basis: FIRST.hlc },
  prev_hash: FIRST_V2.hash,
  hash: '61b6664e4eb8914b089691de553b0b41fc7725de1cb09d6da3a270ec15db1f2a',
};

describe('golden vectors of the journal', () => {
  it('seals a fixed command into exactly these envelopes (at the latest payload version)', () => {
    const ids = [FIRST.event_id, SECOND.event_id];
    const sealed = sealEvents(
      emptyHead(DEVICE),
      [
        { type: 'PriceChanged', payload: FIRST_V2.payload },
        { type: 'PriceChanged', payload: SECOND_V2.payload },
      ] as Parameters<typeof sealEvents>[1],
      { storeId: FIRST.store_id, deviceId: DEVICE, commandId: FIRST.command_id, actorId: 'owner', now: new Date(FIRST.created_at), newId: () => ids.shift()! },
    );
    expect(sealed.events).toEqual([FIRST_V2, SECOND_V2]);
    expect(sealed.head).toEqual({ seq: 2, hash: SECOND_V2.hash, hlc: SECOND_V2.hlc });
    expect(verifyChain([FIRST_V2, SECOND_V2])).toBeUndefined();
  });

  it('hashes an envelope as SHA-256 over its RFC 8785 JSON without the hash', () => {
    expect(canonicalJson(withoutHash(FIRST))).toBe(FIRST_CANONICAL);
    expect(sha256Hex(FIRST_CANONICAL)).toBe(FIRST.hash);
    expect(eventHash(FIRST)).toBe(FIRST.hash);
    expect(eventHash(withoutHash(FIRST))).toBe(FIRST.hash);
    expect(eventHash(SECOND)).toBe(SECOND.hash);
    expect(verifyChain([FIRST, SECOND])).toBeUndefined();
  });

  it('puts the previous hash, and every other field, into the hash', () => {
    // Compared with the hash the code computes now, not the stored vector, so that this fails on its own.
    expect(eventHash({ ...SECOND, prev_hash: FIRST.prev_hash })).not.toBe(eventHash(SECOND));
    expect(eventHash({ ...FIRST, prev_hash: SECOND.hash })).not.toBe(eventHash(FIRST));
    const changed = (key: keyof EventEnvelope): EventEnvelope => {
      const value = FIRST[key];
      const other = typeof value === 'number' ? value + 1 : typeof value === 'string' ? `${value}x` : { ...(value as object), extra: 1 };
      return { ...FIRST, [key]: other };
    };
    for (const key of Object.keys(withoutHash(FIRST)) as (keyof EventEnvelope)[]) {
      expect(eventHash(changed(key)), `${key} is not in the hash`).not.toBe(eventHash(FIRST));
    }
  });

  it('refuses a second event that was re-hashed over another previous hash', () => {
    const relinked = { ...SECOND, prev_hash: '1'.repeat(64) };
    const forged = { ...relinked, hash: eventHash(relinked) };
    expect(verifyChain([FIRST, forged])).toMatchObject({ kind: 'broken-link', event_id: SECOND.event_id, device_seq: 2 });
  });
});
