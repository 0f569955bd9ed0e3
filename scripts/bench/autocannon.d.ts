// The part of autocannon's API the bench uses (the package ships no types).
declare module "autocannon" {
  type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string> };
  export type Result = { latency: { p50: number; p99: number; average: number }; requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number };
  export default function autocannon(opts: Options): Promise<Result>;
  /** With a callback: the running instance, which stop() ends early (the callback then gets the result so far). */
  export default function autocannon(opts: Options, done: (err: Error | null, result: Result) => void): { stop: () => void };
}
