"use client";
import { useBrowserTimeZone } from "@/components/schedules/hooks";

const formatters = new Map<string, Intl.DateTimeFormat>();

function format(iso: string, zone: string, seconds: boolean, year: boolean): string {
  const key = `${zone}|${seconds}|${year}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      ...(year ? { year: "numeric" } : {}), ...(seconds ? { second: "2-digit" } : {}), timeZone: zone,
    });
    formatters.set(key, f);
  }
  return f.format(new Date(iso));
}

/**
 * An instant in the viewer's zone; the server (which does not know that zone) renders the UTC value.
 * Dense tables leave the year out (`year={false}`); the full ISO instant is in the tooltip.
 */
export function RunTime({ iso, seconds = false, year = true }: { iso: string | null; seconds?: boolean; year?: boolean }) {
  const zone = useBrowserTimeZone();
  if (!iso) return <span className="text-slate-400">—</span>;
  return (
    <time dateTime={iso} title={iso} className="whitespace-nowrap">
      {format(iso, zone ?? "UTC", seconds, year)}
      {zone ? "" : " UTC"}
    </time>
  );
}
