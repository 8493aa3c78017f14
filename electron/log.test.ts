import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

describe('createLogger', () => {
  it('writes one JSON line per entry with level, module and fields, errors included', () => {
    const lines: string[] = [];
    const log = createLogger('electron.test', (line) => lines.push(line));
    log.info('node ready', { apiUrl: 'http://127.0.0.1:1' });
    log.error('failed', { error: new Error('boom') });
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({
      level: 'info',
      module: 'electron.test',
      msg: 'node ready',
      apiUrl: 'http://127.0.0.1:1',
    });
    expect(typeof first.time).toBe('string');
    const second = JSON.parse(lines[1]!) as { error: { message: string } };
    expect(second.error.message).toBe('boom');
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });
});
