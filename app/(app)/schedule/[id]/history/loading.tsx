import { PageSkeleton } from "@/components/runs/page-states";

export default function Loading() {
  return <PageSkeleton label="Loading run history…" />;
}
