import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/support/tmp.js';
import { createLogger, logsDir, logToDataDir, redactUrl, requestContext, rootLogger } from './log.js';

describe('the node log', () => {
  const tmp = tempDir('mostrador-log-');
  afterAll(() => tmp.remove());

  it('blanks the sign-in code of a request URL and keeps the rest', () => {
    expect(redactUrl('/?code=Zx9_abc&lang=es#/products')).toBe('/?code=[redacted]&lang=es#/products');
    expect(redactUrl('/api/products.search')).toBe('/api/products.search');
  });

  it('writes to a file in the data folder, with no sign-in code, secret or cookie in it', async () => {
    const flush = await logToDataDir(tmp.dir, false);
    rootLogger.level = 'info';
    const log = createLogger('api');
    log.info({ req: { method: 'GET', url: '/?code=CODE-123', ip: '127.0.0.1', headers: { cookie: 'mostrador_session=TOKEN-456' } } }, 'incoming request');
    log.info({ secret: 'SECRET-789', req: { method: 'POST', url: '/auth/session' } }, 'launched');
    flush();
    const files = fs.readdirSync(logsDir(tmp.dir));
    expect(files).toEqual(['node.1.log']);
    const text = fs.readFileSync(path.join(logsDir(tmp.dir), files[0]!), 'utf8');
    expect(text).toContain('"url":"/?code=[redacted]"');
    expect(text).toContain('incoming request');
    for (const secret of ['CODE-123', 'TOKEN-456', 'SECRET-789']) expect(text).not.toContain(secret);
  });

  it('writes the request id of the call being served once per line, whoever names it', async () => {
    const own = tempDir('mostrador-log-ids-');
    const flush = await logToDataDir(own.dir, false);
    rootLogger.level = 'info';
    const log = createLogger('relay');
    const requestLog = createLogger('central-api').child({ requestId: 'req-in-binding' });
    requestContext.run({ requestId: 'req-in-context' }, () => {
      log.info('module line');
      requestLog.info('request line');
      log.info({ requestId: 'req-explicit' }, 'explicit line');
    });
    log.info('outside any call');
    const dir = logsDir(own.dir);
    const read = () => {
      flush();
      return fs
        .readdirSync(dir)
        .flatMap((file) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n'))
        .filter((l) => l.startsWith('{'));
    };
    // The rolling file takes a moment to be written on a loaded machine, and not always in call order.
    await expect.poll(() => read().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(4);
    const byMessage = Object.fromEntries(read().map((l) => [(JSON.parse(l) as { msg: string }).msg, l]));
    const ids = (msg: string) => ({ count: byMessage[msg]?.match(/"requestId":/g)?.length ?? 0, id: (JSON.parse(byMessage[msg] ?? '{}') as { requestId?: string }).requestId });
    expect(ids('module line')).toEqual({ count: 1, id: 'req-in-context' });
    expect(ids('request line')).toEqual({ count: 1, id: 'req-in-binding' });
    expect(ids('explicit line')).toEqual({ count: 1, id: 'req-explicit' });
    expect(ids('outside any call')).toEqual({ count: 0, id: undefined });
    own.remove();
  });
});
