// Runs once when the server starts: a missing or malformed required env var stops startup here,
// with a message naming it, instead of failing on the first request that needs it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnv } = await import("./instrumentation-node");
  checkEnv();
}
