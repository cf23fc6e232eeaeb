import {
  makeStyles, mergeClasses, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow,
} from "@fluentui/react-components";
import type { ReactNode } from "react";

/** One column: its header, what a row shows in it, and whether it holds numbers (aligned as
 * figures), must not wrap (a dossier number), or takes a set share of the width. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  numeric?: boolean;
  nowrap?: boolean;
  width?: string;
  className?: string;
}

const useStyles = makeStyles({
  // the table scrolls inside its own box, never the page: at phone width it keeps its columns
  scroll: { overflowX: "auto", maxWidth: "100%" },
  // columns as wide as their content (a fixed layout lets names run into the next column)
  table: { tableLayout: "auto" },
  num: { fontVariantNumeric: "tabular-nums" },
  nowrap: { whiteSpace: "nowrap" },
});

/** A small table of ``rows`` in ``columns``, in a region of its own that scrolls sideways
 * when the table is wider than the screen (reachable by keyboard: the region takes focus). */
export function ColumnTable<Row>({ label, columns, rows, rowKey, minWidth, className }: {
  label: string; columns: Column<Row>[]; rows: Row[]; rowKey: (row: Row) => string;
  minWidth?: string; className?: string;
}) {
  const styles = useStyles();
  const cellClass = (c: Column<Row>) =>
    mergeClasses(c.numeric && styles.num, c.nowrap && styles.nowrap, c.className);
  return (
    <div className={mergeClasses(styles.scroll, className)} tabIndex={0} role="region" aria-label={label}>
      <Table size="small" className={styles.table} style={minWidth ? { minWidth } : undefined}>
        <TableHeader>
          <TableRow>
            {columns.map((c) => (
              <TableHeaderCell key={c.header} style={c.width ? { width: c.width } : undefined}>{c.header}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={rowKey(row)}>
              {columns.map((c) => <TableCell key={c.header} className={cellClass(c)}>{c.cell(row)}</TableCell>)}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
