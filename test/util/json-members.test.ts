import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseJsonBytes } from '../../src/util/json-members.js';
import { stableJson } from '../../src/util/atomic-write.js';
import { seededRandom } from '../../src/util/seeded-random.js';
import { readPacketFile } from '../../src/pipeline/packet-file.js';
import { samplePacket } from '../support/sample-packet.js';

const bytesOf = (text: string) => Buffer.from(text, 'utf8');

/** What parseJsonBytes gives, or the message of what it throws. */
function outcome(bytes: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: parseJsonBytes(bytes) };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** The same for JSON.parse of the whole text: what parseJsonBytes must always equal. */
function wholeOutcome(bytes: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

/** The longest text JSON.parse is handed while `bytes` are parsed. */
function longestParsed(bytes: Buffer): number {
  const parse = vi.spyOn(JSON, 'parse');
  try {
    parseJsonBytes(bytes);
    return Math.max(...parse.mock.calls.map(([text]) => text.length));
  } finally {
    parse.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('parseJsonBytes on the layout the tool writes', () => {
  it('gives a packet exactly as JSON.parse does, never parsing its whole text at once', () => {
    const packet = samplePacket({ governance: true, logs: true, manyBuckets: 40 });
    const text = stableJson(packet);
    const bytes = bytesOf(text);
    expect(parseJsonBytes(bytes)).toStrictEqual(JSON.parse(text));
    // The most JSON.parse is given is the largest member's lines, in braces: `"buckets": [` … `]`.
    const memberText = ([key, value]: [string, unknown]) =>
      `${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}`;
    const largest = Math.max(...Object.entries(packet).map((member) => memberText(member).length));
    expect(longestParsed(bytes)).toBe(largest + 2);
    expect(largest + 2).toBeLessThan(text.length);
    // Key order is the file's.
    expect(Object.keys(parseJsonBytes(bytes) as object)).toEqual(Object.keys(JSON.parse(text) as object));
  });

  it('gives what JSON.parse gives for values whose strings look like layout', () => {
    const value = {
      'a "quoted" key': 'line\n  "b": 1,\n  "c": 2',
      '\\': ['\n}', '{\n', '\u2028\u2029', 'é — · 😀'],
      nested: { '\n  "x"': { deeper: [1, [2, { y: '\n  "z": 3' }]] } },
      empty: {},
      none: [],
      last: null,
    };
    const bytes = bytesOf(stableJson(value));
    expect(parseJsonBytes(bytes)).toStrictEqual(value);
  });

  it('gives what JSON.parse gives for generated objects (seeded)', () => {
    const random = seededRandom(20261207);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const text = () =>
      Array.from({ length: Math.floor(random() * 12) }, () =>
        pick(['a', 'Z', ' ', '\n', '"', '\\', '—', '·', '😀', '\u0000', '{', '}', ',', ':']),
      ).join('');
    const valueAt = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 3 ? 4 : 6));
      if (kind === 0) return text();
      if (kind === 1) return Math.round(random() * 1e6) / 100 - 5000;
      if (kind === 2) return pick([true, false, null]);
      if (kind === 3) return Math.floor(random() * 1e9);
      if (kind === 4) return Array.from({ length: Math.floor(random() * 5) }, () => valueAt(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [text(), valueAt(depth + 1)]));
    };
    for (let round = 0; round < 300; round++) {
      const value = Object.fromEntries(
        Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => [`${text()}${i}`, valueAt(1)]),
      );
      const bytes = bytesOf(stableJson(value));
      expect(outcome(bytes)).toStrictEqual(wholeOutcome(bytes));
    }
  });
});

describe('parseJsonBytes on any other text: exactly JSON.parse of the whole', () => {
  const cases: Record<string, string> = {
    minified: '{"a":1,"b":[1,2],"c":{"d":"e"}}',
    'one line per member at another indent': '{\n    "a": 1,\n    "b": 2\n}\n',
    'an empty object': '{}\n',
    'an array': '[\n  1,\n  2\n]\n',
    'a string': '"text"\n',
    'a key given twice (the last wins, in the first place)': '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}\n',
    'a __proto__ key (an own property, not the prototype)':
      '{\n  "__proto__": {\n    "polluted": true\n  },\n  "b": 2\n}\n',
    'an array item on a member line': '{\n  "a": [1,\n  "b"],\n  "c": 2\n}\n',
    'two members on one line': '{\n  "a": 1, "b": 2,\n  "c": 3\n}\n',
    'a raw newline inside a string': '{\n  "a": "x\n  "b": 2\n}\n',
    'a missing comma': '{\n  "a": 1\n  "b": 2\n}\n',
    'a comma too many': '{\n  "a": 1,,\n  "b": 2\n}\n',
    'a trailing comma': '{\n  "a": 1,\n  "b": 2,\n}\n',
    'no closing brace': '{\n  "a": 1,\n  "b": 2\n',
    'text after the object': '{\n  "a": 1\n}\nextra',
    'blank lines after the object': '{\n  "a": 1\n}\n\n\n',
    'a byte-order mark': '\uFEFF{\n  "a": 1\n}\n',
    'spaces before the commas': '{\n  "a": 1 ,\n  "b": [\n    2\n  ]  ,\n  "c": 3\n}\n',
    'a truncated file': '{\n  "a": 1,\n  "b": [\n    2,\n',
  };
  for (const [name, text] of Object.entries(cases))
    it(name, () => {
      const bytes = bytesOf(text);
      expect(outcome(bytes)).toStrictEqual(wholeOutcome(bytes));
    });

  it('a __proto__ member becomes an own property and sets no prototype', () => {
    const value = parseJsonBytes(bytesOf(cases['a __proto__ key (an own property, not the prototype)']!)) as object;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect((value as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('bytes that are not valid UTF-8 read as JSON.parse reads their text (replacement characters)', () => {
    const bytes = Buffer.concat([
      bytesOf('{\n  "a": "'),
      Buffer.from([0xc3, 0x28, 0xff]),
      bytesOf('",\n  "b": 2\n}\n'),
    ]);
    expect(outcome(bytes)).toStrictEqual(wholeOutcome(bytes));
    expect((parseJsonBytes(bytes) as { a: string }).a).toBe('\uFFFD(\uFFFD');
  });
});

describe('readPacketFile', () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

  it('gives the packet and the sha256 of the file bytes', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3e-packet-file-'));
    const text = stableJson(samplePacket({ manyBuckets: 12 }));
    await writeFile(path.join(dir, 'packet.json'), text);
    const read = await readPacketFile(dir);
    expect(read.packet).toStrictEqual(JSON.parse(text));
    expect(read.sha256).toBe(sha(Buffer.from(text, 'utf8')));
  });

  it('hashes the text its bytes read as when they are not valid UTF-8, so the hash differs from the bytes', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3e-packet-file-'));
    const bytes = Buffer.concat([Buffer.from('{\n  "a": "'), Buffer.from([0xff]), Buffer.from('"\n}\n')]);
    await writeFile(path.join(dir, 'packet.json'), bytes);
    const read = await readPacketFile(dir);
    expect(read.sha256).toBe(sha('{\n  "a": "\uFFFD"\n}\n'));
    expect(read.sha256).not.toBe(sha(bytes));
  });

  it('throws a SyntaxError for a packet.json that is not JSON', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 's3e-packet-file-'));
    await writeFile(path.join(dir, 'packet.json'), '{\n  "a": 1,\n');
    await expect(readPacketFile(dir)).rejects.toThrow(SyntaxError);
  });
});
