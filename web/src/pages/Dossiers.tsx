import {
  Badge, Card, Checkbox, Dropdown, Field, Input, makeStyles, Option, SearchBox, Spinner, Text, Title2, tokens,
} from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { api, unwrap, type DossierSummary, type Me } from "../api/client";
import { ColumnTable, type Column } from "../components/ColumnTable";
import { ErrorBar } from "../components/ErrorBar";
import { ChoiceFilter, useFlowChoices } from "../components/FlowFilter";
import { NewDossierButton } from "../components/NewDossierButton";
import { Pager } from "../components/Pager";
import { plural, formatDate, useI18n, type Strings } from "../i18n";
import { RouteLink } from "../router";

type Status = DossierSummary["status"];
const STATUSES: Status[] = ["open", "completed", "rejected", "withdrawn"];
const PAGE_SIZE = 25;

const useStyles = makeStyles({
  head: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalM },
  filters: {
    display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM,
    padding: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
  },
  search: { flexGrow: 1, flexBasis: "220px" },
  status: { minWidth: "160px" },
  period: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalS, border: "none", margin: 0, padding: 0 },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXXS },
  scroll: {
    backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
    "@media (max-width: 640px)": { display: "none" },
  },
  // at phone width the overview is a list of cards instead of a table
  cards: {
    display: "none", listStyleType: "none", margin: 0, padding: 0, flexDirection: "column", gap: tokens.spacingVerticalS,
    "@media (max-width: 640px)": { display: "flex" },
  },
  card: { padding: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  meta: { color: tokens.colorNeutralForeground2, display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
});

export function statusLabel(t: Strings, status: Status): string {
  return t[`status_${status}` as keyof Strings];
}

export function StatusBadge({ status, t }: { status: Status; t: Strings }) {
  const color = { open: "brand", completed: "success", rejected: "danger", withdrawn: "subtle" } as const;
  return <Badge appearance="tint" color={color[status]}>{statusLabel(t, status)}</Badge>;
}

export function Dossiers({ me }: { me: Me }) {
  const styles = useStyles();
  const { t, lang } = useI18n();
  const [q, setQ] = useState("");
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState<Status | "">("");
  const [overdue, setOverdue] = useState(false);
  const [mine, setMine] = useState(false);
  const [started, setStarted] = useState(false);
  const [page, setPage] = useState(1);
  // the cursor of every page seen (index: page - 1); a store without a count pages only by them
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const flows = useFlowChoices();
  const [flow, setFlow] = useState("");
  const [stage, setStage] = useState("");
  const [department, setDepartment] = useState("");
  const [departments, setDepartments] = useState<string[]>([]);
  // the period the dossiers started in: ISO days, both included ("" = open)
  const [startedFrom, setStartedFrom] = useState("");
  const [startedTo, setStartedTo] = useState("");
  const reversed = Boolean(startedFrom && startedTo && startedFrom > startedTo);
  const [data, setData] = useState<{ items: DossierSummary[]; total: number | null; next?: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => { setSearch(q.trim()); setPage(1); }, 250);
    return () => clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/departments").then(unwrap).then(
      (answer) => { if (live) setDepartments(answer.items); },
      () => { if (live) setDepartments([]); },
    );
    return () => { live = false; };
  }, []);

  useEffect(() => {
    if (reversed) return;
    let live = true;
    api.GET("/api/v1/dossiers", {
      params: {
        query: {
          page, after: page > 1 ? cursors[page - 1] : undefined, page_size: PAGE_SIZE, q: search || undefined, status: status || undefined,
          overdue: overdue || undefined, to_act: mine ? me.id : undefined,
          initiator: started ? me.id : undefined, flow: flow || undefined, stage: stage || undefined,
          department: department || undefined, started_from: startedFrom || undefined, started_to: startedTo || undefined,
        },
      },
    }).then(unwrap).then(
      (answer) => {
        if (!live) return;
        setData(answer);
        setError(null);
        setCursors((seen) => [...seen.slice(0, page), answer.next ?? undefined]);
      },
      (e: Error) => { if (live) setError(e.message); },
    );
    return () => { live = false; };
  }, [page, search, status, overdue, mine, started, me.id, flow, stage, department, startedFrom, startedTo, reversed]);

  const more = Boolean(data?.next);
  const reset = () => setPage(1);
  const toAct = (d: DossierSummary) =>
    d.to_act.length ? d.to_act.map((p) => p.name).join(", ") : (d.status === "open" ? t.nobody : "—");
  // columns as wide as their content: a dossier number stays on one line
  const columns: Column<DossierSummary>[] = [
    { header: t.colNumber, nowrap: true, cell: (d) => <RouteLink to={{ page: "dossier", id: d.id }}>{d.number}</RouteLink> },
    { header: t.colTitle, width: "30%", cell: (d) => <>{d.title}<br /><Text size={200}>{d.flow}</Text></> },
    { header: t.colStatus, cell: (d) => <StatusBadge status={d.status} t={t} /> },
    { header: t.colStage, cell: (d) => d.stage ?? "—" },
    { header: t.colToAct, cell: toAct },
    { header: t.colInitiator, cell: (d) => d.initiator.name },
    {
      header: t.colDue,
      cell: (d) => <>{d.due ? formatDate(lang, d.due) : "—"}{d.overdue && <> <Badge appearance="filled" color="danger">{t.overdue}</Badge></>}</>,
    },
  ];
  return (
    <section aria-labelledby="dossiers-title">
      <div className={styles.head}>
        <Title2 as="h1" id="dossiers-title">{t.dossiersTitle}</Title2>
        <Text>{me.beheerder ? t.dossiersIntroBeheerder : t.dossiersIntro}</Text>
        <div><NewDossierButton /></div>
      </div>
      <div className={styles.filters} role="search" aria-label={t.filters}>
        <Field label={t.search} className={styles.search}>
          <SearchBox value={q} placeholder={t.searchPlaceholder} onChange={(_, d) => setQ(d.value)} />
        </Field>
        <Field label={t.filterStatus} className={styles.status}>
          <Dropdown value={status ? statusLabel(t, status) : t.all} selectedOptions={[status]}
            onOptionSelect={(_, d) => { setStatus((d.optionValue ?? "") as Status | ""); reset(); }}>
            <Option value="">{t.all}</Option>
            {STATUSES.map((s) => <Option key={s} value={s}>{statusLabel(t, s)}</Option>)}
          </Dropdown>
        </Field>
        <ChoiceFilter label={t.filterFlow} all={t.all} value={flow} choices={flows} className={styles.status}
          onChange={(value) => { setFlow(value); setStage(""); reset(); }} />
        <ChoiceFilter label={t.filterStage} all={t.all} value={stage} className={styles.status}
          choices={flows.find((f) => f.id === flow)?.stages ?? []} onChange={(value) => { setStage(value); reset(); }} />
        {departments.length > 0 && (
          <ChoiceFilter label={t.filterInitiatorDepartment} all={t.all} value={department} className={styles.status}
            choices={departments.map((d) => ({ id: d, title: d }))} onChange={(value) => { setDepartment(value); reset(); }} />
        )}
        <fieldset className={styles.period}>
          <legend className={styles.legend}><Text weight="semibold">{t.filterPeriod}</Text></legend>
          <Field label={t.filterStartedFrom}>
            <Input type="date" value={startedFrom} onChange={(_, d) => { setStartedFrom(d.value); reset(); }} />
          </Field>
          <Field label={t.filterStartedTo} validationState={reversed ? "error" : "none"}
            validationMessage={reversed ? t.filterPeriodReversed : undefined}>
            <Input type="date" value={startedTo} onChange={(_, d) => { setStartedTo(d.value); reset(); }} />
          </Field>
        </fieldset>
        <Checkbox label={t.filterOverdue} checked={overdue} onChange={(_, d) => { setOverdue(Boolean(d.checked)); reset(); }} />
        <Checkbox label={t.filterToActMe} checked={mine} onChange={(_, d) => { setMine(Boolean(d.checked)); reset(); }} />
        <Checkbox label={t.filterStartedByMe} checked={started} onChange={(_, d) => { setStarted(Boolean(d.checked)); reset(); }} />
      </div>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!data && !error && <Spinner label={t.loading} />}
      {data && data.items.length === 0 && <Text>{more ? t.dossiersNoneHere : t.dossiersEmpty}</Text>}
      {data && data.items.length > 0 && (
        <>
          <ColumnTable label={t.dossiersTitle} className={styles.scroll} minWidth="760px" columns={columns}
            rows={data.items} rowKey={(d) => d.id} />
          <ul className={styles.cards} aria-label={t.dossiersTitle}>
            {data.items.map((d) => (
              <li key={d.id}>
                <Card className={styles.card}>
                  <Text weight="semibold"><RouteLink to={{ page: "dossier", id: d.id }}>{d.number} {d.title}</RouteLink></Text>
                  <div className={styles.meta}>
                    <StatusBadge status={d.status} t={t} />
                    <Text size={200}>{d.stage ?? d.flow}</Text>
                    {d.overdue && <Badge appearance="filled" color="danger">{t.overdue}</Badge>}
                  </div>
                  <Text size={200}>
                    {t.colToAct}: {toAct(d)}
                    {d.due ? ` · ${t.colDue}: ${formatDate(lang, d.due)}` : ""}
                  </Text>
                </Card>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && (data.items.length > 0 || more || page > 1) && (
        <Pager page={page} size={PAGE_SIZE} total={data.total ?? null} more={more} onPage={setPage}
          summary={data.total != null ? plural(data.total, t.totalOne, t.totalN, { total: data.total }) : undefined} />
      )}
    </section>
  );
}
