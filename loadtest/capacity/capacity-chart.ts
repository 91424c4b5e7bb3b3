import { escapeHtml } from '../runner/svg-charts.js';
import type { ProjectedKey } from './projection.js';

/** A horizontal bar per key: its share of the partition limit at the projected rate, with 50 % and 100 % lines. */
export function renderShareChart(keys: ProjectedKey[], title: string): string {
  const width = 960;
  const rowHeight = 22;
  const left = 360;
  const top = 40;
  const plotWidth = width - left - 40;
  const height = top + keys.length * rowHeight + 40;
  const maxShare = Math.max(1.1, ...keys.map((key) => key.share));
  const x = (share: number) => left + (share / maxShare) * plotWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" font-family="sans-serif">`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeHtml(title)}</text>`,
  ];
  keys.forEach((key, i) => {
    const y = top + i * rowHeight;
    const color = key.share >= 1 ? '#c00' : key.share >= 0.5 ? '#e69500' : '#2a7';
    const label = `${key.target === 'table' ? '' : `${key.target} `}${key.partition}`.slice(0, 52);
    parts.push(
      `<text x="${left - 6}" y="${y + 15}" text-anchor="end" font-size="11">${escapeHtml(label)} (${key.scope})</text>`,
      `<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(key.share) - left).toFixed(1)}" height="${rowHeight - 6}" fill="${color}"/>`,
      `<text x="${x(key.share) + 4}" y="${y + 15}" font-size="11">${(key.share * 100).toFixed(1)} %</text>`,
    );
  });
  for (const [share, label] of [
    [0.5, '50 %'],
    [1, '100 % (throttle)'],
  ] as const) {
    parts.push(
      `<line x1="${x(share)}" x2="${x(share)}" y1="${top - 6}" y2="${height - 30}" stroke="#c00" stroke-dasharray="5 4"/>`,
      `<text x="${x(share)}" y="${height - 14}" text-anchor="middle" font-size="11" fill="#c00">${label}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
