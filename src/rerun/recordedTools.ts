import type { Agent, FunctionTool } from '@openai/agents';
import { callIdOf } from '../capture/toolCalls.js';
import { RuntapeError } from '../errors.js';
import { agentsByName } from './modelInstances.js';
import { currentRerun } from './rerunContext.js';

type Invoke = FunctionTool['invoke'];

const PATCHED = Symbol.for('runtape.rerun.recordedTools');

/**
 * Lets re-runs with `tools: 'recorded'` answer the function tools of the agents reachable from `start` with
 * the outputs the recording holds, so that a tool with side effects does not run again.
 *
 * Each tool object gets one patch (idempotent): its `invoke` becomes an accessor that, read inside such a re-run
 * (the re-run's async context), gives a function serving the recorded output, and anywhere else gives the
 * tool's own `invoke`, the very same function (the SDK keys a tool's input parser and its MCP binding by it).
 * Assigning `invoke` replaces the tool's own. A tool that cannot take the patch fails the re-run before it
 * starts, naming it: its code would run.
 */
export function serveRecordedToolOutputs(start: Agent<any, any>): void {
  for (const agent of agentsByName(start).values()) {
    for (const tool of agent.tools) if (tool.type === 'function') patchTool(tool, agent.name);
  }
}

function patchTool(tool: FunctionTool<any, any, any>, agent: string): void {
  const target = tool as FunctionTool<any, any, any> & { [PATCHED]?: true };
  if (target[PATCHED]) return;
  const descriptor = Object.getOwnPropertyDescriptor(tool, 'invoke');
  if (!Object.isExtensible(tool) || !descriptor?.configurable || !('value' in descriptor)) {
    throw new RuntapeError(`agent ${agent}: its tool ${tool.name} cannot take the patch (a frozen tool or a fixed invoke), so a re-run cannot serve its recorded outputs (its code would run)`);
  }
  let own = descriptor.value as Invoke;
  const recorded: Invoke = async (_runContext, _input, details) => recordedOutput(tool.name, callIdOf(details));
  Object.defineProperty(target, PATCHED, { value: true });
  Object.defineProperty(target, 'invoke', {
    configurable: true,
    enumerable: descriptor.enumerable ?? true,
    get: () => (currentRerun()?.options.tools === 'recorded' ? recorded : own),
    set: (value: Invoke) => {
      own = value;
    },
  });
}

/** The recorded output of this tool call; a call the recording does not hold fails the run, it never runs the tool. */
function recordedOutput(tool: string, callId: string | null): unknown {
  const session = currentRerun()!;
  const recorded = callId === null ? undefined : session.recordedToolOutput(callId);
  if (!recorded?.found) {
    throw new RuntapeError(`tool ${tool}: run ${session.source.run.id} holds no output for its call ${callId ?? '(no call id)'}, and tools: 'recorded' does not run it`);
  }
  return recorded.output;
}
