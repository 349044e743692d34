import { errorMessage } from '../errors.js';
/**
 * Lossless JSON for stream events, as far as the SDK allows: `RunItem.toJSON()` gives `{type, rawItem, agent}`,
 * agents serialize to `{name}`. JSON.stringify escapes lone surrogates and NUL (ES2019 well-formed stringify),
 * so hostile model output round-trips exactly.
 */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    // BigInt or a cycle somewhere in a provider payload: keep everything that can be kept.
    try {
      return JSON.stringify(value, tolerantReplacer()) ?? 'null';
    } catch (error) {
      // A getter or a toJSON that throws: what is stored says so, in the value's place, rather than nothing.
      return JSON.stringify({ unserializable: errorMessage(error) });
    }
  }
}

function tolerantReplacer(): (key: string, value: unknown) => unknown {
  const ancestors: object[] = [];
  return function (this: unknown, _key: string, value: unknown) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    // `this` is the object holding the key: drop ancestors we have left.
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    return value;
  };
}

/** Errors serialize to `{}`; keep what a person debugging a run needs. */
export interface ErrorRecord {
  name: string;
  message: string;
  stack?: string;
  /** An HTTP error's status, the provider's error code, and the request id to quote to the provider. */
  status?: number;
  code?: string;
  requestId?: string;
  /** `error.cause`, recorded the same way (a few levels deep). */
  cause?: ErrorRecord;
}

const CAUSE_DEPTH = 5;

export function toErrorRecord(error: unknown, depth = 0): ErrorRecord {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  // The openai package's APIError carries these; other HTTP clients often use the same names.
  const { status, code, requestID } = error as { status?: unknown; code?: unknown; requestID?: unknown };
  const cause = (error as { cause?: unknown }).cause;
  return {
    name: error.name || error.constructor.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof requestID === 'string' ? { requestId: requestID } : {}),
    ...(cause !== undefined && depth < CAUSE_DEPTH ? { cause: toErrorRecord(cause, depth + 1) } : {}),
  };
}
