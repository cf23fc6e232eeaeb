import {
  Button, Card, Checkbox, Field, Input, Link, makeStyles, SearchBox, Spinner, Table, TableBody,
  TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { api, Refused, unwrap, type Me, type Schemas } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { ChoiceFilter, useFlowChoices } from "../components/FlowFilter";
import { fill, plural, formatMoment, useI18n } from "../i18n";
import { RouteLink } from "../router";

type Entry = Schemas["RegisterEntry"];
const PAGE_SIZE = 25;

const useStyles = makeStyles({
  head: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalM },
  filters: {
    display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM,
    padding: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
  },
  search: { flexGrow: 1, flexBasis: "220px" },
  choice: { minWidth: "180px" },
  exports: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalM },
  scroll: {
    overflowX: "auto", backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
    "@media (max-width: 640px)": { display: "none" },
  },
  cards: {
    display: "none", listStyleType: "none", margin: 0, padding: 0, flexDirection: "column", gap: tokens.spacingVerticalS,
    "@media (max-width: 640px)": { display: "flex" },
  },
  card: { padding: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  meta: { color: tokens.colorNeutralForeground2 },
  table: { minWidth: "760px" },
  text: { whiteSpace: "pre-wrap" },
  paging: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalM, flexWrap: "wrap" },
});

interface Filters { q: string; flow: string; since: string; until: string; mine: boolean }

function query(f: Filters, me: Me) {
  return {
    q: f.q || undefined, flow: f.flow || undefined, since: f.since || undefined,
    until: f.until || undefined, decider: f.mine ? me.id : undefined,
  };
}

/** Who decided, and for whom. */
function decider(entry: Entry, onBehalf: string): string {
  return entry.on_behalf_of ? `${entry.by.name} (${fill(onBehalf, { name: entry.on_behalf_of.name })})` : entry.by.name;
}

export function Besluiten({ me }: { me: Me }) {
  const styles = useStyles();
  const { t, lang } = useI18n();
  const flows = useFlowChoices();
  const [q, setQ] = useState("");
  const [filters, setFilters] = useState<Filters>({ q: "", flow: "", since: "", until: "", mine: false });
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ items: Entry[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (next: Partial<Filters>) => { setFilters((old) => ({ ...old, ...next })); setPage(1); };
  useEffect(() => {
    const timer = setTimeout(() => change({ q: q.trim() }), 250);
    return () => clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/decisions", { params: { query: { page, page_size: PAGE_SIZE, ...query(filters, me) } } })
      .then(unwrap).then(
        (answer) => { if (live) { setData(answer); setError(null); } },
        (e: Error) => { if (live) setError(e.message); },
      );
    return () => { live = false; };
  }, [page, filters, me]);

  const download = async (format: "csv" | "json") => {
    setBusy(true);
    try {
      const answer = await api.GET("/api/v1/decisions/export", {
        params: { query: { format, ...query(filters, me) } }, parseAs: "blob",
      });
      if (!answer.response.ok || !answer.data) {
        throw new Refused(answer.response.status, { code: "failed", message: `HTTP ${answer.response.status}`, field: null });
      }
      const name = /filename="([^"]+)"/.exec(answer.response.headers.get("Content-Disposition") ?? "")?.[1] ?? `besluiten.${format}`;
      const url = URL.createObjectURL(answer.data as Blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  return (
    <section aria-labelledby="besluiten-title">
      <div className={styles.head}>
        <Title2 as="h1" id="besluiten-title">{t.registerTitle}</Title2>
        <Text>{me.beheerder ? t.registerIntroBeheerder : t.registerIntro}</Text>
      </div>
      <div className={styles.filters} role="search" aria-label={t.filters}>
        <Field label={t.search} className={styles.search}>
          <SearchBox value={q} placeholder={t.registerSearchPlaceholder} onChange={(_, d) => setQ(d.value)} />
        </Field>
        <ChoiceFilter label={t.filterFlow} all={t.all} value={filters.flow} choices={flows}
          className={styles.choice} onChange={(flow) => change({ flow })} />
        <Field label={t.filterSince}>
          <Input type="date" value={filters.since} onChange={(_, d) => change({ since: d.value })} />
        </Field>
        <Field label={t.filterUntil}>
          <Input type="date" value={filters.until} onChange={(_, d) => change({ until: d.value })} />
        </Field>
        <Checkbox label={t.registerDecidedByMe} checked={filters.mine} onChange={(_, d) => change({ mine: Boolean(d.checked) })} />
      </div>
      <div className={styles.exports}>
        <Button disabled={busy} onClick={() => void download("csv")}>{t.registerExportCsv}</Button>
        <Button disabled={busy} onClick={() => void download("json")}>{t.registerExportJson}</Button>
      </div>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!data && !error && <Spinner label={t.loading} />}
      {data && data.items.length === 0 && <Text>{t.registerEmpty}</Text>}
      {data && data.items.length > 0 && (
        <>
          <div className={styles.scroll} tabIndex={0} role="region" aria-label={t.registerTitle}>
            <Table className={styles.table} size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t.colDate}</TableHeaderCell>
                  <TableHeaderCell>{t.colDossier}</TableHeaderCell>
                  <TableHeaderCell>{t.colFlow}</TableHeaderCell>
                  <TableHeaderCell>{t.colDecidedBy}</TableHeaderCell>
                  <TableHeaderCell>{t.colDecision}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.items.map((e) => (
                  <TableRow key={e.dossier_id}>
                    <TableCell>{formatMoment(lang, e.decided_at)}</TableCell>
                    <TableCell><RouteLink to={{ page: "dossier", id: e.dossier_id }}>{e.number}</RouteLink><br /><Text size={200}>{e.title}</Text></TableCell>
                    <TableCell>{e.flow}</TableCell>
                    <TableCell>{decider(e, t.onBehalfOf)}</TableCell>
                    <TableCell className={styles.text}>
                      {e.text}
                      {e.register_url && <><br /><Link href={e.register_url} target="_blank" rel="noreferrer">{t.registerEntry}</Link></>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <ul className={styles.cards} aria-label={t.registerTitle}>
            {data.items.map((e) => (
              <li key={e.dossier_id}>
                <Card className={styles.card}>
                  <Text weight="semibold"><RouteLink to={{ page: "dossier", id: e.dossier_id }}>{e.number} {e.title}</RouteLink></Text>
                  <Text size={200} className={styles.meta}>{formatMoment(lang, e.decided_at)} · {e.flow} · {decider(e, t.onBehalfOf)}</Text>
                  <Text className={styles.text}>{e.text}</Text>
                  {e.register_url && <Link href={e.register_url} target="_blank" rel="noreferrer">{t.registerEntry}</Link>}
                </Card>
              </li>
            ))}
          </ul>
          <nav className={styles.paging} aria-label={t.paging}>
            <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>{t.previous}</Button>
            <Text>{fill(t.pageNofM, { page, pages })} · {plural(data.total, t.registerTotalOne, t.registerTotalN, { total: data.total })}</Text>
            <Button disabled={page >= pages} onClick={() => setPage(page + 1)}>{t.next}</Button>
          </nav>
        </>
      )}
    </section>
  );
}
