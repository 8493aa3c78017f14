import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { atPriority, DbQueue, type Priority } from './queue.js';

/** A job that holds the connection until released, recording when it started. */
function gate(order: string[], name: string) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  return {
    fn: async () => {
      order.push(name);
      await held;
      return name;
    },
    release: () => release(),
  };
}

/** Lets the queue start what it can: it starts a job in setImmediate, so this runs after it. */
const settle = () => new Promise((r) => setImmediate(r));

describe('the database queue', () => {
  it('runs one job at a time, by priority, first come first served within one', async () => {
    const q = new DbQueue(10);
    const order: string[] = [];
    const first = gate(order, 'first');
    const running = q.run(first.fn, 'low');
    await settle();
    const queued: [string, Priority][] = [['n1', 'normal'], ['l1', 'low'], ['h1', 'high'], ['n2', 'normal'], ['h2', 'high']];
    const done = queued.map(([name, p]) => q.run(async () => void order.push(name), p));
    await settle();
    expect(order).toEqual(['first']);
    first.release();
    await Promise.all([running, ...done]);
    expect(order).toEqual(['first', 'h1', 'h2', 'n1', 'n2', 'l1']);
  });

  it('past its capacity refuses the newcomer with 503 busy and a Retry-After', async () => {
    const q = new DbQueue(2);
    const first = gate([], 'first');
    const running = q.run(first.fn);
    await settle();
    const waiting = [q.run(async () => 'a'), q.run(async () => 'b')];
    const refused = await q.run(async () => 'c').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'Unavailable', key: 'busy', status: 503 });
    expect((refused as AppError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((refused as AppError).messageIn('es')).toMatch(/ocupado; reintente en \d+ s/);
    first.release();
    expect(await Promise.all([running, ...waiting])).toEqual(['first', 'a', 'b']);
  });

  it('lets a sale displace the newest waiting report when full, never the other way round', async () => {
    const q = new DbQueue(2);
    const first = gate([], 'first');
    const running = q.run(first.fn);
    await settle();
    const oldReport = q.run(async () => 'old report', 'low');
    const newReport = q.run(async () => 'new report', 'low');
    const sale = q.run(async () => 'sale', 'high');
    await expect(newReport).rejects.toMatchObject({ code: 'Unavailable' });
    await expect(q.run(async () => 'another report', 'low')).rejects.toMatchObject({ code: 'Unavailable' });
    first.release();
    expect(await Promise.all([running, sale, oldReport])).toEqual(['first', 'sale', 'old report']);
  });

  it('takes the priority of the call being served, and drops waiting work whose caller went away', async () => {
    const q = new DbQueue(10);
    const order: string[] = [];
    const first = gate(order, 'first');
    const running = q.run(first.fn);
    await settle();
    const gone = new AbortController();
    const abandoned = atPriority({ priority: 'high', signal: gone.signal }, () => q.run(async () => void order.push('abandoned')));
    const list = q.run(async () => void order.push('list'));
    const scan = atPriority({ priority: 'high' }, () => q.run(async () => void order.push('scan')));
    gone.abort(new Error('client closed'));
    await expect(abandoned).rejects.toThrow('client closed');
    expect(q.waiting).toBe(2);
    first.release();
    await Promise.all([running, list, scan]);
    expect(order).toEqual(['first', 'scan', 'list']);
  });

  it('refuses work that waited past its deadline when its turn comes', async () => {
    const q = new DbQueue(10, 50);
    const first = gate([], 'first');
    const running = q.run(first.fn);
    await settle();
    const stale = q.run(async () => 'stale');
    await new Promise((r) => setTimeout(r, 80));
    const fresh = q.run(async () => 'fresh');
    first.release();
    await expect(stale).rejects.toMatchObject({ code: 'Unavailable', key: 'busy' });
    expect(await Promise.all([running, fresh])).toEqual(['first', 'fresh']);
  });

  it('closes after the work already waiting and refuses new work', async () => {
    const q = new DbQueue(10);
    const order: string[] = [];
    const first = gate(order, 'first');
    const running = q.run(first.fn);
    await settle();
    const waiting = q.run(async () => void order.push('waiting'), 'low');
    const closed = q.drainThen(async () => void order.push('closed'));
    await expect(q.run(async () => 'late', 'high')).rejects.toMatchObject({ code: 'Unavailable' });
    first.release();
    await Promise.all([running, waiting, closed]);
    expect(order).toEqual(['first', 'waiting', 'closed']);
  });

  it('passes a failing job’s error to its caller and goes on with the next', async () => {
    const q = new DbQueue(10);
    const failing = q.run(async () => {
      throw new Error('statement failed');
    });
    const next = q.run(async () => 'next');
    await expect(failing).rejects.toThrow('statement failed');
    expect(await next).toBe('next');
  });
});
