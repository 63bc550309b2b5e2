/** A refusal from the local EventBridge (its AWS error name and message). */
export class AlertFeedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * Follows the local EventBridge's live feed (`GET /_local/feed`): every event put on `bus` that matches `pattern`,
 * as it is put, until the signal aborts (a clean end). Each yielded string is one event envelope as JSON text.
 */
export async function* followLocalAlertFeed(eventBridgeUrl: string, bus: string, pattern: string, signal: AbortSignal): AsyncGenerator<string> {
  const url = new URL('/_local/feed', eventBridgeUrl);
  url.searchParams.set('bus', bus);
  url.searchParams.set('pattern', pattern);
  let response: Response;
  try {
    response = await fetch(url, { signal });
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (!response.ok) {
    const body = await response.text();
    let parsed: { __type?: string; message?: string } = {};
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      // not JSON: the status says enough
    }
    throw new AlertFeedError(parsed.__type ?? `HTTP ${response.status}`, parsed.message ?? body.slice(0, 200));
  }
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line !== '') yield line;
        newline = buffered.indexOf('\n');
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (!signal.aborted) throw new AlertFeedError('FeedClosed', 'the local EventBridge closed the feed (did the local stack stop?)');
}
