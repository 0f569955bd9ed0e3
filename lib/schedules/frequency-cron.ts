// Form presets ("every 12 hours at 06:30") as cron, without validation: the form's client code uses
// it (no zod in the page's first-load JavaScript). Input from outside goes through frequencyToCron.

export type Frequency = {
  every: "daily" | "12h" | "6h" | "weekly";
  time: string; // "HH:MM", 24-hour, in the schedule's zone
  day_of_week?: number; // 0-6, Sunday = 0; required for weekly, ignored otherwise
};

/** `f` must already be valid (frequencySchema in ./frequency.ts). */
export function cronOfFrequency({ every, time, day_of_week }: Frequency): string {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const step = { daily: 24, weekly: 24, "12h": 12, "6h": 6 }[every];
  const hours = Array.from({ length: 24 / step }, (_, i) => (hour + i * step) % 24).sort((a, b) => a - b);
  return `${minute} ${hours.join(",")} * * ${every === "weekly" ? day_of_week : "*"}`;
}
