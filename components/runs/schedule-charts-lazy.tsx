"use client";
import dynamic from "next/dynamic";

// recharts (~120 KB gzip) is loaded when the charts render, never in the schedule pages' first-load JavaScript.
export const ScheduleCharts = dynamic(() => import("./schedule-charts").then((m) => m.ScheduleCharts), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading charts…</p>,
});
