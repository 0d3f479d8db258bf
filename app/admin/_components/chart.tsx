"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

/** Values arrive as display numbers (TRX with decimals as strings are converted only for drawing). */
export type ChartPoint = { day: string; [series: string]: string | number };

export function DailyChart({ data, bars, line }: { data: ChartPoint[]; bars: string[]; line?: string }) {
  return (
    <div className="h-64 w-full" data-testid="chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" fontSize={11} />
          <YAxis fontSize={11} />
          <Tooltip />
          <Legend />
          {bars.map((b, i) => (
            <Bar key={b} dataKey={b} fill={["#c8102e", "#334155", "#16a34a", "#ca8a04"][i % 4]} />
          ))}
          {line && <Line dataKey={line} stroke="#0ea5e9" />}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
