import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BOOTSTRAP_CHANNEL, registerBootstrap } from './bootstrap.js';
import { fake } from './testing/fake-electron.js';

vi.mock('electron', () => import('./testing/fake-electron.js').then((m) => m.fake));

const apiUrl = 'http://127.0.0.1:4318';
const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I';

describe('mostrador:bootstrap', () => {
  beforeEach(() => {
    fake.reset();
    registerBootstrap({ apiUrl, secret });
  });

  it('is the only IPC channel', () => {
    expect([...fake.handlers.keys()]).toEqual([BOOTSTRAP_CHANNEL]);
  });

  it('answers a frame served by the node', async () => {
    await expect(fake.invokeMain(BOOTSTRAP_CHANNEL, `${apiUrl}/pos/checkout`)).resolves.toEqual({ apiUrl, secret });
  });

  it.each([
    'https://evil.example/',
    'http://127.0.0.1:9999/',
    'http://localhost:4318/',
    'file:///app/index.html',
    'about:blank',
    '',
  ])('refuses a frame at %j', async (frameUrl) => {
    await expect(fake.invokeMain(BOOTSTRAP_CHANNEL, frameUrl)).rejects.toThrow(/refused/);
  });

  it('refuses a detached frame', async () => {
    await expect(fake.invokeMain(BOOTSTRAP_CHANNEL, null)).rejects.toThrow(/refused/);
  });
});
