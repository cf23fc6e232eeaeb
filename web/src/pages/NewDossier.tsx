// Start a dossier: choose a flow I may start, fill its fields, start. The server starts it as
// the bot's start card does (same command, same refusals); a refusal is shown at its field.
import {
  Button, Field, Input, makeStyles, MessageBar, MessageBarBody, Select, Spinner, Text, Textarea,
  Title2, tokens,
} from "@fluentui/react-components";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { api, Refused, unwrap, type Schemas } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { useI18n, type Strings } from "../i18n";
import { useNav } from "../router";

type StartableFlow = Schemas["StartableFlow"];
type StartField = Schemas["StartField"];

const useStyles = makeStyles({
  head: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, marginBottom: tokens.spacingVerticalM },
  form: {
    display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, maxWidth: "640px",
    padding: tokens.spacingHorizontalL, borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    "@media (max-width: 480px)": { padding: tokens.spacingHorizontalS },
  },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

/** A fresh id for one filled-in form: sending it again (a retry) starts one dossier. */
function requestId(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function hint(t: Strings, field: StartField): string | undefined {
  if (field.type === "money") return t.startHintMoney;
  if (field.type === "number") return t.startHintNumber;
  if (field.type === "user") return t.startHintUser;
  if (field.type === "document") return t.startHintDocument;
  return undefined;
}

function FieldInput({ field, value, onChange, t }: {
  field: StartField; value: string; onChange: (value: string) => void; t: Strings;
}) {
  const name = `fields.${field.name}`;
  if (field.type === "choice") {
    return (
      <Select name={name} value={value} onChange={(_, d) => onChange(d.value)}>
        <option value="">{t.startChoose}</option>
        {field.choices.map((c) => <option key={c} value={c}>{c}</option>)}
      </Select>
    );
  }
  if (field.type === "text" && (field.max_length ?? 0) > 200) {
    return <Textarea name={name} value={value} resize="vertical" maxLength={field.max_length ?? undefined}
      onChange={(_, d) => onChange(d.value)} />;
  }
  const type = field.type === "date" ? "date" : field.type === "user" ? "email"
    : field.type === "document" ? "url" : "text";
  return (
    <Input name={name} type={type} value={value}
      inputMode={field.type === "money" || field.type === "number" ? "decimal" : undefined}
      maxLength={field.max_length ?? undefined} onChange={(_, d) => onChange(d.value)} />
  );
}

export function NewDossier() {
  const styles = useStyles();
  const { t } = useI18n();
  const { navigate } = useNav();
  const [flows, setFlows] = useState<StartableFlow[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [flowId, setFlowId] = useState("");
  const [title, setTitle] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<{ field: string | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const request = useRef(requestId());

  useEffect(() => {
    api.GET("/api/v1/flows/startable").then(unwrap).then(
      (answer) => {
        setFlows(answer.items);
        const wanted = new URLSearchParams(window.location.search).get("stroom");
        if (wanted && answer.items.some((f) => f.id === wanted)) setFlowId(wanted);
        else if (answer.items.length === 1) setFlowId(answer.items[0].id);
      },
      (e: Error) => setLoadError(e.message));
  }, []);

  const flow = useMemo(() => flows?.find((f) => f.id === flowId) ?? null, [flows, flowId]);
  const at = (name: string) => (problem?.field === name ? problem.message : undefined);
  const edited = () => { request.current = requestId(); setProblem(null); };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!flow) { setProblem({ field: "flow", message: t.startPickFlow }); return; }
    setBusy(true);
    try {
      const fields = Object.fromEntries(
        flow.fields.map((f) => [f.name, (values[f.name] ?? "").trim()]).filter(([, v]) => v));
      const answer = unwrap(await api.POST("/api/v1/dossiers", {
        body: { flow: flow.id, version: flow.version, title, fields, request_id: request.current },
      }));
      navigate({ page: "dossier", id: answer.dossier.id });
    } catch (e) {
      const refused = e instanceof Refused ? e.body : null;
      setProblem({ field: refused?.field ?? null, message: (e as Error).message });
      if (refused?.field) {
        document.querySelector<HTMLElement>(`form [name="${CSS.escape(refused.field)}"]`)?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  const elsewhere = problem && (!problem.field || !(problem.field === "flow" || problem.field === "title"
    || flow?.fields.some((f) => `fields.${f.name}` === problem.field)));

  return (
    <section aria-labelledby="nieuw-title">
      <div className={styles.head}>
        <Title2 as="h1" id="nieuw-title">{t.startTitle}</Title2>
        <Text>{t.startIntro}</Text>
      </div>
      {loadError && <ErrorBar title={t.errorTitle} message={loadError} />}
      {!flows && !loadError && <Spinner label={t.loading} />}
      {flows && flows.length === 0 && <Text>{t.startNone}</Text>}
      {flows && flows.length > 0 && (
        <form className={styles.form} onSubmit={(e) => void submit(e)} noValidate>
          {elsewhere && (
            <MessageBar intent="error" role="alert"><MessageBarBody>{problem.message}</MessageBarBody></MessageBar>
          )}
          <Field label={t.startFlow} required validationMessage={at("flow")}
            validationState={at("flow") ? "error" : "none"} hint={flow?.description || undefined}>
            <Select name="flow" value={flowId}
              onChange={(_, d) => { setFlowId(d.value); setValues({}); edited(); }}>
              <option value="">{t.startChoose}</option>
              {flows.map((f) => <option key={f.id} value={f.id}>{f.title}</option>)}
            </Select>
          </Field>
          {flow && (
            <>
              <Field label={t.startDossierTitle} required validationMessage={at("title")}
                validationState={at("title") ? "error" : "none"}>
                <Input name="title" value={title} maxLength={200}
                  onChange={(_, d) => { setTitle(d.value); edited(); }} />
              </Field>
              {flow.fields.map((f) => {
                const message = at(`fields.${f.name}`);
                return (
                  <Field key={f.name} label={f.label} required={f.required} hint={hint(t, f)}
                    validationMessage={message} validationState={message ? "error" : "none"}>
                    <FieldInput field={f} value={values[f.name] ?? ""} t={t}
                      onChange={(v) => { setValues((old) => ({ ...old, [f.name]: v })); edited(); }} />
                  </Field>
                );
              })}
            </>
          )}
          <div className={styles.actions}>
            <Button appearance="primary" type="submit" disabled={busy || !flow}>
              {busy ? t.startBusy : t.startSubmit}
            </Button>
            <Button appearance="secondary" type="button" onClick={() => navigate({ page: "werkvoorraad" })}>
              {t.startCancel}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
