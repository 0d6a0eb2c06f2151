// kubectl's human-readable printing of server-side Tables (meta.k8s.io/v1 Table, as `kubectl get` and `helm status`
// ask for them): upper-cased column names, only priority-0 columns, cells cut at the first line break, columns
// aligned as Go's text/tabwriter aligns them with kubectl's settings (minimum width 6, padding 3). Like kubectl's
// printer, one TablePrinter prints a header only when the columns differ from the last table it printed rows of,
// and aligns each table on its own.

/** A meta.k8s.io/v1 Table as the API server sends it (the fields printing reads). */
export interface ServerTable {
  readonly columnDefinitions?: readonly { name: string; priority?: number; [k: string]: unknown }[];
  readonly rows?: readonly { cells: readonly unknown[] }[];
}

const MIN_WIDTH = 6;
const PADDING = 3;

export class TablePrinter {
  private lastColumns: string | undefined;
  private printedHeaders = false;

  /** The table's text (empty when it has no rows). */
  print(table: ServerTable): string {
    const defs = table.columnDefinitions ?? [];
    const key = JSON.stringify(defs);
    let noHeaders = false;
    if (this.printedHeaders && (defs.length === 0 || key === this.lastColumns)) noHeaders = true;
    let columns = defs;
    if (defs.length === 0) columns = this.lastColumns ? (JSON.parse(this.lastColumns) as typeof defs) : [];
    else if (key !== this.lastColumns) {
      this.lastColumns = key;
      this.printedHeaders = false;
    }
    const rows = table.rows ?? [];
    if (rows.length > 0) this.printedHeaders = true;
    if (rows.length === 0) return '';
    const shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => (c.priority ?? 0) === 0);
    const lines: string[][] = [];
    if (!noHeaders) lines.push(shown.map(({ c }) => c.name.toUpperCase()));
    for (const r of rows) lines.push(shown.filter(({ i }) => i < r.cells.length).map(({ i }) => cellText(r.cells[i])));
    return tabwriter(lines);
  }
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const cut = cell.search(/[\f\n\r]/);
    return escaped(cut >= 0 ? cell.slice(0, cut) : cell) + (cut >= 0 ? '...' : '');
  }
  return escaped(typeof cell === 'object' ? goPrint(cell) : String(cell));
}

/** Go's %v of a JSON value as it arrives in a cell (maps as map[k:v], lists as [a b]). */
function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goPrint(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** Non-printable characters as Go's %q would show them (kubectl escapes terminal control sequences). */
function escaped(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/**
 * Go's text/tabwriter over lines of cells: every cell but a line's last ends a column, as wide as its widest cell
 * plus the padding (at least the minimum width); a line's last cell is written as is.
 */
function tabwriter(lines: readonly string[][]): string {
  const widths: number[] = [];
  for (const l of lines) {
    for (let i = 0; i < l.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, [...l[i]!].length + PADDING, MIN_WIDTH);
  }
  let out = '';
  for (const l of lines) {
    for (let i = 0; i < l.length; i++) out += i < l.length - 1 ? l[i]!.padEnd(widths[i]! - ([...l[i]!].length - l[i]!.length)) : l[i];
    out += '\n';
  }
  return out;
}
