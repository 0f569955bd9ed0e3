// Syntactic URL checks with no Node built-ins, so the shared zod contract (lib/schedules/schemas.ts)
// can be bundled into client components; the DNS/SSRF layer stays in url-safety.ts.

export function parseUrl(url: string): URL | string {
  if (typeof url !== "string" || url.length === 0) return "URL is required";
  if (url.length > 2048) return "URL is too long";
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return "URL must not contain whitespace or control characters";
  try {
    return new URL(url);
  } catch {
    return "URL is not valid";
  }
}

/** Save-time check for a Slack incoming webhook. Returns null when acceptable, else a user-facing message. */
export function validateSlackWebhookUrl(url: string): string | null {
  const parsed = parseUrl(url);
  if (typeof parsed === "string") return parsed;
  if (parsed.protocol !== "https:") return "Slack webhook URL must use https";
  if (parsed.username || parsed.password) return "Slack webhook URL must not contain credentials";
  if (parsed.hostname !== "hooks.slack.com") return "Slack webhook URL must be on hooks.slack.com";
  if (parsed.port !== "") return "Slack webhook URL must not specify a port";
  if (!/^\/services\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/.test(parsed.pathname)) {
    return "Slack webhook URL must look like https://hooks.slack.com/services/T…/B…/…";
  }
  if (parsed.search || parsed.hash) return "Slack webhook URL must not have a query or fragment";
  return null;
}
