// The app's routes below /tab/, on the History API (no router library needed for a few pages).
import { createContext, useCallback, useContext, useEffect, useState, type MouseEvent, type ReactNode } from "react";
import { Link } from "@fluentui/react-components";

export const BASE = "/tab";

export type Route =
  | { page: "werkvoorraad" }
  | { page: "dossiers" }
  | { page: "nieuw" }
  | { page: "dossier"; id: string }
  | { page: "beheer" }
  | { page: "stromen" }
  | { page: "stroom"; id: string }
  | { page: "besluiten" }
  | { page: "inzicht" };

/** The route a path names; unknown paths show the werkvoorraad. */
export function routeFor(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split("/").filter(Boolean);
  if (parts[0] === "dossiers" && parts[1]) return { page: "dossier", id: decodeURIComponent(parts[1]) };
  if (parts[0] === "dossiers") return { page: "dossiers" };
  if (parts[0] === "nieuw") return { page: "nieuw" };
  if (parts[0] === "beheer" && parts[1] === "stromen" && parts[2]) return { page: "stroom", id: decodeURIComponent(parts[2]) };
  if (parts[0] === "beheer" && parts[1] === "stromen") return { page: "stromen" };
  if (parts[0] === "beheer") return { page: "beheer" };
  if (parts[0] === "besluiten") return { page: "besluiten" };
  if (parts[0] === "inzicht") return { page: "inzicht" };
  return { page: "werkvoorraad" };
}

export function pathFor(route: Route): string {
  if (route.page === "dossier") return `${BASE}/dossiers/${encodeURIComponent(route.id)}`;
  if (route.page === "stromen") return `${BASE}/beheer/stromen`;
  if (route.page === "stroom") return `${BASE}/beheer/stromen/${encodeURIComponent(route.id)}`;
  return `${BASE}/${route.page}`;
}

interface Nav {
  route: Route;
  navigate: (to: Route) => void;
}

const NavContext = createContext<Nav>({ route: { page: "werkvoorraad" }, navigate: () => undefined });

export function RouterProvider({ children }: { children: ReactNode }) {
  const [route, setRoute] = useState<Route>(() => routeFor(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(routeFor(window.location.pathname));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((to: Route) => {
    window.history.pushState(null, "", pathFor(to) + window.location.search);
    setRoute(to);
    window.scrollTo(0, 0);
  }, []);
  return <NavContext.Provider value={{ route, navigate }}>{children}</NavContext.Provider>;
}

export function useNav(): Nav {
  return useContext(NavContext);
}

/** A link to a route: a real href (open in a new tab works), client navigation on a click. */
export function RouteLink({ to, children, ...rest }: { to: Route; children: ReactNode; "aria-label"?: string }) {
  const { navigate } = useNav();
  const onClick = (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return <Link href={pathFor(to) + window.location.search} onClick={onClick} {...rest}>{children}</Link>;
}
