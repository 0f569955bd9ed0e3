// Small pure helpers shared by serializers and pages (safe on the client too).

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const lower = <T extends string>(v: T) => v.toLowerCase() as Lowercase<T>;
export const upper = <T extends string>(v: T) => v.toUpperCase() as Uppercase<T>;

/** The ids this app hands out (cuid-style) and accepts in paths and queries. */
export const RESOURCE_ID = /^[A-Za-z0-9_-]{1,64}$/;
