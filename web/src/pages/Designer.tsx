import {
  Badge, Button, Card, Checkbox, Dropdown, Field, Input, makeStyles, MessageBar, MessageBarBody,
  Option, Spinner, Text, Textarea, Title2, Title3, tokens,
} from "@fluentui/react-components";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { api, unwrap, type Me, type Schemas } from "../api/client";
import { DirectoryPicker, type DirectoryEntry } from "../components/DirectoryPicker";
import { ErrorBar } from "../components/ErrorBar";
import {
  FIELD_TYPES, KINDS, fromData, groupId, newFlow, newStage, nextKind, slug, stagePath, toData,
  type Completion, type FieldForm, type FieldType, type FlowForm, type Kind, type Rule, type StageForm,
} from "../flows/form";
import { fill, plural, formatDate, useI18n, type Strings } from "../i18n";
import { RouteLink } from "../router";
import { download, NEW_FLOW } from "./Stromen";

type Check = Schemas["FlowCheck"];
type Problem = Schemas["FlowProblem"];
type Simulation = Schemas["Simulation"];

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  columns: {
    display: "grid", gridTemplateColumns: "minmax(0, 3fr) minmax(0, 2fr)", gap: tokens.spacingHorizontalL,
    "@media (max-width: 900px)": { gridTemplateColumns: "minmax(0, 1fr)" },
  },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  card: { padding: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "flex-end" },
  grow: { flexGrow: 1, flexBasis: "180px", minWidth: 0 },
  small: { width: "160px", minWidth: 0 },
  // inputs fill their column (a Dropdown is 250px wide by default, wider than some columns)
  full: { width: "100%", minWidth: 0, maxWidth: "100%", boxSizing: "border-box" },
  step: {
    display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalS,
    borderLeft: `${tokens.strokeWidthThicker} solid ${tokens.colorBrandStroke1}`,
  },
  stage: {
    display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground2, borderRadius: tokens.borderRadiusMedium,
  },
  rules: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  side: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, minWidth: 0 },
  yaml: { fontFamily: tokens.fontFamilyMonospace, minHeight: "320px" },
  sticky: { position: "sticky", top: tokens.spacingVerticalS },
  problems: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  sim: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  simStage: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS, padding: tokens.spacingHorizontalS,
    borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke1}` },
  muted: { color: tokens.colorNeutralForeground2 },
});

function kindTitles(t: Strings): Record<Kind, string> {
  return {
    advise: t.stageTitle_advise, initial: t.stageTitle_initial, approve: t.stageTitle_approve,
    decide: t.stageTitle_decide, sign: t.stageTitle_sign, acknowledge: t.stageTitle_acknowledge,
  };
}

/** The problems at a path: the input's own, and those of what lies inside it. */
function at(problems: Problem[], path: string): string | undefined {
  const found = problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));
  return found.length ? found.map((p) => (p.hint ? `${p.message} (${p.hint})` : p.message)).join(" ") : undefined;
}

function Err({ problems, path, label, children }: { problems: Problem[]; path: string; label: string; children: ReactNode }) {
  const message = at(problems, path);
  return (
    <Field label={label} validationMessage={message} validationState={message ? "error" : "none"}>
      {children}
    </Field>
  );
}

/** The flow designer: the flow in forms, checked as it is typed (each problem at its input),
 * its YAML beside it, a simulation, and publishing as a new version. */
export function Designer({ me, id }: { me: Me; id: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [form, setForm] = useState<FlowForm | null>(null);
  const [base, setBase] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [yaml, setYaml] = useState("");
  const [yamlEdited, setYamlEdited] = useState(false);
  const [yamlProblems, setYamlProblems] = useState<Problem[]>([]);
  const [published, setPublished] = useState<string | null>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const asked = useRef(0);

  useEffect(() => {
    if (!me.beheerder) return;
    if (id === NEW_FLOW) { setForm(newFlow(kindTitles(t), t.fieldDefaultLabel)); return; }
    (async () => {
      try {
        const detail = unwrap(await api.GET("/api/v1/admin/flows/{id}", { params: { path: { id }, query: {} } }));
        const list = unwrap(await api.GET("/api/v1/admin/flows"));
        const versions = list.items.find((f) => f.id === id)?.versions ?? [];
        const loaded = fromData(detail.definition);
        if (detail.flow.status !== "concept") {
          loaded.version = String(Math.max(detail.flow.version, ...versions.map((v) => v.version)) + 1);
        }
        setBase(fill(t.designerBasedOn, { version: detail.flow.version }));
        setForm(loaded);
      } catch (e) { setError((e as Error).message); }
    })();
    // the titles of a new flow's first stage follow the language it is opened in
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, me.beheerder]);

  const data = useMemo(() => (form ? toData(form) : null), [form]);
  useEffect(() => {
    if (!data) return;
    const turn = ++asked.current;
    const timer = window.setTimeout(() => {
      api.POST("/api/v1/admin/flows/validate", { body: { definition: data } }).then(unwrap).then((answer) => {
        if (turn !== asked.current) return;
        setCheck(answer);
        if (!yamlEdited) setYaml(answer.yaml);
      }, (e: Error) => setError(e.message));
    }, 250);
    return () => window.clearTimeout(timer);
  }, [data, yamlEdited]);

  if (!me.beheerder) return <ErrorBar title={t.errorTitle} message={t.stromenOnlyBeheerder} />;
  if (error) return <ErrorBar title={t.errorTitle} message={error} />;
  if (!form) return <Spinner label={t.loading} />;

  const problems = check?.issues ?? [];
  const change = (next: Partial<FlowForm>) => { setPublished(null); setForm({ ...form, ...next }); };
  const setTitle = (title: string) => change({ title, id: form.idTouched ? form.id : slug(title, "") });

  const applyYaml = async () => {
    try {
      const answer = unwrap(await api.POST("/api/v1/admin/flows/validate", { body: { yaml } }));
      setYamlProblems(answer.issues);
      if (answer.valid && answer.definition) {
        setYamlEdited(false);
        setForm(fromData(answer.definition));
      }
    } catch (e) { setError((e as Error).message); }
  };

  const publish = async () => {
    setPublishError(null);
    try {
      const record = unwrap(await api.POST("/api/v1/admin/flows/publish", { body: { definition: toData(form) } }));
      setPublished(fill(t.flowPublishedDone, { title: record.title, version: record.version }));
    } catch (e) { setPublishError((e as Error).message); }
  };

  return (
    <section className={styles.page} aria-labelledby="designer-title">
      <Title2 as="h1" id="designer-title">{form.title || t.designerTitle}</Title2>
      <Text className={styles.muted}>{base ?? t.designerIntro}</Text>
      <div className={styles.columns}>
        <div className={styles.form}>
          <FlowCard form={form} change={change} setTitle={setTitle} problems={problems} />
          <FieldsCard form={form} change={change} problems={problems} />
          <StagesCard form={form} change={change} problems={problems} />
          <StartersCard form={form} change={change} problems={problems} />
        </div>
        <div className={styles.side}>
          <Card className={styles.card}>
            <Title3 as="h2">{t.checkTitle}</Title3>
            {!check && <Spinner size="tiny" label={t.checking} />}
            {check?.valid && <MessageBar intent="success" role="status"><MessageBarBody>{t.checkValid}</MessageBarBody></MessageBar>}
            {check && !check.valid && (
              <MessageBar intent="error" role="status"><MessageBarBody>
                {plural(check.issues.length, t.checkProblemsOne, t.checkProblems, { count: check.issues.length })}
                <ul className={styles.problems}>
                  {check.issues.map((p, i) => <li key={i}><Text size={200}>{p.path ? `${p.path}: ` : ""}{p.message}</Text></li>)}
                </ul>
              </MessageBarBody></MessageBar>
            )}
            {check?.warnings.map((w, i) => (
              <MessageBar key={i} intent="warning"><MessageBarBody>{w.path ? `${w.path}: ` : ""}{w.message}</MessageBarBody></MessageBar>
            ))}
            <div className={styles.row}>
              <Button appearance="primary" disabled={!check?.valid} onClick={() => void publish()}>{t.flowPublish}</Button>
              <Button onClick={() => download(`${form.id || "stroom"}-v${form.version}.yaml`, check?.yaml ?? yaml)}>{t.flowExport}</Button>
            </div>
            {published && (
              <MessageBar intent="success" role="status"><MessageBarBody>
                {published} <RouteLink to={{ page: "stromen" }}>{t.stromenBack}</RouteLink>
              </MessageBarBody></MessageBar>
            )}
            {publishError && <ErrorBar title={t.errorTitle} message={publishError} />}
          </Card>
          <SimulatePanel form={form} valid={!!check?.valid} />
          <Card className={styles.card}>
            <Title3 as="h2" id="yaml-title">{t.yamlTitle}</Title3>
            <Field label={t.yamlLabel} hint={t.yamlHint}
              validationMessage={yamlProblems.length ? yamlProblems.map((p) => `${p.line ? `${t.lineWord} ${p.line}: ` : ""}${p.message}`).join(" ") : undefined}
              validationState={yamlProblems.length ? "error" : "none"}>
              <Textarea className={styles.yaml} resize="vertical" value={yaml} spellCheck={false}
                onChange={(_, d) => { setYaml(d.value); setYamlEdited(true); }} />
            </Field>
            <div className={styles.row}>
              <Button disabled={!yamlEdited} onClick={() => void applyYaml()}>{t.yamlApply}</Button>
              <Button disabled={!yamlEdited} appearance="subtle" onClick={() => { setYamlEdited(false); setYamlProblems([]); if (check) setYaml(check.yaml); }}>{t.yamlReset}</Button>
            </div>
          </Card>
        </div>
      </div>
      <RouteLink to={{ page: "stromen" }}>{t.stromenBack}</RouteLink>
    </section>
  );
}

type Part = { form: FlowForm; change: (next: Partial<FlowForm>) => void; problems: Problem[] };

function FlowCard({ form, change, setTitle, problems }: Part & { setTitle: (title: string) => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Card className={styles.card}>
      <Title3 as="h2">{t.designerFlow}</Title3>
      <div className={styles.row}>
        <div className={styles.grow}>
          <Err problems={problems} path="title" label={t.flowTitleLabel}>
            <Input className={styles.full} value={form.title} onChange={(_, d) => setTitle(d.value)} />
          </Err>
        </div>
        <div className={styles.grow}>
          <Err problems={problems} path="id" label={t.flowIdLabel}>
            <Input className={styles.full} value={form.id} onChange={(_, d) => change({ id: d.value, idTouched: true })} />
          </Err>
        </div>
        <div className={styles.small}>
          <Err problems={problems} path="version" label={t.flowVersionLabel}>
            <Input className={styles.full} value={form.version} inputMode="numeric" onChange={(_, d) => change({ version: d.value })} />
          </Err>
        </div>
      </div>
      <Err problems={problems} path="description" label={t.flowDescriptionLabel}>
        <Textarea value={form.description} onChange={(_, d) => change({ description: d.value })} />
      </Err>
    </Card>
  );
}

function FieldsCard({ form, change, problems }: Part) {
  const styles = useStyles();
  const { t } = useI18n();
  const set = (i: number, next: Partial<FieldForm>) =>
    change({ fields: form.fields.map((f, j) => (j === i ? { ...f, ...next } : f)) });
  const typeWord = (type: FieldType) => t[`fieldType_${type}` as keyof Strings];
  return (
    <Card className={styles.card}>
      <Title3 as="h2">{t.designerFields}</Title3>
      {form.fields.map((f, i) => (
        <div key={i} className={styles.stage} role="group" aria-label={fill(t.fieldN, { n: i + 1 })}>
          <div className={styles.row}>
            <div className={styles.grow}>
              <Err problems={problems} path={`fields[${i}].name`} label={t.fieldNameLabel}>
                <Input className={styles.full} value={f.name} onChange={(_, d) => set(i, {
                  name: d.value, label: !f.label || f.label === f.name ? d.value : f.label })} />
              </Err>
            </div>
            <div className={styles.grow}>
              <Err problems={problems} path={`fields[${i}].label`} label={t.fieldLabelLabel}>
                <Input className={styles.full} value={f.label} onChange={(_, d) => set(i, { label: d.value })} />
              </Err>
            </div>
            <div className={styles.grow}>
              <Err problems={problems} path={`fields[${i}].type`} label={t.fieldTypeLabel}>
                <Dropdown className={styles.full} value={typeWord(f.type)} selectedOptions={[f.type]}
                  onOptionSelect={(_, d) => set(i, { type: d.optionValue as FieldType })}>
                  {FIELD_TYPES.map((type) => <Option key={type} value={type}>{typeWord(type)}</Option>)}
                </Dropdown>
              </Err>
            </div>
          </div>
          {f.type === "choice" && (
            <Err problems={problems} path={`fields[${i}].options`} label={t.fieldOptionsLabel}>
              <Input className={styles.full} value={f.options} onChange={(_, d) => set(i, { options: d.value })} />
            </Err>
          )}
          <div className={styles.row}>
            <Checkbox label={t.fieldRequired} checked={f.required} onChange={(_, d) => set(i, { required: !!d.checked })} />
            <Button size="small" appearance="subtle" onClick={() => change({ fields: form.fields.filter((_, j) => j !== i) })}>
              {fill(t.fieldRemove, { name: f.name || i + 1 })}</Button>
          </div>
        </div>
      ))}
      {at(problems, "fields") && !form.fields.length && <Text role="alert">{at(problems, "fields")}</Text>}
      <div>
        <Button onClick={() => change({ fields: [...form.fields, { name: "", label: "", type: "text", required: false, options: "" }] })}>
          {t.fieldAdd}</Button>
      </div>
    </Card>
  );
}

function ruleText(rule: Rule, t: Strings): string {
  if (rule.kind === "manager") return rule.levels === 1 ? t.ruleManager : fill(t.ruleManagerLevels, { levels: rule.levels });
  if (rule.kind === "initiator") return t.ruleInitiator;
  if (rule.kind === "field") return fill(t.ruleField, { field: rule.value });
  const word = { user: t.pickPerson, group: t.pickGroup, role: t.pickRole }[rule.kind];
  return `${rule.value} (${word})`;
}

function Rules({ rules, set, label, fields }: { rules: Rule[]; set: (rules: Rule[]) => void; label: string; fields: FieldForm[] }) {
  const styles = useStyles();
  const { t } = useI18n();
  const extras = [
    { key: "manager", label: t.ruleManager, detail: t.ruleSpecial },
    { key: "initiator", label: t.ruleInitiator, detail: t.ruleSpecial },
    ...fields.filter((f) => f.type === "user" && f.name).map((f) => ({ key: `field:${f.name}`, label: fill(t.ruleField, { field: f.label || f.name }), detail: t.ruleSpecial })),
  ];
  const add = (rule: Rule) => set([...rules, rule]);
  return (
    <div className={styles.form}>
      <div className={styles.rules}>
        {rules.length === 0 && <Text className={styles.muted}>{t.rulesNone}</Text>}
        {rules.map((r, i) => (
          <span key={i}>
            <Badge appearance="outline" size="large">{ruleText(r, t)}</Badge>
            <Button size="small" appearance="subtle" aria-label={fill(t.ruleRemove, { rule: ruleText(r, t) })}
              onClick={() => set(rules.filter((_, j) => j !== i))}>×</Button>
          </span>
        ))}
      </div>
      <DirectoryPicker label={label} extras={extras}
        onPick={(e: DirectoryEntry) => add({ kind: e.kind, value: e.value, levels: 1 })}
        onExtra={(key) => add(key === "manager" ? { kind: "manager", value: "", levels: 1 }
          : key === "initiator" ? { kind: "initiator", value: "", levels: 1 }
            : { kind: "field", value: key.slice(6), levels: 1 })} />
    </div>
  );
}

function StagesCard({ form, change, problems }: Part) {
  const styles = useStyles();
  const { t } = useI18n();
  const titles = kindTitles(t);
  const setSteps = (steps: FlowForm["steps"]) => change({ steps });
  const setStage = (s: number, g: number, next: Partial<StageForm>) => setSteps(form.steps.map((step, i) => i !== s ? step
    : { ...step, stages: step.stages.map((stage, j) => (j === g ? { ...stage, ...next } : stage)) }));
  const addStep = () => setSteps([...form.steps, { id: "", stages: [newStage(form, nextKind(form), titles, form.steps.length)] }]);
  const addParallel = (s: number) => {
    const step = form.steps[s];
    const stage = newStage(form, step.stages[0].kind, titles, s);
    setSteps(form.steps.map((x, i) => i !== s ? x : { id: x.id || groupId(form, s), stages: [...x.stages, stage] }));
  };
  const remove = (s: number, g: number) => setSteps(form.steps
    .map((step, i) => i !== s ? step : { ...step, stages: step.stages.filter((_, j) => j !== g) })
    .filter((step) => step.stages.length));
  const earlier = (s: number) => form.steps.slice(0, s).flatMap((step) => step.stages);
  const completionWord = (c: Completion) => ({ all: t.completionAll, any: t.completionAny, quorum: t.completionQuorum })[c];
  return (
    <Card className={styles.card}>
      <Title3 as="h2">{t.designerStages}</Title3>
      {at(problems, "stages") && !form.steps.length && <Text role="alert">{at(problems, "stages")}</Text>}
      {form.steps.map((step, s) => (
        <div key={s} className={styles.step} role="group" aria-label={fill(t.stepN, { n: s + 1 })}>
          <Text weight="semibold">{fill(t.stepN, { n: s + 1 })}{step.stages.length > 1 ? ` · ${t.stepParallel}` : ""}</Text>
          {step.stages.map((stage, g) => {
            const path = stagePath(form, s, g);
            const targets = earlier(s);
            return (
              <div key={g} className={styles.stage} role="group" aria-label={stage.title || stage.id}>
                <div className={styles.row}>
                  <div className={styles.grow}>
                    <Err problems={problems} path={`${path}.title`} label={t.stageTitleLabel}>
                      <Input className={styles.full} value={stage.title} onChange={(_, d) => setStage(s, g, {
                        title: d.value, id: stage.idTouched ? stage.id : slug(d.value, stage.kind) })} />
                    </Err>
                  </div>
                  <div className={styles.grow}>
                    <Err problems={problems} path={`${path}.kind`} label={t.stageKindLabel}>
                      <Dropdown className={styles.full} value={t[`kind_${stage.kind}` as keyof Strings]} selectedOptions={[stage.kind]}
                        onOptionSelect={(_, d) => setStage(s, g, { kind: d.optionValue as Kind })}>
                        {KINDS.map((k) => <Option key={k} value={k}>{t[`kind_${k}` as keyof Strings]}</Option>)}
                      </Dropdown>
                    </Err>
                  </div>
                  <div className={styles.grow}>
                    <Err problems={problems} path={`${path}.id`} label={t.stageIdLabel}>
                      <Input className={styles.full} value={stage.id} onChange={(_, d) => setStage(s, g, { id: d.value, idTouched: true })} />
                    </Err>
                  </div>
                </div>
                <Err problems={problems} path={`${path}.assignees`} label={t.stageAssignees}>
                  <Rules rules={stage.assignees} set={(assignees) => setStage(s, g, { assignees })}
                    label={fill(t.pickFor, { stage: stage.title || stage.id })} fields={form.fields} />
                </Err>
                <div className={styles.row}>
                  <div className={styles.grow}>
                    <Err problems={problems} path={`${path}.completion`} label={t.stageCompletion}>
                      <Dropdown className={styles.full} value={completionWord(stage.completion)} selectedOptions={[stage.completion]}
                        onOptionSelect={(_, d) => setStage(s, g, { completion: d.optionValue as Completion })}>
                        {(["any", "all", "quorum"] as Completion[]).map((c) => <Option key={c} value={c}>{completionWord(c)}</Option>)}
                      </Dropdown>
                    </Err>
                  </div>
                  {stage.completion === "quorum" && (
                    <div className={styles.small}>
                      <Err problems={problems} path={`${path}.completion.quorum`} label={t.stageQuorum}>
                        <Input className={styles.full} value={stage.quorum} inputMode="numeric" onChange={(_, d) => setStage(s, g, { quorum: d.value })} />
                      </Err>
                    </div>
                  )}
                  <div className={styles.small}>
                    <Err problems={problems} path={`${path}.deadline_days`} label={t.stageDeadline}>
                      <Input className={styles.full} value={stage.deadline} inputMode="numeric" onChange={(_, d) => setStage(s, g, { deadline: d.value })} />
                    </Err>
                  </div>
                  <div className={styles.grow}>
                    <Err problems={problems} path={`${path}.condition`} label={t.stageCondition}>
                      <Input className={styles.full} value={stage.condition} placeholder={t.stageConditionHint}
                        onChange={(_, d) => setStage(s, g, { condition: d.value })} />
                    </Err>
                  </div>
                </div>
                {targets.length > 0 && (
                  <Err problems={problems} path={`${path}.return_to`} label={t.stageReturnTo}>
                    <div className={styles.rules}>
                      {targets.map((x) => (
                        <Checkbox key={x.id} label={x.title || x.id} checked={stage.returnTo.includes(x.id)}
                          onChange={(_, d) => setStage(s, g, { returnTo: d.checked
                            ? [...stage.returnTo, x.id] : stage.returnTo.filter((r) => r !== x.id) })} />
                      ))}
                    </div>
                  </Err>
                )}
                <Err problems={problems} path={`${path}.instructions`} label={t.stageInstructions}>
                  <Textarea value={stage.instructions} onChange={(_, d) => setStage(s, g, { instructions: d.value })} />
                </Err>
                <div className={styles.row}>
                  <Checkbox label={t.stageAllowInitiator} checked={stage.allowInitiator}
                    onChange={(_, d) => setStage(s, g, { allowInitiator: !!d.checked })} />
                  <Button size="small" appearance="subtle" onClick={() => remove(s, g)}>
                    {fill(t.stageRemove, { title: stage.title || stage.id })}</Button>
                </div>
              </div>
            );
          })}
          <div>
            <Button size="small" onClick={() => addParallel(s)}>{fill(t.stageAddParallel, { n: s + 1 })}</Button>
          </div>
        </div>
      ))}
      <div>
        <Button onClick={addStep}>{fill(t.stepAdd, { kind: t[`kind_${nextKind(form)}` as keyof Strings] })}</Button>
      </div>
    </Card>
  );
}

function StartersCard({ form, change, problems }: Part) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Card className={styles.card}>
      <Title3 as="h2">{t.designerStarters}</Title3>
      <Err problems={problems} path="starters" label={t.startersLabel}>
        <div className={styles.form}>
          <Checkbox label={t.startersEmployees} checked={form.employees} onChange={(_, d) => change({ employees: !!d.checked })} />
          <Rules rules={form.starters} set={(starters) => change({ starters })} label={t.startersPick} fields={[]} />
        </div>
      </Err>
    </Card>
  );
}

function SimulatePanel({ form, valid }: { form: FlowForm; valid: boolean }) {
  const styles = useStyles();
  const { t, lang } = useI18n();
  const [initiator, setInitiator] = useState<DirectoryEntry | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [result, setResult] = useState<Simulation | null>(null);
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    if (!initiator) { setError({ message: t.simInitiatorRequired, field: "initiator" }); return; }
    setBusy(true);
    setError(null);
    const fields = Object.fromEntries(Object.entries(values).filter(([name, v]) => v.trim() && form.fields.some((f) => f.name === name)));
    try {
      setResult(unwrap(await api.POST("/api/v1/admin/flows/simulate", {
        body: { draft: { definition: toData(form) }, initiator: initiator.value, fields } })));
    } catch (e) {
      const refused = e as { message: string; body?: { field?: string | null } };
      setError({ message: refused.message, field: refused.body?.field ?? null });
      setResult(null);
    }
    setBusy(false);
  };
  const outcomeWord = { task: t.simTask, skipped: t.simSkipped, nobody: t.simNobody } as const;
  const outcomeColor = { task: "success", skipped: "subtle", nobody: "danger" } as const;
  const fieldError = (name: string) => (error?.field === `fields.${name}` ? error.message : undefined);

  return (
    <Card className={styles.card} role="region" aria-labelledby="sim-title">
      <Title3 as="h2" id="sim-title">{t.simTitle}</Title3>
      <Text size={200} className={styles.muted}>{t.simIntro}</Text>
      <Field label={t.simInitiator} validationMessage={error?.field === "initiator" ? error.message : undefined}
        validationState={error?.field === "initiator" ? "error" : "none"}>
        {initiator
          ? <div className={styles.rules}><Badge appearance="outline" size="large">{initiator.name}</Badge>
              <Button size="small" appearance="subtle" onClick={() => setInitiator(null)}>{t.simOtherInitiator}</Button></div>
          : <DirectoryPicker label={t.simInitiatorPick} kind="user" onPick={setInitiator} />}
      </Field>
      {form.fields.filter((f) => f.name).map((f) => (
        <Field key={f.name} label={f.label || f.name} validationMessage={fieldError(f.name)}
          validationState={fieldError(f.name) ? "error" : "none"}>
          <Input className={styles.full} value={values[f.name] ?? ""} onChange={(_, d) => setValues({ ...values, [f.name]: d.value })} />
        </Field>
      ))}
      <div className={styles.row}>
        <Button appearance="primary" disabled={!valid || busy} onClick={() => void run()}>{t.simRun}</Button>
      </div>
      {error && error.field !== "initiator" && !error.field?.startsWith("fields.") && <ErrorBar title={t.errorTitle} message={error.message} />}
      {result && (
        <div role="region" aria-label={t.simResult} aria-live="polite">
          <Text weight="semibold">{fill(t.simSummary, { start: formatDate(lang, result.start), end: formatDate(lang, result.end) })}</Text>
          {result.nobody.length > 0 && (
            <MessageBar intent="warning"><MessageBarBody>{plural(result.nobody.length, t.simNobodyWarningOne, t.simNobodyWarning, { count: result.nobody.length })}</MessageBarBody></MessageBar>
          )}
          <ol className={styles.sim}>
            {result.stages.map((x) => (
              <li key={x.stage_id} className={styles.simStage}>
                <span><Text weight="semibold">{fill(t.stepN, { n: x.step + 1 })} · {x.title}</Text>{" "}
                  <Badge appearance="tint" color={outcomeColor[x.outcome]}>{outcomeWord[x.outcome]}</Badge></span>
                {x.outcome === "task" && (
                  <Text size={200}>{fill(t.simWho, { names: x.assignees.map((p) => p.name).join(", "), kind: t[`kind_${x.kind}` as keyof Strings] })}
                    {x.due ? ` · ${fill(t.dueOn, { date: formatDate(lang, x.due) })} (${fill(t.simDays, { days: x.deadline_days ?? 0 })})` : ` · ${t.noDue}`}</Text>
                )}
                {x.outcome === "nobody" && <Text size={200}>{t.simNobodyText}</Text>}
                {x.left_out.length > 0 && <Text size={200}>{fill(t.simLeftOut, { names: x.left_out.map((p) => p.name).join(", ") })}</Text>}
                {x.reason && <Text size={200}>{x.reason}</Text>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </Card>
  );
}
