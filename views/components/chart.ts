import { html, type SafeHtml } from "../html";

export interface ChartPoint { label: string; value: number }
export interface ChartOptions {
  /** Visible heading and the start of the accessible summary ("Clicks per day"). */
  title: string;
  points: ChartPoint[];
  /** How a value reads in tooltips and the summary ("12.50 USD"). */
  format?: (v: number) => string;
  /** How a value reads on the y axis (shorter: the unit is in the title); defaults to `format`. */
  axisFormat?: (v: number) => string;
  /** Show every n-th x label (the others stay in the tooltips). */
  labelEvery?: number;
  id?: string;
}

const W = 420, H = 190, RIGHT = 8, TOP = 10, BOTTOM = 26;

/** A whole, round gridline step (1, 2 or 5 times a power of ten, at least 1) so that 4 steps reach v. */
export function niceStep(v: number): number {
  const raw = Math.max(1, v / 4);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** Text a screen reader reads instead of the picture: range, total, highest day. */
export function chartSummary(o: ChartOptions): string {
  const fmt = o.format ?? String;
  if (o.points.length === 0) return `${o.title}: no data.`;
  const total = o.points.reduce((s, p) => s + p.value, 0);
  const top = o.points.reduce((a, b) => (b.value > a.value ? b : a));
  const span = `${o.points[0]!.label} to ${o.points[o.points.length - 1]!.label}`;
  return total === 0 ? `${o.title}, ${span}: none yet.` : `${o.title}, ${span}: total ${fmt(total)}; highest ${fmt(top.value)} on ${top.label}.`;
}

/**
 * A server-rendered bar chart: inline SVG, no script. Scales with its box
 * (viewBox), gridlines with y labels, x labels under the bars, a tooltip per
 * bar (<title>), role="img" with a text summary for screen readers.
 */
export function barChart(o: ChartOptions): SafeHtml {
  const fmt = o.format ?? ((v: number) => String(v));
  const axisFmt = o.axisFormat ?? fmt;
  const step = niceStep(Math.max(0, ...o.points.map((p) => p.value)));
  const max = step * 4;
  const LEFT = 14 + 7.5 * axisFmt(max).length; // room for the widest y label at 13px
  const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(1, o.points.length);
  const barW = Math.max(1, slot * 0.7);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const every = o.labelEvery ?? Math.max(1, Math.ceil(o.points.length / 6));
  const grid = [0, 1, 2, 3, 4].map((n) => {
    const gy = y(step * n).toFixed(1);
    return html`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${gy}" y2="${gy}"/><text class="axis" x="${LEFT - 6}" y="${gy}" text-anchor="end" dominant-baseline="middle">${axisFmt(step * n)}</text>`;
  });
  const bars = o.points.map((p, i) => {
    const x = LEFT + i * slot + (slot - barW) / 2;
    const top = y(p.value);
    const last = i === o.points.length - 1; // anchored at its end so the newest day's label stays inside the box
    const label = (o.points.length - 1 - i) % every === 0 ? html`<text class="axis" x="${(last ? x + barW : x + barW / 2).toFixed(1)}" y="${H - 6}" text-anchor="${last ? "end" : "middle"}">${p.label.slice(5)}</text>` : "";
    // The hit area covers the whole column so the tooltip shows on empty days too.
    return html`<g class="bar"><title>${p.label}: ${fmt(p.value)}</title><rect class="hit" x="${(LEFT + i * slot).toFixed(1)}" y="${TOP}" width="${slot.toFixed(1)}" height="${plotH}"/>${p.value > 0 ? html`<rect class="val" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(TOP + plotH - top).toFixed(1)}" rx="1.5"/>` : ""}${label}</g>`;
  });
  const summary = chartSummary(o);
  return html`<figure class="chart"${o.id ? html` id="${o.id}"` : ""}><figcaption>${o.title}</figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${summary}" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
<desc>${summary}</desc>${grid}<line class="baseline" x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}"/>${bars}</svg></figure>`;
}
