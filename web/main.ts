// The looking-glass page: creates an Rtm, streams the bundled table (table.txt.gz beside the page) into
// it with a progress bar, then answers the query box (web/glass.ts), draws the prefix-length histogram
// (web/chart.ts) and lets the user add or withdraw routes, listing the change notifications they cause.
// Uses the package's public API only (`rtm-wasm`, `rtm-wasm/load`). State for tests and scripts:
// body[data-state] = loading | ready | error; #answer[data-query] = the query last answered.
import { Rtm, RtmError, RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST } from 'rtm-wasm';
import { loadTable, type LoadSummary } from 'rtm-wasm/load';
import { LookingGlass, MAX_CHILDREN, type Answer, type Change, type RouteRow } from './glass.js';
import { drawHistogram, lengthAt, type Histogram } from './chart.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const int = (n: number) => n.toLocaleString('en-US');
const MAX_CHANGES_SHOWN = 200;

const routeText = (r: RouteRow) =>
  `<span class="owner">${esc(r.owner)}</span>, preference ${r.preference}, metric ${r.metric}` +
  (r.nextHops.length ? `, via <span class="mono">${esc(r.nextHops.join(', '))}</span>` : ', no next hop');
const prefixLink = (p: string) => `<a href="#${esc(p)}" class="prefix" data-prefix="${esc(p)}">${esc(p)}</a>`;
const chips = (ps: readonly string[]) => `<ul class="chips">${ps.map((p) => `<li>${prefixLink(p)}</li>`).join('')}</ul>`;

function renderAnswer(a: Answer): string {
  let h = `<h2>Best route per view for <span class="mono">${esc(a.kind === 'address' ? a.query : a.prefix)}</span></h2><table id="best">`;
  for (const b of a.best) {
    h += `<tr id="best-${b.view}"><th>${b.view}</th>` + (b.route
      ? `<td>${prefixLink(b.prefix!)}</td><td>${routeText(b.route)}</td>`
      : `<td class="muted" colspan="2">no route</td>`) + '</tr>';
  }
  h += '</table>';
  if (a.dest) {
    h += `<h2>Routes of ${prefixLink(a.dest.prefix)} ${a.dest.exact ? '' : '<span class="muted">(most specific destination)</span>'}</h2>`;
    h += '<table id="routes"><tr><th>owner</th><th>protocol</th><th>pref</th><th>metric</th><th>views</th><th>next hops</th><th>best in</th></tr>';
    for (const r of a.dest.routes) {
      h += `<tr><td>${esc(r.owner)}</td><td>${r.protocolId}</td><td>${r.preference}</td><td>${r.metric}</td><td>${r.views.join(', ')}</td>` +
        `<td class="mono">${esc(r.nextHops.join(', ') || '—')}</td><td class="best">${r.bestIn.join(', ')}</td></tr>`;
    }
    h += '</table>';
  } else {
    h += `<h2>No destination ${esc(a.prefix)} in the IPv${a.family} table</h2>`;
  }
  h += `<h2>Less specific (nearest first)</h2><div id="less">${a.lessSpecific.length ? chips(a.lessSpecific) : '<span class="muted">none</span>'}</div>`;
  const more = `${int(a.moreSpecifics)}${a.moreSpecificsCapped ? '+' : ''}`;
  const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
  h += `<h2>More specific: ${int(a.childCount)}${a.moreSpecificsCapped ? '+' : ''} direct ` +
    `${plural(a.childCount, 'child', 'children')} of ${esc(a.prefix)}` +
    `${a.childCount > MAX_CHILDREN ? ` (the first ${MAX_CHILDREN} shown)` : ''}, ${more} ` +
    `${plural(a.moreSpecifics, 'destination', 'destinations')} in all</h2>` +
    `<div id="children">${a.children.length ? chips(a.children) : '<span class="muted">none</span>'}</div>`;
  return h;
}

function changeText(c: Change): string {
  const views = c.best.map((b) => `${b.view}: ${b.route ? routeText(b.route) : '<span class="muted">no route</span>'}`).join('; ');
  return `<li data-prefix="${esc(c.prefix)}"><span class="muted">#${c.seq}</span> ${prefixLink(c.prefix)} — ${views}</li>`;
}

async function main(): Promise<void> {
  document.body.dataset.state = 'loading';
  const progress = $<HTMLProgressElement>('progress'), loadText = $('load-text');
  const t0 = performance.now();
  const rtm = await Rtm.create({ wasm: new URL('release.wasm', document.baseURI) });
  const res = await fetch(new URL('table.txt.gz', document.baseURI));
  if (!res.ok) throw new Error(`table.txt.gz: HTTP ${res.status}`);
  let lastPaint = 0;
  const summary: LoadSummary = await loadTable(rtm, res, {
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - lastPaint < 50 || !total) return;
      lastPaint = now;
      progress.value = done / total;
      loadText.textContent = `loading the table… ${(done / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`;
    },
  });
  progress.value = 1;
  const ms = performance.now() - t0;
  loadText.textContent = `Loaded ${int(summary.records.ipv4 + summary.records.ipv6)} prefixes in ${(ms / 1000).toFixed(2)} s: ` +
    `IPv4 ${int(rtm.ipv4.destCount)} destinations, IPv6 ${int(rtm.ipv6.destCount)} destinations ` +
    `(release core, ${(rtm.ipv4.memoryBytes / 2 ** 20).toFixed(0)} MiB linear memory)`;

  const glass = new LookingGlass(rtm, summary);

  // query box
  const q = $<HTMLInputElement>('q'), answer = $('answer');
  const ask = (text: string) => {
    try {
      const a = glass.query(text);
      answer.innerHTML = renderAnswer(a);
    } catch (e) {
      answer.innerHTML = `<p class="err">${esc(e instanceof RtmError ? `${e.code}: ${e.message}` : String(e))}</p>`;
    }
    answer.dataset.query = text.trim();
  };
  $('query').addEventListener('submit', (ev) => { ev.preventDefault(); ask(q.value); });
  document.addEventListener('click', (ev) => {
    const a = (ev.target as HTMLElement).closest?.('a[data-prefix]') as HTMLElement | null;
    if (!a) return;
    ev.preventDefault();
    q.value = a.dataset.prefix!;
    ask(q.value);
  });

  // histogram
  const canvas = $<HTMLCanvasElement>('chart'), caption = $('chart-caption');
  const hist = (fam: string): Histogram => fam === '6'
    ? { counts: summary.histogram.ipv6, label: 'IPv6' } : { counts: summary.histogram.ipv4, label: 'IPv4' };
  let h = hist('4');
  const total = (x: Histogram) => x.counts.reduce((s, c) => s + c, 0);
  const redraw = (hover = -1) => {
    drawHistogram(canvas, h, hover);
    caption.textContent = hover >= 0
      ? `${h.label} /${hover}: ${int(h.counts[hover])} prefixes (${((100 * h.counts[hover]) / Math.max(1, total(h))).toFixed(2)} %)`
      : `${h.label}: ${int(total(h))} prefixes; point at a bar for its count`;
  };
  for (const r of document.querySelectorAll<HTMLInputElement>('input[name=fam]')) {
    r.addEventListener('change', () => { h = hist(r.value); redraw(); });
  }
  canvas.addEventListener('mousemove', (ev) => redraw(lengthAt(canvas, h, ev.offsetX)));
  canvas.addEventListener('mouseleave', () => redraw());
  addEventListener('resize', () => redraw());
  redraw();

  // route edits and change notifications
  const changes = $('changes'), editResult = $('edit-result');
  glass.onChanges = (cs) => {
    $('no-changes')?.remove();
    changes.insertAdjacentHTML('afterbegin', cs.slice().reverse().map(changeText).join(''));
    while (changes.children.length > MAX_CHANGES_SHOWN) changes.lastElementChild!.remove();
    if (answer.dataset.query) ask(answer.dataset.query);            // the answer shown follows the table
  };
  const ep = $<HTMLInputElement>('e-prefix');
  const edit = (f: () => string) => {
    try { editResult.innerHTML = f(); } catch (e) {
      editResult.innerHTML = `<span class="err">${esc(e instanceof RtmError ? `${e.code}: ${e.message}` : String(e))}</span>`;
    }
  };
  $('edit').addEventListener('submit', (ev) => {
    ev.preventDefault();
    edit(() => {
      const r = glass.addRoute({ prefix: ep.value, nextHop: $<HTMLInputElement>('e-nexthop').value,
        preference: Number($<HTMLInputElement>('e-pref').value) || 0, metric: Number($<HTMLInputElement>('e-metric').value) || 0,
        views: ($<HTMLInputElement>('e-ucast').checked ? RTM_VIEW_MASK_UCAST : 0) | ($<HTMLInputElement>('e-mcast').checked ? RTM_VIEW_MASK_MCAST : 0) });
      return `${r.action} ${esc(r.prefix)} (change flags 0x${r.changeFlags.toString(16)})`;
    });
  });
  $('withdraw').addEventListener('click', () => edit(() => {
    const r = glass.withdrawRoute(ep.value);
    return r ? `withdrew the route of ${esc(r.owner)} to ${esc(r.prefix)} (change flags 0x${r.changeFlags.toString(16)})`
      : `<span class="err">no route to ${esc(ep.value.trim())} of looking-glass or of the loaded table</span>`;
  }));

  for (const el of document.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) el.disabled = false;
  q.focus();
  const hash = decodeURIComponent(location.hash.slice(1));
  if (hash) { q.value = hash; ask(hash); }
  document.body.dataset.state = 'ready';
}

main().catch((e: unknown) => {
  document.body.dataset.state = 'error';
  const t = $('load-text');
  t.className = 'err';
  t.textContent = `failed: ${e instanceof RtmError ? `${e.code}: ${e.message}` : String((e as Error)?.stack ?? e)}`;
});
