import type { RunStreamEvent, StreamedRunResult } from '@openai/agents';
import { MarkedText } from '../display/markedText.js';
import { sanitizeLine } from '../events/sanitize.js';

export interface LiveOutput {
  text: (chunk: string) => void;
  marker: (line: string) => void;
}

/**
 * Shows a run as it streams: its text as it arrives, and one-line markers for agent changes and tool calls.
 * Model output is untrusted, so every byte goes through the sanitizer.
 */
export async function followRun(result: StreamedRunResult<any, any>, out: LiveOutput): Promise<void> {
  const lines = new MarkedText();
  const marker = (line: string) => {
    out.text(lines.breakLine());
    out.marker(line);
  };
  for await (const event of result as AsyncIterable<RunStreamEvent>) {
    if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') {
      out.text(lines.text(event.data.delta));
    } else if (event.type === 'agent_updated_stream_event') {
      marker(`[→ ${sanitizeLine(event.agent.name)}]`);
    } else if (event.type === 'run_item_stream_event' && event.name === 'tool_called') {
      const raw = event.item.rawItem as { name?: string };
      marker(`[tool ${sanitizeLine(raw.name ?? '?')}]`);
    }
  }
  out.text(lines.breakLine());
}
