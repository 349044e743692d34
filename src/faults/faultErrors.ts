import { applicationOpenAI } from './applicationOpenAI.js';

/**
 * The error the application's `openai` client raises when the server answers with `status`: the client's own
 * `APIError.generate` over the API's error envelope (an `InternalServerError` for a 5xx, a `RateLimitError`
 * for a 429, ...), with the message the client makes of it (`500 The server had an error`).
 */
export async function serverError(status: number, message: string): Promise<Error> {
  const { APIError } = await applicationOpenAI();
  const body = { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } };
  return APIError.generate(status, body, undefined, new Headers({ 'content-type': 'application/json' }));
}

/**
 * What reading a response whose connection dropped throws: Node's `fetch` (undici, under the `openai` client)
 * ends the body with `TypeError: terminated`, its cause the socket's `other side closed`. The client and the
 * SDK hand it on as it is.
 */
export function streamCutError(): TypeError {
  const cause = Object.assign(new Error('other side closed'), { name: 'SocketError', code: 'UND_ERR_SOCKET' });
  return new TypeError('terminated', { cause });
}
