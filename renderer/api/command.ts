import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { isAbortError, type CallOptions } from './client.js';

/**
 * After these the node may or may not have applied the command (the answer was lost or abandoned, not a refusal), so the next
 * attempt of the same action must carry the same command id: the node then applies it at most once.
 */
export const mayHaveApplied = (e: unknown): boolean =>
  isAbortError(e) ||
  (e instanceof AppError && (e.code === 'Timeout' || e.code === 'Unavailable' || e.code === 'Internal'));

export type RunCommand<I, O> = (input: I, opts: CallOptions & { commandId: string }) => Promise<O>;

export interface CommandKeeper<I, O> {
  /** Runs the action; reuses the kept id when the input is the one whose outcome is unknown. */
  submit(input: I, opts?: CallOptions): Promise<O>;
  /** Sends the last unresolved attempt again, same input and same id. */
  retry(opts?: CallOptions): Promise<O>;
  /** The attempt whose outcome is unknown, if any. */
  readonly unresolved: { commandId: string; input: I } | undefined;
  /** Forget the attempt (the form was closed or reset). */
  reset(): void;
}

const sameInput = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Keeps a command id across retries of one user action. A fresh id is made after a success or a refusal
 * (validation, conflict …): a refused command wrote nothing, so what the person sends next is a new command.
 */
export function createCommandKeeper<I, O>(run: RunCommand<I, O>, makeId: () => string = newId): CommandKeeper<I, O> {
  let unresolved: { commandId: string; input: I } | undefined;

  async function submit(input: I, opts: CallOptions = {}): Promise<O> {
    const commandId = unresolved && sameInput(unresolved.input, input) ? unresolved.commandId : makeId();
    unresolved = { commandId, input };
    try {
      const out = await run(input, { ...opts, commandId });
      unresolved = undefined;
      return out;
    } catch (e) {
      if (!mayHaveApplied(e) && unresolved?.commandId === commandId) unresolved = undefined;
      throw e;
    }
  }

  return {
    submit,
    retry(opts) {
      if (!unresolved) return Promise.reject(new AppError('Conflict', 'There is nothing to retry.'));
      return submit(unresolved.input, opts);
    },
    get unresolved() {
      return unresolved;
    },
    reset() {
      unresolved = undefined;
    },
  };
}
