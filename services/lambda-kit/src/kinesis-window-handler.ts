import type { KinesisStreamEvent, KinesisStreamStateResponse, KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { runKinesisBatch, type BatchOutcome, type HandlerTools } from './kinesis-batch-handler';
import { batchItemFailures, type DecodedKinesisEvent } from './kinesis-event-readings';

/** One invocation of a Lambda tumbling window, as the handler's process sees it. */
export interface TumblingWindowInvocation {
  /** The state the previous invocation of this window returned; undefined (or `{}`) at a window's start. */
  readonly state: Readonly<Record<string, unknown>> | undefined;
  /**
   * The last invocation of its window (`isFinalInvokeForWindow`), or the window was cut short because the state
   * outgrew Lambda's 1 MB (`isWindowTerminatedEarly`): either way the state returned now is dropped, so whatever
   * must outlive the window has to be stored now.
   */
  readonly final: boolean;
  /** The window's bounds (ISO 8601), absent when the event is a plain batch. */
  readonly window?: { readonly start: string; readonly end: string };
}

/** A tumbling-window batch's outcome: the batch's, plus the state for the next invocation of the window. */
export interface WindowOutcome extends BatchOutcome {
  readonly state: Readonly<Record<string, unknown>>;
}

/** The tumbling-window event as Lambda sends it (the shard is named on the event too). */
export type KinesisWindowEvent = KinesisStreamTumblingWindowEvent & { readonly shardId?: string };

/**
 * The skeleton of a Kinesis handler on a mapping with `TumblingWindowInSeconds`: as kinesisBatchHandler, plus
 * the window's state in and out. Lambda requires `state` in every response and retries a failed invocation with
 * the state it was given, so the process must be a function of (records, state).
 *
 * A plain batch event (no `window`: a mapping without tumbling windows, or a runner that does not know them) is
 * a window of its own: no state in, and final — so the process stores everything before answering and nothing
 * is lost; it only costs what per-batch processing costs.
 */
export function kinesisWindowHandler(
  tools: HandlerTools,
  processWindow: (decoded: DecodedKinesisEvent, invocation: TumblingWindowInvocation, event: KinesisStreamEvent) => Promise<WindowOutcome>,
) {
  return async (event: KinesisWindowEvent | KinesisStreamEvent): Promise<KinesisStreamStateResponse> => {
    const invocation = tumblingWindowOf(event);
    const outcome = await runKinesisBatch(tools, event, (decoded) => processWindow(decoded, invocation, event));
    return { state: outcome.state, ...batchItemFailures(outcome.failedSequenceNumbers ?? []) };
  };
}

function tumblingWindowOf(event: KinesisWindowEvent | KinesisStreamEvent): TumblingWindowInvocation {
  if (!('window' in event) || event.window === undefined) return { state: undefined, final: true };
  return {
    state: event.state,
    final: event.isFinalInvokeForWindow === true || event.isWindowTerminatedEarly === true,
    window: { start: event.window.start, end: event.window.end },
  };
}
