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
 * shown ``size`` at a time. Where the store gives no count (``total`` null, Microsoft 365),
 * "pagina n" and whether ``more`` pages follow. */
export function Pager({ page, size, total, more, summary, onPage }: {
  page: number; size: number; total: number | null; more?: boolean; summary?: string;
  onPage: (page: number) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const counted = total !== null;
  const pages = counted ? Math.max(1, Math.ceil(total / size)) : page;
  const hasNext = counted ? page < pages : Boolean(more);
  return (
    <nav className={styles.paging} aria-label={t.paging}>
      <Button disabled={page <= 1} onClick={() => onPage(page - 1)}>{t.previous}</Button>
      <Text className={styles.count}>
        {counted ? fill(t.pageNofM, { page, pages }) : fill(t.pageN, { page })}
        {counted && summary ? ` · ${summary}` : ""}
        {!counted && more ? ` · ${t.morePages}` : ""}
      </Text>
      <Button disabled={!hasNext} onClick={() => onPage(page + 1)}>{t.next}</Button>
    </nav>
  );
}
