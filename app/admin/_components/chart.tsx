"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

/** Values arrive as display numbers (TRX with decimals are converted only for drawing). */
type ChartPoint = { day: string; [series: string]: string | number };

/**
 * One series of a daily chart: `label` is shown in the legend and tooltip (already translated),
 * `axis` picks the left (amounts) or right (counts) scale, so orders and TRX never share a scale.
 */
type ChartSeries = { key: string; label: string; axis?: "left" | "right"; kind?: "bar" | "line" };

const COLORS = ["#c8102e", "#334155", "#16a34a", "#ca8a04"];

export function DailyChart({ data, series }: { data: ChartPoint[]; series: ChartSeries[] }) {
  const right = series.some((s) => s.axis === "right");
  return (
    <div className="h-64 w-full" data-testid="chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" fontSize={11} />
          <YAxis yAxisId="left" fontSize={11} />
          {right && <YAxis yAxisId="right" orientation="right" allowDecimals={false} fontSize={11} />}
          <Tooltip />
          <Legend />
          {series.map((s, i) => {
            const color = COLORS[i % COLORS.length];
            const common = {
              dataKey: s.key,
              name: s.label,
              yAxisId: s.axis ?? "left",
              isAnimationActive: false,
            };
            return s.kind === "line" ? (
              <Line key={s.key} {...common} stroke={color} strokeWidth={2} dot={{ r: 2 }} />
            ) : (
              <Bar key={s.key} {...common} fill={color} />
            );
          })}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
