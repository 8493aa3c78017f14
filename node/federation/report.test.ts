import { describe, expect, it } from 'vitest';
import type { FederationStatus } from '../../shared/contract/federation.js';
import { CentralUnreachable, type CentralClient } from './client.js';
import { StatusReporter } from './report.js';

const STATUS: FederationStatus = {
  enrolled: true,
  centralUrl: 'http://central:1',
  online: true,
  lastContactAt: null,
  lastError: null,
  backlog: 0,
  breaker: { state: 'closed', failures: 0, retryAt: null },
  deadLetter: null,
  fiscalNumbersLeft: null,
  lastReconcile: null,
  clockSkewMs: null,
  clockSkewFlagged: false,
  pushAttempts: 0,
  pushAttemptLimit: 10,
};
const TOKEN = '0190a0a0-0000-7000-8000-0000000000aa';

/** A central that answers reports from a script (a token, null, or a failure), recording what it was sent. */
function fakeCentral(answers: (string | null | Error)[]) {
  const sent: { reconciled: string | null }[] = [];
  const client = {
    async report(input: { reconciled: string | null }) {
      sent.push({ reconciled: input.reconciled });
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
      const answer = answers.shift() ?? null;
      if (answer instanceof Error) throw answer;
      return { reconcile: answer };
    },
  } as unknown as CentralClient;
  return { client, sent };
}

describe('the status report to the central', () => {
  it('runs the reconciliation the answer asks for once, and echoes its token in the next report', async () => {
    const central = fakeCentral([TOKEN, TOKEN, null]);
    let reconciled = 0;
    const reporter = new StatusReporter({ client: central.client, status: async () => STATUS, reconcile: async () => void reconciled++ });
    await reporter.send();
    expect(reconciled).toBe(1);
    // The report after the run says so; the central, not yet cleared, asks again with the same token: not run twice.
    expect(central.sent).toEqual([{ reconciled: null }, { reconciled: TOKEN }]);
    await reporter.send();
    expect(reconciled).toBe(1);
    expect(central.sent.at(-1)).toEqual({ reconciled: TOKEN });
  });

  it('sends one at a time: asks made while one is on its way become one more report', async () => {
    const central = fakeCentral([]);
    const reporter = new StatusReporter({ client: central.client, status: async () => STATUS, reconcile: async () => undefined });
    await Promise.all([reporter.send(), reporter.send(), reporter.send(), reporter.send()]);
    expect(central.sent).toHaveLength(2);
  });

  it('a failed report never throws, and the next one goes out', async () => {
    const central = fakeCentral([new CentralUnreachable('down'), null]);
    const reporter = new StatusReporter({ client: central.client, status: async () => STATUS, reconcile: async () => undefined });
    await expect(reporter.send()).resolves.toBeUndefined();
    await reporter.send();
    expect(central.sent).toHaveLength(2);
  });
});
