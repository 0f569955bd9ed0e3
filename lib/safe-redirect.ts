/**
 * A same-site path to go to after sign-in, or /schedule. Browsers read "/\evil.com" and "/\t/evil.com"
 * as other hosts, so the path is resolved against a placeholder origin and must stay on it, and the
 * resolved path must not itself read as another host.
 */
export function safeRedirectPath(candidate: string | null | undefined, fallback = "/schedule"): string {
  if (!candidate || !candidate.startsWith("/") || /[\\\u0000-\u001f\u007f]/.test(candidate)) return fallback;
  try {
    const url = new URL(candidate, "http://placeholder.invalid");
    if (url.origin !== "http://placeholder.invalid") return fallback;
    // Dot segments can leave a path that starts with "//" ("/..//evil.com" -> "//evil.com"): as a
    // Location that is another host, so the resolved path is checked again.
    if (url.pathname.startsWith("//")) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
