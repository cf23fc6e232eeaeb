// The werkvoorraad's other parts: the dossiers I started, and my substitute while I am away.
import {
  Button, Card, Field, Input, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Title3, tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, Refused, unwrap, type DossierSummary, type Me, type Schemas } from "../api/client";
import { StatusBadge } from "../pages/Dossiers";
import { fill, formatDate, useI18n } from "../i18n";
import { RouteLink } from "../router";
import { ErrorBar } from "./ErrorBar";

type Substitute = Schemas["Substitute"];
const STARTED = 10;

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalL },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  form: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM },
  wide: { flexGrow: 1, flexBasis: "220px" },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

export function MyStarted({ me }: { me: Me }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [data, setData] = useState<{ items: DossierSummary[]; total: number | null; next?: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.GET("/api/v1/dossiers", { params: { query: { initiator: me.id, page: 1, page_size: STARTED } } })
      .then(unwrap).then(setData, (e: Error) => setError(e.message));
  }, [me.id]);
  return (
    <Card className={styles.card}>
      <Title3 as="h2">{t.startedTitle}</Title3>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!data && !error && <Spinner size="small" label={t.loading} />}
      {data && data.items.length === 0 && <Text>{t.startedEmpty}</Text>}
      {data && data.items.length > 0 && (
        <ul className={styles.list}>
          {data.items.map((d) => (
            <li key={d.id}>
              <RouteLink to={{ page: "dossier", id: d.id }}>{d.number} {d.title}</RouteLink>{" "}
              <StatusBadge status={d.status} t={t} />{d.stage ? <Text size={200}> · {d.stage}</Text> : null}
            </li>
          ))}
        </ul>
      )}
      {data && data.next && (
        <Text><RouteLink to={{ page: "dossiers" }}>
          {data.total !== null && data.total !== undefined ? fill(t.startedAll, { total: data.total }) : t.startedMore}
        </RouteLink></Text>
      )}
    </Card>
  );
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function MySubstitutes() {
  const styles = useStyles();
  const { t, lang } = useI18n();
  const [items, setItems] = useState<Substitute[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<{ field: string | null; message: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState({ substitute: "", start: today(), end: today(), reason: "" });
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.GET("/api/v1/me/substitutes").then(unwrap).then((r) => { setItems(r.items); setError(null); }, (e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  const run = async (work: () => Promise<{ items: Substitute[] }>, done: string) => {
    setBusy(true);
    setNotice(null);
    setFieldError(null);
    try {
      setItems((await work()).items);
      setNotice(done);
    } catch (e) {
      const refused = e as Refused;
      setFieldError({ field: refused.body?.field ?? null, message: refused.message });
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => unwrap(await api.POST("/api/v1/me/substitutes", { body: form })), t.substituteSaved);
  };
  const clear = () => void run(async () => unwrap(await api.DELETE("/api/v1/me/substitutes")), t.substituteCleared);
  const at = (field: string) => (fieldError && fieldError.field === field ? fieldError.message : undefined);

  return (
    <Card className={styles.card}>
      <Title3 as="h2">{t.substitutesTitle}</Title3>
      <Text>{t.substitutesIntro}</Text>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!items && !error && <Spinner size="small" label={t.loading} />}
      {items && items.length === 0 && <Text>{t.substitutesNone}</Text>}
      {items && items.length > 0 && (
        <ul className={styles.list}>
          {items.map((a) => (
            <li key={a.id}><Text>{fill(t.substituteLine, {
              name: a.substitute.name, start: formatDate(lang, a.start), end: formatDate(lang, a.end), reason: a.reason,
            })}</Text></li>
          ))}
        </ul>
      )}
      {notice && <MessageBar intent="success" role="status"><MessageBarBody>{notice}</MessageBarBody></MessageBar>}
      {fieldError && !["substitute", "start", "end", "reason"].includes(fieldError.field ?? "") && (
        <MessageBar intent="error"><MessageBarBody>{fieldError.message}</MessageBarBody></MessageBar>
      )}
      <form className={styles.form} onSubmit={submit}>
        <Field label={t.substituteWho} className={styles.wide} required validationMessage={at("substitute")}>
          <Input type="email" value={form.substitute} onChange={(_, d) => setForm({ ...form, substitute: d.value })} />
        </Field>
        <Field label={t.filterSince} required validationMessage={at("start")}>
          <Input type="date" value={form.start} onChange={(_, d) => setForm({ ...form, start: d.value })} />
        </Field>
        <Field label={t.filterUntil} required validationMessage={at("end")}>
          <Input type="date" value={form.end} onChange={(_, d) => setForm({ ...form, end: d.value })} />
        </Field>
        <Field label={t.substituteReason} className={styles.wide} required validationMessage={at("reason")}>
          <Input value={form.reason} onChange={(_, d) => setForm({ ...form, reason: d.value })} />
        </Field>
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" disabled={busy}>{t.substituteSet}</Button>
          {items && items.length > 0 && <Button disabled={busy} onClick={clear}>{t.substituteClear}</Button>}
        </div>
      </form>
    </Card>
  );
}
