import {
  Badge, Button, Card, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Title2, tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, unwrap, type Me, type Schemas } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { fill, useI18n, type Strings } from "../i18n";
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
                  </div>
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
