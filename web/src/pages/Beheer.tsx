import { Card, Link, makeStyles, Spinner, Text, Title2, Title3, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { api, unwrap, type DossierSummary, type Me } from "../api/client";
import { ErrorBar } from "../components/ErrorBar";
import { plural, useI18n } from "../i18n";
import { RouteLink, type Route } from "../router";

const useStyles = makeStyles({
  page: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  card: { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  hub: {
    listStyleType: "none", margin: 0, padding: 0, display: "grid", gap: tokens.spacingVerticalM,
    gridTemplateColumns: "repeat(auto-fit, minmax(240px, 1fr))",
  },
  slot: { display: "flex" },
  item: { flexGrow: 1 },
  h2: { margin: 0 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

const UNASSIGNED = "niemand-aan-zet";

/** The beheerder's hub: the flows, the decision register, insight, and the dossiers in which
 * nobody is to act. Someone who is not a beheerder reads what is here for them. */
export function Beheer({ me }: { me: Me }) {
  const styles = useStyles();
  const { t } = useI18n();
  if (!me.beheerder) {
    return (
      <section className={styles.page} aria-labelledby="beheer-title">
        <Title2 as="h1" id="beheer-title">{t.beheerTitle}</Title2>
        <Card className={styles.card}>
          <Text>{t.beheerOnlyBeheerder}</Text>
          <RouteLink to={{ page: "besluiten" }}>{t.beheerToRegister}</RouteLink>
        </Card>
      </section>
    );
  }
  return (
    <section className={styles.page} aria-labelledby="beheer-title">
      <Title2 as="h1" id="beheer-title">{t.beheerTitle}</Title2>
      <Text>{t.beheerIntro}</Text>
      <ul className={styles.hub} aria-label={t.beheerHub}>
        <HubItem title={t.stromenTitle} text={t.stromenIntro} to={{ page: "stromen" }} link={t.stromenOpen} />
        <HubItem title={t.registerTitle} text={t.beheerRegisterText} to={{ page: "besluiten" }} link={t.beheerToRegister} />
        <HubItem title={t.insightTitle} text={t.beheerInsightText} to={{ page: "inzicht" }} link={t.beheerToInsight} />
        <li className={styles.slot}>
          <Card className={`${styles.card} ${styles.item}`}>
            <Title3 as="h2" className={styles.h2}>{t.beheerUnassignedHub}</Title3>
            <Text>{t.beheerUnassignedText}</Text>
            <Link href={`#${UNASSIGNED}`}>{t.beheerToUnassigned}</Link>
          </Card>
        </li>
      </ul>
      <Unassigned />
    </section>
  );
}

function HubItem({ title, text, to, link }: { title: string; text: string; to: Route; link: string }) {
  const styles = useStyles();
  return (
    <li className={styles.slot}>
      <Card className={`${styles.card} ${styles.item}`}>
        <Title3 as="h2" className={styles.h2}>{title}</Title3>
        <Text>{text}</Text>
        <RouteLink to={to}>{link}</RouteLink>
      </Card>
    </li>
  );
}

function Unassigned() {
  const styles = useStyles();
  const { t } = useI18n();
  const [items, setItems] = useState<DossierSummary[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.GET("/api/v1/admin/unassigned", { params: { query: { page: 1, page_size: 25 } } })
      .then(unwrap).then((page) => { setItems(page.items); setTotal(page.total ?? page.items.length); }, (e: Error) => setError(e.message));
  }, []);
  return (
    <Card className={styles.card}>
      <Title3 as="h2" className={styles.h2} id={UNASSIGNED} tabIndex={-1}>{t.unassignedTitle}</Title3>
      {error && <ErrorBar title={t.errorTitle} message={error} />}
      {!items && !error && <Spinner label={t.loading} />}
      {items && items.length === 0 && <Text>{t.unassignedEmpty}</Text>}
      {items && items.length > 0 && (
        <>
          <Text>{plural(total, t.unassignedOne, t.unassignedN, { count: total })}</Text>
          <ul className={styles.list}>
            {items.map((d) => (
              <li key={d.id}><RouteLink to={{ page: "dossier", id: d.id }}>{d.number} {d.title}</RouteLink>{d.stage ? ` · ${d.stage}` : ""}</li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}
