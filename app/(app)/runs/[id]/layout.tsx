import type { ReactNode } from "react";
import { requireFound } from "@/app/(app)/page-glue";
import { getRun } from "@/lib/runs/queries";

// The run must exist for this tenant before the loading boundary below streams: a real 404 otherwise.
export default async function RunLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  await requireFound(getRun, params);
  return children;
}
