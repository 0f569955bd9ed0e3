import { inngest } from "@/inngest/client";
import { env } from "@/lib/env";
import { executorStatus } from "@/lib/executor";

// inngest.send() has no deadline of its own: with no server a dev-mode client retries for ~1.8 s
// and then throws ECONNREFUSED, and a server that accepts the connection but never answers keeps
// the promise pending forever. Callers need a bounded answer, so every send is raced against a timer.

type Payload = Parameters<typeof inngest.send>[0];

/** The event could not be handed to Inngest (unreachable, refused, or no answer in time). */
export class InngestSendError extends Error {
  readonly code = "executor_unreachable";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InngestSendError";
  }
}

export async function sendEvents(payload: Payload, timeoutMs = env().INNGEST_SEND_TIMEOUT_MS): Promise<string[]> {
  // Dev mode with nothing listening (the banner's case): fail at once instead of after the SDK's retries.
  // A cached "refused" is checked again first: an executor that started since (a probe made while the app
  // started before it) must not fail a run for up to the cache's 5 s.
  let executor = await executorStatus();
  if (executor.refused) executor = await executorStatus({ fresh: true });
  if (executor.refused) throw new InngestSendError(`No Inngest Dev Server is listening at ${executor.url}`);
  let timer: NodeJS.Timeout | undefined;
  const sending = inngest.send(payload);
  // The losing promise may still reject later; it must not become an unhandled rejection.
  sending.catch(() => undefined);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new InngestSendError(`Inngest did not accept the event within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const { ids } = await Promise.race([sending, deadline]);
    return ids;
  } catch (err) {
    if (err instanceof InngestSendError) throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new InngestSendError(`Inngest refused or could not be reached: ${why}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
