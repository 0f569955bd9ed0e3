import { RunDetail } from "@/components/runs/run-detail";
import { readRoute } from "@/app/(app)/page-glue";
import { getRun } from "@/lib/runs/queries";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props) {
  return { title: `Run · ${(await readRoute(getRun, params)).schedule_name} · Revwatch` };
}

export default async function RunPage({ params }: Props) {
  return <RunDetail initial={await readRoute(getRun, params)} />;
}
