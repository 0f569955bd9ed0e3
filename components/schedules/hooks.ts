import { useEffect, useState, useSyncExternalStore } from "react";

// The browser's zone differs from the server's: read it only after hydration (the server
// snapshot is null), so the first client render matches the HTML. The zone list comes from the
// project's tz database (lib/tz/names.ts), not the browser's.
const noSubscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function useBrowserTimeZone(): string | null {
  return useSyncExternalStore(noSubscribe, browserZone, () => null);
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
