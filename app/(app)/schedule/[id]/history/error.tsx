"use client";
import { PageError } from "@/components/runs/page-states";

export default function HistoryError({ reset }: { error: Error; reset: () => void }) {
  return <PageError title="Couldn't load the run history" reset={reset} />;
}
