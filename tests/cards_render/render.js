#!/usr/bin/env node
// Parses, validates and renders Adaptive Cards with the official JavaScript renderer.
//
// Reads a JSON array of cards on stdin and prints a JSON array with one result per card:
//   { index, events: [{phase, event, message}], rendered, renderError, actions, links }
// `events` holds every parse event (SerializationContext, targeting version 1.5) and every
// failure of card.validateProperties(), and anything the renderer writes to console.warn or
// console.error; a clean card has none. `actions` lists each Action.Execute (including those
// inside Action.ShowCard cards) with its verb, data, the ids of the inputs it gathers, the ids
// of the required inputs still empty, and the data a click would submit; `links` the href of
// every rendered link.

"use strict";

const { JSDOM } = require("jsdom");

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true });
for (const key of Object.getOwnPropertyNames(dom.window)) {
  if (!(key in global)) {
    try {
      global[key] = dom.window[key];
    } catch (_) {
      // a few window getters refuse to be read outside a browsing context; none is needed
    }
  }
}
global.window = dom.window;
global.document = dom.window.document;

const AC = require("adaptivecards/dist/adaptivecards.js");

// Any console warning or error of the renderer counts as an event of the card being checked.
let current = null;
for (const level of ["warn", "error"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    if (current === null) {
      original(...args);
      return;
    }
    current.events.push({ phase: "Console", event: level, message: args.map(String).join(" ") });
  };
}

// Hosts such as Teams process the card's markdown subset; a small stand-in does it here
// (HTML escaped, then **bold**, _italic_ and [links](url)).
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|\s)_([^_]+)_/g, "$1<em>$2</em>")
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');
  result.didProcess = true;
};

function describe(event) {
  return {
    phase: AC.ValidationPhase[event.phase] ?? String(event.phase),
    event: AC.ValidationEvent[event.event] ?? String(event.event),
    message: event.message,
  };
}

// Expands every Action.ShowCard (as a click would) and reports each Action.Execute: the
// inputs it gathers, the required ones still empty, and, when none is, the data the host
// would send for it as the card stands (its data merged with the input values).
function executeActions(card, root, found) {
  for (const action of card.getAllActions()) {
    if (action instanceof AC.ExecuteAction) {
      let blocking = [];
      try {
        blocking = action.validateInputs().map((input) => input.id);
      } catch (error) {
        blocking = [`<validateInputs failed: ${error.message}>`];
      }
      let submitted = null;
      if (blocking.length === 0) {
        root.onExecuteAction = (sent) => {
          submitted = sent.data ?? null;
        };
        action.execute();
        root.onExecuteAction = undefined;
      }
      found.push({
        verb: action.verb ?? null,
        title: action.title ?? null,
        data: action.data ?? null,
        inputs: Object.keys(action.getReferencedInputs() ?? {}).sort(),
        blocking: blocking.sort(),
        submitted,
      });
    } else if (action instanceof AC.ShowCardAction && action.card) {
      action.execute();
      executeActions(action.card, root, found);
    }
  }
  return found;
}

function check(json, index) {
  const result = {
    index, events: [], rendered: false, renderError: null, actions: [], links: [],
  };
  current = result;
  try {
    return parseAndRender(json, result);
  } finally {
    current = null;
  }
}

function parseAndRender(json, result) {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  try {
    card.parse(json, context);
  } catch (error) {
    result.events.push({ phase: "Parse", event: "Exception", message: String(error) });
    return result;
  }
  for (let i = 0; i < context.eventCount; i++) {
    result.events.push(describe(context.getEventAt(i)));
  }
  for (const event of card.validateProperties().validationEvents) {
    result.events.push(describe(event));
  }
  try {
    const element = card.render();
    result.rendered = element !== undefined && element !== null;
    if (result.rendered) {
      document.body.appendChild(element);
      result.actions = executeActions(card, card, []);
      result.links = Array.from(element.querySelectorAll("a[href]"), (a) => a.getAttribute("href"));
      document.body.removeChild(element);
    }
  } catch (error) {
    result.renderError = String(error && error.stack ? error.stack : error);
  }
  return result;
}

function main() {
  let input = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => {
    input += chunk;
  });
  process.stdin.on("end", () => {
    const cards = JSON.parse(input);
    if (!Array.isArray(cards)) {
      throw new Error("expected a JSON array of cards on stdin");
    }
    const results = cards.map((card, index) => check(card, index));
    process.stdout.write(JSON.stringify(results));
  });
}

main();
