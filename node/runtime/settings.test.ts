import fs from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test/support/tmp.js';
import { choosePort, isPortFree, readSettings, rememberPort, settingsFile } from './settings.js';

function occupy(port = 0): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('the port kept per data folder', () => {
  const temp = useTempDirs();

  it('picks a free port below the ephemeral range at first start, then keeps it', async () => {
    const dir = temp();
    const first = await choosePort(dir, undefined);
    expect(first.port).toBeGreaterThanOrEqual(20_000);
    expect(first.port).toBeLessThan(32_000);
    expect(first.notice).toBeUndefined();
    rememberPort(dir, first.port);
    expect(readSettings(dir)).toEqual({ port: first.port });
    expect((await choosePort(dir, undefined)).port).toBe(first.port);
  });

  it('uses an explicit port over the kept one', async () => {
    const dir = temp();
    rememberPort(dir, 23_456);
    expect(await choosePort(dir, 24_567)).toEqual({ port: 24_567 });
  });

  it('says so when another program holds the kept port, and picks a new free one', async () => {
    const dir = temp();
    const squatter = await occupy();
    try {
      rememberPort(dir, portOf(squatter));
      const choice = await choosePort(dir, undefined);
      expect(choice.port).not.toBe(portOf(squatter));
      expect(await isPortFree(choice.port)).toBe(true);
      expect(choice.notice).toContain(`${portOf(squatter)}`);
      expect(choice.notice).toMatch(/ocupado por otro programa/);
    } finally {
      squatter.close();
    }
  });

  it('treats a broken settings file as none', async () => {
    const dir = temp();
    fs.writeFileSync(settingsFile(dir), '{"port": "not a port"');
    expect(readSettings(dir)).toEqual({});
    fs.writeFileSync(settingsFile(dir), '{"port": 70000}');
    expect(readSettings(dir)).toEqual({});
    expect((await choosePort(dir, undefined)).notice).toBeUndefined();
  });
});
