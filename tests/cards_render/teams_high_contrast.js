// Prints a host config for Teams' high-contrast theme, derived from Fluent UI's
// teamsHighContrastTheme (the tokens Teams' own interface uses in that theme), in the shape of
// the light and dark host configs beside it. Microsoft publishes no Adaptive Card host config
// for this theme; the mapping below is ours: each Adaptive Card colour takes the Fluent token
// of the same meaning.
"use strict";
const { teamsHighContrastTheme: t } = require("@fluentui/tokens");

const hex = (value) => "#ff" + value.replace("#", "").toLowerCase();
const pair = (main, subtle) => ({ default: hex(t[main]), subtle: hex(t[subtle]) });
const foregrounds = {
  default: pair("colorNeutralForeground1", "colorNeutralForeground3"),
  dark: pair("colorNeutralForeground1", "colorNeutralForeground3"),
  light: pair("colorNeutralForeground1", "colorNeutralForeground3"),
  accent: pair("colorBrandForeground1", "colorBrandForeground2"),
  good: pair("colorStatusSuccessForeground1", "colorStatusSuccessForeground3"),
  warning: pair("colorStatusWarningForeground1", "colorStatusWarningForeground3"),
  attention: pair("colorStatusDangerForeground1", "colorStatusDangerForeground3"),
};
const backgrounds = {
  default: "colorNeutralBackground1",
  emphasis: "colorNeutralBackground3",
  accent: "colorBrandBackground2",
  good: "colorStatusSuccessBackground1",
  attention: "colorStatusDangerBackground1",
  warning: "colorStatusWarningBackground1",
};
const containerStyles = {};
for (const [style, token] of Object.entries(backgrounds)) {
  containerStyles[style] = { backgroundColor: hex(t[token]), foregroundColors: foregrounds };
}
process.stdout.write(
  JSON.stringify({ containerStyles, actions: { showCard: { style: "emphasis" } } }, null, 2) + "\n",
);
