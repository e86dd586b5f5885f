// The prefix-length histogram, drawn on a <canvas> with the 2D context (no chart library): one bar per
// prefix length (0–32 or 0–128), a linear count axis with round ticks, the bar under the pointer
// highlighted and named in the caption. Redraws on demand; allocates only its tick labels.

export interface Histogram {
  /** counts[len] = prefixes of that length. */
  counts: readonly number[];
  label: string;
}

/** Plot margins in CSS pixels (bars start at `left` and end `right` before the canvas edge). */
export const PAD = { left: 48, right: 18, top: 10, bottom: 28 } as const;

const niceStep = (max: number, ticks: number): number => {
  const raw = Math.max(1, max / ticks), p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
};

const short = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : `${n}`);

/** Draws `h` into `canvas` (CSS size kept, backing store scaled to devicePixelRatio); `hover` = highlighted length. */
export function drawHistogram(canvas: HTMLCanvasElement, h: Histogram, hover = -1): void {
  const dpr = globalThis.devicePixelRatio || 1;
  const W = canvas.clientWidth || 640, H = canvas.clientHeight || 220;
  if (canvas.width !== Math.round(W * dpr)) canvas.width = Math.round(W * dpr);
  if (canvas.height !== Math.round(H * dpr)) canvas.height = Math.round(H * dpr);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, W, H);
  const { left, right, top, bottom } = PAD;
  const pw = W - left - right, ph = H - top - bottom;
  const n = h.counts.length, max = Math.max(1, ...h.counts);
  const step = niceStep(max, 4), top2 = Math.ceil(max / step) * step;
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'middle';
  g.textAlign = 'right';
  for (let v = 0; v <= top2; v += step) {
    const y = top + ph - (v / top2) * ph;
    g.strokeStyle = v === 0 ? '#888' : '#e3e3e3';
    g.beginPath(); g.moveTo(left, Math.round(y) + 0.5); g.lineTo(left + pw, Math.round(y) + 0.5); g.stroke();
    g.fillStyle = '#555';
    g.fillText(short(v), left - 6, y);
  }
  const bw = pw / n;
  g.textAlign = 'center';
  g.textBaseline = 'top';
  const every = n > 64 ? 16 : 4;
  for (let i = 0; i < n; i++) {
    const c = h.counts[i];
    const bh = (c / top2) * ph;
    g.fillStyle = i === hover ? '#d9480f' : '#1c7ed6';
    if (c > 0) g.fillRect(left + i * bw + (bw > 4 ? 1 : 0), top + ph - Math.max(bh, 1), Math.max(bw - (bw > 4 ? 2 : 0), 1), Math.max(bh, 1));
    if (i % every === 0 || i === n - 1) { g.fillStyle = '#555'; g.fillText(`/${i}`, left + (i + 0.5) * bw, top + ph + 6); }
  }
}

/** The prefix length under x (CSS pixels, relative to the canvas), or -1. */
export function lengthAt(canvas: HTMLCanvasElement, h: Histogram, x: number): number {
  const W = canvas.clientWidth || 640, { left, right } = PAD;
  const i = Math.floor(((x - left) / (W - left - right)) * h.counts.length);
  return i >= 0 && i < h.counts.length ? i : -1;
}
