import { GOAL_ALERT_P99_MS } from './capacity-measures';
import { STREAM_SERVICES, type CapacityMode, type CapacityRow } from './capacity-report';

/**
 * A hand-made SVG of the capacity rows: alert p99 (left) and the highest lag of any service (right) against the
 * fleet size N on a log scale, one line per mode. No dependencies; the same rows always give the same bytes.
 */

const PANEL = { width: 380, height: 260, left: 56, right: 16, top: 40, bottom: 46 };
const COLOURS: Record<CapacityMode, string> = { unpacked: '#1f77b4', packed: '#d62728' };

interface Point { readonly n: number; readonly value: number }
interface Series { readonly mode: CapacityMode; readonly points: readonly Point[] }

const escapeXml = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const fixed = (n: number): string => (Math.round(n * 10) / 10).toString();

/** The smallest 1, 2 or 5 × 10^k at or above `value` (at least 1). */
export function niceCeiling(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** 1000 → "1k", 2500 → "2.5k", 100000 → "100k", 500 → "500". */
export function shortCount(n: number): string {
  return n >= 1000 ? `${Number((n / 1000).toFixed(1))}k` : String(n);
}

function panel(title: string, unit: string, series: readonly Series[], ns: readonly number[], offsetX: number, goal?: number): string {
  const { width, height, left, right, top, bottom } = PANEL;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxValue = niceCeiling(Math.max(goal ?? 0, ...series.flatMap((s) => s.points.map((p) => p.value))));
  const minN = Math.min(...ns);
  const maxN = Math.max(...ns);
  // Points stay clear of the frame: the N axis spans the plot less a margin on each side.
  const margin = 16;
  const x = (n: number): number =>
    minN === maxN ? left + plotW / 2 : left + margin + ((Math.log(n) - Math.log(minN)) / (Math.log(maxN) - Math.log(minN))) * (plotW - 2 * margin);
  const y = (v: number): number => top + plotH - (v / maxValue) * plotH;
  const out: string[] = [`<g transform="translate(${offsetX},0)">`];
  out.push(`<text x="${left + plotW / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  for (let i = 0; i <= 5; i++) {
    const value = (maxValue * i) / 5;
    const yy = fixed(y(value));
    out.push(`<line x1="${left}" y1="${yy}" x2="${left + plotW}" y2="${yy}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${fixed(value)}</text>`);
  }
  for (const n of ns) {
    const xx = fixed(x(n));
    out.push(`<line x1="${xx}" y1="${top + plotH}" x2="${xx}" y2="${top + plotH + 4}" stroke="#999"/>`);
    out.push(`<text x="${xx}" y="${top + plotH + 16}" text-anchor="middle">${shortCount(n)}</text>`);
  }
  out.push(`<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">unicorns N (log scale)</text>`);
  out.push(`<text x="14" y="${top + plotH / 2}" text-anchor="middle" transform="rotate(-90 14 ${top + plotH / 2})">${escapeXml(unit)}</text>`);
  if (goal !== undefined) {
    const gy = fixed(y(goal));
    out.push(`<line x1="${left}" y1="${gy}" x2="${left + plotW}" y2="${gy}" stroke="#2ca02c" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${left + plotW - 4}" y="${fixed(y(goal) - 5)}" text-anchor="end" fill="#2ca02c">goal ${fixed(goal)} s</text>`);
  }
  for (const s of series) {
    if (s.points.length === 0) continue;
    const path = s.points.map((p) => `${fixed(x(p.n))},${fixed(y(p.value))}`).join(' ');
    out.push(`<polyline points="${path}" fill="none" stroke="${COLOURS[s.mode]}" stroke-width="2"/>`);
    for (const p of s.points) out.push(`<circle cx="${fixed(x(p.n))}" cy="${fixed(y(p.value))}" r="3.5" fill="${COLOURS[s.mode]}"><title>${s.mode} N=${p.n}: ${fixed(p.value)} s</title></circle>`);
  }
  out.push('</g>');
  return out.join('\n');
}

export function capacityChartSvg(rows: readonly CapacityRow[]): string {
  const modes = (['unpacked', 'packed'] as const).filter((mode) => rows.some((row) => row.mode === mode));
  const ofMode = (mode: CapacityMode) => rows.filter((row) => row.mode === mode).sort((a, b) => a.unicorns - b.unicorns);
  const p99: Series[] = modes.map((mode) => ({
    mode,
    points: ofMode(mode).flatMap((row) => (row.alertP99Ms === null ? [] : [{ n: row.unicorns, value: row.alertP99Ms / 1000 }])),
  }));
  const lag: Series[] = modes.map((mode) => ({
    mode,
    points: ofMode(mode).map((row) => ({ n: row.unicorns, value: Math.max(0, ...STREAM_SERVICES.map((s) => row.maxLagMs[s] ?? 0)) / 1000 })),
  }));
  const ns = [...new Set(rows.map((row) => row.unicorns))].sort((a, b) => a - b);
  const width = PANEL.width * 2;
  const legendY = PANEL.height + 14;
  const legend = modes.map((mode, i) => {
    const lx = 70 + i * 200;
    const label = mode === 'packed' ? `packed (×${ofMode(mode)[0]?.pack ?? ''} readings/record)` : 'unpacked (1 reading/record)';
    return `<line x1="${lx}" y1="${legendY}" x2="${lx + 24}" y2="${legendY}" stroke="${COLOURS[mode]}" stroke-width="2"/>` +
      `<text x="${lx + 30}" y="${legendY}" dominant-baseline="middle">${escapeXml(label)}</text>`;
  }).join('\n');
  const body = ns.length === 0
    ? `<text x="${width / 2}" y="${PANEL.height / 2}" text-anchor="middle">no capacity rows yet</text>`
    : [panel('Alert latency p99', 'seconds', p99, ns, 0, GOAL_ALERT_P99_MS / 1000), panel('Highest lag of any service', 'seconds', lag, ns, PANEL.width)].join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL.height + 30}" viewBox="0 0 ${width} ${PANEL.height + 30}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    body,
    legend,
    '</svg>',
    '',
  ].join('\n');
}
