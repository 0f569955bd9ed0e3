/**
 * A same-site path to go to after sign-in, or /schedule. Browsers read "/\evil.com" and "/\t/evil.com"
 * as other hosts, so the path is resolved against a placeholder origin and must stay on it.
 */
export function safeRedirectPath(candidate: string | null | undefined, fallback = "/schedule"): string {
  if (!candidate || !candidate.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(candidate)) return fallback;
  try {
    const url = new URL(candidate, "http://placeholder.invalid");
    if (url.origin !== "http://placeholder.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
