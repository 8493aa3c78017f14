import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../shared/errors.js';
import { isAbortError } from '../api/client.js';
import { createCommandKeeper, mayHaveApplied, type RunCommand } from '../api/command.js';
import { toAppError } from '../state/errors.js';

export interface SubmitState {
  busy: boolean;
  slow: boolean;
  error: AppError | null;
  /** The last attempt may have been applied: offer "Retry", which resends it with the same command id. */
  canRetry: boolean;
}

const idle: SubmitState = { busy: false, slow: false, error: null, canRetry: false };

/**
 * One user action that changes data: blocks double submits (a ref, because a second click can land before
 * React re-renders), reports "slow", and keeps the command id across retries through a CommandKeeper.
 */
export function useSubmit<I, O>(run: RunCommand<I, O>) {
  const runRef = useRef(run);
  runRef.current = run;
  const keeper = useRef(createCommandKeeper<I, O>((input, opts) => runRef.current(input, opts))).current;
  const busyRef = useRef(false);
  const aborter = useRef<AbortController | null>(null);
  const [state, setState] = useState<SubmitState>(idle);

  useEffect(() => () => aborter.current?.abort(), []);

  const attempt = useCallback(
    async (send: (signal: AbortSignal, onSlow: () => void) => Promise<O>): Promise<O | undefined> => {
      if (busyRef.current) return undefined;
      busyRef.current = true;
      const controller = new AbortController();
      aborter.current = controller;
      setState({ busy: true, slow: false, error: null, canRetry: false });
      try {
        const out = await send(controller.signal, () => setState((s) => ({ ...s, slow: true })));
        setState(idle);
        return out;
      } catch (e) {
        // Cancelled by the person (a slow call): the node may still apply it, so "Retry" resends the same id.
        setState(isAbortError(e) ? { ...idle, canRetry: true } : { busy: false, slow: false, error: toAppError(e), canRetry: mayHaveApplied(e) });
        return undefined;
      } finally {
        busyRef.current = false;
      }
    },
    [],
  );

  const submit = useCallback(
    (input: I) => attempt((signal, onSlow) => keeper.submit(input, { signal, onSlow })),
    [attempt, keeper],
  );
  const retry = useCallback(() => attempt((signal, onSlow) => keeper.retry({ signal, onSlow })), [attempt, keeper]);
  const fail = useCallback((error: AppError) => setState({ ...idle, error }), []);
  /** Stops waiting for a slow call (R23); its outcome is unknown, so a retry keeps the command id. */
  const cancel = useCallback(() => aborter.current?.abort(), []);

  return { ...state, submit, retry, fail, cancel };
}
