// Runs once when the server starts: a missing or malformed required env var stops startup here,
// with a message naming it, instead of failing on the first request that needs it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  try {
    env();
  } catch (err) {
    console.error(`[revwatch] ${(err as Error).message}`);
    process.exit(1);
  }
}
