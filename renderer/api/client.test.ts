import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { isUuidV7 } from '../../shared/ids.js';
import { fakeFetch, json, product, status } from '../test/fixtures.js';
import { createApiClient, isAbortError } from './client.js';

afterEach(() => {
  vi.useRealTimers();
});

const rejection = async (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: unknown) => e);

describe('api client', () => {
  it('posts the input with a request id and bearer secret, and returns the validated result', async () => {
    const f = fakeFetch(() => json(200, { result: status }));
    const client = createApiClient({ apiBase: 'http://127.0.0.1:5000', secret: 's3cret', fetch: f.fetch });
    await expect(client.call('system.status', {})).resolves.toEqual(status);
    const [req] = f.sent;
    expect(req?.url).toBe('http://127.0.0.1:5000/api/system.status');
    expect(req?.headers.authorization).toBe('Bearer s3cret');
    expect(isUuidV7(req?.headers['x-request-id'] ?? '')).toBe(true);
    expect(req?.body).toEqual({ input: {} });
  });

  it('gives every command a fresh uuid v7 command id unless one is passed', async () => {
    const f = fakeFetch(() => json(200, { result: product() }));
    const client = createApiClient({ apiBase: '', fetch: f.fetch });
    await client.call('products.create', { name: 'A', price: 100 });
    await client.call('products.create', { name: 'A', price: 100 });
    await client.call('products.create', { name: 'A', price: 100 }, { commandId: 'kept-id' });
    const [a, b, c] = f.sent.map((s) => s.body.commandId);
    expect(isUuidV7(a ?? '')).toBe(true);
    expect(b).not.toBe(a);
    expect(c).toBe('kept-id');
    expect(f.sent[0]?.headers.authorization).toBeUndefined();
  });

  it('times out after 10 s by default with a Timeout error', async () => {
    vi.useFakeTimers();
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => 'hang').fetch });
    const outcome = rejection(client.call('system.status', {}));
    await vi.advanceTimersByTimeAsync(9_999);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('Timeout');
  });

  it('honours a shorter timeout', async () => {
    vi.useFakeTimers();
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => 'hang').fetch });
    const outcome = rejection(client.call('system.status', {}, { timeoutMs: 500 }));
    await vi.advanceTimersByTimeAsync(500);
    expect((await outcome as AppError).code).toBe('Timeout');
  });

  it('cancels through an AbortSignal with an AbortError, not an AppError', async () => {
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => 'hang').fetch });
    const controller = new AbortController();
    const outcome = rejection(client.call('system.status', {}, { signal: controller.signal }));
    controller.abort();
    const error = await outcome;
    expect(isAbortError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(AppError);
  });

  it('refuses to start with an already aborted signal', async () => {
    const f = fakeFetch(() => json(200, { result: status }));
    const client = createApiClient({ apiBase: '', fetch: f.fetch });
    expect(isAbortError(await rejection(client.call('system.status', {}, { signal: AbortSignal.abort() })))).toBe(true);
    expect(f.sent).toHaveLength(0);
  });

  it('reports "slow" after 2.5 s, and not for a quick answer', async () => {
    vi.useFakeTimers();
    let answer: (r: Response) => void = () => undefined;
    const slowFetch = (() => new Promise<Response>((resolve) => (answer = resolve))) as typeof fetch;
    const client = createApiClient({ apiBase: '', fetch: slowFetch });
    const onSlow = vi.fn();
    const pending = client.call('system.status', {}, { onSlow });
    await vi.advanceTimersByTimeAsync(2_499);
    expect(onSlow).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onSlow).toHaveBeenCalledTimes(1);
    answer(json(200, { result: status }));
    await expect(pending).resolves.toEqual(status);

    const quick = vi.fn();
    const fast = createApiClient({ apiBase: '', fetch: fakeFetch(() => json(200, { result: status })).fetch });
    await fast.call('system.status', {}, { onSlow: quick });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(quick).not.toHaveBeenCalled();
  });

  it('maps a network failure to Unavailable', async () => {
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => new TypeError('fetch failed')).fetch });
    const error = (await rejection(client.call('system.status', {}))) as AppError;
    expect(error.code).toBe('Unavailable');
    expect(error.message).toMatch(/not answering/);
  });

  it('turns the wire error into an AppError with its field issues', async () => {
    const wire = {
      error: { code: 'ValidationError', message: 'Check the product', issues: [{ path: 'price', message: 'too big' }], requestId: 'r1' },
    };
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => json(400, wire)).fetch });
    const error = (await rejection(client.call('products.create', { name: 'A', price: 1 }))) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('ValidationError');
    expect(error.message).toBe('Check the product');
    expect(error.issues).toEqual([{ path: 'price', message: 'too big' }]);
  });

  it('maps a body that is not our error shape by HTTP status', async () => {
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => new Response('<html>bad gateway', { status: 502 })).fetch });
    expect(((await rejection(client.call('system.status', {}))) as AppError).code).toBe('Internal');
    const conflict = createApiClient({ apiBase: '', fetch: fakeFetch(() => json(409, { nope: true })).fetch });
    expect(((await rejection(conflict.call('system.status', {}))) as AppError).code).toBe('Conflict');
  });

  it('tells the shell once about a 401', async () => {
    const onUnauthorized = vi.fn();
    const wire = { error: { code: 'Unauthorized', message: 'Sign in first' } };
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => json(401, wire)).fetch, onUnauthorized });
    expect(((await rejection(client.call('system.status', {}))) as AppError).code).toBe('Unauthorized');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('validates the output against the contract', async () => {
    const bad = { ...status, databaseBytes: 'lots' };
    const client = createApiClient({ apiBase: '', fetch: fakeFetch(() => json(200, { result: bad })).fetch });
    const error = (await rejection(client.call('system.status', {}))) as AppError;
    expect(error.code).toBe('Internal');
    expect(error.message).toMatch(/system\.status/);
    const missing = createApiClient({ apiBase: '', fetch: fakeFetch(() => json(200, {})).fetch });
    expect(((await rejection(missing.call('system.status', {}))) as AppError).code).toBe('Internal');
  });
});
