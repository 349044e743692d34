import {
  RunState,
  type Agent,
  type AgentInputItem,
  type NonStreamRunOptions,
  type RunResult,
  type Runner,
  type StreamRunOptions,
  type StreamedRunResult,
} from '@openai/agents';
import { currentToolCall, withCapture } from '../capture/captureContext.js';
import { finishRunCapture, prepareRunCapture, type RunOutcome } from '../capture/runCapture.js';
import { modelName } from '../capture/agentObjects.js';
import { systemClock } from './clock.js';
import { recordNonStreamedRun } from './nonStreamedRun.js';
import { recordingObserver, registerRecording, startRecording, type RecordOptions, type RecordStartOptions } from './record.js';
import { failedRunEnd, runEndOf } from './runEnd.js';
import { observeRunStartedBy } from './resultHooks.js';
import { startRunCapture } from './runnerCapture.js';
import type { RunRecording } from './runRecording.js';

type AnyAgent = Agent<any, any>;
export type RunInput = string | AgentInputItem[] | RunState<any, any>;
export type AnyRunOptions = StreamRunOptions<any, any> | NonStreamRunOptions<any, any>;
export type AnyRunResult = RunResult<any, any> | StreamedRunResult<any, any>;
/** The SDK's own `Runner.prototype.run` on a runner: the run, unrecorded. */
export type SdkRun = (agent: AnyAgent, input: RunInput, options?: AnyRunOptions) => Promise<AnyRunResult>;

/**
 * The record options each recorded run was started with: a run an agent used as a tool starts inside one of
 * its tool calls is recorded with them (same database, clock, capture and redaction).
 */
const optionsOfRun = new WeakMap<RunRecording, RecordOptions>();

/** The record options of the recorded run whose tool call this code runs in, and that call: a child run's. */
export function parentOfNewRun(): { options: RecordOptions; runId: string; callId: string | null; tool: string } | undefined {
  const call = currentToolCall();
  const options = call && optionsOfRun.get(call.sink as RunRecording);
  return call && options ? { options, runId: (call.sink as RunRecording).runId, callId: call.callId, tool: call.tool } : undefined;
}

/**
 * Runs one run on `runner` through the SDK's own `sdkRun`, recorded: what every recorded run does, whether a
 * RecordingRunner's or the nested run of an agent used as a tool. The run is captured inside its own capture
 * context, which exists from the call on; started inside a tool call of a recorded run, it is that run's
 * child, linked to the call. The result is the SDK's own.
 */
export async function runRecorded(
  runner: Runner,
  options: RecordOptions,
  agent: AnyAgent,
  input: RunInput,
  runOptions: AnyRunOptions | undefined,
  sdkRun: SdkRun,
): Promise<AnyRunResult> {
  const resumed = input instanceof RunState;
  const startingAgent = resumed ? input.currentAgent : agent;
  const runnerModel = modelName(runner.config.model);
  const clock = options.clock ?? systemClock;
  const parent = parentOfNewRun();
  const recordOptions: RecordStartOptions = {
    ...options,
    startingAgent,
    // A resumed run's input is the whole serialized state; a marker says where it came from instead.
    input: resumed ? { resumedFrom: 'RunState', agent: startingAgent.name } : input,
    ...(runnerModel ? { runnerModel } : {}),
    ...(runOptions?.signal ? { signal: runOptions.signal } : {}),
    ...(resumed ? { resumesCallIds: interruptedCallIds(input) } : {}),
    // A child run is named after the tool that ran it, unless its runner names its runs.
    ...(parent ? { parent: { runId: parent.runId, callId: parent.callId }, name: options.name ?? parent.tool } : {}),
    startedAt: clock.now(),
    captured: options.capture ?? true,
  };
  const recording = startRecording(recordOptions, recordOptions.input);
  // A child run is recorded like its parent, under no name of its own: its parent's name and metadata are the parent's.
  const { name: _name, metadata: _metadata, ...inherited } = options;
  optionsOfRun.set(recording, inherited);
  // How the run ended, for what capture reads off the SDK's result (or a failed run's error) at its end.
  const ended: RunOutcome = {};
  if (recordOptions.captured) {
    prepareRunCapture(runner, startingAgent);
    startRunCapture(runner, recording, startingAgent);
    recording.whenEnding(() => finishRunCapture(recording, ended, startingAgent.name));
  }
  const inRun = <T>(start: () => T): T => (recordOptions.captured ? withCapture(recording, start) : start());
  if (!runOptions?.stream) return runNonStreamed(runner, recording, ended, () => inRun(() => sdkRun(agent, input, runOptions) as Promise<RunResult<any, any>>));
  let bound = false;
  try {
    return await observeRunStartedBy(
      () => inRun(() => sdkRun(agent, input, runOptions) as Promise<StreamedRunResult<any, any>>),
      (result) => ((bound = true), (ended.result = result), recordingObserver(result, recordOptions, recording)),
    );
  } catch (error) {
    // The run failed before it had a result: its recording says so.
    if (!bound) {
      ended.error = error;
      recording.end(failedRunEnd(error, recording.elapsedUs()));
    }
    throw error;
  }
}

async function runNonStreamed<T extends RunResult<any, any>>(runner: Runner, recording: RunRecording, ended: RunOutcome, start: () => Promise<T>): Promise<T> {
  try {
    const result = await recordNonStreamedRun(runner, recording, start);
    ended.result = result;
    registerRecording(result, recording);
    recording.end(runEndOf(result, recording.elapsedUs(), undefined, undefined));
    return result;
  } catch (error) {
    ended.error = error;
    recording.end(failedRunEnd(error, recording.elapsedUs()));
    throw error;
  }
}

/** The tool calls a RunState stopped at for approval. */
function interruptedCallIds(state: RunState<any, any>): string[] {
  return state
    .getInterruptions()
    .map((item) => (item.rawItem as { callId?: unknown }).callId)
    .filter((id): id is string => typeof id === 'string');
}
