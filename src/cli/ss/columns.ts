// ss's column renderer: every socket fills the same ten fields; widths are the longest field
// of each column (plus its one-space left delimiter). Like ss, output to a terminal spreads the
// spare screen width over the columns; output to a pipe is compact.

/** ss's columns in order (COL_EXT carries the "Process" header, as in ss). */
export const enum Col { Netid, State, RecvQ, SendQ, Addr, Serv, RAddr, RServ, Ext, Proc, Max }

interface Column {
  right: boolean;
  header: string;
  ldelim: string;
  disabled: boolean;
  width: number;
  maxLen: number;
}

/** One table of fields, rendered as ss renders its buffer. */
export class Table {
  private readonly cols: Column[] = [
    { right: false, header: 'Netid', ldelim: '' },
    { right: false, header: 'State', ldelim: ' ' },
    { right: false, header: 'Recv-Q', ldelim: ' ' },
    { right: false, header: 'Send-Q', ldelim: ' ' },
    { right: true, header: 'Local Address:', ldelim: ' ' },
    { right: false, header: 'Port', ldelim: '' },
    { right: true, header: 'Peer Address:', ldelim: ' ' },
    { right: false, header: 'Port', ldelim: '' },
    { right: false, header: 'Process', ldelim: '' },
    { right: false, header: '', ldelim: '' },
  ].map((c) => ({ ...c, disabled: false, width: 0, maxLen: 0 }));
  /** Every row's fields of the enabled columns, one after the other (no array per row). */
  private readonly cells: string[] = [];
  private width = 0;

  /** Hides a column (Netid with one socket kind, State with one state). */
  disable(c: Col): void {
    this.cols[c]!.disabled = true;
  }

  /** Adds the header row. */
  header(): void {
    this.row(this.cols.map((c, i) => (i === Col.Max - 1 ? '' : c.header)));
  }

  /** Adds a row of up to ten fields (missing ones empty). */
  row(fields: string[]): void {
    let n = 0;
    for (let i = 0; i < Col.Max; i++) {
      const c = this.cols[i]!;
      if (c.disabled) continue;
      const v = fields[i] ?? '';
      if (v.length > c.maxLen) c.maxLen = v.length;
      this.cells.push(v);
      n++;
    }
    this.width = n;
  }

  /** True when no rows were added. */
  get empty(): boolean {
    return this.cells.length === 0;
  }

  /** The rendered text as UTF-8 (with the final newline), for a screen `screenWidth` wide or a pipe (undefined). */
  render(screenWidth: number | undefined): Buffer {
    const cols = this.cols.filter((c) => !c.disabled);
    let first = true;
    for (const c of cols) {
      c.width = !first && c.maxLen ? c.maxLen + c.ldelim.length : c.maxLen;
      if (screenWidth !== undefined) c.width = Math.min(c.width, screenWidth);
      if (c.width) first = false;
    }
    if (screenWidth !== undefined) spread(cols, screenWidth);
    // Written straight into one buffer: no string per line for the collector to chase.
    const cells = this.cells;
    const n = this.width;
    let buf = Buffer.allocUnsafe(cells.length * 12 + 4096);
    let len = 0;
    const put = (v: string) => {
      if (len + v.length * 3 > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, len + v.length * 3));
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      len += buf.write(v, len, 'utf8');
    };
    const pad = (k: number) => put(k < SPACES.length ? SPACES[k]! : ' '.repeat(k));
    // ss starts each line at the first column with a width and prints every later one.
    let first0 = cols.findIndex((c) => c.width > 0);
    if (first0 < 0) first0 = 0;
    for (let at = 0; at < cells.length; at += n) {
      let started = false;
      for (let i = first0; i < cols.length; i++) {
        const c = cols[i]!;
        const v = cells[at + i]!;
        let printed = 0;
        if (started) {
          if (c.ldelim) put(c.ldelim);
          printed = c.ldelim.length;
        }
        started = true;
        if (c.width && c.right) {
          const s = c.width - v.length - printed;
          if (s > 0) {
            pad(s);
            printed += s;
          }
        }
        if (v) put(v);
        printed += v.length;
        if (c.width && !c.right && c.width - printed > 0) pad(c.width - printed);
      }
      put('\n');
    }
    return buf.subarray(0, len);
  }
}

const SPACES = Array.from({ length: 64 }, (_, k) => ' '.repeat(k));

// Second pass of ss's render_calc_width: break into lines and share the spare width.
function spread(cols: Column[], screen: number): void {
  let len = 0;
  let linecols = 0;
  let eol = -1;
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    if (!c.width) continue;
    linecols++;
    len += c.width;
    const last = !cols.slice(i + 1).some((x) => x.width);
    if (!last && len < screen) continue;
    if (len !== screen) {
      if (len > screen) {
        len -= c.width;
        i--;
        linecols--;
      }
      const pad = screen - len;
      const spacing = linecols ? Math.floor(pad / linecols) : 0;
      let rem = linecols ? pad % linecols : 0;
      for (let t = i; t > eol; t--) {
        const x = cols[t]!;
        if (!x.width) continue;
        x.width += spacing;
        if (rem) {
          x.width++;
          rem--;
        }
      }
    }
    eol = i;
    len = 0;
    linecols = 0;
  }
}
