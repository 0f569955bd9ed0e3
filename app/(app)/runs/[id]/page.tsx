import { RunDetail } from "@/components/runs/run-detail";
import { pageOwnerId, readForPage } from "@/app/(app)/page-glue";
import { getRun } from "@/lib/runs/queries";

export const metadata = { title: "Run · Revwatch" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const [ownerId, { id }] = await Promise.all([pageOwnerId(), params]);
  const run = await readForPage(getRun, ownerId, id);
  return <RunDetail initial={run} />;
}
