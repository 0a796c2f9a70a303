/**
 * The secrets of a vault file kept as the text they were read from, each parsed when a command
 * reads it. A `get` on a 10,000-secret vault reads one: building and keeping the other 9,999
 * cost more than the whole parse (the garbage collector copies every live object of the tree,
 * a young one twice). Every record was parsed and checked once already, when the file was
 * read; each is parsed again here at most once, and the same object is handed out each time.
 */
export class SecretSpans<T extends { name: string }> {
  readonly #text: string;
  /** `[open, ...commas, close]` of the array in `#text`: record k lies between k and k + 1. */
  readonly #bounds: readonly number[];
  readonly #parsed: (T | undefined)[];
  readonly #parse: (span: string) => T;

  /**
   * @param text canonical JSON, checked: its only `"name"` keys are the records' own
   * @param bounds where the array's brackets and commas are (an empty array: its `[` only)
   * @param parse turns one record's text (checked before) into the record
   */
  constructor(text: string, bounds: readonly number[], parse: (span: string) => T) {
    this.#text = text;
    this.#bounds = bounds;
    this.#parse = parse;
    this.#parsed = new Array(bounds.length - 1);
  }

  /**
   * The first record named `name`, or undefined. In canonical text the name is spelled
   * `"name":` and its JSON string, and a quote inside a string is escaped, so the first place
   * that spelling occurs is in the first record of that name: one native search, no index.
   * A record already handed out is judged by its name now (should a caller rename it in place).
   */
  named(name: string): T | undefined {
    const needle = `"name":${JSON.stringify(name)}`;
    let found = this.#parsed.findIndex((record) => record?.name === name);
    const before = found < 0 ? (this.#bounds.at(-1) as number) : (this.#bounds[found] as number);
    for (let at = this.#text.indexOf(needle, this.#bounds[0]); at >= 0 && at < before; ) {
      const k = this.#indexAt(at);
      const built = this.#parsed[k];
      if (built === undefined || built.name === name) {
        found = k;
        break;
      }
      at = this.#text.indexOf(needle, this.#bounds[k + 1]);
    }
    return found < 0 ? undefined : this.#at(found);
  }

  /** The record whose span holds offset `at` of the text: the last k with bounds[k] < at. */
  #indexAt(at: number): number {
    const bounds = this.#bounds;
    let low = 0;
    let high = bounds.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((bounds[middle] as number) < at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** All records in file order (a new list; each record built once). */
  all(): T[] {
    return Array.from(this.#parsed, (_, k) => this.#at(k));
  }

  #at(k: number): T {
    let record = this.#parsed[k];
    if (record === undefined) {
      const from = (this.#bounds[k] as number) + 1;
      record = this.#parse(this.#text.slice(from, this.#bounds[k + 1]));
      this.#parsed[k] = record;
    }
    return record;
  }
}
