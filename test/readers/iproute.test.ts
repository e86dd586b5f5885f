// `ip route` / `ip -6 route` output: route types, dev numbering, multipath (multi-line and `ip -o` one-line),
// `table all` dumps, family of `default`, malformed lines with their line numbers, and chunk splits.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPrefix } from '../../src/address.js';
import { TableFormatError, readAll, type RouteBatch, type TableOptions } from '../../src/readers/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rtm-iproute-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Records as 'prefix via nh dev name metric' rows, dev names resolved through info.interfaces. */
async function routes(input: string | Uint8Array | Uint8Array[], options: TableOptions = {}) {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const { v4, v6, info } = await readAll(bytes, options);
  const show = (b: RouteBatch): string[] => {
    const out: string[] = [];
    for (let i = 0; i < b.count; i++) {
      const nh = b.hasNextHop[i] ? ` via ${formatPrefix(b.family, b.nextHops, i * 4, 0).slice(0, -2)}` : '';
      const dev = b.ifIndex[i] ? ` dev ${info.interfaces[b.ifIndex[i]]}` : '';
      expect([b.preferences[i], b.sources[i], b.views[i]]).toEqual([0, -1, 1]);
      out.push(`${formatPrefix(b.family, b.keys, i * 4, b.lens[i])}${nh}${dev} metric ${b.metrics[i]}`);
    }
    return out;
  };
  return { v4: show(v4), v6: show(v6), info };
}

const IPV4 = `default via 192.0.2.1 dev eth0 proto static metric 100
10.0.0.0/8 via 10.1.1.1 dev eth1 proto bgp metric 20
10.2.0.0/16 proto bgp metric 20
\tnexthop via 10.1.1.1 dev eth1 weight 1
\tnexthop via 10.1.1.2 dev eth2 weight 1 onlink
192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.5
blackhole 10.9.0.0/16
unreachable 10.10.0.0/16 metric 5
prohibit 10.11.0.0/16
192.0.2.77 via 192.0.2.1 dev eth0 table 100 onlink
local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
broadcast 192.168.1.255 dev eth0 table local proto kernel scope link src 192.168.1.5
unicast 172.16.0.0/12 via 192.0.2.1 dev eth0 linkdown
`;

describe('openTable (ip route)', () => {
  it('reads ip route output with route types, multipath and dev numbering', async () => {
    const { v4, v6, info } = await routes(IPV4);
    expect(info.format).toBe('iproute');
    expect(v4).toEqual([
      '0.0.0.0/0 via 192.0.2.1 dev eth0 metric 100',
      '10.0.0.0/8 via 10.1.1.1 dev eth1 metric 20',
      '10.2.0.0/16 via 10.1.1.1 dev eth1 metric 20',
      '10.2.0.0/16 via 10.1.1.2 dev eth2 metric 20',
      '192.168.1.0/24 dev eth0 metric 0',
      '10.9.0.0/16 dev (blackhole) metric 0',
      '10.10.0.0/16 dev (unreachable) metric 5',
      '10.11.0.0/16 dev (prohibit) metric 0',
      '192.0.2.77/32 via 192.0.2.1 dev eth0 metric 0',
      '172.16.0.0/12 via 192.0.2.1 dev eth0 metric 0',
    ]);
    expect(v6).toEqual([]);
    expect(info.interfaces).toEqual(['', 'eth0', 'eth1', 'eth2', '(blackhole)', '(unreachable)', '(prohibit)']);
    expect(info.records).toBe(10);
    expect(info.prefixes).toBe(9); // the multipath route counts once
    expect(info.unsupported).toBe(2);
    expect([...info.unsupportedKinds]).toEqual([['ip route local', 1], ['ip route broadcast', 1]]);
  });

  it('reads ip -6 route output', async () => {
    const text = `2001:db8::/32 via fe80::1 dev eth0 metric 1024 pref medium
fe80::/64 dev eth0 proto kernel metric 256 pref medium
unreachable ::/96 dev lo metric 1024 error -113 pref medium
2001:db8:1::/48 proto static metric 1024 pref medium
\tnexthop via fe80::2 dev eth1 weight 1
\tnexthop via fe80::3 dev eth2 weight 1
default via fe80::1 dev eth0 proto ra metric 1024 expires 1789sec hoplimit 64 pref medium
default dev wg0 metric 1024 pref medium
`;
    const { v4, v6, info } = await routes(text);
    expect(v4).toEqual([]);
    expect(v6).toEqual([
      '2001:db8::/32 via fe80::1 dev eth0 metric 1024',
      'fe80::/64 dev eth0 metric 256',
      '::/96 dev (unreachable) metric 1024',
      '2001:db8:1::/48 via fe80::2 dev eth1 metric 1024',
      '2001:db8:1::/48 via fe80::3 dev eth2 metric 1024',
      '::/0 via fe80::1 dev eth0 metric 1024',
      '::/0 dev wg0 metric 1024',
    ]);
    expect(info.interfaces).toEqual(['', 'eth0', '(unreachable)', 'lo', 'eth1', 'eth2', 'wg0']);
  });

  it('reads one-line (ip -o) multipath routes', async () => {
    const { v4 } = await routes('10.2.0.0/16 proto bgp metric 20 \\\tnexthop via 10.1.1.1 dev eth1 weight 1 \\\tnexthop via 10.1.1.2 dev eth2 weight 1\n');
    expect(v4).toEqual(['10.2.0.0/16 via 10.1.1.1 dev eth1 metric 20', '10.2.0.0/16 via 10.1.1.2 dev eth2 metric 20']);
  });

  it('takes the family of a bare default from its line, the option, or the route before it', async () => {
    expect((await routes('default dev ppp0\n')).v4).toEqual(['0.0.0.0/0 dev ppp0 metric 0']);
    expect((await routes('default dev wg0\n', { family: 6 })).v6).toEqual(['::/0 dev wg0 metric 0']);
    expect((await routes('default dev eth0 src 2001:db8::5\n')).v6).toEqual(['::/0 dev eth0 metric 0']);
    expect((await routes('2001:db8::/32 dev eth0\ndefault dev eth0\n')).v6).toEqual(['2001:db8::/32 dev eth0 metric 0', '::/0 dev eth0 metric 0']);
    // a next hop of the other family (RFC 5549 `via inet6`) is not kept
    expect((await routes('10.0.0.0/8 via inet6 fe80::1 dev eth0\n')).v4).toEqual(['10.0.0.0/8 dev eth0 metric 0']);
  });

  it('names the line of a malformed route', async () => {
    const cases: [string, number, string][] = [
      ['10.0.0.0/8 dev eth0\n10.0.0.0/33 dev eth0\n', 2, "malformed prefix '10.0.0.0/33'"],
      ['10.0.0.0/8 via 10.0.0.300 dev eth0\n', 1, "malformed next hop '10.0.0.300'"],
      ['10.0.0.0/8 dev eth0 metric high\n', 1, "malformed metric 'high'"],
      ['10.0.0.0/8 dev eth0 metric\n', 1, "missing number after 'metric'"],
      ['10.0.0.0/8 via\n', 1, "missing address after 'via'"],
      ['10.0.0.0/8 dev eth0\nblackhole\n', 2, "missing prefix after 'blackhole'"],
      ['# dump\n\tnexthop via 10.1.1.1 dev eth1\n', 2, 'nexthop line without a route line before it'],
      ['10.2.0.0/16 metric 20\n\tnexthop via 10.1.1.x dev eth1\n', 2, "malformed next hop '10.1.1.x'"],
    ];
    for (const [text, line, reason] of cases) {
      const err = await readAll(Buffer.from(text), { format: 'iproute', name: 'routes.txt' }).catch((e: unknown) => e);
      expect(err, text).toBeInstanceOf(TableFormatError);
      expect(err, text).toMatchObject({ file: 'routes.txt', line, reason, offset: undefined });
    }
  });

  it('skips a malformed route with its nexthop lines under skipBad', async () => {
    const text = `10.2.0.0/33 proto bgp
\tnexthop via 10.1.1.1 dev eth1
\tnexthop via 10.1.1.2 dev eth2
10.3.0.0/16 proto bgp
\tnexthop via 10.1.1.1 dev eth1
\tnexthop via bad dev eth2
10.4.0.0/16 via 10.1.1.1 dev eth1
`;
    const { v4, info } = await routes(text, { skipBad: true });
    expect(v4).toEqual(['10.3.0.0/16 via 10.1.1.1 dev eth1 metric 0', '10.4.0.0/16 via 10.1.1.1 dev eth1 metric 0']);
    expect(info.skipped).toBe(2);
    expect(info.skippedErrors.map((e) => e.line)).toEqual([1, 6]);
  });

  it('reads a gzip dump and the same records at every chunk split', async () => {
    const path = join(dir, 'routes.gz');
    writeFileSync(path, gzipSync(IPV4));
    const whole = await routes(IPV4);
    const gz = await readAll(path);
    expect(gz.info.format).toBe('iproute');
    expect(gz.info.records).toBe(whole.info.records);
    const bytes = Buffer.from(IPV4);
    for (let k = 1; k < bytes.length; k++) {
      const split = await routes([bytes.subarray(0, k), bytes.subarray(k)]);
      expect(split.v4, `split at ${k}`).toEqual(whole.v4);
      expect(split.info.interfaces, `split at ${k}`).toEqual(whole.info.interfaces);
    }
  });

  it('splits multipath records over batch boundaries', async () => {
    const text = '10.2.0.0/16 metric 1\n' + Array.from({ length: 7 }, (_, i) => `\tnexthop via 10.0.0.${i + 1} dev eth${i}\n`).join('');
    const all = await routes(text);
    const small = await routes(text, { batchSize: 3 });
    expect(small.v4).toEqual(all.v4);
    expect(small.v4).toHaveLength(7);
  });
});
