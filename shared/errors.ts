import { renderMessage, type Locale, type MessageKey, type MessageParams } from './messages.js';

/**
 * One union of errors for the whole system. Node code throws `AppError`; the API boundary maps `code` to an HTTP
 * status once (`AppError.status`); the client turns the wire shape back into an `AppError`.
 */
export const errorStatus = {
  ValidationError: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  RateLimited: 429,
  Internal: 500,
  Unavailable: 503,
  Timeout: 504,
  /** The data folder's disk is (nearly) full: writes are refused until space returns, reads still work. */
  DiskFull: 507,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldIssue {
  path: string;
  message: string;
  /** Set for messages from the catalog: the API renders `message` in the caller's language; never on the wire. */
  key?: MessageKey;
  params?: unknown;
}

export interface WireError {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  requestId?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[] | undefined;
  /** Set for messages a person reads: the API renders them in the caller's language. */
  key: MessageKey | undefined;
  params: unknown;
  /** Seconds to wait before trying again (HTTP Retry-After), for RateLimited and Unavailable. */
  retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = code;
    this.code = code;
    this.issues = issues;
  }

  /** An error whose message comes from the catalog of user-facing messages (shared/messages.ts). */
  static t<K extends MessageKey>(code: ErrorCode, key: K, ...[params, issues]: MessageParams<K> extends void ? [undefined?, FieldIssue[]?] : [MessageParams<K>, FieldIssue[]?]): AppError {
    const error = new AppError(code, renderMessage('en', key, params), issues);
    error.key = key;
    error.params = params;
    return error;
  }

  retryAfter(seconds: number): this {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /** The message in a language; errors made without a key have only their own. */
  messageIn(locale: Locale): string {
    return this.key ? renderMessage(locale, this.key, this.params) : this.message;
  }

  get status(): number {
    return errorStatus[this.code];
  }

  toWire(requestId?: string, locale: Locale = 'en'): WireError {
    return {
      code: this.code,
      message: this.messageIn(locale),
      ...(this.issues ? { issues: this.issues.map((issue) => issueIn(issue, locale)) } : {}),
      ...(requestId ? { requestId } : {}),
    };
  }

  static fromWire(wire: WireError): AppError {
    return new AppError(wire.code, wire.message, wire.issues);
  }
}

/** A field issue whose message comes from the catalog: English in logs, the caller's language on the wire. */
export function fieldIssue<K extends MessageKey>(path: string, key: K, params?: MessageParams<K>): FieldIssue {
  return { path, key, params, message: renderMessage('en', key, params) };
}

const issueIn = ({ path, message, key, params }: FieldIssue, locale: Locale): FieldIssue => ({
  path,
  message: key ? renderMessage(locale, key, params) : message,
});

export const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.hasOwn(errorStatus, value);

export function assertNever(value: never, what = 'value'): never {
  throw new AppError('Internal', `Unhandled ${what}: ${JSON.stringify(value)}`);
}
