"use client";
import { formatInstant } from "@/components/schedules/format";
import { useBrowserTimeZone } from "@/components/schedules/hooks";

/** An instant in the viewer's own zone (known only in the browser; the server renders a placeholder). */
export function LocalTime({ iso }: { iso: string }) {
  const zone = useBrowserTimeZone();
  return (
    <time dateTime={iso} title={zone ?? undefined} data-testid="viewer-time">
      {zone ? formatInstant(iso, zone) : "…"}
    </time>
  );
}
