import { Button, makeStyles, Text, tokens } from "@fluentui/react-components";
import { fill, useI18n } from "../i18n";

const useStyles = makeStyles({
  paging: {
    display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalM,
    flexWrap: "wrap",
  },
  // on a phone the page count has the line above both buttons, which then sit side by side
  count: { "@media (max-width: 480px)": { order: -1, flexBasis: "100%" } },
});

/** Previous / "pagina n van m · what the list holds" / next, for a list of ``total`` items
 * shown ``size`` at a time. */
export function Pager({ page, size, total, summary, onPage }: {
  page: number; size: number; total: number; summary: string; onPage: (page: number) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <nav className={styles.paging} aria-label={t.paging}>
      <Button disabled={page <= 1} onClick={() => onPage(page - 1)}>{t.previous}</Button>
      <Text className={styles.count}>{fill(t.pageNofM, { page, pages })} · {summary}</Text>
      <Button disabled={page >= pages} onClick={() => onPage(page + 1)}>{t.next}</Button>
    </nav>
  );
}
