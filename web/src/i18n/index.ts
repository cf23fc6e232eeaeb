import { createContext, useContext } from "react";
import { en } from "./en";
import { nl, type Strings } from "./nl";

export type Lang = "nl" | "en";
export type { Strings };

export const catalogues: Record<Lang, Strings> = { nl, en };

/** The language of a locale such as "en-US" or "nl-NL": English when asked, Dutch otherwise. */
export function langFor(locale: string | null | undefined): Lang {
  return (locale ?? "").toLowerCase().startsWith("en") ? "en" : "nl";
}

/** A text with its {placeholders} filled in. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole);
}

/** ``one`` for a count of 1, ``many`` otherwise, with its {placeholders} filled in. */
export function plural(count: number, one: string, many: string,
  values: Record<string, string | number>): string {
  return fill(count === 1 ? one : many, values);
}

export interface I18n {
  lang: Lang;
  t: Strings;
}

export const I18nContext = createContext<I18n>({ lang: "nl", t: nl });

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** A date (YYYY-MM-DD) as the reader's language writes it. */
export function formatDate(lang: Lang, iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(lang === "en" ? "en-GB" : "nl-NL", {
    day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
  });
}

/** A moment with its time zone, in the zone the server recorded it in (the ISO offset). */
export function formatMoment(lang: Lang, iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
  if (!match) return iso;
  const [, day, time, zone] = match;
  const offset = !zone || zone === "Z" || zone === "+00:00" ? "UTC" : `UTC${zone}`;
  return `${formatDate(lang, day)} ${time} (${offset})`;
}
