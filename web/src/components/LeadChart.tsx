// A horizontal bar chart of days (Fluent UI's charts, loaded only on the Inzicht page).
import { HorizontalBarChartWithAxis } from "@fluentui/react-charts";
import { tokens } from "@fluentui/react-components";

export interface Bar { label: string; days: number }

export default function LeadChart({ title, bars, unit }: { title: string; bars: Bar[]; unit: string }) {
  return (
    <HorizontalBarChartWithAxis
      chartTitle={title}
      data={bars.map((b) => ({
        x: b.days, y: b.label, legend: b.label, color: tokens.colorBrandBackground,
        xAxisCalloutData: `${b.days.toLocaleString()} ${unit}`,
      }))}
      height={Math.max(120, 40 * bars.length + 60)}
      hideLegend
      useSingleColor
      showYAxisLables
      barHeight={20}
    />
  );
}
