// The actions of one task, as on its card: the stage's own verb first, the others in a menu;
// verbs that need input open a dialog. Every action goes to the same command as the card's.
import {
  Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field,
  Input, makeStyles, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger, Radio, RadioGroup,
  Textarea, tokens,
} from "@fluentui/react-components";
import { useState, type FormEvent } from "react";
import { api, unwrap, type DossierSummary, type Task, type Verb } from "../api/client";
import { fill, useI18n, type Strings } from "../i18n";

/** Verbs that act at once, with nothing to type. */
export const DIRECT: ReadonlySet<Verb> = new Set(["initial", "approve", "acknowledge", "sign"]);

/** The stages `return` may send the dossier back to, when the API lists them with the task. */
export function returnTargets(task: Task): { id: string; title: string }[] {
  const listed = (task as { return_targets?: { id: string; title: string }[] }).return_targets;
  return Array.isArray(listed) ? listed : [];
}

/** The verbs the tab can offer for a task: `return` only with somewhere to send it back to. */
export function offeredVerbs(task: Task): Verb[] {
  return task.verbs.filter((verb) => verb !== "return" || returnTargets(task).length > 0);
}

export function verbLabel(t: Strings, verb: Verb): string {
  return t[`verb_${verb}` as keyof Strings];
}

const useStyles = makeStyles({
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  nowrap: { whiteSpace: "nowrap" },
});

export interface ActionOutcome {
  task: Task;
  verb: Verb;
  dossier?: DossierSummary;
  error?: string;
}

type Body = {
  advice?: "positief" | "negatief" | "neutraal"; text?: string; return_to?: string; return_reason?: string;
  reject_reason?: string; comment?: string; delegate_to?: string; delegate_reason?: string;
};

async function act(task: Task, verb: Verb, body: Body): Promise<DossierSummary> {
  const answer = await api.POST("/api/v1/dossiers/{id}/actions", {
    params: { path: { id: task.dossier_id } },
    body: {
      verb, stage_id: task.stage_id, round: task.round, version: task.version,
      on_behalf_of: task.on_behalf_of ?? undefined, ...body,
    },
  });
  return unwrap(answer).dossier;
}

export function TaskActions({ task, onDone }: { task: Task; onDone: (outcome: ActionOutcome) => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Verb | null>(null);
  const verbs = offeredVerbs(task);
  const primary = verbs.includes(task.kind) ? task.kind : verbs[0];
  const others = verbs.filter((v) => v !== primary);

  const run = async (verb: Verb, body: Body = {}) => {
    setBusy(true);
    try {
      const dossier = await act(task, verb, body);
      setOpen(null);
      onDone({ task, verb, dossier });
    } catch (error) {
      setOpen(null);
      onDone({ task, verb, error: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const choose = (verb: Verb) => (DIRECT.has(verb) ? void run(verb) : setOpen(verb));

  return (
    <div className={styles.row}>
      {primary && (
        <Button appearance="primary" disabled={busy} onClick={() => choose(primary)}>
          {verbLabel(t, primary)}
        </Button>
      )}
      {others.length > 0 && (
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button disabled={busy} aria-label={fill(t.moreActions, { number: task.number })}
              style={{ minWidth: "auto" }}>…</Button>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {others.map((verb) => (
                <MenuItem key={verb} onClick={() => choose(verb)}>{verbLabel(t, verb)}</MenuItem>
              ))}
            </MenuList>
          </MenuPopover>
        </Menu>
      )}
      {open && (
        <ActionDialog task={task} verb={open} busy={busy} onCancel={() => setOpen(null)}
          onSubmit={(body) => void run(open, body)} />
      )}
    </div>
  );
}

function ActionDialog({ task, verb, busy, onCancel, onSubmit }: {
  task: Task; verb: Verb; busy: boolean; onCancel: () => void; onSubmit: (body: Body) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [advice, setAdvice] = useState<Body["advice"]>();
  const [text, setText] = useState("");
  const [email, setEmail] = useState("");
  const targets = returnTargets(task);
  const [target, setTarget] = useState(targets.length === 1 ? targets[0].id : "");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = text.trim();
    const body: Record<Verb, Body> = {
      advise: { advice, text: value },
      decide: { text: value },
      return: { return_to: target, return_reason: value },
      reject: { reject_reason: value },
      comment: { comment: value },
      delegate: { delegate_to: email.trim(), delegate_reason: value },
      initial: {}, approve: {}, acknowledge: {}, sign: {},
    };
    onSubmit(body[verb]);
  };
  const submitLabel = t[`submit_${verb}` as keyof Strings] ?? verbLabel(t, verb);
  const textField: Partial<Record<Verb, { label: string; placeholder?: string; required: boolean }>> = {
    advise: { label: t.labelExplanation, required: false },
    decide: { label: t.labelDecision, placeholder: t.placeholderDecision, required: true },
    return: { label: t.labelReason, placeholder: t.placeholderReturnReason, required: true },
    reject: { label: t.labelReason, placeholder: t.placeholderRejectReason, required: true },
    comment: { label: t.labelComment, required: true },
    delegate: { label: t.labelReason, required: true },
  };
  const field = textField[verb];
  const ready = (verb !== "advise" || advice) && (!field?.required || text.trim())
    && (verb !== "delegate" || email.trim()) && (verb !== "return" || target);
  return (
    <Dialog open onOpenChange={(_, data) => { if (!data.open) onCancel(); }}>
      <DialogSurface>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{verbLabel(t, verb)}: {task.number} {task.title}</DialogTitle>
            <DialogContent className={styles.form}>
              {verb === "advise" && (
                <Field label={t.labelAdvice} required>
                  <RadioGroup value={advice ?? ""} onChange={(_, d) => setAdvice(d.value as Body["advice"])}>
                    <Radio value="positief" label={t.advice_positief} />
                    <Radio value="negatief" label={t.advice_negatief} />
                    <Radio value="neutraal" label={t.advice_neutraal} />
                  </RadioGroup>
                </Field>
              )}
              {verb === "return" && (
                <Field label={t.labelReturnTo} required>
                  <RadioGroup value={target} onChange={(_, d) => setTarget(d.value)}>
                    {targets.map((stage) => <Radio key={stage.id} value={stage.id} label={stage.title} />)}
                  </RadioGroup>
                </Field>
              )}
              {verb === "delegate" && (
                <Field label={t.labelDelegateTo} required>
                  <Input type="email" value={email} placeholder={t.placeholderEmail}
                    onChange={(_, d) => setEmail(d.value)} />
                </Field>
              )}
              {field && (
                <Field label={field.label} required={field.required}>
                  <Textarea value={text} placeholder={field.placeholder} resize="vertical"
                    onChange={(_, d) => setText(d.value)} />
                </Field>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onCancel}>{t.cancel}</Button>
              <Button appearance="primary" type="submit" className={styles.nowrap} disabled={busy || !ready}>{submitLabel}</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
