// The prefix-text parser (src/address.ts): parsePrefixInto's one-pass IPv4 and IPv6 paths must accept and
// reject exactly what the general two-pass parser (parsePrefixGeneral, the reference rules) does, write the
// same key words and leave the same parsedFamily, for every family argument — on a fixed table of edge
// strings (leading zeros, octets, groups and lengths out of range, 3-digit lengths, missing parts, "::" in
// every place, mixed text) and on seeded random strings built from the characters that matter (digits,
// hex letters, '.', '/', ':', others).
import { describe, expect, it } from 'vitest';
import { parsePrefixGeneral, parsePrefixInto, parsedFamily } from '../../src/address.js';
import { mulberry32 } from '../helpers/random.js';

const FAMILIES = [0, 4, 6] as const;

/** Both parsers on `s` for `family`: [length, the 4 key words after it, parsedFamily] each. */
function both(s: string, family: 0 | 4 | 6): [unknown[], unknown[]] {
  const run = (f: typeof parsePrefixInto): unknown[] => {
    const out = new Uint32Array(6).fill(0xdeadbeef);
    parsedFamily.value = family === 6 ? 4 : 6;   // a value the call must overwrite when it accepts
    const len = f(s, family, out, 1);
    return [len, ...(len >= 0 ? [...out] : []), len >= 0 ? parsedFamily.value : '-'];
  };
  return [run(parsePrefixInto), run(parsePrefixGeneral)];
}

const EDGES = [
  '10.0.0.0/8', '0.0.0.0/0', '255.255.255.255/32', '255.255.255.255', '1.2.3.4', '1.2.3.4/0', '1.2.3.4/1',
  '1.2.3.4/31', '1.2.3.4/32', '1.2.3.4/33', '1.2.3.4/99', '1.2.3.4/032', '1.2.3.4/008', '1.2.3.4/08', '1.2.3.4/00',
  '1.2.3.4/000', '1.2.3.4/0032', '1.2.3.4/', '1.2.3.4//8', '1.2.3.4/8/8', '1.2.3.4/ 8', '1.2.3.4/8 ', ' 1.2.3.4/8',
  '01.2.3.4/8', '1.02.3.4/8', '1.2.003.4/8', '1.2.3.00/8', '0.0.0.0', '00.0.0.0', '256.0.0.0/8', '1.256.0.0/8',
  '1.2.3.256', '999.1.1.1', '1.2.3.1000', '1000.1.1.1', '1.2.3', '1.2.3.', '.1.2.3', '1..2.3', '1.2.3.4.5', '1.2.3.4.',
  '10.0.0/8', '10.0.0.01/8', '1.2.3.4/8x', '1.2.3.4a', 'a.b.c.d', '', '/', '/8', '1', '1.2.3.4/-1', '1.2.3.4/+8',
  '192.168.100.200/24', '192.168.100.200/23', '10.255.255.255/1', '128.0.0.1/1', '199.199.199.199/19',
  '2001:db8::/32', '::/0', '::', '::1', '::ffff:1.2.3.4', '::ffff:1.2.3.4/96', '2001:db8::1/128', '2001:db8::1/129',
  '1.2.3.4::', '1:2.3.4', '1.2.3.4:', 'fe80::1%eth0', '1.2.3.4/32/', '１.2.3.4', '1.2.3.٤',
  '2001:db8::/48', '2001:DB8:aBcD::/47', '2001:0db8::/32', '2001:00db8::/32', '2001:db8:::/32', '2001:db8::/', '2001:db8::/1290',
  '2001:db8::/128', '2001:db8::/0128', '2001:db8::/048', '2001:db8::/4 ', '2001:db8:: /48', '2001:db8:/32', '2001:db8:',
  '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8/64', '1:2:3:4:5:6:7:8/129', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '1:2:3:4:5:6:7::',
  '1:2:3:4:5:6:7::/112', '1:2:3:4:5:6::/96', '1:2:3:4:5:6:7', '1::2/64', '::1/128', '::/128', ':1::/16', '1::2::/16',
  'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff::/1', 'fffff::/16',
  'g::/16', '2001:db8::1.2.3.4', '1:2:3:4:5:6:1.2.3.4/120', '2001:db8::/-1', '2001:db8::/+8', '2001:db8::/8/8',
];

describe('parsePrefixInto: the one-pass IPv4 and IPv6 paths agree with the general parser', () => {
  it('on edge strings, for every family argument', () => {
    for (const s of EDGES) for (const fam of FAMILIES) {
      const [fast, ref] = both(s, fam);
      expect(fast, `${JSON.stringify(s)} family ${fam}`).toEqual(ref);
    }
    // a few the general parser accepts, so the table covers both outcomes
    expect(parsePrefixInto('10.1.2.3/8', 4, new Uint32Array(4))).toBe(8);
    expect(parsePrefixInto('1.2.3.4/032', 4, new Uint32Array(4))).toBe(32);
    expect(parsePrefixInto('01.2.3.4/8', 4, new Uint32Array(4))).toBe(-1);
  });

  it('clears host bits for every length', () => {
    const w = new Uint32Array(4);
    for (let len = 0; len <= 32; len++) {
      expect(parsePrefixInto(`255.255.255.255/${len}`, 4, w, 0)).toBe(len);
      expect(w[0]).toBe(len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
      const [fast, ref] = both(`171.205.18.52/${len}`, 0);
      expect(fast).toEqual(ref);
    }
  });

  it('on seeded random strings', () => {
    const next = mulberry32(0x5eed), rnd = (): number => next() / 2 ** 32;
    const pick = (chars: string): string => chars[Math.floor(rnd() * chars.length)];
    const octet = (): string => {
      const r = rnd();
      if (r < 0.6) return String(Math.floor(rnd() * 256));
      if (r < 0.7) return String(Math.floor(rnd() * 1200));
      if (r < 0.8) return '0' + String(Math.floor(rnd() * 30));
      if (r < 0.9) return '';
      return pick('0123456789x:') + pick('0123456789');
    };
    let accepted = 0, n = 0;
    for (let i = 0; i < 40000; i++) {
      let s: string;
      if (rnd() < 0.75) {
        const parts = [octet(), octet(), octet(), octet()];
        if (rnd() < 0.1) parts.push(octet());
        if (rnd() < 0.1) parts.pop();
        s = parts.join(rnd() < 0.97 ? '.' : pick('.:,'));
        const r = rnd();
        if (r < 0.7) s += '/' + String(Math.floor(rnd() * 40));
        else if (r < 0.8) s += '/' + String(Math.floor(rnd() * 40)).padStart(3, '0');
        else if (r < 0.85) s += '/' + pick('/ x-') + pick('0123456789');
      } else {
        s = '';
        const k = Math.floor(rnd() * 20);
        for (let j = 0; j < k; j++) s += pick('0123456789..//:a ');
      }
      for (const fam of FAMILIES) {
        const [fast, ref] = both(s, fam);
        if (fast[0] !== ref[0] || JSON.stringify(fast) !== JSON.stringify(ref)) expect(fast, `${JSON.stringify(s)} family ${fam}`).toEqual(ref);
        if ((ref[0] as number) >= 0) accepted++;
        n++;
      }
    }
    expect(accepted).toBeGreaterThan(n / 20);   // both outcomes well covered (family 6 rejects all IPv4 text)
  });

  it('clears host bits for every IPv6 length', () => {
    for (let len = 0; len <= 128; len++) {
      for (const text of [`ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/${len}`, `fedc:ba98:7654:3210:fedc::/${len}`]) {
        const [fast, ref] = both(text, 6);
        expect(fast, text).toEqual(ref);
        expect(fast[0], text).toBe(len);
      }
    }
  });

  it('on seeded random IPv6 strings', () => {
    const next = mulberry32(0x6eed), rnd = (): number => next() / 2 ** 32;
    const pick = (chars: string): string => chars[Math.floor(rnd() * chars.length)];
    const group = (): string => {
      const r = rnd();
      if (r < 0.8) return Math.floor(rnd() * 65536).toString(16);
      if (r < 0.85) return Math.floor(rnd() * 65536).toString(16).toUpperCase();
      if (r < 0.9) return '0' + Math.floor(rnd() * 4096).toString(16);
      if (r < 0.95) return '';
      return pick('0123456789abcdefgAF.') + pick('0123456789abcdef:');
    };
    let accepted = 0, n = 0;
    for (let i = 0; i < 40000; i++) {
      const k = 1 + Math.floor(rnd() * 9);
      const parts: string[] = [];
      for (let j = 0; j < k; j++) parts.push(group());
      let s = parts.join(rnd() < 0.97 ? ':' : pick(':.'));
      const r = rnd();
      if (r < 0.5) s += '::';
      else if (r < 0.6) s = '::' + s;
      else if (r < 0.65) { const at = Math.floor(rnd() * s.length); s = s.slice(0, at) + '::' + s.slice(at); }
      const t = rnd();
      if (t < 0.7) s += '/' + String(Math.floor(rnd() * 140));
      else if (t < 0.8) s += '/' + String(Math.floor(rnd() * 140)).padStart(3, '0');
      else if (t < 0.85) s += '/' + pick('/ x-') + pick('0123456789');
      for (const fam of FAMILIES) {
        const [fast, ref] = both(s, fam);
        if (JSON.stringify(fast) !== JSON.stringify(ref)) expect(fast, `${JSON.stringify(s)} family ${fam}`).toEqual(ref);
        if ((ref[0] as number) >= 0) accepted++;
        n++;
      }
    }
    expect(accepted).toBeGreaterThan(n / 10);   // both outcomes well covered (family 4 rejects all IPv6 text)
  });
});
