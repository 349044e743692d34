/**
 * What is never stored, whatever the recorder's options: credentials for the model provider and other
 * HTTP APIs, which a request, a tool's arguments or an error can carry.
 *
 * Keys: `authorization`, `proxy-authorization`, and any key naming an API key (`apiKey`, `api_key`,
 * `x-api-key`, `OPENAI_API_KEY`, …). Values: OpenAI-style secret keys (`sk-` then 16 or more key
 * characters, which covers `sk-proj-…`), bearer tokens (`Bearer ` then 8 or more token characters),
 * AWS access key ids and GitHub tokens. The value patterns use no character that JSON escapes, so they find
 * the same secrets in a string and in its JSON text.
 */
export const BUILT_IN_SECRET_KEYS: readonly RegExp[] = [/^(proxy-)?authorization$/i, /api[-_]?key/i];

export const BUILT_IN_SECRET_VALUES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\bBearer +[A-Za-z0-9._~+/=-]{8,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
];

/** What a redacted value or span is stored as. */
export const REDACTED = '[redacted]';
