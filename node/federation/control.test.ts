import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../test/support/tmp.js';
import { askFederation, askLink, serveControl, type FederationAsk } from '../runtime/control.js';

/** `mostrador enroll` and `mostrador federation …` reach the running node's relay over its control socket. */
describe('federation asks over the control channel', () => {
  const temp = useTempDirs();

  it('passes each ask to the relay and brings back its answer or its refusal', async () => {
    const dir = temp();
    const asked: FederationAsk[] = [];
    const control = await serveControl(dir, () => 'http://127.0.0.1:1/?code=1', async (ask) => {
      asked.push(ask);
      if (ask.ask === 'enroll' && ask.code === 'bad') throw new Error('the central did not accept the code');
      return `done ${ask.ask}`;
    });
    try {
      expect(await askFederation(dir, { ask: 'enroll', central: 'http://c:1', code: 'ENROLL-1234' })).toBe('done enroll');
      expect(await askFederation(dir, { ask: 'resetBreaker' })).toBe('done resetBreaker');
      expect(await askFederation(dir, { ask: 'reconcileNow' })).toBe('done reconcileNow');
      expect(await askFederation(dir, { ask: 'retryDeadLetter' })).toBe('done retryDeadLetter');
      await expect(askFederation(dir, { ask: 'enroll', central: 'http://c:1', code: 'bad' })).rejects.toThrow(/refused: the central did not accept the code/);
      expect(await askLink(dir)).toBe('http://127.0.0.1:1/?code=1');
      expect(asked.map((a) => a.ask)).toEqual(['enroll', 'resetBreaker', 'reconcileNow', 'retryDeadLetter', 'enroll']);
    } finally {
      await control.close();
    }
  });

  it('says so when the node has no relay', async () => {
    const dir = temp();
    const control = await serveControl(dir, () => 'x');
    try {
      await expect(askFederation(dir, { ask: 'syncNow' })).rejects.toThrow(/no relay/);
    } finally {
      await control.close();
    }
  });
});
