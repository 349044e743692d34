import type { KeyName } from './keys.js';

/** A question in the footer: a line to type (a search, a time, a filter) or a yes/no confirmation. */
export type Prompt =
  | {
      kind: 'line';
      label: string;
      value: string;
      /** Called on every edit: filtering as you type. */
      onChange?: (value: string) => void;
      /** May read the store: the prompt closes once it has settled. */
      onSubmit: (value: string) => void | Promise<void>;
      onCancel?: () => void;
      /** Keys that do not edit (arrows): the runs filter moves its selection with them while you type. */
      onOtherKey?: (key: KeyName) => void;
    }
  | { kind: 'confirm'; question: string; onYes: () => void | Promise<void> };

export type PromptResult = 'open' | 'closed';

/** Applies a key to a prompt; 'closed' when it was answered (and the answer has settled) or dismissed. */
export async function promptKey(prompt: Prompt, key: KeyName): Promise<PromptResult> {
  if (prompt.kind === 'confirm') {
    if (key === 'y' || key === 'Y') await prompt.onYes();
    return 'closed';
  }
  switch (key) {
    case 'enter':
      await prompt.onSubmit(prompt.value);
      return 'closed';
    case 'escape':
      prompt.onCancel?.();
      return 'closed';
    case 'backspace':
      return edit(prompt, [...prompt.value].slice(0, -1).join(''));
    case 'C-u':
      return edit(prompt, '');
    case 'space':
      return edit(prompt, prompt.value + ' ');
    default:
      // Printable characters type; other keys (arrows, tab) do not.
      if ([...key].length === 1) return edit(prompt, prompt.value + key);
      prompt.onOtherKey?.(key);
      return 'open';
  }
}

function edit(prompt: Extract<Prompt, { kind: 'line' }>, value: string): PromptResult {
  prompt.value = value;
  prompt.onChange?.(value);
  return 'open';
}
