import {
  Card, Field, Input, makeStyles, Spinner, Text, Title2, Title3, tokens,
} from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { api, unwrap, type Me, type Schemas } from "../api/client";
import { ColumnTable, type Column } from "../components/ColumnTable";
import { ErrorBar } from "../components/ErrorBar";
import { ChoiceFilter, useFlowChoices } from "../components/FlowFilter";
import { fill, plural, useI18n, type Strings } from "../i18n";

// the charts load only here, after the numbers
const LeadChart = lazy(() => import("../components/LeadChart"));

type Insight = Schemas["Insight"];
type Lead = Schemas["Lead"];

const useStyles = makeStyles({
  head: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalM },
  filters: {
    display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM,
    padding: tokens.spacingHorizontalM, marginBottom: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
  },
  choice: { minWidth: "180px" },
  grid: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  h2: { margin: 0 },
});

function yearAgo(): { since: string; until: string } {
  const until = new Date();
  const since = new Date(until);
  since.setFullYear(until.getFullYear() - 1);
  return { since: since.toISOString().slice(0, 10), until: until.toISOString().slice(0, 10) };
}

function days(lang: string, value: number | null): string {
  return value === null ? "—" : value.toLocaleString(lang === "en" ? "en-GB" : "nl-NL", { maximumFractionDigits: 1 });
}

function Block<Row>({ title, chart, columns, rows, rowKey }: {
  title: string; chart: ReactNode; columns: Column<Row>[]; rows: Row[]; rowKey: (row: Row) => string;
}) {
  const styles = useStyles();
  return (
    <Card className={styles.card}>
      <Title3 as="h2" className={styles.h2}>{title}</Title3>
      {chart}
      <ColumnTable label={title} columns={columns} rows={rows} rowKey={rowKey} minWidth="600px" />
    </Card>
  );
}

/** The median and p90 of a lead time, in days, as two numeric columns. */
function leadColumns<Row>(t: Strings, lang: string, lead: (row: Row) => Lead): Column<Row>[] {
  return [
    { header: t.colMedian, numeric: true, cell: (r) => days(lang, lead(r).median) },
    { header: t.colP90, numeric: true, cell: (r) => days(lang, lead(r).p90) },
  ];
}

function chart(t: Strings, lang: string, title: string, empty: string,
  bars: { label: string; days: number | null }[]): ReactNode {
  const shown = bars.filter((b): b is { label: string; days: number } => b.days !== null);
  if (!shown.length) return <Text>{empty}</Text>;
  const left = bars.filter((b) => b.days === null).map((b) => b.label);
  return (
    <>
      <Suspense fallback={<Spinner size="tiny" />}>
        <LeadChart title={fill(t.insightMedianOf, { title })} bars={shown} unit={t.insightChartDays} lang={lang} />
      </Suspense>
      {left.length > 0 && <Text size={200}>{fill(t.insightNotInChart, { names: left.join(", ") })}</Text>}
    </>
  );
}

export function Inzicht({ me }: { me: Me }) {
  const styles = useStyles();
  const { t, lang } = useI18n();
  const flows = useFlowChoices();
  const [period, setPeriod] = useState(yearAgo);
  const [flow, setFlow] = useState("");
  const [department, setDepartment] = useState("");
  const [data, setData] = useState<Insight | null>(null);
  const [departments, setDepartments] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!me.beheerder) return;
    let live = true;
    api.GET("/api/v1/admin/insight", {
      params: { query: { since: period.since || undefined, until: period.until || undefined, flow: flow || undefined, department: department || undefined } },
    }).then(unwrap).then(
      (answer) => {
        if (!live) return;
        setData(answer);
        setError(null);
        if (!department) setDepartments(answer.departments.map((d) => d.department).filter(Boolean));
      },
      (e: Error) => { if (live) setError(e.message); },
    );
    return () => { live = false; };
  }, [me.beheerder, period, flow, department]);

  if (!me.beheerder) return <ErrorBar title={t.errorTitle} message={t.insightForbidden} />;
  const dep = (name: string) => name || t.insightUnknownDepartment;
  return (
    <section aria-labelledby="inzicht-title">
      <div className={styles.head}>
        <Title2 as="h1" id="inzicht-title">{t.insightTitle}</Title2>
        <Text>{t.insightIntro}</Text>
      </div>
      <div className={styles.filters} role="search" aria-label={t.filters}>
        <Field label={t.filterSince}>
          <Input type="date" value={period.since} onChange={(_, d) => setPeriod((p) => ({ ...p, since: d.value }))} />
        </Field>
        <Field label={t.filterUntil}>
          <Input type="date" value={period.until} onChange={(_, d) => setPeriod((p) => ({ ...p, until: d.value }))} />
        </Field>
        <ChoiceFilter label={t.filterFlow} all={t.all} value={flow} choices={flows} className={styles.choice} onChange={setFlow} />
        <ChoiceFilter label={t.filterDepartment} all={t.all} value={department} className={styles.choice}
          choices={departments.map((d) => ({ id: d, title: d }))} onChange={setDepartment} />
      </div>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!data && !error && <Spinner label={t.loading} />}
      {data && (
        <div className={styles.grid}>
          <Text weight="semibold" role="status">{data.dossiers ? plural(data.dossiers, t.insightDossiersOne, t.insightDossiers, { count: data.dossiers }) : t.insightNone}</Text>
          <Block title={t.insightFlows} rows={data.flows} rowKey={(f) => f.flow_id}
            chart={chart(t, lang, t.insightFlows, t.insightNoneClosed, data.flows.map((f) => ({ label: f.flow, days: f.lead.median })))}
            columns={[
              { header: t.colFlow, cell: (f) => f.flow },
              { header: t.colStarted, numeric: true, cell: (f) => f.started },
              { header: t.colClosed, numeric: true, cell: (f) => f.closed },
              ...leadColumns<Insight["flows"][number]>(t, lang, (f) => f.lead),
              { header: t.colOverdue, numeric: true, cell: (f) => f.overdue },
            ]} />
          <Block title={t.insightLongest} rows={data.longest} rowKey={(s) => `${s.flow_id}/${s.stage_id}`}
            chart={chart(t, lang, t.insightLongest, t.insightNoneWaited, data.longest.map((s) => ({ label: `${s.stage} (${s.flow})`, days: s.wait.median })))}
            columns={[
              { header: t.colStage, cell: (s) => s.stage },
              { header: t.colFlow, cell: (s) => s.flow },
              { header: t.colWait, numeric: true, cell: (s) => days(lang, s.wait.median) },
              { header: t.colOpen, numeric: true, cell: (s) => s.open },
              { header: t.colOverdue, numeric: true, cell: (s) => s.overdue },
            ]} />
          <Block title={t.insightStages} rows={data.stages} rowKey={(s) => `${s.flow_id}/${s.stage_id}`} chart={null}
            columns={[
              { header: t.colFlow, cell: (s) => s.flow },
              { header: t.colStage, cell: (s) => s.stage },
              { header: t.colClosed, numeric: true, cell: (s) => s.lead.count },
              ...leadColumns<Insight["stages"][number]>(t, lang, (s) => s.lead),
              { header: t.colOpen, numeric: true, cell: (s) => s.open },
              { header: t.colOverdue, numeric: true, cell: (s) => s.overdue },
            ]} />
          <Block title={t.insightDepartments} rows={data.departments} rowKey={(d) => d.department}
            chart={chart(t, lang, t.insightDepartments, t.insightNoneClosed, data.departments.map((d) => ({ label: dep(d.department), days: d.lead.median })))}
            columns={[
              { header: t.colDepartment, cell: (d) => dep(d.department) },
              { header: t.colStarted, numeric: true, cell: (d) => d.started },
              { header: t.colClosed, numeric: true, cell: (d) => d.closed },
              ...leadColumns<Insight["departments"][number]>(t, lang, (d) => d.lead),
              { header: t.colOverdue, numeric: true, cell: (d) => d.overdue },
            ]} />
        </div>
      )}
    </section>
  );
}
