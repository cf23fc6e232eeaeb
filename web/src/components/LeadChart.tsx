// A horizontal bar chart of days (Fluent UI's charts, loaded only on the Inzicht page).
import { HorizontalBarChartWithAxis } from "@fluentui/react-charts";
import { tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";

export interface Bar { label: string; days: number }

/** Labels longer than this are shortened on the axis (fewer on a phone); the full name is in
 * the bar's callout and in the table below the chart. */
const LABEL_CHARS = 30;
const LABEL_CHARS_NARROW = 16;
const NARROW_PX = 520;
const CHAR_PX = 7;
const BAR_PX = 28;

function short(label: string, chars: number): string {
  return label.length <= chars ? label : `${label.slice(0, chars - 1).trimEnd()}…`;
}

/** Each bar's axis label: shortened, and kept apart from another bar's that shortens the same. */
function axisLabels(bars: Bar[], chars: number): string[] {
  const seen = new Set<string>();
  return bars.map((b) => {
    let label = short(b.label, chars);
    for (let n = 2; seen.has(label); n += 1) label = `${short(b.label, chars)} (${n})`;
    seen.add(label);
    return label;
  });
}

export default function LeadChart({ title, bars, unit, lang }: { title: string; bars: Bar[]; unit: string; lang: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const watch = new ResizeObserver(([entry]) => setNarrow(entry.contentRect.width < NARROW_PX));
    watch.observe(element);
    return () => watch.disconnect();
  }, []);
  const chars = narrow ? LABEL_CHARS_NARROW : LABEL_CHARS;
  const labels = axisLabels(bars, chars);
  const longest = Math.max(...labels.map((l) => l.length));
  const most = Math.max(...bars.map((b) => b.days));
  const locale = lang === "en" ? "en-GB" : "nl-NL";
  // the bars set the height: a few bars make a low chart, not a tall empty one (the chart
  // takes its container's height, so the container gets it)
  const height = BAR_PX * bars.length + 64;
  return (
    <div ref={box} style={{ height }}>
      <HorizontalBarChartWithAxis
        chartTitle={title}
        data={bars.map((b, i) => ({
          x: b.days, y: labels[i], legend: b.label, color: tokens.colorBrandBackground,
          xAxisCalloutData: `${b.days.toLocaleString(locale, { maximumFractionDigits: 1 })} ${unit}`,
        }))}
        height={height}
        // room for the longest label, so none is cut off on the left
        margins={{ left: Math.min(chars + 4, longest) * CHAR_PX + 24 }}
        // at least one day wide: bars of a few hours do not stretch to look like weeks
        xMinValue={0}
        xMaxValue={Math.max(1, most)}
        xAxisTickCount={most <= 1 ? 2 : 5}
        // all bars 0: the chart puts their value labels halfway along the axis, not at 0
        hideLabels={most === 0}
        hideLegend
        useSingleColor
        barHeight={18}
        culture={locale}
      />
    </div>
  );
}
