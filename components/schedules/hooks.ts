import { useEffect, useState, useSyncExternalStore } from "react";

// The browser's zone and zone list differ from the server's: read them only after hydration
// (the server snapshot is null/empty), so the first client render matches the HTML.
const noSubscribe = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
let zones: string[] | undefined;
const zoneList = () => {
  zones ??= [...new Set([...Intl.supportedValuesOf("timeZone"), "UTC"])].sort();
  return zones;
};
const NO_ZONES: string[] = [];

export function useBrowserTimeZone(): string | null {
  return useSyncExternalStore(noSubscribe, browserZone, () => null);
}

export function useTimeZones(): string[] {
  return useSyncExternalStore(noSubscribe, zoneList, () => NO_ZONES);
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
