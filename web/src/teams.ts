// Inside Teams: initialise teams-js, read the theme and locale from the Teams context, and
// get SSO tokens. Outside Teams (the local demo in a browser) none of this is loaded.

export type ThemeName = "light" | "dark" | "contrast";

export interface TeamsHost {
  theme: ThemeName;
  locale: string;
  token: () => Promise<string>;
  onThemeChange: (handler: (theme: ThemeName) => void) => void;
}

/** Teams's theme names ("default", "dark", "contrast") as the app's. */
export function themeFor(teamsTheme: string | undefined): ThemeName {
  if (teamsTheme === "dark") return "dark";
  if (teamsTheme === "contrast") return "contrast";
  return "light";
}

/** Whether the page may be inside a Teams host (a frame, or the mobile web view). */
function maybeInTeams(): boolean {
  try {
    const w = window as unknown as { nativeInterface?: unknown };
    return window.self !== window.top || w.nativeInterface !== undefined;
  } catch {
    return true; // a cross-origin parent: a host frames us
  }
}

function timeout(ms: number): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
}

/** The Teams host, or null when the page is not running inside Teams. */
export async function connectTeams(): Promise<TeamsHost | null> {
  if (!maybeInTeams()) return null;
  try {
    // loaded only here: outside Teams the library is never fetched (nor does it reach out)
    const { app, authentication } = await import("@microsoft/teams-js");
    await Promise.race([app.initialize(), timeout(4000)]);
    const context = await app.getContext();
    app.notifySuccess();
    return {
      theme: themeFor(context.app.theme),
      locale: context.app.locale,
      token: () => authentication.getAuthToken(),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(themeFor(t))),
    };
  } catch {
    return null;
  }
}
