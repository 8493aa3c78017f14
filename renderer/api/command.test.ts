import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InputOf } from '../../shared/contract/index.js';
import { AppError } from '../../shared/errors.js';
import { fakeFetch, json, product } from '../test/fixtures.js';
import { createApiClient } from './client.js';
import { createCommandKeeper, mayHaveApplied } from './command.js';

afterEach(() => {
  vi.useRealTimers();
});

const input: InputOf<'products.create'> = { name: 'Yerba', price: 1000 };

function setup(reply: Parameters<typeof fakeFetch>[0]) {
  const f = fakeFetch(reply);
  const client = createApiClient({ apiBase: '', fetch: f.fetch });
  const keeper = createCommandKeeper((i: InputOf<'products.create'>, opts) => client.call('products.create', i, opts));
  const ids = () => f.sent.map((s) => s.body.commandId);
  return { keeper, ids };
}

const validation = () => json(400, { error: { code: 'ValidationError', message: 'bad', issues: [] } });

describe('command keeper', () => {
  it('resends the same command id when retrying after a timeout', async () => {
    vi.useFakeTimers();
    const { keeper, ids } = setup((_, n) => (n === 1 ? 'hang' : json(200, { result: product() })));
    const first = keeper.submit(input).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(((await first) as AppError).code).toBe('Timeout');
    expect(keeper.unresolved?.input).toEqual(input);
    await keeper.retry();
    expect(ids()[1]).toBe(ids()[0]);
    expect(keeper.unresolved).toBeUndefined();
  });

  it('reuses the id when the same input is submitted again after a network failure', async () => {
    const { keeper, ids } = setup((_, n) => (n === 1 ? new TypeError('fetch failed') : json(200, { result: product() })));
    await expect(keeper.submit(input)).rejects.toMatchObject({ code: 'Unavailable' });
    await keeper.submit({ ...input });
    expect(ids()[1]).toBe(ids()[0]);
  });

  it('makes a new id for a different input, after a success, and after a refusal', async () => {
    const { keeper, ids } = setup((_, n) => (n === 1 ? new TypeError('down') : n === 3 ? validation() : json(200, { result: product() })));
    await expect(keeper.submit(input)).rejects.toMatchObject({ code: 'Unavailable' });
    await keeper.submit({ ...input, name: 'Yerba Mate' });
    await expect(keeper.submit(input)).rejects.toMatchObject({ code: 'ValidationError' });
    expect(keeper.unresolved).toBeUndefined();
    await keeper.submit(input);
    const [a, b, c, d] = ids();
    expect(new Set([a, b, c, d]).size).toBe(4);
  });

  it('keeps the command id when the node answers 503 busy, and resends it on retry', async () => {
    const busy = () =>
      new Response(JSON.stringify({ error: { code: 'Unavailable', message: 'Mostrador está ocupado; reintente en 1 s.' } }), {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '1' },
      });
    const { keeper, ids } = setup((_, n) => (n === 1 ? busy() : json(200, { result: product() })));
    await expect(keeper.submit(input)).rejects.toMatchObject({ code: 'Unavailable', message: expect.stringMatching(/ocupado/) });
    expect(keeper.unresolved?.commandId).toBe(ids()[0]);
    await keeper.retry();
    expect(ids()).toHaveLength(2);
    expect(ids()[1]).toBe(ids()[0]);
  });

  it('has nothing to retry before a failure', async () => {
    const { keeper } = setup(() => json(200, { result: product() }));
    await expect(keeper.retry()).rejects.toBeInstanceOf(AppError);
  });

  it('treats lost answers, not refusals, as possibly applied', () => {
    expect(mayHaveApplied(new AppError('Timeout', 'x'))).toBe(true);
    expect(mayHaveApplied(new AppError('Unavailable', 'x'))).toBe(true);
    expect(mayHaveApplied(new DOMException('x', 'AbortError'))).toBe(true);
    expect(mayHaveApplied(new AppError('Conflict', 'x'))).toBe(false);
    expect(mayHaveApplied(new AppError('ValidationError', 'x'))).toBe(false);
  });
});
