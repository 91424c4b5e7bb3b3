/** Tiny SVG charts, so the report is one self-contained HTML file (no scripts, no network). */

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value) ?? value;
}

/** A line chart; `guide` draws a dashed horizontal line (e.g. a threshold). */
export function renderLineChart(options: {
  series: Series[];
  xLabel: string;
  yLabel: string;
  guide?: { value: number; label: string };
  width?: number;
  height?: number;
}): string {
  const { series, xLabel, yLabel, guide, width = 900, height = 300 } = options;
  const left = 60;
  const bottom = 40;
  const plotW = width - left - 20;
  const plotH = height - bottom - 20;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, ...xs);
  const yMax = niceMax(Math.max(guide?.value ?? 0, ...ys));
  const x = (v: number) => left + (v / xMax) * plotW;
  const y = (v: number) => 20 + plotH - (v / yMax) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(yLabel)}">`,
    ...ticks.map(
      (t) =>
        `<line x1="${left}" x2="${left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="11">${+t.toFixed(1)}</text>`,
    ),
    ...ticks.map((_, i) => {
      const value = (xMax * i) / (ticks.length - 1);
      return `<text x="${x(value)}" y="${20 + plotH + 14}" text-anchor="middle" font-size="11">${+value.toFixed(1)}</text>`;
    }),
    `<text x="${left + plotW / 2}" y="${height - 6}" text-anchor="middle" font-size="12">${escapeHtml(xLabel)}</text>`,
    `<text x="14" y="${20 + plotH / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 14 ${20 + plotH / 2})">${escapeHtml(yLabel)}</text>`,
  ];
  if (guide) {
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${y(guide.value)}" y2="${y(guide.value)}" stroke="#c00" stroke-dasharray="6 4"/>`,
      `<text x="${left + plotW - 4}" y="${y(guide.value) - 4}" text-anchor="end" font-size="11" fill="#c00">${escapeHtml(guide.label)}</text>`,
    );
  }
  series.forEach((s, index) => {
    const d = s.points.map(([px, py], i) => `${i ? 'L' : 'M'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8"/>`);
    parts.push(
      `<rect x="${left + 10 + index * 110}" y="6" width="10" height="10" fill="${s.color}"/><text x="${left + 24 + index * 110}" y="15" font-size="11">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal grouped bars: one group per label, one bar per value (e.g. p50/p95/p99 per operation). */
export function renderBarChart(options: {
  groups: { label: string; values: number[] }[];
  legend: { name: string; color: string }[];
  unit: string;
  stacked?: boolean;
}): string {
  const { groups, legend, unit, stacked = false } = options;
  const left = 170;
  const width = 900;
  const barH = 10;
  const groupH = stacked ? 18 : legend.length * barH + 8;
  const height = 40 + groups.length * groupH;
  const max = niceMax(
    Math.max(...groups.map((g) => (stacked ? g.values.reduce((a, b) => a + b, 0) : Math.max(...g.values)))),
  );
  const scale = (v: number) => (v / max) * (width - left - 60);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(unit)}">`,
  ];
  legend.forEach((item, i) => {
    parts.push(
      `<rect x="${left + i * 140}" y="6" width="10" height="10" fill="${item.color}"/><text x="${left + 14 + i * 140}" y="15" font-size="11">${escapeHtml(item.name)}</text>`,
    );
  });
  groups.forEach((group, gi) => {
    const top = 28 + gi * groupH;
    parts.push(
      `<text x="${left - 6}" y="${top + (stacked ? 12 : groupH / 2)}" text-anchor="end" font-size="11">${escapeHtml(group.label)}</text>`,
    );
    let offset = 0;
    group.values.forEach((value, vi) => {
      const color = legend[vi]?.color ?? '#888';
      const w = Math.max(0, scale(value));
      const bx = left + (stacked ? offset : 0);
      const by = stacked ? top + 2 : top + vi * barH;
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${by}" width="${w.toFixed(1)}" height="${stacked ? 14 : barH - 1}" fill="${color}"><title>${escapeHtml(`${legend[vi]?.name}: ${value.toFixed(2)} ${unit}`)}</title></rect>`,
      );
      if (!stacked) parts.push(`<text x="${bx + w + 4}" y="${by + barH - 2}" font-size="9">${value.toFixed(1)}</text>`);
      offset += w;
    });
    if (stacked)
      parts.push(
        `<text x="${left + offset + 4}" y="${top + 13}" font-size="10">${group.values.reduce((a, b) => a + b, 0).toFixed(1)} ${escapeHtml(unit)}</text>`,
      );
  });
  parts.push('</svg>');
  return parts.join('');
}
