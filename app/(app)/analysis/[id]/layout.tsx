import type { ReactNode } from "react";
import { requireFound } from "@/app/(app)/page-glue";
import { getAnalysis } from "@/lib/runs/queries";

// The analysis must exist for this tenant before the loading boundary below streams: a real 404 otherwise.
export default async function AnalysisLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  await requireFound(getAnalysis, params);
  return children;
}
