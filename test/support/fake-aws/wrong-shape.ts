/**
 * An answer of valid syntax and the wrong structure, made from the real one so every operation gets
 * its own: in JSON each top-level field takes another type (objects and arrays become a string,
 * scalars an object); in XML the root keeps its name and every child element holds text instead of
 * its content, or an element where it held a boolean (a root without children holds text that is
 * not a value of it). Bodies that are
 * neither (object data, checksums) are returned unchanged.
 */
const WRONG = 'wrong-shape';

function wrongJson(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null) return { [WRONG]: doc };
  if (Array.isArray(doc)) return { [WRONG]: doc.length };
  return Object.fromEntries(
    Object.entries(doc).map(([k, v]) => [k, typeof v === 'object' && v !== null ? WRONG : { [WRONG]: v }]),
  );
}

/** The root's direct child elements, in order, once each, and whether each held a boolean. */
function children(inner: string): Array<{ name: string; boolean: boolean }> {
  const found: Array<{ name: string; boolean: boolean }> = [];
  let depth = 0;
  for (const m of inner.matchAll(/<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (closing) depth -= 1;
    else {
      const text = inner.slice(m.index + m[0].length).match(/^(true|false)</);
      if (depth === 0 && !found.some((f) => f.name === name)) found.push({ name: name!, boolean: text !== null });
      if (!selfClosing) depth += 1;
    }
  }
  return found;
}

function wrongXml(text: string): string | undefined {
  const open = /<([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>/.exec(text.replace(/^<\?xml[^>]*\?>/, ''));
  if (!open) return undefined;
  const [, root, attrs, selfClosing] = open;
  const start = text.indexOf(open[0]) + open[0].length;
  const end = selfClosing ? start : text.lastIndexOf(`</${root}>`);
  const kids = end > start ? children(text.slice(start, end)) : [];
  // The SDK reads any word where a boolean belongs as false, so a boolean's place holds an element.
  const inner =
    kids.length > 0
      ? kids.map((c) => `<${c.name}>${c.boolean ? `<${WRONG}>1</${WRONG}>` : WRONG}</${c.name}>`).join('')
      : WRONG;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attrs}>${inner}</${root}>`;
}

export function wrongShape(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return Buffer.from(JSON.stringify(wrongJson(JSON.parse(text))), 'utf8');
    } catch {
      return body;
    }
  }
  if (trimmed.startsWith('<')) {
    const xml = wrongXml(trimmed);
    return xml === undefined ? body : Buffer.from(xml, 'utf8');
  }
  return body;
}
