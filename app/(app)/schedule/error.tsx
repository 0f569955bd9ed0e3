"use client";
import { Button } from "@/components/ui/button";

/** A schedule page failed to load (the error itself is logged on the server). */
export default function ScheduleError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-sm text-red-900">
      <h1 className="text-lg font-semibold">Couldn&apos;t load your schedules</h1>
      <p className="mt-1">Something went wrong on our side. Try again in a moment.</p>
      <Button className="mt-4" variant="secondary" onClick={reset}>Try again</Button>
    </div>
  );
}
