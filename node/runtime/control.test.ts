import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test/support/tmp.js';
import { askLink, controlSocketPath, controlTokenFile, serveControl } from './control.js';

function rawAsk(socketPath: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = net.connect(socketPath, () => socket.write(line));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('the control channel of a running node', () => {
  const temp = useTempDirs();

  it('gives a fresh link to whoever can read the folder, through a socket only its owner can open', async () => {
    const dir = temp();
    let n = 0;
    const control = await serveControl(dir, () => `http://127.0.0.1:1/?code=${++n}`);
    try {
      expect(await askLink(dir)).toBe('http://127.0.0.1:1/?code=1');
      expect(await askLink(dir)).toBe('http://127.0.0.1:1/?code=2');
      expect(fs.statSync(controlTokenFile(dir)).mode & 0o777).toBe(0o600);
      expect(fs.statSync(controlSocketPath(dir)).mode & 0o777).toBe(0o600);
    } finally {
      await control.close();
    }
    expect(fs.existsSync(controlTokenFile(dir))).toBe(false);
  });

  it('refuses a request without the token, and answers nothing else', async () => {
    const dir = temp();
    const control = await serveControl(dir, () => 'http://127.0.0.1:1/?code=secret');
    try {
      const wrong = await rawAsk(controlSocketPath(dir), '{"token":"guess","ask":"link"}\n');
      expect(JSON.parse(wrong)).toEqual({ error: 'not allowed: wrong control token' });
      const junk = await rawAsk(controlSocketPath(dir), 'not json\n');
      expect(junk).not.toContain('secret');
    } finally {
      await control.close();
    }
  });

  it('says in words that no node runs on the folder, also after one died leaving its files', async () => {
    const dir = temp();
    await expect(askLink(dir)).rejects.toThrow(/No Mostrador is running on/);
    fs.writeFileSync(controlTokenFile(dir), 'left by a node that was killed');
    await expect(askLink(dir)).rejects.toThrow(/No Mostrador is running on/);
  });

  it('puts the socket of a deep folder in the temp folder, where the path fits', () => {
    const deep = path.join('/tmp', 'x'.repeat(120));
    expect(controlSocketPath(deep, 'linux').length).toBeLessThan(100);
    expect(controlSocketPath('/home/ana/.config/Mostrador', 'linux')).toBe('/home/ana/.config/Mostrador/control.sock');
    expect(controlSocketPath('C:\\Users\\ana\\AppData\\Roaming\\Mostrador', 'win32')).toMatch(/^\\\\\.\\pipe\\mostrador-[0-9a-f]{24}$/);
  });
});
