import {
  Button, Card, Checkbox, Field, Input, Link, makeStyles, SearchBox, Spinner, Text, Title2, tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { api, Refused, unwrap, type Me, type Schemas } from "../api/client";
import { ColumnTable, type Column } from "../components/ColumnTable";
import { ErrorBar } from "../components/ErrorBar";
import { SignedPdfLink } from "../components/SignedPdfLink";
import { ChoiceFilter, useFlowChoices } from "../components/FlowFilter";
import { Pager } from "../components/Pager";
import { fill, plural, formatMoment, useI18n, type Strings } from "../i18n";
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
    backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
    "@media (max-width: 640px)": { display: "none" },
  },
  cards: {
    display: "none", listStyleType: "none", margin: 0, padding: 0, flexDirection: "column", gap: tokens.spacingVerticalS,
    "@media (max-width: 640px)": { display: "flex" },
  },
  card: { padding: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  meta: { color: tokens.colorNeutralForeground2 },
  text: { whiteSpace: "pre-wrap" },
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

/** Getekend: the signers and the signed PDF's link, or "not signed". */
function Signed({ entry, t }: { entry: Entry; t: Strings }) {
  if (!entry.signed) return <>{t.signedNo}</>;
  return (
    <>
      {entry.signed_url
        ? <SignedPdfLink dossierId={entry.dossier_id} name={signedName(entry.signed_url)} url={entry.signed_url} label={t.signedYes} />
        : t.signedYes}
      {entry.signers.length > 0 && ` (${entry.signers.join(", ")})`}
    </>
  );
}

/** The signed PDF's name in the tab's own download address (name=...). */
function signedName(url: string): string {
  const name = url.startsWith("/api/") ? new URL(url, window.location.origin).searchParams.get("name") : null;
  return name ?? "";
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

  const columns: Column<Entry>[] = [
    { header: t.colDate, cell: (e) => formatMoment(lang, e.decided_at) },
    {
      header: t.colDossier,
      cell: (e) => <><RouteLink to={{ page: "dossier", id: e.dossier_id }}>{e.number}</RouteLink><br /><Text size={200}>{e.title}</Text></>,
    },
    { header: t.colFlow, cell: (e) => e.flow },
    { header: t.colDecidedBy, cell: (e) => decider(e, t.onBehalfOf) },
    {
      header: t.colDecision, className: styles.text,
      cell: (e) => <>
        {e.text}
        {e.register_url && <><br /><Link href={e.register_url} target="_blank" rel="noreferrer">{t.registerEntry}</Link></>}
      </>,
    },
    { header: t.colSigned, cell: (e) => <Signed entry={e} t={t} /> },
  ];
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
          <ColumnTable label={t.registerTitle} className={styles.scroll} minWidth="760px" columns={columns}
            rows={data.items} rowKey={(e) => e.dossier_id} />
          <ul className={styles.cards} aria-label={t.registerTitle}>
            {data.items.map((e) => (
              <li key={e.dossier_id}>
                <Card className={styles.card}>
                  <Text weight="semibold"><RouteLink to={{ page: "dossier", id: e.dossier_id }}>{e.number} {e.title}</RouteLink></Text>
                  <Text size={200} className={styles.meta}>{formatMoment(lang, e.decided_at)} · {e.flow} · {decider(e, t.onBehalfOf)}</Text>
                  <Text className={styles.text}>{e.text}</Text>
                  <Text size={200}><Signed entry={e} t={t} /></Text>
                  {e.register_url && <Link href={e.register_url} target="_blank" rel="noreferrer">{t.registerEntry}</Link>}
                </Card>
              </li>
            ))}
          </ul>
          <Pager page={page} size={PAGE_SIZE} total={data.total} onPage={setPage}
            summary={plural(data.total, t.registerTotalOne, t.registerTotalN, { total: data.total })} />
        </>
      )}
    </section>
  );
}
