import { EmptyState } from "@/components/ui/card";

export default async function SchedulePage() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Scheduled reviews</h1>
      <EmptyState title="No scheduled reviews yet">
        Create a schedule to review your pipeline automatically.
      </EmptyState>
    </div>
  );
}
