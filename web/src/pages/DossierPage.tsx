import {
  Badge, Card, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Title2, Title3, tokens, Link,
} from "@fluentui/react-components";
import { useCallback, useEffect, useState } from "react";
import { api, Refused, unwrap, type Dossier, type Task } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { SignedPdfLink } from "../components/SignedPdfLink";
import { verbLabel, type ActionOutcome } from "../components/TaskActions";
import { fill, formatDate, formatMoment, useI18n, type Strings } from "../i18n";
import { RouteLink } from "../router";
import { StatusBadge } from "./Dossiers";
import { TaskCard } from "./Werkvoorraad";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  head: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  grid: {
    display: "grid", gap: tokens.spacingHorizontalL,
    gridTemplateColumns: "minmax(0, 2fr) minmax(0, 1fr)",
    "@media (max-width: 760px)": { gridTemplateColumns: "minmax(0, 1fr)" },
  },
  column: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0 },
  card: { padding: tokens.spacingHorizontalL },
  facts: {
    display: "grid", gridTemplateColumns: "fit-content(45%) minmax(0, 1fr)", columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS, margin: 0,
    "& dt": { color: tokens.colorNeutralForeground2 }, "& dd": { margin: 0, overflowWrap: "anywhere" },
  },
  timeline: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column" },
  event: {
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`,
    padding: `${tokens.spacingVerticalXS} 0 ${tokens.spacingVerticalM} ${tokens.spacingHorizontalM}`,
    display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS,
  },
  muted: { color: tokens.colorNeutralForeground2 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  quote: { whiteSpace: "pre-wrap" },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  h2: { margin: 0 },
});

function eventLabel(t: Strings, type: string): string {
  return (t as Record<string, string>)[`event_${type}`] ?? type;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "✓" : "✗";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function DossierPage({ id }: { id: string }) {
  const styles = useStyles();
  const { t, lang } = useI18n();
  const [dossier, setDossier] = useState<Dossier | null>(null);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [notice, setNotice] = useState<{ intent: "success" | "error"; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const [page, mine] = await Promise.all([
        api.GET("/api/v1/dossiers/{id}", { params: { path: { id } } }).then(unwrap),
        api.GET("/api/v1/tasks").then(unwrap),
      ]);
      setDossier(page);
      setTasks(mine.items.filter((task) => task.dossier_id === id));
      setError(null);
    } catch (e) {
      setError({ status: e instanceof Refused ? e.status : 0, message: (e as Error).message });
    }
  }, [id]);
  useEffect(() => { setDossier(null); void load(); }, [load]);

  const done = (outcome: ActionOutcome) => {
    setNotice(outcome.error
      ? { intent: "error", text: outcome.error }
      : { intent: "success", text: fill(t.actionDone, { verb: verbLabel(t, outcome.verb), number: outcome.task.number }) });
    void load();
  };

  if (error) {
    return (
      <div className={styles.page}>
        <RouteLink to={{ page: "dossiers" }}>{t.backToDossiers}</RouteLink>
        <ErrorBar title={t.errorTitle} message={error.status === 404 ? t.dossierNotFound : error.message} />
      </div>
    );
  }
  if (!dossier) return <Spinner label={t.loading} />;
  const s = dossier.summary;
  const fields = Object.entries(dossier.fields);
  return (
    <article className={styles.page} aria-labelledby="dossier-title">
      <div className={styles.head}>
        <RouteLink to={{ page: "dossiers" }}>{t.backToDossiers}</RouteLink>
        <Title2 as="h1" id="dossier-title">{s.number} {s.title}</Title2>
        <Text className={styles.muted}>{s.flow}</Text>
      </div>
      {notice && (
        <MessageBar intent={notice.intent} role="status"><MessageBarBody>{notice.text}</MessageBarBody></MessageBar>
      )}
      {tasks.length > 0 && (
        <section aria-labelledby="tasks-title" className={styles.column}>
          <Title3 as="h2" className={styles.h2} id="tasks-title">{t.yourTasks}</Title3>
          {tasks.map((task) => (
            <TaskCard key={`${task.stage_id}/${task.on_behalf_of ?? ""}`} task={task} selectable={false}
              selected={false} onDone={done} t={t} lang={lang} />
          ))}
        </section>
      )}
      <div className={styles.grid}>
        <div className={styles.column}>
          <Card className={styles.card}>
            <dl className={styles.facts}>
              <dt>{t.status}</dt><dd><StatusBadge status={s.status} t={t} /></dd>
              <dt>{t.stage}</dt><dd>{s.stage ?? "—"}</dd>
              <dt>{t.toAct}</dt>
              <dd>{s.to_act.length ? s.to_act.map((p) => p.name).join(", ") : (s.status === "open" ? t.nobody : "—")}</dd>
              <dt>{t.initiator}</dt><dd>{s.initiator.name}</dd>
              <dt>{t.started}</dt><dd>{formatMoment(lang, s.started)}</dd>
              <dt>{t.due}</dt>
              <dd>
                {s.due ? formatDate(lang, s.due) : "—"}
                {s.overdue && <> <Badge appearance="filled" color="danger">{t.overdue}</Badge></>}
              </dd>
            </dl>
          </Card>
          <Card className={styles.card}>
            <section aria-labelledby="timeline-title" className={styles.section}>
              <Title3 as="h2" className={styles.h2} id="timeline-title">{t.timeline}</Title3>
              <ol className={styles.timeline}>
                {dossier.events.map((e) => (
                  <li key={e.seq} className={styles.event}>
                    <Text weight="semibold">{eventLabel(t, e.type)}</Text>
                    <Text size={200}>
                      <time dateTime={e.at}>{formatMoment(lang, e.at)}</time>
                      {" · "}{fill(t.eventBy, { name: e.actor.name })}
                      {e.on_behalf_of && <> · {fill(t.eventOnBehalfOf, { name: e.on_behalf_of.name })}</>}
                    </Text>
                    {e.reason && <Text size={200}>{fill(t.eventReason, { reason: e.reason })}</Text>}
                    {e.text && <Text size={200} className={styles.quote}>{e.text}</Text>}
                  </li>
                ))}
              </ol>
            </section>
          </Card>
        </div>
        <div className={styles.column}>
          <Card className={styles.card}>
            <section aria-labelledby="fields-title" className={styles.section}>
              <Title3 as="h2" className={styles.h2} id="fields-title">{t.fields}</Title3>
              {fields.length === 0 ? <Text>{t.noFields}</Text> : (
                <dl className={styles.facts}>
                  {fields.map(([name, value]) => (
                    <div key={name} style={{ display: "contents" }}><dt>{dossier.field_labels[name] ?? name}</dt><dd>{show(value)}</dd></div>
                  ))}
                </dl>
              )}
            </section>
          </Card>
          <Card className={styles.card}>
            <section aria-labelledby="documents-title" className={styles.section}>
              <Title3 as="h2" className={styles.h2} id="documents-title">{t.documents}</Title3>
              {dossier.documents.length === 0 ? <Text>{t.noDocuments}</Text> : (
                <ul className={styles.list}>
                  {dossier.documents.map((doc) => (
                    <li key={doc.name}>
                      {doc.url ? <Link href={doc.url} target="_blank" rel="noreferrer">{doc.name}</Link> : doc.name}
                      {doc.comments.length > 0 && (
                        <>
                          <Text block as="p" size={200} className={styles.muted}>{t.comments}</Text>
                          <ul className={styles.list}>
                            {doc.comments.map((c, i) => (
                              <li key={i}>
                                <Text size={200}><b>{c.author}</b>{c.passage ? ` ${fill(t.commentOn, { passage: c.passage })}` : ""}: {c.text}</Text>
                              </li>
                            ))}
                          </ul>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </Card>
          <Card className={styles.card}>
            <section aria-labelledby="advice-title" className={styles.section}>
              <Title3 as="h2" className={styles.h2} id="advice-title">{t.adviceTitle}</Title3>
              {dossier.advice.length === 0 ? <Text>{t.noAdvice}</Text> : (
                <ul className={styles.list}>
                  {dossier.advice.map((a, i) => (
                    <li key={i}>
                      <Text>{fill(t.adviceBy, { advice: t[`advice_${a.advice}` as keyof Strings], name: a.by.name })}</Text>
                      {a.on_behalf_of && <Text size={200}> ({fill(t.eventOnBehalfOf, { name: a.on_behalf_of.name })})</Text>}
                      <Text block as="p" size={200} className={styles.muted}>{a.stage} · {formatMoment(lang, a.at)}</Text>
                      {a.text && <Text block as="p" size={200} className={styles.quote}>{a.text}</Text>}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </Card>
          <Card className={styles.card}>
            <section aria-labelledby="decision-title" className={styles.section}>
              <Title3 as="h2" className={styles.h2} id="decision-title">{t.decisionTitle}</Title3>
              {!dossier.decision ? <Text>{t.noDecision}</Text> : (
                <>
                  <Text block as="p" className={styles.quote}>{dossier.decision.text}</Text>
                  <Text block as="p" size={200} className={styles.muted}>
                    {fill(t.decidedBy, { name: dossier.decision.by.name })}
                    {dossier.decision.on_behalf_of && ` (${fill(t.eventOnBehalfOf, { name: dossier.decision.on_behalf_of.name })})`}
                    {" · "}{formatMoment(lang, dossier.decision.at)}
                  </Text>
                  {dossier.decision.register_url && (
                    <Text block as="p" size={200}>
                      <Link href={dossier.decision.register_url} target="_blank" rel="noreferrer">{t.registerEntry}</Link>
                    </Text>
                  )}
                </>
              )}
            </section>
          </Card>
          {dossier.signing && (
            <Card className={styles.card}>
              <section aria-labelledby="signing-title" className={styles.section}>
                <Title3 as="h2" className={styles.h2} id="signing-title">{t.signingTitle}</Title3>
                {dossier.signing.documents.length === 0 && <Text>{t.nobodySigned}</Text>}
                {dossier.signing.documents.map((doc) => (
                  <div key={doc.name} className={styles.section}>
                    {doc.state !== "valid" && doc.state !== "unchecked" && (
                      <MessageBar intent="error"><MessageBarBody>{t[`signature_${doc.state}`]}</MessageBarBody></MessageBar>
                    )}
                    <dl className={styles.facts}>
                      <dt>{t.signedBy}</dt><dd>{doc.signers.map((p) => p.name).join(", ")}</dd>
                      <dt>{t.signedAt}</dt><dd>{formatMoment(lang, doc.signed_at)}</dd>
                      <dt>{t.signatureCheck}</dt>
                      <dd>
                        <Badge appearance="tint" color={doc.state === "valid" ? "success" : doc.state === "unchecked" ? "informative" : "danger"}>
                          {t[`signature_${doc.state}`]}
                        </Badge>
                        {doc.level && <Text size={200} className={styles.muted}> {doc.level}</Text>}
                      </dd>
                      <dt>{t.signedDocument}</dt>
                      <dd><SignedPdfLink dossierId={s.id} name={doc.name} url={doc.url} /></dd>
                    </dl>
                  </div>
                ))}
                {(dossier.signing.to_sign.length > 0 || dossier.signing.later_stages.length > 0) && (
                  <dl className={styles.facts}>
                    <dt>{t.toSign}</dt>
                    <dd>{[...dossier.signing.to_sign.map((p) => p.name),
                      ...dossier.signing.later_stages.map((stage) => fill(t.signStageLater, { stage }))].join("; ")}</dd>
                  </dl>
                )}
              </section>
            </Card>
          )}
          <Card className={styles.card}>
            <section aria-labelledby="audit-title" className={styles.section}>
              <Title3 as="h2" className={styles.h2} id="audit-title">{t.audit}</Title3>
              <MessageBar intent={dossier.audit.intact ? "success" : "error"}>
                <MessageBarBody>
                  {dossier.audit.intact
                    ? fill(t.auditIntact, { events: dossier.audit.events })
                    : fill(t.auditBroken, { problem: dossier.audit.problem ?? "" })}
                </MessageBarBody>
              </MessageBar>
            </section>
          </Card>
        </div>
      </div>
    </article>
  );
}
