import { RunDetail } from "@/components/runs/run-detail";
import { pageOwnerId, readForPage } from "@/app/(app)/page-glue";
import { getRun } from "@/lib/runs/queries";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  const run = await readForPage(getRun, await pageOwnerId(), (await params).id);
  return { title: `Run · ${run.schedule_name} · Revwatch` };
}

export default async function RunPage({ params }: Props) {
  const [ownerId, { id }] = await Promise.all([pageOwnerId(), params]);
  const run = await readForPage(getRun, ownerId, id);
  return <RunDetail initial={run} />;
}
