// Form presets ("every 12 hours at 06:30") as cron, validated (the API's `frequency` input).
import { z } from "zod";
import { cronOfFrequency, type Frequency } from "@/lib/schedules/frequency-cron";

export type { Frequency };

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

export const frequencyToCron = (f: Frequency): string => cronOfFrequency(frequencySchema.parse(f));
