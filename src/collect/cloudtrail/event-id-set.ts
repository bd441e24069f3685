const WORDS = new Int32Array(4);
/** guidWords' words while it reads an id, put only once the whole id is read. */
const READING = new Int32Array(4);

/** Hex digit value of a lowercase hex digit's char code, -1 for any other char. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Puts the 128 bits of a GUID-form id (lowercase hex, 8-4-4-4-12, as CloudTrail writes eventIDs)
 * into into[at..at+3], its hex digits in order; false, and nothing put, for an id of any other form.
 * Read char by char: it runs once per KMS record of a month's trail.
 */
export function guidWords(id: string, into: Int32Array | number[], at: number): boolean {
  if (typeof id !== 'string' || id.length !== 36) return false;
  const words = READING;
  words.fill(0);
  let digits = 0;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
      continue;
    }
    const v = hexDigit(c);
    if (v < 0) return false;
    const w = digits >> 3;
    words[w] = (words[w]! << 4) | v;
    digits++;
  }
  into[at] = words[0]!;
  into[at + 1] = words[1]!;
  into[at + 2] = words[2]!;
  into[at + 3] = words[3]!;
  return true;
}

/** The GUID-form id whose words guidWords gave: the very string it read them from. */
export function guidText(a: number, b: number, c: number, d: number): string {
  const hex = (w: number) => (w >>> 0).toString(16).padStart(8, '0');
  const [x, y, z, t] = [hex(a), hex(b), hex(c), hex(d)];
  return `${x}-${y.slice(0, 4)}-${y.slice(4)}-${z.slice(0, 4)}-${z.slice(4)}${t}`;
}

/**
 * The event ids a scan has counted. An id of the usual form (a lowercase GUID) is kept as its 128
 * bits in an open-addressing table rather than as a string in a Set: a month's KMS events are
 * hundreds of thousands of ids, which as strings were most of the scan's main-thread heap. Any
 * other id is kept as itself in a Set beside the table. The 32 hex digits of a GUID-form id give
 * back that very string, and no id is in both parts, so the set holds exactly the ids added.
 */
export class EventIdSet {
  private capacity = 1024;
  /** Four 32-bit words per slot, the GUID's hex digits in order. */
  private words = new Int32Array(4 * this.capacity);
  private used = new Uint8Array(this.capacity);
  private count = 0;
  private readonly others = new Set<string>();

  get size(): number {
    return this.count + this.others.size;
  }

  /** Adds `id`: true when it was not in the set before. */
  addNew(id: string): boolean {
    if (!guidWords(id, WORDS, 0)) {
      if (this.others.has(id)) return false;
      this.others.add(id);
      return true;
    }
    return this.addNewGuid(WORDS[0]!, WORDS[1]!, WORDS[2]!, WORDS[3]!);
  }

  /** Adds the GUID-form id whose words (guidWords) are a, b, c, d: true when it was not in the set before. */
  addNewGuid(a: number, b: number, c: number, d: number): boolean {
    const slot = this.find(a, b, c, d);
    if (this.used[slot] === 1) return false;
    this.put(slot, a, b, c, d);
    if (2 * this.count > this.capacity) this.grow();
    return true;
  }

  /** The slot holding (a, b, c, d), else the free slot where it goes. */
  private find(a: number, b: number, c: number, d: number): number {
    const mask = this.capacity - 1;
    let h = a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h ^= h >>> 15;
    const w = this.words;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.used[slot] === 0) return slot;
      const at = 4 * slot;
      if (w[at] === a && w[at + 1] === b && w[at + 2] === c && w[at + 3] === d) return slot;
    }
  }

  private put(slot: number, a: number, b: number, c: number, d: number): void {
    const at = 4 * slot;
    this.words[at] = a;
    this.words[at + 1] = b;
    this.words[at + 2] = c;
    this.words[at + 3] = d;
    this.used[slot] = 1;
    this.count++;
  }

  private grow(): void {
    const words = this.words;
    const used = this.used;
    this.capacity *= 2;
    this.words = new Int32Array(4 * this.capacity);
    this.used = new Uint8Array(this.capacity);
    this.count = 0;
    for (let slot = 0; slot < used.length; slot++) {
      if (used[slot] === 0) continue;
      const at = 4 * slot;
      const [a, b, c, d] = [words[at]!, words[at + 1]!, words[at + 2]!, words[at + 3]!];
      this.put(this.find(a, b, c, d), a, b, c, d);
    }
  }
}
