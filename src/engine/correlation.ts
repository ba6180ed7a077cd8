/**
 * Correlation rules over the stream of base-rule hits, with exact sliding windows per group.
 *
 * Conditions that can only become true as events arrive (event_count / value_count / value_sum /
 * temporal / temporal_ordered with gt/gte bounds only) are checked on every arrival: the first moment the
 * events of one group within `timespan` satisfy the condition, a hit is reported and those events are
 * consumed (a later hit needs new events). Every other condition (lt, lte, eq, neq, avg, percentile) is
 * checked when a window closes: a window starts at the first event of the group not yet in a window and
 * closes when the stream has moved `timespan` past it (or at the end of the input); the next window
 * starts at the next event after it.
 */
import type { CorrelationOp, IrCorrelation } from '../ir/index.js';
import type { EventView } from './event.js';
import { fieldValue } from './event.js';
import { numericValue } from './values.js';

/** Where an event came from, enough for a user to find it again. */
export interface EventRef {
  file: string;
  line?: number;
  recordId?: number | string;
  timestamp?: string;
}

export interface CorrelationHit {
  correlation: IrCorrelation;
  /** group-by field → value (as text). */
  group: Record<string, string>;
  /** Events in the window. */
  count: number;
  /** The aggregate the condition was tested on (count, distinct values, sum, avg, percentile, rules seen). */
  value: number;
  /** value_count: the distinct values seen. */
  values?: string[];
  /** The events that formed the hit, in time order, with the rule each matched. */
  events: (EventRef & { rule: string })[];
  /** Time of the first and last event (ISO). */
  first: string;
  last: string;
}

interface Item {
  ref: number;
  time: number;
  event: EventRef;
  value: unknown;
}

const OPS: Record<CorrelationOp, (a: number, b: number) => boolean> = {
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
};

export class CorrelationState {
  private readonly groups = new Map<string, Item[]>();
  private readonly spanMs: number;
  private readonly eager: boolean;

  /** `refs[i]` is the id of the rule the correlation's i-th reference resolved to (for alias lookup). */
  constructor(
    readonly ir: IrCorrelation,
    private readonly refs: readonly { id: string; name?: string }[],
    private readonly emit: (hit: CorrelationHit) => void,
  ) {
    this.spanMs = ir.timespan * 1000;
    const upward = ir.condition.bounds.every((b) => b.op === 'gt' || b.op === 'gte');
    this.eager = upward && ir.type !== 'value_avg' && ir.type !== 'value_percentile';
  }

  /** The field name to read for `field` in events of reference `ref` (aliases resolved). */
  private fieldFor(field: string, ref: number): string {
    const alias = this.ir.aliases[field];
    if (!alias) return field;
    const r = this.refs[ref]!;
    return alias[r.id] ?? (r.name !== undefined ? alias[r.name] : undefined) ?? field;
  }

  /** One base-rule hit, in time order (the engine's reorder buffer sees to that). */
  add(ref: number, ev: EventView, event: EventRef): void {
    const groupVals: string[] = [];
    for (const g of this.ir.groupBy) {
      const v = fieldValue(ev, this.fieldFor(g, ref));
      // Like `stats … by` in SIEMs: an event without a group-by field belongs to no group.
      if (v === undefined || v === null) return;
      groupVals.push(typeof v === 'string' ? v : JSON.stringify(v));
    }
    const key = JSON.stringify(groupVals);
    const cf = this.ir.condition.field;
    const value = cf === undefined ? undefined : fieldValue(ev, this.fieldFor(cf, ref));
    const item: Item = { ref, time: ev.time, event, value };
    let items = this.groups.get(key);
    if (!items) {
      items = [];
      this.groups.set(key, items);
    }
    if (this.eager) {
      items.push(item);
      while (items.length > 0 && item.time - items[0]!.time > this.spanMs) items.shift();
      if (this.holds(items)) {
        this.report(groupVals, items);
        items.length = 0;
      }
      return;
    }
    this.closeWindows(groupVals, items, item.time);
    items.push(item);
  }

  /** Close windows that started more than timespan before `now`. */
  private closeWindows(groupVals: string[], items: Item[], now: number): void {
    while (items.length > 0 && now - items[0]!.time > this.spanMs) {
      const anchor = items[0]!.time;
      let n = 0;
      while (n < items.length && items[n]!.time - anchor <= this.spanMs) n++;
      const window = items.slice(0, n);
      if (this.holds(window)) this.report(groupVals, window);
      // The next window starts at the first event after this one (no overlapping suffix windows: a
      // tail of a window that failed `lt 5` would otherwise pass it trivially).
      items.splice(0, n);
    }
  }

  /** End of input: close every open window. */
  flush(): void {
    for (const [key, items] of this.groups) {
      const groupVals = JSON.parse(key) as string[];
      if (!this.eager) this.closeWindows(groupVals, items, Infinity);
    }
    this.groups.clear();
  }

  private aggregate(items: readonly Item[]): { value: number; values?: string[] } {
    switch (this.ir.type) {
      case 'event_count':
        return { value: items.length };
      case 'value_count': {
        const set = new Set<string>();
        for (const it of items)
          if (it.value !== undefined && it.value !== null)
            set.add(typeof it.value === 'string' ? it.value : JSON.stringify(it.value));
        return { value: set.size, values: [...set] };
      }
      case 'temporal':
        return { value: new Set(items.map((i) => i.ref)).size };
      case 'temporal_ordered': {
        // Longest prefix of the rule order found as a time-ordered subsequence.
        let next = 0;
        for (const it of items) if (it.ref === next) next++;
        return { value: next };
      }
      case 'value_sum':
      case 'value_avg':
      case 'value_percentile': {
        const nums = items.map((i) => numericValue(i.value)).filter((x): x is number => x !== undefined);
        if (nums.length === 0) return { value: NaN };
        if (this.ir.type === 'value_sum') return { value: nums.reduce((a, b) => a + b, 0) };
        if (this.ir.type === 'value_avg') return { value: nums.reduce((a, b) => a + b, 0) / nums.length };
        nums.sort((a, b) => a - b);
        // Nearest-rank percentile.
        const p = this.ir.condition.percentile ?? 50;
        const rank = Math.max(1, Math.ceil((p / 100) * nums.length));
        return { value: nums[rank - 1]! };
      }
    }
  }

  private holds(items: readonly Item[]): boolean {
    if (items.length === 0) return false;
    const { value } = this.aggregate(items);
    if (Number.isNaN(value)) return false;
    return this.ir.condition.bounds.every((b) => OPS[b.op](value, b.value));
  }

  private report(groupVals: string[], items: readonly Item[]): void {
    const agg = this.aggregate(items);
    const group: Record<string, string> = {};
    this.ir.groupBy.forEach((g, i) => (group[g] = groupVals[i]!));
    const hit: CorrelationHit = {
      correlation: this.ir,
      group,
      count: items.length,
      value: agg.value,
      events: items.map((i) => ({ ...i.event, rule: this.refs[i.ref]!.id })),
      first: new Date(items[0]!.time).toISOString(),
      last: new Date(items[items.length - 1]!.time).toISOString(),
    };
    if (agg.values) hit.values = agg.values;
    this.emit(hit);
  }
}

/**
 * Restores time order for events that arrive out of order by at most `skewMs`: items are held until the
 * newest time seen is `skewMs` past them. Later stragglers are passed on at once and counted.
 */
export class ReorderBuffer<T extends { time: number }> {
  private heap: T[] = [];
  private newest = -Infinity;
  private released = -Infinity;
  late = 0;

  constructor(
    private readonly skewMs: number,
    private readonly out: (item: T) => void,
  ) {}

  push(item: T): void {
    if (item.time < this.released) {
      this.late++;
      this.out(item);
      return;
    }
    this.heapPush(item);
    if (item.time > this.newest) this.newest = item.time;
    while (this.heap.length > 0 && this.heap[0]!.time <= this.newest - this.skewMs) this.releaseOne();
  }

  flush(): void {
    while (this.heap.length > 0) this.releaseOne();
  }

  get held(): number {
    return this.heap.length;
  }

  private releaseOne(): void {
    const top = this.heapPop();
    this.released = top.time;
    this.out(top);
  }

  private heapPush(x: T): void {
    const h = this.heap;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.time <= x.time) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = x;
  }

  private heapPop(): T {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r]!.time < h[l]!.time ? r : l;
        if (h[c]!.time >= last.time) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
