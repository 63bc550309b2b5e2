import { compileEventPattern } from '@wildrydes/adapters/eventbridge';
import { describe, expect, it } from 'vitest';
import type { EventBridgeEnvelope } from './event-envelope';
import { LiveEventFeeds, type FeedSink } from './live-event-feeds';
import { aUnicornAlertEnvelope } from './unicorn-alert-envelope.mother';

/** A sink that keeps what a feed client would have read. */
class RecordingSink implements FeedSink {
  readonly lines: string[] = [];
  ended = false;

  write(line: string): void {
    this.lines.push(line);
  }

  end(): void {
    this.ended = true;
  }

  names(): unknown[] {
    return this.lines.map((line) => (JSON.parse(line) as EventBridgeEnvelope).detail.name);
  }
}

const PUBLISHED: readonly [string, EventBridgeEnvelope][] = [
  ['wildrydes', aUnicornAlertEnvelope({ name: 'healthy', healthPoints: 90 })],
  ['default', aUnicornAlertEnvelope({ name: 'other-bus', healthPoints: 1 })],
  ['wildrydes', aUnicornAlertEnvelope({ name: 'ill', healthPoints: 5 })],
];

describe('LiveEventFeeds', () => {
  it.each<[string, string, string | undefined, string[]]>([
    ['every event of its bus without a pattern', 'wildrydes', undefined, ['healthy', 'ill']],
    ['only the matching events of its bus with a pattern', 'wildrydes', '{"detail":{"healthPoints":[{"numeric":["<",20]}]}}', ['ill']],
    ['the events of the default bus', 'default', undefined, ['other-bus']],
    ['nothing for a bus nobody puts on', 'quiet', undefined, []],
  ])('sends a subscriber %s, one JSON line each', (_, busName, pattern, names) => {
    // Prepare
    const feeds = new LiveEventFeeds();
    const sink = new RecordingSink();
    feeds.subscribe(busName, pattern === undefined ? undefined : compileEventPattern(pattern), sink);

    // Act
    for (const [bus, event] of PUBLISHED) feeds.publish(bus, event);

    // Assess
    expect(sink.names()).toEqual(names);
    expect(sink.lines.every((line) => line.endsWith('}\n'))).toBe(true);
  });

  it('stops sending to a subscriber that unsubscribed, and ends every sink once', () => {
    // Prepare
    const feeds = new LiveEventFeeds();
    const [gone, staying] = [new RecordingSink(), new RecordingSink()];
    const unsubscribe = feeds.subscribe('wildrydes', undefined, gone);
    feeds.subscribe('wildrydes', undefined, staying);

    // Act
    unsubscribe();
    feeds.publish('wildrydes', aUnicornAlertEnvelope({ name: 'after-unsubscribe', healthPoints: 1 }));
    feeds.endAll();
    feeds.publish('wildrydes', aUnicornAlertEnvelope({ name: 'after-end', healthPoints: 1 }));

    // Assess
    expect([gone.names(), gone.ended]).toEqual([[], false]);
    expect([staying.names(), staying.ended]).toEqual([['after-unsubscribe'], true]);
  });
});
