import { Combobox, makeStyles, Option, Text } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { api, unwrap, type Schemas } from "../api/client";
import { useI18n } from "../i18n";

const useStyles = makeStyles({
  box: { width: "100%", minWidth: 0, maxWidth: "100%", boxSizing: "border-box" },
});

export type DirectoryEntry = Schemas["DirectoryEntry"];
type Extra = { key: string; label: string; detail: string };

/** Search the directory for people, groups and roles (or only one kind); a choice is passed
 * to onPick and the box empties for the next one. A directory that cannot be searched gives
 * no options: then what was typed is taken as it is (Enter), as a UPN, group id or role. */
export function DirectoryPicker({ label, kind, onPick, extras = [], onExtra, id }: {
  label: string;
  kind?: "user" | "group" | "role";
  onPick: (entry: DirectoryEntry) => void;
  extras?: Extra[];
  onExtra?: (key: string) => void;
  id?: string;
}) {
  const { t } = useI18n();
  const styles = useStyles();
  const [text, setText] = useState("");
  const [found, setFound] = useState<DirectoryEntry[]>([]);
  const [open, setOpen] = useState(false);
  const asked = useRef(0);

  useEffect(() => {
    const turn = ++asked.current;
    const timer = window.setTimeout(() => {
      api.GET("/api/v1/admin/directory", { params: { query: { q: text, ...(kind ? { kind } : {}) } } })
        .then(unwrap).then((answer) => { if (turn === asked.current) setFound(answer.items); }, () => setFound([]));
    }, 150);
    return () => window.clearTimeout(timer);
  }, [text, kind]);

  const wanted = text.trim().toLowerCase();
  const shownExtras = extras.filter((e) => !wanted || e.label.toLowerCase().includes(wanted));
  const kindWord = (k: DirectoryEntry["kind"]) => ({ user: t.pickPerson, group: t.pickGroup, role: t.pickRole })[k];

  return (
    <Combobox
      id={id}
      className={styles.box}
      aria-label={label}
      placeholder={label}
      freeform
      value={text}
      selectedOptions={[]}
      open={open && (found.length > 0 || shownExtras.length > 0)}
      onOpenChange={(_, data) => setOpen(data.open)}
      onChange={(event) => { setText(event.target.value); setOpen(true); }}
      onKeyDown={(event) => {
        if (event.key === "Enter" && found.length === 0 && text.trim() && kind) {
          onPick({ kind, value: text.trim(), name: text.trim(), detail: "" });
          setText("");
        }
      }}
      onOptionSelect={(_, data) => {
        const value = data.optionValue ?? "";
        setText("");
        setOpen(false);
        if (value.startsWith("extra:")) { onExtra?.(value.slice(6)); return; }
        const entry = found.find((e) => `${e.kind}:${e.value}` === value);
        if (entry) onPick(entry);
      }}
    >
      {found.map((e) => (
        <Option key={`${e.kind}:${e.value}`} value={`${e.kind}:${e.value}`} text={e.name}>
          <span>{e.name} <Text size={200}>({kindWord(e.kind)}{e.detail ? ` · ${e.detail}` : ""})</Text></span>
        </Option>
      ))}
      {shownExtras.map((e) => (
        <Option key={`extra:${e.key}`} value={`extra:${e.key}`} text={e.label}>
          <span>{e.label} <Text size={200}>({e.detail})</Text></span>
        </Option>
      ))}
    </Combobox>
  );
}
