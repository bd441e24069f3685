/** How a trail file delivered by CloudTrail begins, and what comes between two of its records. */
const HEAD = '{"Records":[';
const NEXT = '},{"eventVersion":';

/**
 * Parses a trail file's records one at a time, as its text comes in chunks, and hands each to
 * `each` with its 1-based index, so neither the file's whole text nor its whole parse tree is ever
 * alive (in a scan worker that parse tree, promoted by every young-generation collection, was a
 * third of the worker's time). Only the layout CloudTrail writes is taken: `{"Records":[` then
 * records each opening with `{"eventVersion":`, then `]}`. A record ends where `},{"eventVersion":`
 * starts the next, and is taken only when JSON.parse reads that text as one whole value: then it is
 * the very record a parse of the whole file gives, and the file parses whole (the marker cannot
 * occur inside a string, whose quotes are escaped). A chunk's end may cut a record (or the marker):
 * the cut record's text is carried to the next chunk, so the records are those of the whole text.
 * write() or end() returns false at the first thing that does not fit (another layout, a record
 * holding the marker in a nested array, a record that is not an object between two, broken JSON):
 * the caller then undoes what `each` was given and parses the file whole, which gives the result
 * (or the reason it is unreadable) as before.
 */
export class TrailRecordSplitter {
  /** Text not yet taken: from `start` on, it is the rest of the file after its head. */
  private text = '';
  private start = 0;
  /** Where in `text` the next search for the marker begins (nothing before it can start one). */
  private searchFrom = 0;
  private headRead = false;
  private index = 0;
  private failed = false;

  constructor(private readonly each: (record: unknown, index: number) => void) {}

  /** Takes the next chunk of the file's text; false once the file cannot be read record by record. */
  write(chunk: string): boolean {
    if (this.failed) return false;
    if (this.start > 0) {
      this.searchFrom -= this.start;
      this.text = this.text.slice(this.start);
      this.start = 0;
    }
    this.text = this.text === '' ? chunk : this.text + chunk;
    if (!this.headRead) {
      if (this.text.length < HEAD.length) return HEAD.startsWith(this.text) || this.fail();
      if (!this.text.startsWith(HEAD)) return this.fail();
      this.headRead = true;
      this.start = HEAD.length;
      this.searchFrom = HEAD.length;
    }
    const text = this.text;
    for (;;) {
      const next = text.indexOf(NEXT, this.searchFrom);
      if (next < 0) {
        this.searchFrom = Math.max(this.start, text.length - NEXT.length + 1);
        return true;
      }
      if (!this.take(text.slice(this.start, next + 1))) return false;
      this.start = next + 2;
      this.searchFrom = this.start;
    }
  }

  /** The file's text has all come: true when every record of it was taken. */
  end(): boolean {
    if (this.failed || !this.headRead) return this.fail();
    const text = this.text;
    let end = text.length;
    while (end > this.start && isJsonSpace(text.charCodeAt(end - 1))) end--;
    if (end - this.start < 2 || text.charCodeAt(end - 1) !== 0x7d || text.charCodeAt(end - 2) !== 0x5d) {
      return this.fail();
    }
    const close = end - 2;
    const ok = close === this.start || this.take(text.slice(this.start, close));
    this.text = '';
    this.start = 0;
    this.searchFrom = 0;
    return ok;
  }

  private take(recordText: string): boolean {
    let record: unknown;
    try {
      record = JSON.parse(recordText);
    } catch {
      return this.fail();
    }
    this.each(record, ++this.index);
    return true;
  }

  private fail(): false {
    this.failed = true;
    this.text = '';
    return false;
  }
}

/** eachTrailRecord over a file's whole text (TrailRecordSplitter with one chunk). */
export function eachTrailRecord(text: string, each: (record: unknown, index: number) => void): boolean {
  const splitter = new TrailRecordSplitter(each);
  return splitter.write(text) && splitter.end();
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
