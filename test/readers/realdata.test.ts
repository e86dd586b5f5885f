// The real tables in ../shared/data (skipped with a message when absent) and the bundled default table:
// record counts, prefix-length histograms and the spot checks of shared/data/mrt/README.md. Batches are
// inspected inside the loop (they are reused), so memory stays flat even for the 1M-prefix table.
import { describe, expect, it } from 'vitest';
import { formatPrefix } from '../../src/address.js';
import { defaultTablePath, openTable, openUpdates, ribPreference, type RouteBatch, type TableReader } from '../../src/readers/index.js';
import { dataFile, missingData } from '../helpers/data.js';

/** it() over a shared data file, or a skipped test that says the file is missing. */
function withData(name: string, title: string, fn: (path: string) => Promise<void>): void {
  const path = dataFile(name);
  if (path === undefined) it.skip(`${title} (${missingData(name)})`, () => {});
  else it(title, () => fn(path));
}

interface Tally {
  reader: TableReader;
  v4: number;
  v6: number;
  lens4: Map<number, number>;
  lens6: Map<number, number>;
  withNextHop: number;
  /** Records of the watched prefixes, as 'peer=… pref=…' rows. */
  watched: Map<string, string[]>;
  bySource: Map<number, number>;
}

async function tally(path: string, watch: string[] = []): Promise<Tally> {
  const reader = await openTable(path);
  const t: Tally = { reader, v4: 0, v6: 0, lens4: new Map(), lens6: new Map(), withNextHop: 0, watched: new Map(), bySource: new Map() };
  const wanted = new Set(watch);
  const inc = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);
  for await (const b of reader as AsyncIterable<RouteBatch>) {
    if (b.family === 4) t.v4 += b.count; else t.v6 += b.count;
    const lens = b.family === 4 ? t.lens4 : t.lens6;
    for (let i = 0; i < b.count; i++) {
      inc(lens, b.lens[i]);
      inc(t.bySource, b.sources[i]);
      t.withNextHop += b.hasNextHop[i];
      if (wanted.size > 0) {
        const p = formatPrefix(b.family, b.keys, i * 4, b.lens[i]);
        if (wanted.has(p)) {
          const nh = b.hasNextHop[i] ? formatPrefix(b.family, b.nextHops, i * 4, 0).slice(0, -2) : '-';
          t.watched.set(p, [...(t.watched.get(p) ?? []), `peer=${b.sources[i]} nh=${nh} pref=${b.preferences[i]}`]);
        }
      }
    }
  }
  return t;
}

const histogram = (m: Map<number, number>): string => [...m].sort((a, b) => a[0] - b[0]).map(([l, n]) => `/${l}:${n}`).join(' ');

describe('real tables', () => {
  it('reads the bundled default table: 1,062,046 prefixes (901,899 v4 + 160,147 v6)', async () => {
    const t = await tally(defaultTablePath());
    expect([t.v4, t.v6, t.reader.records, t.reader.skipped, t.reader.format]).toEqual([901899, 160147, 1062046, 0, 'prefixes']);
    expect(t.reader.bytesRead).toBe(t.reader.totalBytes);
    expect(t.lens4.get(24)).toBe(537698);
  });

  withData('tier1-ipv4.txt.gz', 'reads tier1-ipv4: 901,899 prefixes with the documented length histogram', async (path) => {
    const t = await tally(path, ['1.0.0.0/24']);
    expect([t.v4, t.v6, t.withNextHop]).toEqual([901899, 0, 0]);
    expect(histogram(t.lens4)).toBe('/8:16 /9:13 /10:38 /11:103 /12:299 /13:581 /14:1203 /15:2100 /16:13490 /17:8235 ' +
      '/18:13798 /19:24870 /20:42611 /21:50750 /22:108623 /23:96510 /24:537698 /25:20 /26:3 /27:11 /28:18 /29:17 /30:3 /31:3 /32:886');
    expect(t.watched.get('1.0.0.0/24')).toEqual(['peer=-1 nh=- pref=0']);
  });

  withData('tier1-ipv6.txt.gz', 'reads tier1-ipv6: 160,147 prefixes', async (path) => {
    const t = await tally(path);
    expect([t.v4, t.v6]).toEqual([0, 160147]);
    expect([t.lens6.get(48), t.lens6.get(32), t.lens6.get(64), t.lens6.get(128)]).toEqual([75488, 22548, 184, 6]);
  });

  withData('linx-rib-ipv6.20141225.txt.gz', 'reads the LINX IPv6 RIB: 20,440 prefixes, each with a next hop', async (path) => {
    const t = await tally(path);
    expect([t.v6, t.withNextHop]).toEqual([20440, 20440]);
    expect(Math.min(...t.lens6.keys())).toBe(16);
    expect(Math.max(...t.lens6.keys())).toBe(48);
  });

  withData('linx-update-ipv4.20141217.txt.gz', 'reads the LINX update trace: 23,446 events on 3,551 prefixes', async (path) => {
    const reader = await openUpdates(path);
    let announce = 0, withdraw = 0, firstSec = Infinity, lastSec = 0;
    const prefixes = new Set<string>();
    for await (const b of reader) {
      for (let i = 0; i < b.count; i++) {
        if (b.announce[i]) announce++; else withdraw++;
        firstSec = Math.min(firstSec, b.timesSec[i]);
        lastSec = Math.max(lastSec, b.timesSec[i]);
        prefixes.add(formatPrefix(b.family, b.keys, i * 4, b.lens[i]));
      }
    }
    expect([reader.records, announce, withdraw, prefixes.size]).toEqual([23446, 18141, 5305, 3551]);
    expect(lastSec - firstSec).toBeLessThanOrEqual(3600);
  });

  withData('mrt/routeviews.route-views.jinx.ribs.1401487200.gz', 'reads the jinx RIB: 14 peers, 497,407 prefixes, 503,590 entries', async (path) => {
    const t = await tally(path, ['1.0.0.0/24', '8.8.8.0/24', '2001:4200::/32', '41.75.96.0/20', '0.0.0.0/0', '::/0']);
    const r = t.reader;
    expect([r.format, r.peers.length, r.prefixes, r.records, t.v4, t.v6, r.skipped, r.unsupported]).toEqual(['mrt', 14, 497407, 503590, 503417, 173, 0, 0]);
    expect(r.peers[5]).toEqual({ index: 5, bgpId: '46.17.232.139', address: '196.223.14.55', asn: 30844 });
    expect(r.peers.filter((p) => p.address.includes(':'))).toHaveLength(6);
    expect(t.bySource.size).toBe(14); // every peer is referenced
    expect(t.bySource.get(5)).toBe(497321);
    expect(t.withNextHop).toBe(503590); // NEXT_HOP for IPv4, MP_REACH_NLRI (full form) for IPv6
    const viaPeer5 = `peer=5 nh=196.223.14.55 pref=${ribPreference(100, 2)}`;
    expect(ribPreference(100, 2)).toBe(((0xffff - 100) << 16 | 2) >>> 0);
    expect(t.watched.get('1.0.0.0/24')).toEqual([viaPeer5]); // AS_PATH 30844 15169
    expect(t.watched.get('8.8.8.0/24')).toEqual([viaPeer5]);
    const v6 = t.watched.get('2001:4200::/32') ?? [];
    expect(v6.map((row) => row.split(' pref=')[1])).toEqual([String(ribPreference(100, 3)), String(ribPreference(100, 2))]);
    expect(t.watched.get('41.75.96.0/20')).toHaveLength(5);
    expect(t.watched.has('0.0.0.0/0') && t.watched.has('::/0')).toBe(true);
  });

  withData('mrt/routeviews.route-views6.rib.20151101.0600.first6871records.gz', 'reads the route-views6 RIB: 29 peers, 6,870 prefixes, 149,578 entries', async (path) => {
    const t = await tally(path, ['2001:4860::/32']);
    const r = t.reader;
    expect([r.peers.length, r.prefixes, r.records, t.v4, t.v6, r.skipped]).toEqual([29, 6870, 149578, 0, 149578, 0]);
    expect(t.bySource.size).toBe(27);
    expect([r.peers[21].bgpId, r.peers[27].bgpId, t.bySource.has(21), t.bySource.has(27)]).toEqual(['0.0.0.0', '0.0.0.0', false, false]);
    expect(r.peers[10]).toMatchObject({ address: '2001:668:0:4::2', asn: 3257 });
    expect(t.withNextHop).toBe(149578);
    const google = t.watched.get('2001:4860::/32') ?? [];
    expect(google).toHaveLength(26);
    expect(google.find((row) => row.startsWith('peer=10 '))).toMatch(new RegExp(`pref=${ribPreference(100, 2)}$`)); // AS_PATH 3257 15169
  });

  withData('mrt/ris.rrc05.updates.20100722.2015.gz', 'skips and counts the BGP4MP records of an updates file', async (path) => {
    const t = await tally(path);
    const r = t.reader;
    expect([r.format, r.records, r.unsupported, r.skipped]).toEqual(['mrt', 0, 2193, 0]);
    expect(Object.fromEntries(r.unsupportedKinds)).toEqual({ 'MRT BGP4MP/1': 789, 'MRT BGP4MP/4': 1364, 'MRT BGP4MP/5': 40 });
  });
});
