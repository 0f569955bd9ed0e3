// HubSpot's per-second limit, pure (unit-tested on its own): X-HubSpot-RateLimit-Secondly-Remaining: 0
// says the calls of the current rolling second are spent. The window frees one second after the oldest
// of those calls, so the next call waits only for what is left of it (not a full second).

/** Calls of one kind remembered per client: enough for any per-second limit HubSpot sends. */
export const SENT_KEPT = 64;

/**
 * What is left (ms) of the rolling second that holds the last `limit` calls sent (`sent`: this client's
 * send instants, oldest first). Calls other runs sent count too but are unknown here, so the oldest call
 * this client knows of in the window bounds the wait from above: never longer than a second.
 */
export function secondlyWindowLeftMs(sent: readonly number[], limit: number, now: number): number {
  const inWindow = sent.filter((t) => now - t < 1000 && t <= now);
  if (!inWindow.length) return 0;
  const oldest = inWindow[Math.max(0, inWindow.length - Math.max(1, limit))];
  return Math.max(0, 1000 - (now - oldest));
}

/** A send instant kept for the window (the list stays at most SENT_KEPT long). */
export function remember(sent: number[], at: number): void {
  sent.push(at);
  if (sent.length > SENT_KEPT) sent.splice(0, sent.length - SENT_KEPT);
}
