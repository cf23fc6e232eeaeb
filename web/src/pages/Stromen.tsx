import {
  Badge, Button, Card, Checkbox, Field, Input, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Title2, tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, unwrap, type DossierSummary, type Me, type Schemas } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { fill, plural, useI18n, type Strings } from "../i18n";
import { RouteLink, useNav } from "../router";

type FlowItem = Schemas["FlowItem"];
type FlowVersion = Schemas["FlowVersion"];
export const NEW_FLOW = "-nieuw";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  bar: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  card: { padding: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  versions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  hidden: { display: "none" },
});

export function flowStatusLabel(t: Strings, status: FlowVersion["status"]): string {
  return { concept: t.flowConcept, gepubliceerd: t.flowPublished, ingetrokken: t.flowWithdrawn }[status];
}

export function FlowStatusBadge({ status }: { status: FlowVersion["status"] }) {
  const { t } = useI18n();
  const color = { concept: "informative", gepubliceerd: "success", ingetrokken: "subtle" } as const;
  return <Badge appearance="tint" color={color[status]}>{flowStatusLabel(t, status)}</Badge>;
}

/** A text offered as a file to save. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Stromen: every flow with its versions; open one in the designer, export, withdraw, import. */
export function Stromen({ me }: { me: Me }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { navigate } = useNav();
  const [items, setItems] = useState<FlowItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    api.GET("/api/v1/admin/flows").then(unwrap).then((answer) => setItems(answer.items), (e: Error) => setError(e.message));
  }, []);
  useEffect(() => { if (me.beheerder) load(); }, [me.beheerder, load]);

  if (!me.beheerder) return <ErrorBar title={t.errorTitle} message={t.stromenOnlyBeheerder} />;

  const exportVersion = async (flow: FlowItem, version: number) => {
    try {
      const answer = unwrap(await api.GET("/api/v1/admin/flows/{id}/export", {
        params: { path: { id: flow.id }, query: { version } } }));
      download(answer.filename, answer.yaml);
    } catch (e) { setError((e as Error).message); }
  };
  const withdraw = async (flow: FlowItem, version: number) => {
    setConfirming(null);
    try {
      unwrap(await api.POST("/api/v1/admin/flows/{id}/withdraw", { params: { path: { id: flow.id } }, body: { version } }));
      setDone(fill(t.flowWithdrawnDone, { title: flow.title, version }));
      load();
    } catch (e) { setError((e as Error).message); }
  };
  const importFile = async (chosen: File | undefined) => {
    if (!chosen) return;
    setError(null);
    try {
      const record = unwrap(await api.POST("/api/v1/admin/flows/import", { body: { yaml: await chosen.text() } }));
      setDone(fill(t.flowImportedDone, { title: record.title, version: record.version }));
      load();
    } catch (e) { setError((e as Error).message); }
    if (file.current) file.current.value = "";
  };

  return (
    <section className={styles.page} aria-labelledby="stromen-title">
      <Title2 as="h1" id="stromen-title">{t.stromenTitle}</Title2>
      <Text>{t.stromenIntro}</Text>
      <div className={styles.bar}>
        <Button appearance="primary" onClick={() => navigate({ page: "stroom", id: NEW_FLOW })}>{t.flowNew}</Button>
        <Button onClick={() => file.current?.click()}>{t.flowImport}</Button>
        <input ref={file} className={styles.hidden} type="file" accept=".yaml,.yml,text/yaml"
          aria-label={t.flowImport} tabIndex={-1} onChange={(event) => void importFile(event.target.files?.[0])} />
      </div>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {done && <MessageBar intent="success" role="status"><MessageBarBody>{done}</MessageBarBody></MessageBar>}
      {!items && !error && <Spinner label={t.loading} />}
      {items && (
        <ul className={styles.list}>
          {items.map((flow) => {
            const newest = flow.versions[flow.versions.length - 1];
            return (
              <li key={flow.id}>
                <Card className={styles.card}>
                  <RouteLink to={{ page: "stroom", id: flow.id }}>{flow.title}</RouteLink>
                  <Text size={200}>{fill(t.flowIdLine, { id: flow.id, current: flow.current ?? "–" })}</Text>
                  <div className={styles.versions}>
                    {flow.versions.map((v) => (
                      <span key={v.version}>{fill(t.flowVersionN, { version: v.version })} <FlowStatusBadge status={v.status} /></span>
                    ))}
                  </div>
                  <div className={styles.bar}>
                    <Button size="small" onClick={() => void exportVersion(flow, flow.current ?? newest.version)}
                      aria-label={fill(t.flowExportOf, { title: flow.title })}>{t.flowExport}</Button>
                    {flow.current !== null && (confirming === flow.id
                      ? <Button size="small" appearance="primary" onClick={() => void withdraw(flow, flow.current as number)}>
                          {fill(t.flowWithdrawConfirm, { version: flow.current })}</Button>
                      : <Button size="small" onClick={() => setConfirming(flow.id)}
                          aria-label={fill(t.flowWithdrawOf, { title: flow.title })}>{t.flowWithdraw}</Button>)}
                    {flow.current !== null && flow.versions.length > 1 && moving !== flow.id && (
                      <Button size="small" onClick={() => setMoving(flow.id)}>{fill(t.moveOpen, { version: flow.current })}</Button>
                    )}
                  </div>
                  {moving === flow.id && flow.current !== null && <MovePanel flow={flow} version={flow.current} />}
                </Card>
              </li>
            );
          })}
        </ul>
      )}
      <RouteLink to={{ page: "beheer" }}>{t.backToBeheer}</RouteLink>
    </section>
  );
}

/** Move chosen running dossiers of a flow to its current version, where their progress fits
 * it (the server says per dossier); each move is recorded as an event in the dossier. */
function MovePanel({ flow, version }: { flow: FlowItem; version: number }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [open, setOpen] = useState<DossierSummary[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const [results, setResults] = useState<Schemas["BulkResult"][] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.GET("/api/v1/dossiers", { params: { query: { flow: flow.id, status: "open", page_size: 100 } } })
      .then(unwrap).then((page) => setOpen(page.items), (e: Error) => setError(e.message));
  }, [flow.id]);
  const move = async () => {
    setError(null);
    try {
      const answer = unwrap(await api.POST("/api/v1/admin/flows/{id}/move", {
        params: { path: { id: flow.id } }, body: { version, dossiers: chosen, reason } }));
      setResults(answer.results);
    } catch (e) { setError((e as Error).message); }
  };
  const number = (id: string) => open?.find((d) => d.id === id)?.number ?? id;
  return (
    <div className={styles.card} role="group" aria-label={fill(t.moveTitle, { title: flow.title, version })}>
      <Text weight="semibold">{fill(t.moveTitle, { title: flow.title, version })}</Text>
      <Text size={200}>{t.moveIntro}</Text>
      {!open && !error && <Spinner size="tiny" label={t.loading} />}
      {open && open.length === 0 && <Text>{t.moveNone}</Text>}
      {open?.map((d) => (
        <Checkbox key={d.id} label={`${d.number} ${d.title}${d.stage ? ` · ${d.stage}` : ""}`} checked={chosen.includes(d.id)}
          onChange={(_, data) => setChosen(data.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id))} />
      ))}
      <Field label={t.moveReason} required>
        <Input value={reason} onChange={(_, d) => setReason(d.value)} />
      </Field>
      <div className={styles.bar}>
        <Button appearance="primary" disabled={!chosen.length || !reason.trim()} onClick={() => void move()}>
          {plural(chosen.length, t.moveRunOne, t.moveRun, { count: chosen.length, version })}</Button>
      </div>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {results && (
        <ul className={styles.list} aria-label={t.bulkResults}>
          {results.map((r) => (
            <li key={r.dossier_id}><Text>{number(r.dossier_id)}: {r.ok ? t.resultOk : fill(t.resultFailed, { message: r.error?.message ?? "" })}</Text></li>
          ))}
        </ul>
      )}
    </div>
  );
}
