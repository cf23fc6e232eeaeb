import {
  Button, FluentProvider, makeStyles, Menu, MenuButton, MenuItem, MenuList, MenuPopover, MenuTrigger, Overflow,
  OverflowItem, Spinner, Tab, TabList, Text, tokens, useIsOverflowItemVisible, useOverflowMenu,
  teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, setIdentity, unwrap, type LocalUser, type Me } from "./api/client";
import { ErrorBar } from "./components/ErrorBar";
import { UserPicker } from "./components/UserPicker";
import { catalogues, fill, I18nContext, langFor, useI18n, type Lang } from "./i18n";
import { Beheer } from "./pages/Beheer";
import { Besluiten } from "./pages/Besluiten";
import { Inzicht } from "./pages/Inzicht";
import { NewDossier } from "./pages/NewDossier";
import { DossierPage } from "./pages/DossierPage";
import { Dossiers } from "./pages/Dossiers";
import { Designer } from "./pages/Designer";
import { Stromen } from "./pages/Stromen";
import { Werkvoorraad } from "./pages/Werkvoorraad";
import { RouterProvider, useNav, type Route } from "./router";
import { connectTeams, type TeamsHost, type ThemeName } from "./teams";

const THEMES: Record<ThemeName, Theme> = {
  light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme,
};
const USER_KEY = "paraaf.localUser";

/** A setting given in the address (?theme=dark, ?lang=en): kept for the browser tab's session,
 * so the local demo and the browser tests can choose what Teams would otherwise tell. */
function chosen(name: string): string | null {
  const value = new URLSearchParams(window.location.search).get(name);
  if (value) sessionStorage.setItem(`paraaf.${name}`, value);
  return value ?? sessionStorage.getItem(`paraaf.${name}`);
}

function themeParam(): ThemeName | null {
  const value = chosen("theme");
  return value === "dark" || value === "contrast" || value === "light" ? value : null;
}

type Boot =
  | { state: "starting" }
  | { state: "teams"; host: TeamsHost }
  | { state: "local"; users: LocalUser[]; user: string | null }
  | { state: "none" };

const useStyles = makeStyles({
  root: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground2 },
  skip: {
    position: "absolute", left: "-10000px", top: "auto",
    ":focus": { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalS, zIndex: 10 },
  },
  header: {
    display: "flex", flexWrap: "wrap", alignItems: "center", columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS, padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  // the tabs that do not fit go into a "Meer" menu at the end (Fluent's overflow, as Teams
  // does); at phone width the tabs take a line of their own below the name
  nav: {
    flexGrow: 1, flexBasis: "0", minWidth: 0,
    "@media (max-width: 640px)": { flexBasis: "100%", order: 1 },
  },
  tabs: { display: "flex", flexWrap: "nowrap", alignItems: "center", minWidth: 0 },
  more: { flexShrink: 0, minWidth: "auto", fontWeight: tokens.fontWeightRegular },
  who: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  main: {
    maxWidth: "1100px", margin: "0 auto", ":focus": { outlineStyle: "none" },
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    "@media (max-width: 480px)": { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}` },
  },
  center: { padding: tokens.spacingVerticalXXL },
});

export function App() {
  const forcedTheme = useMemo(themeParam, []);
  const [theme, setTheme] = useState<ThemeName>(forcedTheme ?? "light");
  const [lang, setLang] = useState<Lang>(() => langFor(chosen("lang")));
  const [boot, setBoot] = useState<Boot>({ state: "starting" });
  const [bootError, setBootError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const host = await connectTeams();
      if (cancelled) return;
      if (host) {
        if (!forcedTheme) {
          setTheme(host.theme);
          host.onThemeChange(setTheme);
        }
        const locale = chosen("lang") ?? host.locale;
        setLang(langFor(locale));
        setIdentity({ token: host.token, lang: langFor(locale) });
        setBoot({ state: "teams", host });
        return;
      }
      const language = langFor(chosen("lang"));
      setIdentity({ lang: language });
      const answer = await api.GET("/api/v1/local/users").catch(() => null);
      if (cancelled) return;
      if (!answer || answer.response.status === 404 || !answer.data) {
        if (answer && answer.response.status !== 404) setBootError(`HTTP ${answer.response.status}`);
        setBoot({ state: "none" });
        return;
      }
      const users = answer.data.items;
      const remembered = localStorage.getItem(USER_KEY);
      const user = users.some((u) => u.id === remembered) ? remembered : null;
      setIdentity({ localUser: user, lang: language });
      setBoot({ state: "local", users, user });
    })();
    return () => { cancelled = true; };
  }, [forcedTheme]);

  useEffect(() => { document.documentElement.lang = lang; }, [lang]);

  const pick = useCallback((id: string | null) => {
    if (boot.state !== "local") return;
    if (id) localStorage.setItem(USER_KEY, id); else localStorage.removeItem(USER_KEY);
    setIdentity({ localUser: id, lang });
    setBoot({ ...boot, user: id });
  }, [boot, lang]);

  const i18n = useMemo(() => ({ lang, t: catalogues[lang] }), [lang]);
  return (
    <FluentProvider theme={THEMES[theme]} data-theme={theme}>
      <I18nContext.Provider value={i18n}>
        <RouterProvider>
          <Frame boot={boot} bootError={bootError} pick={pick} />
        </RouterProvider>
      </I18nContext.Provider>
    </FluentProvider>
  );
}

function Frame({ boot, bootError, pick }: { boot: Boot; bootError: string | null; pick: (id: string | null) => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { route, navigate } = useNav();
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<string | null>(null);
  const user = boot.state === "local" ? boot.user : boot.state === "teams" ? "teams" : null;

  useEffect(() => {
    setMe(null);
    setMeError(null);
    if (!user) return;
    api.GET("/api/v1/me").then(unwrap).then(setMe, (e: Error) => setMeError(e.message));
  }, [user]);

  // after a move to another page, focus goes to its content (screen readers start there)
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [route]);

  useEffect(() => {
    const titles: Record<Route["page"], string> = {
      werkvoorraad: t.navWerkvoorraad, dossiers: t.navDossiers, dossier: t.navDossiers, nieuw: t.startTitle, beheer: t.navBeheer,
      stromen: t.stromenTitle, stroom: t.designerTitle,
      besluiten: t.navBesluiten, inzicht: t.navInzicht,
    };
    document.title = `${titles[route.page]} · ${t.appName}`;
  }, [route, t]);

  let body;
  if (boot.state === "starting") {
    body = <div className={styles.center}><Spinner label={t.loading} /></div>;
  } else if (boot.state === "none") {
    body = <ErrorBar title={t.errorTitle} message={bootError ?? t.notSignedIn} />;
  } else if (boot.state === "local" && !boot.user) {
    body = <UserPicker users={boot.users} onPick={pick} />;
  } else if (meError) {
    body = <ErrorBar title={t.errorTitle} message={meError} />;
  } else if (!me) {
    body = <div className={styles.center}><Spinner label={t.loading} /></div>;
  } else if (route.page === "werkvoorraad") {
    body = <Werkvoorraad me={me} />;
  } else if (route.page === "dossiers") {
    body = <Dossiers me={me} />;
  } else if (route.page === "nieuw") {
    body = <NewDossier />;
  } else if (route.page === "dossier") {
    body = <DossierPage id={route.id} />;
  } else if (route.page === "stromen") {
    body = <Stromen me={me} />;
  } else if (route.page === "stroom") {
    body = <Designer me={me} id={route.id} />;
  } else if (route.page === "besluiten") {
    body = <Besluiten me={me} />;
  } else if (route.page === "inzicht") {
    body = <Inzicht me={me} />;
  } else {
    body = <Beheer me={me} />;
  }
  const current = route.page === "dossier" || route.page === "nieuw" ? "dossiers"
    : route.page === "stromen" || route.page === "stroom" ? "beheer" : route.page;
  const signedIn = boot.state === "teams" || (boot.state === "local" && boot.user);

  return (
    <div className={styles.root}>
      <a className={styles.skip} href="#main">{t.skipToContent}</a>
      <header className={styles.header}>
        <Text as="span" className={styles.brand}>{t.appName}</Text>
        {signedIn && (
          <nav className={styles.nav} aria-label={t.navLabel}>
            <NavTabs current={current} beheerder={Boolean(me?.beheerder)}
              onSelect={(page) => navigate({ page } as Route)} />
          </nav>
        )}
        {me && (
          <div className={styles.who}>
            <Text size={200}>{fill(t.signedInAs, { name: me.name })}</Text>
            {boot.state === "local" && (
              <Button size="small" appearance="subtle" onClick={() => pick(null)}>{t.switchUser}</Button>
            )}
          </div>
        )}
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {body}
      </main>
    </div>
  );
}

type TabPage = "werkvoorraad" | "dossiers" | "beheer" | "besluiten" | "inzicht";

/** The app's parts as Fluent tabs; the ones that do not fit (a phone, a narrow Teams pane)
 * are in a "Meer" menu at the end, the current one always stays in sight. */
function NavTabs({ current, beheerder, onSelect }: {
  current: string; beheerder: boolean; onSelect: (page: TabPage) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const tabs: { page: TabPage; label: string }[] = [
    { page: "werkvoorraad", label: t.navWerkvoorraad },
    { page: "dossiers", label: t.navDossiers },
    { page: "beheer", label: t.navBeheer },
    { page: "besluiten", label: t.navBesluiten },
    ...(beheerder ? [{ page: "inzicht" as const, label: t.navInzicht }] : []),
  ];
  return (
    <Overflow minimumVisible={1}>
      <div className={styles.tabs}>
        <TabList selectedValue={current} onTabSelect={(_, data) => onSelect(data.value as TabPage)}>
          {tabs.map((tab) => (
            <OverflowItem key={tab.page} id={tab.page} priority={tab.page === current ? 2 : 1}>
              <Tab value={tab.page}>{tab.label}</Tab>
            </OverflowItem>
          ))}
        </TabList>
        <MoreTabs tabs={tabs} onSelect={onSelect} />
      </div>
    </Overflow>
  );
}

function MoreTabs({ tabs, onSelect }: {
  tabs: { page: TabPage; label: string }[]; onSelect: (page: TabPage) => void;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const { ref, isOverflowing } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton ref={ref} appearance="transparent" className={styles.more}>{t.navMore}</MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {tabs.map((tab) => <MoreItem key={tab.page} page={tab.page} label={tab.label} onSelect={onSelect} />)}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}

/** A tab in the "Meer" menu: only while it is not shown in the tab bar. */
function MoreItem({ page, label, onSelect }: { page: TabPage; label: string; onSelect: (page: TabPage) => void }) {
  const visible = useIsOverflowItemVisible(page);
  if (visible) return null;
  return <MenuItem onClick={() => onSelect(page)}>{label}</MenuItem>;
}
