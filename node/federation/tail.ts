import { AppError } from '../../shared/errors.js';
import type { ReadDb, WriteTx } from '../db/types.js';
import type { AppendGuard } from '../journal/command.js';
import { createLogger } from '../log.js';

const log = createLogger('relay');

/** How long a command waits at a start for the first answer about this device's tail before it sells anyway. */
export const START_CHECK_MS = 5_000;

/** Records the central's checkpoint for this device (migration 0037), in the caller's transaction. */
export async function saveCentralSeq(tx: WriteTx, storeId: string, seq: number): Promise<void> {
  await tx.query(
    `INSERT INTO federation_tail (store_id, central_seq, checked_at) VALUES ($1, $2, now())
     ON CONFLICT (store_id) DO UPDATE SET central_seq = excluded.central_seq, checked_at = now()`,
    [storeId, seq],
  );
}

export async function centralSeq(db: ReadDb, storeId: string): Promise<number> {
  const [row] = await db.query<{ central_seq: number }>('SELECT central_seq FROM federation_tail WHERE store_id = $1', [storeId]);
  return Number(row?.central_seq ?? 0);
}

/**
 * Inside a command's transaction, with this device's head locked: refused while the central is known to hold more of
 * this device than its log (restored from a backup), so no device_seq and no fiscal number is issued twice. The
 * relay lifts it by taking its own tail back (the head reaches the central's checkpoint).
 */
export async function refuseWhileBehind(tx: WriteTx, storeId: string, headSeq: number): Promise<void> {
  if ((await centralSeq(tx, storeId)) > headSeq) throw recovering();
}

function recovering(): AppError {
  const error = AppError.t('Unavailable', 'recoveringOwnTail');
  error.retryAfterSeconds = 5;
  return error;
}

/**
 * The start of an enrolled terminal: until the relay's first checkpoint call has answered (or failed), a command
 * waits for it, at most `waitMs`; then it goes ahead. A central that answers says whether this log is behind (then
 * `refuseWhileBehind` holds the sales back); one that does not answer cannot tell, and a till offline at start must
 * still sell (the residual risk is in node/federation/CONTEXT.md).
 */
export class StartCheck {
  #done = false;
  #resolve: () => void = () => undefined;
  readonly #answered: Promise<void>;

  constructor(private readonly waitMs = START_CHECK_MS) {
    this.#answered = new Promise<void>((resolve) => (this.#resolve = resolve));
  }

  /** The first checkpoint call answered or failed (or the node is not enrolled: nothing to wait for). */
  settle(how: 'answered' | 'unreachable' | 'not enrolled'): void {
    if (this.#done) return;
    this.#done = true;
    if (how === 'unreachable') log.warn('the central did not answer at start: selling without knowing whether it holds more of this device');
    this.#resolve();
  }

  get settled(): boolean {
    return this.#done;
  }

  /** Waits for the first answer, at most `waitMs`; never throws (an unknown answer lets the till sell). */
  async ready(): Promise<void> {
    if (this.#done) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.waitMs)));
    await Promise.race([this.#answered, timeout]);
    clearTimeout(timer);
    if (!this.#done) log.warn({ waitMs: this.waitMs }, 'no answer about this device\'s tail yet: a command goes ahead');
  }
}

/** The guard a terminal's command path runs (app.ts hands it to the CommandRunner). */
export const tailGuard = (start: StartCheck, enrolled: () => boolean): AppendGuard => ({
  ready: () => start.ready(),
  check: async (tx, storeId, headSeq) => {
    if (enrolled()) await refuseWhileBehind(tx, storeId, headSeq);
  },
});
