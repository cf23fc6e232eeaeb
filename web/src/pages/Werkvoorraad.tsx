import {
  Badge, Button, Card, Checkbox, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Title2,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useState } from "react";
import { api, unwrap, type BulkVerb, type Me, type Task } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { MyStarted, MySubstitutes } from "../components/MySide";
import { NewDossierButton } from "../components/NewDossierButton";
import { DIRECT, TaskActions, verbLabel, type ActionOutcome } from "../components/TaskActions";
import { fill, formatDate, useI18n, type Strings } from "../i18n";
import { RouteLink } from "../router";

const BULK: Record<BulkVerb, keyof Strings> = {
  initial: "bulkInitial", approve: "bulkApprove", acknowledge: "bulkAcknowledge", sign: "bulkSign",
};

export const useTaskStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  card: { padding: tokens.spacingHorizontalM },
  overdueCard: { borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorPaletteRedBorder2}` },
  row: { display: "flex", alignItems: "flex-start", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
  main: { flexGrow: 1, flexBasis: "260px", minWidth: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  meta: { color: tokens.colorNeutralForeground2, display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  check: { marginTop: "-6px" },
  checkSpacer: { width: "32px", flexShrink: 0 },
});

const useStyles = makeStyles({
  head: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalM },
  bar: {
    display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS,
    padding: tokens.spacingHorizontalS, marginBottom: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium,
  },
  results: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalM },
});

function key(task: Task): string {
  return `${task.dossier_id}/${task.stage_id}/${task.round}/${task.on_behalf_of ?? ""}`;
}

interface Notice { intent: "success" | "error"; text: string }

export function Werkvoorraad({ me }: { me: Me }) {
  const styles = useStyles();
  const cls = useTaskStyles();
  const { t, lang } = useI18n();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notices, setNotices] = useState<Notice[]>([]);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const items = unwrap(await api.GET("/api/v1/tasks")).items;
      setTasks(items);
      setSelected((old) => new Set(items.map(key).filter((k) => old.has(k))));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  const chosen = useMemo(() => (tasks ?? []).filter((task) => selected.has(key(task))), [tasks, selected]);
  const bulkVerb: BulkVerb | null = useMemo(() => {
    const kinds = new Set(chosen.map((task) => task.kind));
    const [only] = [...kinds];
    return kinds.size === 1 && DIRECT.has(only) ? (only as BulkVerb) : null;
  }, [chosen]);

  const done = (outcome: ActionOutcome) => {
    const number = outcome.task.number;
    setNotices([outcome.error
      ? { intent: "error", text: `${number}: ${outcome.error}` }
      : { intent: "success", text: fill(t.actionDone, { verb: verbLabel(t, outcome.verb), number }) }]);
    void load();
  };

  const bulk = async () => {
    if (!bulkVerb) return;
    setBusy(true);
    try {
      const answer = unwrap(await api.POST("/api/v1/tasks/bulk", {
        body: {
          verb: bulkVerb,
          items: chosen.map((task) => ({
            dossier_id: task.dossier_id, stage_id: task.stage_id, round: task.round,
            version: task.version, on_behalf_of: task.on_behalf_of ?? undefined,
          })),
        },
      }));
      const numbers = new Map(chosen.map((task) => [task.dossier_id, `${task.number} ${task.title}`]));
      setNotices(answer.results.map((r) => ({
        intent: r.ok ? "success" : "error",
        text: `${numbers.get(r.dossier_id) ?? r.dossier_id}: ${r.ok ? t.resultOk : fill(t.resultFailed, { message: r.error?.message ?? "" })}`,
      })));
      setSelected(new Set());
    } catch (e) {
      setNotices([{ intent: "error", text: (e as Error).message }]);
    } finally {
      setBusy(false);
      void load();
    }
  };

  const toggle = (task: Task, on: boolean) => setSelected((old) => {
    const next = new Set(old);
    if (on) next.add(key(task)); else next.delete(key(task));
    return next;
  });

  return (
    <section aria-labelledby="werkvoorraad-title">
      <div className={styles.head}>
        <Title2 as="h1" id="werkvoorraad-title">{t.werkvoorraadTitle}</Title2>
        <Text>{t.werkvoorraadIntro}</Text>
        <div><NewDossierButton /></div>
      </div>
      {notices.length > 0 && (
        <div className={styles.results} role="status" aria-live="polite">
          {notices.length > 1 && <Text weight="semibold">{t.bulkResults}</Text>}
          {notices.map((n, i) => (
            <MessageBar key={i} intent={n.intent}><MessageBarBody>{n.text}</MessageBarBody></MessageBar>
          ))}
        </div>
      )}
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!tasks && !error && <Spinner label={t.loading} />}
      {tasks && tasks.length === 0 && <Text>{t.werkvoorraadEmpty}</Text>}
      {tasks && tasks.length > 0 && (
        <>
          {tasks.some((task) => DIRECT.has(task.kind)) && (
          <div className={styles.bar} role="toolbar" aria-label={t.colActions}>
            <Text>{chosen.length > 0 ? fill(t.selectedN, { count: chosen.length }) : t.bulkHint}</Text>
            {chosen.length > 0 && bulkVerb && (
              <Button appearance="primary" disabled={busy} onClick={() => void bulk()}>{t[BULK[bulkVerb]]}</Button>
            )}
          </div>
          )}
          <ul className={cls.list}>
            {tasks.map((task) => (
              <li key={key(task)}>
                <TaskCard task={task} selectable={DIRECT.has(task.kind)} selected={selected.has(key(task))}
                  onSelect={(on) => toggle(task, on)} onDone={done} lang={lang} t={t} />
              </li>
            ))}
          </ul>
        </>
      )}
      <MyStarted me={me} />
      <MySubstitutes />
    </section>
  );
}

export function TaskCard({ task, selectable, selected, onSelect, onDone, t, lang }: {
  task: Task; selectable: boolean; selected: boolean; onSelect?: (on: boolean) => void;
  onDone: (outcome: ActionOutcome) => void; t: Strings; lang: "nl" | "en";
}) {
  const cls = useTaskStyles();
  return (
    <Card className={task.overdue ? `${cls.card} ${cls.overdueCard}` : cls.card}>
      <div className={cls.row}>
        {onSelect && (selectable
          ? <Checkbox className={cls.check} checked={selected} onChange={(_, d) => onSelect(Boolean(d.checked))}
              aria-label={fill(t.selectTask, { number: task.number, title: task.title })} />
          : <span className={cls.checkSpacer} />)}
        <div className={cls.main}>
          <Text weight="semibold">
            <RouteLink to={{ page: "dossier", id: task.dossier_id }}>{task.number} {task.title}</RouteLink>
          </Text>
          <div className={cls.meta}>
            <Badge appearance="tint" color="brand">{t[`kind_${task.kind}` as keyof Strings]}</Badge>
            <Text size={200}>{task.stage} · {task.flow}</Text>
            {task.round > 1 && <Text size={200}>{fill(t.roundN, { round: task.round })}</Text>}
            {task.on_behalf_of && <Text size={200}>{fill(t.onBehalfOf, { name: task.on_behalf_of })}</Text>}
          </div>
          <div className={cls.meta}>
            {task.overdue && <Badge appearance="filled" color="danger">{t.overdue}</Badge>}
            <Text size={200}>{task.due ? fill(t.dueOn, { date: formatDate(lang, task.due) }) : t.noDue}</Text>
          </div>
        </div>
        <TaskActions task={task} onDone={onDone} />
      </div>
    </Card>
  );
}
