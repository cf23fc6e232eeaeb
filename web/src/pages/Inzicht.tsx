import {
  Card, Field, Input, makeStyles, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell,
  TableRow, Text, Title2, Title3, tokens,
} from "@fluentui/react-components";
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import { api, unwrap, type Me, type Schemas } from "../api/client";
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
  scroll: { overflowX: "auto" },
  num: { fontVariantNumeric: "tabular-nums" },
  // columns as wide as their content (a fixed layout lets names run into the next column)
  table: { minWidth: "600px", tableLayout: "auto" },
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

function Block({ title, chart, children }: { title: string; chart: ReactNode; children: ReactNode }) {
  const styles = useStyles();
  return (
    <Card className={styles.card}>
      <Title3 as="h2" className={styles.h2}>{title}</Title3>
      {chart}
      <div className={styles.scroll} tabIndex={0} role="region" aria-label={title}>{children}</div>
    </Card>
  );
}

function LeadCells({ lead, lang }: { lead: Lead; lang: string }) {
  const styles = useStyles();
  return (
    <>
      <TableCell className={styles.num}>{days(lang, lead.median)}</TableCell>
      <TableCell className={styles.num}>{days(lang, lead.p90)}</TableCell>
    </>
  );
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
          <Block title={t.insightFlows} chart={chart(t, lang, t.insightFlows, t.insightNoneClosed, data.flows.map((f) => ({ label: f.flow, days: f.lead.median })))}>
            <Table size="small" className={styles.table}>
              <TableHeader><TableRow>
                <TableHeaderCell>{t.colFlow}</TableHeaderCell>
                <TableHeaderCell>{t.colStarted}</TableHeaderCell>
                <TableHeaderCell>{t.colClosed}</TableHeaderCell>
                <TableHeaderCell>{t.colMedian}</TableHeaderCell>
                <TableHeaderCell>{t.colP90}</TableHeaderCell>
                <TableHeaderCell>{t.colOverdue}</TableHeaderCell>
              </TableRow></TableHeader>
              <TableBody>
                {data.flows.map((f) => (
                  <TableRow key={f.flow_id}>
                    <TableCell>{f.flow}</TableCell>
                    <TableCell className={styles.num}>{f.started}</TableCell>
                    <TableCell className={styles.num}>{f.closed}</TableCell>
                    <LeadCells lead={f.lead} lang={lang} />
                    <TableCell className={styles.num}>{f.overdue}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Block>
          <Block title={t.insightLongest} chart={chart(t, lang, t.insightLongest, t.insightNoneWaited, data.longest.map((s) => ({ label: `${s.stage} (${s.flow})`, days: s.wait.median })))}>
            <Table size="small" className={styles.table}>
              <TableHeader><TableRow>
                <TableHeaderCell>{t.colStage}</TableHeaderCell>
                <TableHeaderCell>{t.colFlow}</TableHeaderCell>
                <TableHeaderCell>{t.colWait}</TableHeaderCell>
                <TableHeaderCell>{t.colOpen}</TableHeaderCell>
                <TableHeaderCell>{t.colOverdue}</TableHeaderCell>
              </TableRow></TableHeader>
              <TableBody>
                {data.longest.map((s) => (
                  <TableRow key={`${s.flow_id}/${s.stage_id}`}>
                    <TableCell>{s.stage}</TableCell>
                    <TableCell>{s.flow}</TableCell>
                    <TableCell className={styles.num}>{days(lang, s.wait.median)}</TableCell>
                    <TableCell className={styles.num}>{s.open}</TableCell>
                    <TableCell className={styles.num}>{s.overdue}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Block>
          <Block title={t.insightStages} chart={null}>
            <Table size="small" className={styles.table}>
              <TableHeader><TableRow>
                <TableHeaderCell>{t.colFlow}</TableHeaderCell>
                <TableHeaderCell>{t.colStage}</TableHeaderCell>
                <TableHeaderCell>{t.colClosed}</TableHeaderCell>
                <TableHeaderCell>{t.colMedian}</TableHeaderCell>
                <TableHeaderCell>{t.colP90}</TableHeaderCell>
                <TableHeaderCell>{t.colOpen}</TableHeaderCell>
                <TableHeaderCell>{t.colOverdue}</TableHeaderCell>
              </TableRow></TableHeader>
              <TableBody>
                {data.stages.map((s) => (
                  <TableRow key={`${s.flow_id}/${s.stage_id}`}>
                    <TableCell>{s.flow}</TableCell>
                    <TableCell>{s.stage}</TableCell>
                    <TableCell className={styles.num}>{s.lead.count}</TableCell>
                    <LeadCells lead={s.lead} lang={lang} />
                    <TableCell className={styles.num}>{s.open}</TableCell>
                    <TableCell className={styles.num}>{s.overdue}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Block>
          <Block title={t.insightDepartments} chart={chart(t, lang, t.insightDepartments, t.insightNoneClosed, data.departments.map((d) => ({ label: dep(d.department), days: d.lead.median })))}>
            <Table size="small" className={styles.table}>
              <TableHeader><TableRow>
                <TableHeaderCell>{t.colDepartment}</TableHeaderCell>
                <TableHeaderCell>{t.colStarted}</TableHeaderCell>
                <TableHeaderCell>{t.colClosed}</TableHeaderCell>
                <TableHeaderCell>{t.colMedian}</TableHeaderCell>
                <TableHeaderCell>{t.colP90}</TableHeaderCell>
                <TableHeaderCell>{t.colOverdue}</TableHeaderCell>
              </TableRow></TableHeader>
              <TableBody>
                {data.departments.map((d) => (
                  <TableRow key={d.department}>
                    <TableCell>{dep(d.department)}</TableCell>
                    <TableCell className={styles.num}>{d.started}</TableCell>
                    <TableCell className={styles.num}>{d.closed}</TableCell>
                    <LeadCells lead={d.lead} lang={lang} />
                    <TableCell className={styles.num}>{d.overdue}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Block>
        </div>
      )}
    </section>
  );
}
