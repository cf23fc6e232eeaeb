// The API client, typed by src/api/schema.d.ts: generated at build time from the server's
// OpenAPI document (`python -m bot.tab.openapi`), never written by hand.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Task = Schemas["Task"];
export type DossierSummary = Schemas["DossierSummary"];
export type Dossier = Schemas["Dossier"];
export type ApiError = Schemas["Error"];
export type Verb = Task["verbs"][number];
export type BulkVerb = Schemas["BulkRequest"]["verb"];
export type LocalUser = Schemas["LocalUser"];
export type Me = Schemas["Me"];

/** Who the requests are made as: an SSO token getter in Teams, a demo user id locally. */
export interface Identity {
  token?: () => Promise<string>;
  localUser?: string | null;
  lang: string;
}

let identity: Identity = { lang: "nl" };

export function setIdentity(next: Identity): void {
  identity = next;
}

const auth: Middleware = {
  async onRequest({ request }) {
    request.headers.set("Accept-Language", identity.lang);
    if (identity.token) {
      request.headers.set("Authorization", `Bearer ${await identity.token()}`);
    } else if (identity.localUser) {
      request.headers.set("X-Paraaf-User", identity.localUser);
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** A refusal or failure the API answered with, or one made here for a network failure. */
export class Refused extends Error {
  constructor(readonly status: number, readonly body: ApiError) {
    super(body.message);
  }
}

/** The data of an answer, or a Refused with the API's error body. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  const body = result.error as Partial<ApiError> | undefined;
  throw new Refused(result.response.status, {
    code: body?.code ?? "failed",
    message: body?.message ?? `HTTP ${result.response.status}`,
    field: body?.field ?? null,
  });
}
