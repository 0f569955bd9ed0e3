"use client";
import { PageError } from "@/components/runs/page-states";

export default function RunError({ reset }: { error: Error; reset: () => void }) {
  return <PageError title="Couldn't load this run" reset={reset} />;
}
