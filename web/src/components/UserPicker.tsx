import { Button, Card, makeStyles, Radio, RadioGroup, Text, tokens, Title2, Field } from "@fluentui/react-components";
import { useState } from "react";
import type { LocalUser } from "../api/client";
import { useI18n } from "../i18n";

const useStyles = makeStyles({
  card: { maxWidth: "560px", margin: "0 auto", padding: tokens.spacingHorizontalXL },
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  dept: { color: tokens.colorNeutralForeground3 },
});

/** The local demo's sign-in: pick one of the demo directory's users. */
export function UserPicker({ users, onPick }: { users: LocalUser[]; onPick: (id: string) => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [choice, setChoice] = useState<string>("");
  return (
    <Card className={styles.card}>
      <form className={styles.form} onSubmit={(e) => { e.preventDefault(); if (choice) onPick(choice); }}>
        <Title2 as="h1">{t.pickerTitle}</Title2>
        <Text>{t.pickerIntro}</Text>
        <Field label={t.pickerLabel}>
          <RadioGroup value={choice} onChange={(_, data) => setChoice(data.value)}>
            {users.map((u) => (
              <Radio key={u.id} value={u.id} label={
                <span>{u.name} <span className={styles.dept}>· {u.department}{u.beheerder ? ` · ${t.beheerder}` : ""}</span></span>
              } />
            ))}
          </RadioGroup>
        </Field>
        <div><Button appearance="primary" type="submit" disabled={!choice}>{t.pickerChoose}</Button></div>
      </form>
    </Card>
  );
}
