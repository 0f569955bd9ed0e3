import { OPERATIONS } from "@/lib/openapi";

// The documented route table (lib/openapi.ts OPERATIONS, which tests/unit/openapi.test.ts keeps equal to
// the route files) as a matcher, so the proxy can answer a method a route does not export with a 405
// in the API's error shape instead of Next's empty body.

type Route = { segments: string[]; params: number; methods: Set<string> };

const byPath = new Map<string, Set<string>>();
for (const op of OPERATIONS) byPath.set(op.path, (byPath.get(op.path) ?? new Set()).add(op.method.toUpperCase()));

const ROUTES: Route[] = [...byPath].map(([path, methods]) => {
  const segments = path.split("/").filter(Boolean);
  // Next answers these itself for any route file: HEAD from GET, OPTIONS with the Allow list.
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return { segments, params: segments.filter((s) => s.startsWith("{")).length, methods };
});

const matches = (route: Route, parts: string[]) =>
  route.segments.length === parts.length && route.segments.every((s, i) => s.startsWith("{") || s === parts[i]);

/**
 * The methods the documented route at `pathname` answers, or null when no documented route matches.
 * A literal segment wins over a parameter (/api/scheduled-reviews/preview is not /{id}), as in Next.
 */
export function allowedMethods(pathname: string): string[] | null {
  const parts = pathname.split("/").filter(Boolean);
  const found = ROUTES.filter((r) => matches(r, parts));
  if (!found.length) return null;
  const fewest = Math.min(...found.map((r) => r.params));
  return [...new Set(found.filter((r) => r.params === fewest).flatMap((r) => [...r.methods]))].sort();
}

/** Whether every %-escape in the path decodes to UTF-8 (Next answers a bare 500 before any handler otherwise). */
export function isWellEncodedPath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}
