import type { Random } from './random.js';

/** Makes OpenAI-looking ids (`resp_…`, `msg_…`, `call_…`) so recordings resemble real runs. */
export type IdSource = (prefix: string) => string;

export function createIdSource(random: Random): IdSource {
  return (prefix) => {
    let hex = '';
    while (hex.length < 24) hex += Math.floor(random() * 16).toString(16);
    return `${prefix}_${hex}`;
  };
}
