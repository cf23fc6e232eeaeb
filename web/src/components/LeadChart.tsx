// A horizontal bar chart of days (Fluent UI's charts, loaded only on the Inzicht page).
import { HorizontalBarChartWithAxis } from "@fluentui/react-charts";
import { tokens } from "@fluentui/react-components";

export interface Bar { label: string; days: number }

/** Labels longer than this are shortened on the axis; the full name is in the bar's callout. */
const LABEL_CHARS = 30;
const CHAR_PX = 7;
const BAR_PX = 28;

function short(label: string): string {
  return label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1).trimEnd()}…`;
}

/** Each bar's axis label: shortened, and kept apart from another bar's that shortens the same. */
function axisLabels(bars: Bar[]): string[] {
  const seen = new Set<string>();
  return bars.map((b) => {
    let label = short(b.label);
    for (let n = 2; seen.has(label); n += 1) label = `${short(b.label)} (${n})`;
    seen.add(label);
    return label;
  });
}

export default function LeadChart({ title, bars, unit, lang }: { title: string; bars: Bar[]; unit: string; lang: string }) {
  const labels = axisLabels(bars);
  const longest = Math.max(...labels.map((l) => l.length));
  const most = Math.max(...bars.map((b) => b.days));
  const locale = lang === "en" ? "en-GB" : "nl-NL";
  // the bars set the height: a few bars make a low chart, not a tall empty one (the chart
  // takes its container's height, so the container gets it)
  const height = BAR_PX * bars.length + 64;
  return (
    <div style={{ height }}>
      <HorizontalBarChartWithAxis
        chartTitle={title}
        data={bars.map((b, i) => ({
          x: b.days, y: labels[i], legend: b.label, color: tokens.colorBrandBackground,
          xAxisCalloutData: `${b.days.toLocaleString(locale, { maximumFractionDigits: 1 })} ${unit}`,
        }))}
        height={height}
        // room for the longest label, so none is cut off on the left
        margins={{ left: Math.min(LABEL_CHARS + 4, longest) * CHAR_PX + 24 }}
        // at least one day wide: bars of a few hours do not stretch to look like weeks
        xMinValue={0}
        xMaxValue={Math.max(1, most)}
        xAxisTickCount={most <= 1 ? 2 : 5}
        hideLegend
        useSingleColor
        barHeight={18}
        culture={locale}
      />
    </div>
  );
}
