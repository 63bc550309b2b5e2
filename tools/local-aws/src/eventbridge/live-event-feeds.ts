import { matchesEventPattern, type CompiledEventPattern } from '@wildrydes/adapters/eventbridge';
import type { EventBridgeEnvelope } from './event-envelope';

/** Where a feed's NDJSON lines go; in the server, the chunked response to `GET /_local/feed`. */
export interface FeedSink {
  write(line: string): unknown;
  end(): unknown;
}

interface Subscriber {
  readonly busName: string;
  readonly compiled?: CompiledEventPattern;
  readonly sink: FeedSink;
}

/**
 * Every event put on a bus, as one JSON line, to each subscriber whose pattern it matches (all events when the
 * subscriber has no pattern). A slow subscriber is buffered by its sink: there is no back-pressure.
 */
export class LiveEventFeeds {
  private readonly subscribers = new Set<Subscriber>();

  /** Returns a function that ends the subscription without ending the sink. */
  subscribe(busName: string, compiled: CompiledEventPattern | undefined, sink: FeedSink): () => void {
    const subscriber: Subscriber = { busName, sink, ...(compiled === undefined ? {} : { compiled }) };
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  publish(busName: string, event: EventBridgeEnvelope): void {
    if (this.subscribers.size === 0) return;
    let line: string | undefined;
    for (const subscriber of this.subscribers) {
      if (subscriber.busName !== busName || (subscriber.compiled !== undefined && !matchesEventPattern(subscriber.compiled, event))) continue;
      // Serialised once, and only when someone wants the event.
      line ??= `${JSON.stringify(event)}\n`;
      subscriber.sink.write(line);
    }
  }

  endAll(): void {
    for (const subscriber of this.subscribers) subscriber.sink.end();
    this.subscribers.clear();
  }
}
