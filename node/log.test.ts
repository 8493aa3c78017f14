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
    const flush = await logToDataDir(tmp.dir, false);
    rootLogger.level = 'info';
    const log = createLogger('relay');
    const requestLog = createLogger('central-api').child({ requestId: 'req-in-binding' });
    requestContext.run({ requestId: 'req-in-context' }, () => {
      log.info('module line');
      requestLog.info('request line');
      log.info({ requestId: 'req-explicit' }, 'explicit line');
    });
    log.info('outside any call');
    flush();
    const lines = fs
      .readFileSync(path.join(logsDir(tmp.dir), 'node.1.log'), 'utf8')
      .split('\n')
      .filter((l) => /module line|request line|explicit line|outside any call/.test(l));
    expect(lines.map((l) => l.match(/"requestId":/g)?.length ?? 0)).toEqual([1, 1, 1, 0]);
    expect(lines.map((l) => (JSON.parse(l) as { requestId?: string }).requestId)).toEqual(['req-in-context', 'req-in-binding', 'req-explicit', undefined]);
  });
});
