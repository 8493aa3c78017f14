import { contract, PERSON_HEADER, type InputOf, type MethodName, type OutputOf } from '../../shared/contract/index.js';
import { AppError, isErrorCode, type ErrorCode, type FieldIssue, type WireError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** After this long a call is "taking longer than usual": the cashier should see that it is still working. */
export const SLOW_AFTER_MS = 2_500;

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Commands only: reuse this id when the same user action is retried, so the node applies it once. */
  commandId?: string;
  onSlow?: () => void;
  /** Let the request outlive the page (a save sent while the tab is closing or reloading). */
  keepalive?: boolean;
}

export interface ClientConfig {
  /** The language of the screens: the node answers errors in it. */
  locale?: () => string;
  /** '' in browser mode (same origin, cookie session); the node's URL in Electron. */
  apiBase: string;
  /** Electron's per-launch secret; absent in browser mode. */
  secret?: string;
  fetch?: typeof fetch;
  slowAfterMs?: number;
  /** The signed-in person's token (users.signIn), sent on every call; none before a person signs in. */
  person?: () => string | null | undefined;
  /** Called once per 401 so the shell can show the sign-in screen, whoever made the call. */
  onUnauthorized?: () => void;
}

export interface ApiClient {
  call<K extends MethodName>(name: K, input: InputOf<K>, opts?: CallOptions): Promise<OutputOf<K>>;
}

/** Aborts raise the platform's AbortError (not an AppError): a cancelled call is not a failure to report. */
export const isAbortError = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

const abortError = (): Error => new DOMException('The call was cancelled', 'AbortError');

const unavailable = () =>
  new AppError('Unavailable', 'The local service is not answering. Check that Mostrador is running and try again.');

const timedOut = (ms: number) =>
  new AppError('Timeout', `The local service did not answer within ${Math.round(ms / 1000)} s. Try again.`);

const CHECKS_CREDENTIALS: ReadonlySet<string> = new Set(['users.signIn', 'users.approve']);

const byStatus = (status: number): ErrorCode =>
  status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound'
    : status === 409 ? 'Conflict' : status === 429 ? 'RateLimited' : status === 503 ? 'Unavailable'
      : status >= 500 ? 'Internal' : 'ValidationError';

function isIssue(value: unknown): value is FieldIssue {
  const v = value as FieldIssue | null;
  return typeof v === 'object' && v !== null && typeof v.path === 'string' && typeof v.message === 'string';
}

/** Reads the error body defensively: a proxy or a crash can answer with anything. */
export function errorFromResponse(status: number, body: unknown): AppError {
  const wire = (body as { error?: Partial<WireError> } | null)?.error;
  if (wire && isErrorCode(wire.code) && typeof wire.message === 'string') {
    const issues = Array.isArray(wire.issues) ? wire.issues.filter(isIssue) : undefined;
    return AppError.fromWire({ code: wire.code, message: wire.message, ...(issues ? { issues } : {}) });
  }
  return new AppError(byStatus(status), `The local service answered with an unexpected error (HTTP ${status}).`);
}

export function createApiClient(config: ClientConfig): ApiClient {
  const doFetch = config.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const slowAfterMs = config.slowAfterMs ?? SLOW_AFTER_MS;

  async function call<K extends MethodName>(name: K, input: InputOf<K>, opts: CallOptions = {}) {
    const def = contract[name];
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (opts.signal?.aborted) throw abortError();

    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': newId() };
    if (config.secret) headers.authorization = `Bearer ${config.secret}`;
    if (config.locale) headers['accept-language'] = config.locale();
    const person = config.person?.();
    if (person) headers[PERSON_HEADER] = person;
    const body = def.kind === 'command' ? { input, commandId: opts.commandId ?? newId() } : { input };

    const controller = new AbortController();
    let expired = false;
    const onAbort = () => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      expired = true;
      controller.abort();
    }, timeoutMs);
    const slowTimer = opts.onSlow ? setTimeout(opts.onSlow, slowAfterMs) : undefined;

    // One mapping for failures while sending or while reading the answer: either can be cut by the timer or the user.
    const failure = (): Error => (expired ? timedOut(timeoutMs) : opts.signal?.aborted ? abortError() : unavailable());

    try {
      let response: Response;
      let payload: unknown;
      try {
        response = await doFetch(`${config.apiBase}/api/${name}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(body),
          signal: controller.signal,
          credentials: 'same-origin',
          ...(opts.keepalive ? { keepalive: true } : {}),
        });
        payload = await response.json().catch(() => {
          if (controller.signal.aborted) throw failure();
          return undefined;
        });
      } catch (e) {
        throw e instanceof AppError ? e : failure();
      }
      if (!response.ok) {
        const error = errorFromResponse(response.status, payload);
        // A wrong PIN or password is a 401 about what was typed, not about this tab's session.
        if (error.code === 'Unauthorized' && !CHECKS_CREDENTIALS.has(name)) config.onUnauthorized?.();
        throw error;
      }
      const parsed = def.output.safeParse((payload as { result?: unknown } | undefined)?.result);
      if (!parsed.success) {
        throw new AppError('Internal', `The local service answered ${name} with data this screen does not understand.`);
      }
      return parsed.data as OutputOf<K>;
    } finally {
      clearTimeout(timer);
      clearTimeout(slowTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  return { call };
}
