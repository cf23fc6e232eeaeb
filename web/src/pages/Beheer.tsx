import { Card, makeStyles, Spinner, Text, Title2, Title3, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { api, unwrap, type DossierSummary, type Me } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { useI18n } from "../i18n";
import { RouteLink } from "../router";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

/** What is coming for beheerders; for now the dossiers in which nobody is to act. */
export function Beheer({ me }: { me: Me }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <section className={styles.page} aria-labelledby="beheer-title">
      <Title2 as="h1" id="beheer-title">{t.beheerTitle}</Title2>
      <Card className={styles.card}>
        <Text>{t.beheerIntro}</Text>
        <ul className={styles.list}>
          <li><Text>{t.beheerComing1}</Text></li>
          <li><Text>{t.beheerComing2}</Text></li>
          <li><Text>{t.beheerComing3}</Text></li>
        </ul>
        <Text>{t.beheerUntilThen}</Text>
      </Card>
      {me.beheerder && (
        <Card className={styles.card}>
          <Title3 as="h2">{t.stromenTitle}</Title3>
          <Text>{t.stromenIntro}</Text>
          <RouteLink to={{ page: "stromen" }}>{t.stromenOpen}</RouteLink>
        </Card>
      )}
      {me.beheerder && <Unassigned />}
    </section>
  );
}

function Unassigned() {
  const styles = useStyles();
  const { t } = useI18n();
  const [items, setItems] = useState<DossierSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.GET("/api/v1/admin/unassigned", { params: { query: { page: 1, page_size: 25 } } })
      .then(unwrap).then((page) => setItems(page.items), (e: Error) => setError(e.message));
  }, []);
  return (
    <Card className={styles.card}>
      <Title3 as="h2">{t.unassignedTitle}</Title3>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!items && !error && <Spinner label={t.loading} />}
      {items && items.length === 0 && <Text>{t.unassignedEmpty}</Text>}
      {items && items.length > 0 && (
        <ul className={styles.list}>
          {items.map((d) => (
            <li key={d.id}><RouteLink to={{ page: "dossier", id: d.id }}>{d.number} {d.title}</RouteLink>{d.stage ? ` · ${d.stage}` : ""}</li>
          ))}
        </ul>
      )}
    </Card>
  );
}
