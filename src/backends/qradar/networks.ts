/**
 * IP prefixes as networks: `10.1.` → 10.1.0.0/16, `fd` → fd::/16, `::1` → ::1/128. The network
 * is the first CIDR block of the range from the prefix padded with zeros to the prefix padded
 * with all ones (Python's ipaddress.summarize_address_range(...)[0]).
 */
import { ipv6Text } from '../../util/ipv6.js';

function v4(text: string): [bigint, bigint] | null {
  const octs = text.split('.');
  if (octs.length > 4) return null;
  let lo = 0n;
  let hi = 0n;
  for (let i = 0; i < 4; i++) {
    const o = octs[i] ?? '';
    let a: number;
    let b: number;
    if (o === '') {
      a = 0;
      b = 255;
    } else {
      if (!/^\d{1,3}$/.test(o) || Number(o) > 255) return null;
      a = b = Number(o);
    }
    lo = (lo << 8n) | BigInt(a);
    hi = (hi << 8n) | BigInt(b);
  }
  return [lo, hi];
}

function explode(text: string): string[] | null {
  if (!text.includes('::')) return text.split(':');
  const [h = '', t = ''] = text.split('::');
  const head = h === '' ? [] : h.split(':');
  const tail = t === '' ? [] : t.split(':');
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || text.split('::').length > 2) return null;
  return [...head, ...Array<string>(fill).fill('0'), ...tail];
}

function v6(text: string): [bigint, bigint] | null {
  const groups = explode(text);
  if (groups === null || groups.length > 8) return null;
  let lo = 0n;
  let hi = 0n;
  for (let i = 0; i < 8; i++) {
    const g = groups[i] ?? '';
    let a: number;
    let b: number;
    if (g === '') {
      a = 0;
      b = 0xffff;
    } else {
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
      a = b = parseInt(g, 16);
    }
    lo = (lo << 16n) | BigInt(a);
    hi = (hi << 16n) | BigInt(b);
  }
  return [lo, hi];
}

function firstBlock(lo: bigint, hi: bigint, bits: number): number {
  let size = 0;
  while (size < bits) {
    const next = size + 1;
    const mask = (1n << BigInt(next)) - 1n;
    if ((lo & mask) !== 0n || lo + mask > hi) break;
    size = next;
  }
  return bits - size;
}

function v6Text(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  return ipv6Text(groups);
}

/** The network of an IP prefix, or null when the text is no address prefix. */
export function cidrOfPrefix(text: string): string | null {
  if (/^[0-9.]+$/.test(text)) {
    const r = v4(text);
    if (!r) return null;
    const len = firstBlock(r[0], r[1], 32);
    const n = r[0];
    return `${[24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.')}/${String(len)}`;
  }
  if (/^[0-9a-f:]+$/i.test(text)) {
    const r = v6(text);
    if (!r) return null;
    return `${v6Text(r[0])}/${String(firstBlock(r[0], r[1], 128))}`;
  }
  return null;
}
