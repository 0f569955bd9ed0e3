"use client";
import dynamic from "next/dynamic";

// recharts is loaded only when the charts render, never in the page's first-load JavaScript.
export const LazyMonitoringCharts = dynamic(() => import("./charts"), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading charts…</p>,
});

export const LazyTicksChart = dynamic(() => import("./ticks-chart"), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading chart…</p>,
});
