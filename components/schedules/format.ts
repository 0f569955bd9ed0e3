const formatters = new Map<string, Intl.DateTimeFormat>();

/** "Mon, 9 Mar, 06:00 EDT"-style text for an instant in a zone (runtime locale; server and browser). */
export function formatInstant(iso: string, zone: string): string {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone, timeZoneName: "short",
    });
    formatters.set(zone, f);
  }
  return f.format(new Date(iso));
}
