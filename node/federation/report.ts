import type { FederationStatus } from '../../shared/contract/federation.js';
import { createLogger } from '../log.js';
import { packageVersion } from '../runtime/paths.js';
import { CentralRefused, type CentralClient } from './client.js';

const log = createLogger('relay');

export interface ReporterDeps {
  client: CentralClient;
  status: () => Promise<FederationStatus>;
  /** The operator asked, at the central, for a reconciliation of this device: run it (its result goes in the next report). */
  reconcile: () => Promise<unknown>;
}

/**
 * Tells the central what only this terminal knows (POST /fed/v1/report, shared/federation.ts): sent after each round
 * of the relay, one at a time (a round finishing while one is on its way sends once more after it). The answer may
 * carry the token of a reconciliation the operator asked for at the central: the relay runs it and echoes the token
 * in the report that follows, which clears the request there (so a lost answer only means asking again).
 * A failed report never fails the round: it is a view, the events do not depend on it.
 */
export class StatusReporter {
  #sending: Promise<void> | undefined;
  #again = false;
  #reconciled: string | null = null;
  readonly #version = packageVersion();

  constructor(private readonly deps: ReporterDeps) {}

  /** Sends the status soon; resolves when the report (and any that was asked for meanwhile) has been answered. */
  send(): Promise<void> {
    if (this.#sending) {
      this.#again = true;
      return this.#sending;
    }
    this.#sending = this.#loop().finally(() => {
      this.#sending = undefined;
    });
    return this.#sending;
  }

  /** Waits for a report on its way (shutdown). */
  async idle(): Promise<void> {
    await this.#sending;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      const asked = await this.#once();
      if (asked !== null && asked !== this.#reconciled) {
        log.info({ token: asked }, 'the central asked for a reconciliation');
        await this.deps.reconcile().catch((error: unknown) => log.warn({ err: (error as Error).message }, 'reconciliation asked by the central failed'));
        this.#reconciled = asked;
        this.#again = true;
      }
    } while (this.#again);
  }

  /** One report; the reconciliation the central asks for, or null (also when the report failed). */
  async #once(): Promise<string | null> {
    try {
      const status = await this.deps.status();
      const answer = await this.deps.client.report({ status, appVersion: this.#version, reconciled: this.#reconciled });
      return answer.reconcile;
    } catch (error) {
      const level = error instanceof CentralRefused ? 'warn' : 'debug';
      log[level]({ err: (error as Error).message }, 'status report to the central not sent');
      return null;
    }
  }
}
