// The flow designer's form, and the flow as data in the shape of its YAML document (what the
// API validates, simulates and publishes). The paths of the form's inputs are the validator's
// paths (stages[1].parallel[0].condition), so a problem shows at the input it concerns.

export type Kind = "advise" | "initial" | "approve" | "decide" | "sign" | "acknowledge";
export const KINDS: Kind[] = ["advise", "initial", "approve", "decide", "sign", "acknowledge"];
export type FieldType = "text" | "number" | "money" | "date" | "choice" | "user" | "document";
export const FIELD_TYPES: FieldType[] = ["text", "number", "money", "date", "choice", "user", "document"];
export type RuleKind = "user" | "group" | "role" | "manager" | "initiator" | "field";
export type Completion = "all" | "any" | "quorum";

export interface Rule { kind: RuleKind; value: string; levels: number }
export interface StageForm {
  id: string; idTouched: boolean; kind: Kind; title: string; assignees: Rule[];
  completion: Completion; quorum: string; condition: string; deadline: string;
  returnTo: string[]; instructions: string; allowInitiator: boolean;
}
export interface StepForm { id: string; stages: StageForm[] }
export interface FieldForm { name: string; label: string; type: FieldType; required: boolean; options: string }
export interface FlowForm {
  id: string; idTouched: boolean; version: string; title: string; description: string;
  fields: FieldForm[]; employees: boolean; starters: Rule[]; steps: StepForm[];
}

type Data = Record<string, unknown>;

const DECIDING: Kind[] = ["initial", "approve", "decide", "sign"];
const NEXT: Record<Kind, Kind> = {
  advise: "initial", initial: "approve", approve: "decide", decide: "sign", sign: "acknowledge",
  acknowledge: "acknowledge",
};

/** An id the validator takes ([a-z][a-z0-9_-]{1,63}) from a title: "Juridisch advies" -> juridisch_advies. */
export function slug(text: string, fallback: string): string {
  let id = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "_").replace(/^[^a-z]+/, "").replace(/_+$/, "").slice(0, 60);
  if (id.length < 2) id = fallback;
  return id;
}

function unique(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}_${n}`;
  return candidate;
}

export function stageIds(form: FlowForm, except?: StageForm): Set<string> {
  const ids = new Set<string>();
  for (const step of form.steps) {
    if (step.stages.length > 1) ids.add(step.id);
    for (const stage of step.stages) if (stage !== except) ids.add(stage.id);
  }
  return ids;
}

/** A new stage, prefilled: the kind that usually comes next, its usual title, the
 * initiator's manager for a paraaf, any one of the assignees completes it, five working days,
 * and (for a deciding stage) the stages of the step before as return targets. */
export function newStage(form: FlowForm, kind: Kind, titles: Record<Kind, string>, before: number): StageForm {
  const taken = stageIds(form);
  const sameKind = form.steps.flatMap((s) => s.stages).filter((s) => s.kind === kind).length;
  const title = sameKind ? `${titles[kind]} ${sameKind + 1}` : titles[kind];
  const previous = before > 0 ? form.steps[before - 1].stages.map((s) => s.id) : [];
  return {
    id: unique(slug(title, kind), taken), idTouched: false, kind, title,
    assignees: kind === "initial" ? [{ kind: "manager", value: "", levels: 1 }] : [],
    completion: "any", quorum: "2", condition: "", deadline: "5",
    returnTo: DECIDING.includes(kind) ? previous : [], instructions: "", allowInitiator: false,
  };
}

export function nextKind(form: FlowForm): Kind {
  const last = form.steps[form.steps.length - 1];
  return last ? NEXT[last.stages[0].kind] : "advise";
}

export function newFlow(titles: Record<Kind, string>, fieldLabel: string): FlowForm {
  const form: FlowForm = {
    id: "", idTouched: false, version: "1", title: "", description: "",
    fields: [{ name: "onderwerp", label: fieldLabel, type: "text", required: true, options: "" }],
    employees: true, starters: [], steps: [],
  };
  form.steps = [{ id: "", stages: [newStage(form, "advise", titles, 0)] }];
  return form;
}

/** A group id for a step of several stages that is not taken by a stage. */
export function groupId(form: FlowForm, index: number): string {
  return unique(`groep_${index + 1}`, stageIds(form));
}

export function stagePath(form: FlowForm, step: number, stage: number): string {
  return form.steps[step].stages.length > 1 ? `stages[${step}].parallel[${stage}]` : `stages[${step}]`;
}

// --- form -> data -------------------------------------------------------------------------

function number(text: string): number | string {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export function ruleData(rule: Rule): Data {
  if (rule.kind === "manager") return { manager: rule.levels };
  if (rule.kind === "initiator") return { initiator: true };
  return { [rule.kind]: rule.value };
}

function stageData(stage: StageForm): Data {
  const data: Data = { id: stage.id, kind: stage.kind, title: stage.title || stage.id };
  data.assignees = stage.assignees.map(ruleData);
  if (stage.completion === "any") data.completion = "any";
  if (stage.completion === "quorum") data.completion = { quorum: number(stage.quorum) };
  if (stage.condition.trim()) data.condition = stage.condition.trim();
  if (stage.deadline.trim()) data.deadline_days = number(stage.deadline);
  if (stage.returnTo.length) data.return_to = stage.returnTo;
  if (stage.instructions.trim()) data.instructions = stage.instructions.trim();
  if (stage.allowInitiator) data.allow_initiator = true;
  return data;
}

export function toData(form: FlowForm): Data {
  const data: Data = { schema: "paraaf/flow/v1", id: form.id, version: number(form.version), title: form.title };
  if (form.description.trim()) data.description = form.description.trim();
  if (form.fields.length) {
    data.fields = form.fields.map((f) => {
      const field: Data = { name: f.name, type: f.type, label: f.label || f.name };
      if (f.required) field.required = true;
      if (f.type === "choice") field.options = f.options.split(",").map((o) => o.trim()).filter(Boolean);
      return field;
    });
  }
  if (!form.employees || form.starters.length) {
    data.starters = [...(form.employees ? [{ employees: true }] : []), ...form.starters.map(ruleData)];
  }
  data.stages = form.steps.map((step) => step.stages.length === 1
    ? stageData(step.stages[0])
    : { id: step.id, parallel: step.stages.map(stageData) });
  return data;
}

// --- data -> form -------------------------------------------------------------------------

function text(value: unknown): string {
  return value === undefined || value === null ? "" : String(value);
}

export function ruleFrom(data: unknown): Rule {
  const item = (data ?? {}) as Data;
  if ("manager" in item) return { kind: "manager", value: "", levels: Number(item.manager) || 1 };
  if ("initiator" in item) return { kind: "initiator", value: "", levels: 1 };
  for (const kind of ["user", "group", "role", "field"] as RuleKind[]) {
    if (kind in item) return { kind, value: text(item[kind]), levels: 1 };
  }
  return { kind: "user", value: "", levels: 1 };
}

function stageFrom(data: Data): StageForm {
  const completion = data.completion;
  const quorum = typeof completion === "object" && completion !== null ? text((completion as Data).quorum) : "2";
  return {
    id: text(data.id), idTouched: true, kind: (KINDS.includes(data.kind as Kind) ? data.kind : "advise") as Kind,
    title: text(data.title ?? data.id),
    assignees: Array.isArray(data.assignees) ? data.assignees.map(ruleFrom) : [],
    completion: completion === "any" ? "any" : typeof completion === "object" && completion ? "quorum" : "all",
    quorum, condition: text(data.condition), deadline: text(data.deadline_days),
    returnTo: Array.isArray(data.return_to) ? data.return_to.map(text) : [],
    instructions: text(data.instructions), allowInitiator: data.allow_initiator === true,
  };
}

export function fromData(data: Data): FlowForm {
  const stages = Array.isArray(data.stages) ? (data.stages as Data[]) : [];
  const starters = Array.isArray(data.starters) ? (data.starters as Data[]) : [];
  return {
    id: text(data.id), idTouched: true, version: text(data.version), title: text(data.title),
    description: text(data.description),
    fields: (Array.isArray(data.fields) ? (data.fields as Data[]) : []).map((f) => ({
      name: text(f.name), label: text(f.label ?? f.name),
      type: (FIELD_TYPES.includes(f.type as FieldType) ? f.type : "text") as FieldType,
      required: f.required === true,
      options: Array.isArray(f.options) ? f.options.map(text).join(", ") : "",
    })),
    employees: starters.length === 0 || starters.some((s) => s.employees === true),
    starters: starters.filter((s) => !("employees" in s)).map(ruleFrom),
    steps: stages.map((s) => Array.isArray(s.parallel)
      ? { id: text(s.id), stages: (s.parallel as Data[]).map(stageFrom) }
      : { id: "", stages: [stageFrom(s)] }),
  };
}
