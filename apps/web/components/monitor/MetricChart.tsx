"use client";

import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartAnnotation {
  at: number;
  kind: string;
  label: string;
}

export interface ChartLine {
  label: string;
  values: (number | null)[];
  color: string;
  dash?: number[];
}

const annotationColors: Record<string, string> = {
  deploy: "#4f46e5",
  restore: "#d97706",
  import: "#d97706",
  upgrade: "#be123c",
  sleep: "#64748b",
  wake: "#16a34a",
};

/** Draws each annotation as a dashed vertical line with its label at the top, over the plot. */
function annotationsPlugin(annotations: readonly ChartAnnotation[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx } = u;
        const { top, height, left, width } = u.bbox;
        ctx.save();
        ctx.font = `${11 * devicePixelRatio}px sans-serif`;
        for (const note of annotations) {
          const x = Math.round(u.valToPos(note.at / 1000, "x", true));
          if (x < left || x > left + width) continue;
          const color = annotationColors[note.kind] ?? "#334155";
          ctx.strokeStyle = color;
          ctx.fillStyle = color;
          ctx.lineWidth = devicePixelRatio;
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          ctx.fillText(note.label, x + 3 * devicePixelRatio, top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

/** One figure over time (uPlot, canvas), with the range's annotations. */
export function MetricChart(props: {
  title: string;
  at: number[];
  lines: ChartLine[];
  annotations: readonly ChartAnnotation[];
  format: (value: number) => string;
  from: number;
  to: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const data: uPlot.AlignedData = [props.at.map((t) => t / 1000), ...props.lines.map((l) => l.values)];
    const format = props.format;
    const chart = new uPlot(
      {
        width: element.clientWidth || 600,
        height: 180,
        scales: {
          x: { time: true, min: props.from / 1000, max: props.to / 1000 },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [{}, { values: (_u, ticks) => ticks.map(format), size: 70 }],
        series: [
          {},
          ...props.lines.map((line) => ({
            label: line.label,
            stroke: line.color,
            width: 1.5,
            dash: line.dash,
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)),
          })),
        ],
        legend: { live: true },
        plugins: [annotationsPlugin(props.annotations)],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: element.clientWidth, height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [props.at, props.lines, props.annotations, props.format, props.from, props.to]);
  return (
    <figure
      className="rounded-md border border-slate-200 p-3"
      data-testid="metric-chart"
      aria-label={props.title}
    >
      <figcaption className="mb-1 text-sm font-medium text-slate-700">{props.title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
