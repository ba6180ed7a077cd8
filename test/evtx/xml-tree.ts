/**
 * A small XML parser for tests: elements, attributes, text (entities and character references
 * decoded), CDATA. Enough to compare two renderings of the same event as trees.
 */
export interface XmlTree {
  name: string;
  attrs: Record<string, string>;
  /** Text and element children in order; adjacent text merged. */
  children: (XmlTree | string)[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? m;
  });
}

export function parseXml(text: string): XmlTree {
  let pos = 0;
  const root: XmlTree = { name: '#document', attrs: {}, children: [] };
  const stack: XmlTree[] = [root];
  const addText = (s: string): void => {
    if (s === '') return;
    const top = stack[stack.length - 1] ?? root;
    const last = top.children[top.children.length - 1];
    if (typeof last === 'string') top.children[top.children.length - 1] = last + s;
    else top.children.push(s);
  };
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      addText(decode(text.slice(pos)));
      break;
    }
    addText(decode(text.slice(pos, lt)));
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      if (end < 0) throw new Error(`unterminated CDATA at ${lt}`);
      addText(text.slice(lt + 9, end));
      pos = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt);
      if (end < 0) throw new Error(`unterminated PI at ${lt}`);
      pos = end + 2;
    } else if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      if (end < 0) throw new Error(`unterminated comment at ${lt}`);
      pos = end + 3;
    } else if (text.startsWith('</', lt)) {
      const end = text.indexOf('>', lt);
      const name = text.slice(lt + 2, end).trim();
      const top = stack.pop();
      if (!top || top.name !== name) throw new Error(`mismatched </${name}> at ${lt}`);
      pos = end + 1;
    } else {
      const m = /^<([^\s/>]+)/.exec(text.slice(lt, lt + 300));
      if (!m?.[1]) throw new Error(`bad tag at ${lt}`);
      const el: XmlTree = { name: m[1], attrs: {}, children: [] };
      pos = lt + m[0].length;
      for (;;) {
        while (/\s/.test(text[pos] ?? '')) pos++;
        if (text.startsWith('/>', pos)) {
          pos += 2;
          (stack[stack.length - 1] ?? root).children.push(el);
          break;
        }
        if (text[pos] === '>') {
          pos++;
          (stack[stack.length - 1] ?? root).children.push(el);
          stack.push(el);
          break;
        }
        const am = /^([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(text.slice(pos));
        if (!am?.[1]) throw new Error(`bad attribute at ${pos}`);
        el.attrs[am[1]] = decode(am[2] ?? am[3] ?? '');
        pos += am[0].length;
      }
    }
  }
  if (stack.length !== 1) throw new Error('unclosed elements at end of input');
  const only = root.children.filter((c): c is XmlTree => typeof c !== 'string');
  if (only.length !== 1 || !only[0]) throw new Error('expected exactly one root element');
  return only[0];
}

/** First difference between two trees as a path and description, or undefined when equal. */
export function diffXml(a: XmlTree, b: XmlTree, path = ''): string | undefined {
  const here = `${path}/${a.name}`;
  if (a.name !== b.name) return `${here}: element ${a.name} ≠ ${b.name}`;
  const ak = Object.keys(a.attrs);
  const bk = Object.keys(b.attrs);
  if (ak.join(' ') !== bk.join(' ')) return `${here}: attributes [${ak.join(' ')}] ≠ [${bk.join(' ')}]`;
  for (const k of ak) {
    if (a.attrs[k] !== b.attrs[k])
      return `${here}@${k}: ${JSON.stringify(a.attrs[k])} ≠ ${JSON.stringify(b.attrs[k])}`;
  }
  if (a.children.length !== b.children.length) {
    return `${here}: ${a.children.length} children ≠ ${b.children.length}: ${JSON.stringify(a.children.map((c) => (typeof c === 'string' ? c : `<${c.name}>`)))} vs ${JSON.stringify(b.children.map((c) => (typeof c === 'string' ? c : `<${c.name}>`)))}`;
  }
  for (let i = 0; i < a.children.length; i++) {
    const x = a.children[i];
    const y = b.children[i];
    if (typeof x === 'string' || typeof y === 'string') {
      if (x !== y) return `${here}[${i}]: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`;
    } else if (x && y) {
      const d = diffXml(x, y, here);
      if (d) return d;
    }
  }
  return undefined;
}
