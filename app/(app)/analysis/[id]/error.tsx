"use client";
import { PageError } from "@/components/runs/page-states";

export default function AnalysisError({ reset }: { error: Error; reset: () => void }) {
  return <PageError title="Couldn't load this analysis" reset={reset} />;
}
