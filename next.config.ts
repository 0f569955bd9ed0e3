import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The wasm schema engine, pglite and pino stay plain Node requires on the server; so does the tz
  // database (moment-timezone's ~700 KB of zone data: loaded once per process, never bundled).
  serverExternalPackages: ["pino", "@electric-sql/pglite", "@prisma/schema-engine-wasm", "moment-timezone"],
  poweredByHeader: false,
  // proxy.ts sees the request URL as sent: normalised, Next has already dropped a `__proto__` query key
  // (so proxy.ts could not refuse it) before any app code runs.
  skipProxyUrlNormalize: true,
  // Lets two builds (e.g. two test stacks) live side by side.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  typedRoutes: false,
  // `npm run typecheck` checks the whole repo (tests included) in CI; the build need not do it twice.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
