// Form presets ("every 12 hours at 06:30") as cron. Client-safe: the form builds its cron with it.
import { z } from "zod";

export type Frequency = {
  every: "daily" | "12h" | "6h" | "weekly";
  time: string; // "HH:MM", 24-hour, in the schedule's zone
  day_of_week?: number; // 0-6, Sunday = 0; required for weekly, ignored otherwise
};

export const frequencySchema = z
  .object({
    every: z.enum(["daily", "12h", "6h", "weekly"]),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:MM (24-hour)"),
    day_of_week: z.number().int().min(0).max(6).optional(),
  })
  .refine((f) => f.every !== "weekly" || f.day_of_week !== undefined, {
    error: "day_of_week (0-6, Sunday = 0) is required for weekly schedules",
    path: ["day_of_week"],
  });

export function frequencyToCron(f: Frequency): string {
  const { every, time, day_of_week } = frequencySchema.parse(f);
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const step = { daily: 24, weekly: 24, "12h": 12, "6h": 6 }[every];
  const hours = Array.from({ length: 24 / step }, (_, i) => (hour + i * step) % 24).sort((a, b) => a - b);
  return `${minute} ${hours.join(",")} * * ${every === "weekly" ? day_of_week : "*"}`;
}
