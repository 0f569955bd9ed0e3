// Timing helpers and the one table the bench of record prints (scripts/bench.ts).
import os from "node:os";

export type Row = { measure: string; value: number; unit: string; floor: number | null; floorLabel: string; note?: string };

export async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const ratio = (r: Row) => (r.floor && r.floor > 0 ? r.value / r.floor : null);

/** Other engineers share this machine: the load next to every figure says how noisy it was. */
export const machine = () => ({ node: process.version, cpus: os.availableParallelism(), loadavg: os.loadavg().map((l) => Number(l.toFixed(2))) });

export function printTable(rows: Row[]) {
  const fmt = (n: number | null, unit: string) => (n === null ? "-" : `${n >= 100 ? n.toFixed(0) : n.toFixed(n >= 10 ? 1 : 2)} ${unit}`);
  const lines = rows.map((r) => [r.measure, fmt(r.value, r.unit), r.floor === null ? "-" : `${fmt(r.floor, r.unit)} (${r.floorLabel})`, ratio(r) === null ? "-" : `${ratio(r)!.toFixed(2)}x`, r.note ?? ""]);
  const head = ["measure", "value", "floor (same run)", "ratio", "note"];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log([line(head), line(widths.map((w) => "-".repeat(w))), ...lines.map(line)].join("\n"));
}
