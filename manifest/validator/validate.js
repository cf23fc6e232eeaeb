#!/usr/bin/env node
// Validates a Teams app manifest and its localization files offline.
//
//   node validate.js PATH
//
// PATH is an unzipped app package (a folder with manifest.json) or a manifest.json file.
// The manifest is checked against the official schema of its manifestVersion, as bundled in
// @microsoft/app-manifest (never fetched: a version it does not bundle is an error). The
// localization files named in localizationInfo are checked against the bundled localization
// schema of the same version with ajv-draft-04 (app-manifest's own ajv crashes on the
// `\b` in that schema's patterns, so unicodeRegExp is off). Then the checks Teams makes on
// upload that a schema cannot express: referenced files exist, the version is x.y.z, and every
// localization key names a string that is in the manifest.
//
// Prints one JSON object: {manifestVersion, files: {name: [error, ...]}, errors, ms}.
// Exit code: 0 valid, 1 errors found, 2 the input could not be read.
"use strict";

const fs = require("fs");
const path = require("path");
const { AppManifestUtils } = require("@microsoft/app-manifest");
const Ajv04 = require("ajv-draft-04");
const addFormats = require("ajv-formats");

const SCHEMAS = path.join(
  path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
  "build", "json-schemas", "teams",
);
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

class InputError extends Error {}

function readJson(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${error.code || error.message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${error.message}`);
  }
}

function bundledSchema(version, name) {
  const file = path.join(SCHEMAS, `v${version}`, name);
  if (typeof version !== "string" || !/^[0-9]+\.[0-9]+$/.test(version) || !fs.existsSync(file)) {
    const bundled = fs.readdirSync(SCHEMAS).filter((d) => /^v[0-9]/.test(d)).join(", ");
    return { error: `manifestVersion ${JSON.stringify(version)} has no bundled schema ` +
                    `(bundled: ${bundled})` };
  }
  return { schema: readJson(file) };
}

function localizationValidator(schema) {
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv, ["uri", "email", "regex"]);
  return ajv.compile(schema);
}

// "bots[0].commandLists[1].commands[2].title" -> the value at that place in the manifest
function lookup(manifest, key) {
  let node = manifest;
  for (const part of key.match(/[^.[\]]+|\[[0-9]+\]/g) || []) {
    if (node === null || typeof node !== "object") return undefined;
    node = part.startsWith("[") ? node[Number(part.slice(1, -1))] : node[part];
  }
  return node;
}

function packageChecks(manifest, folder) {
  const errors = [];
  if (typeof manifest.version === "string" && !SEMVER.test(manifest.version)) {
    errors.push(`/version must be major.minor.patch, like 1.0.0: ${manifest.version}`);
  }
  if (folder !== null) {
    for (const kind of ["color", "outline", "color32x32"]) {
      const file = manifest.icons && manifest.icons[kind];
      if (typeof file === "string" && !fs.existsSync(path.join(folder, file))) {
        errors.push(`/icons/${kind} names ${file}, which is not in the package`);
      }
    }
  }
  return errors;
}

function localizationFiles(manifest) {
  const info = manifest.localizationInfo || {};
  const files = [];
  if (typeof info.defaultLanguageFile === "string") files.push(info.defaultLanguageFile);
  for (const language of info.additionalLanguages || []) {
    if (language && typeof language.file === "string") files.push(language.file);
  }
  return files;
}

function checkLocalization(file, strings, validate, manifest, version) {
  const errors = [];
  if (!validate(strings)) {
    for (const e of validate.errors) {
      errors.push(`${e.instancePath || "/"} ${e.message}. Details: ${JSON.stringify(e.params)}`);
    }
  }
  const own = typeof strings.$schema === "string" && strings.$schema.match(/\/v([0-9.]+)\//);
  if (own && own[1] !== version) {
    errors.push(`/$schema is for v${own[1]}, the manifest is v${version}`);
  }
  for (const key of Object.keys(strings)) {
    if (key === "$schema" || key === "localizationKeys") continue;
    if (typeof lookup(manifest, key) !== "string") {
      errors.push(`${key} is not a string in manifest.json, so Teams cannot translate it`);
    }
  }
  return errors;
}

async function validate(target) {
  const isFolder = fs.existsSync(target) && fs.statSync(target).isDirectory();
  const folder = isFolder ? target : path.dirname(target);
  const manifestFile = isFolder ? path.join(target, "manifest.json") : target;
  const manifest = readJson(manifestFile);
  const version = manifest.manifestVersion;
  const files = { "manifest.json": [] };

  const found = bundledSchema(version, "MicrosoftTeams.schema.json");
  if (found.error) {
    files["manifest.json"].push(found.error);
    return { manifestVersion: version, files };
  }
  files["manifest.json"].push(...await AppManifestUtils.validateAgainstSchema(manifest,
                                                                               found.schema));
  files["manifest.json"].push(...packageChecks(manifest, isFolder ? folder : null));

  const names = localizationFiles(manifest);
  if (names.length) {
    const locSchema = bundledSchema(version, "MicrosoftTeams.Localization.schema.json");
    const check = locSchema.error ? null : localizationValidator(locSchema.schema);
    for (const name of names) {
      const file = path.join(folder, name);
      if (!fs.existsSync(file)) {
        files["manifest.json"].push(`/localizationInfo names ${name}, which is not there`);
        continue;
      }
      files[name] = check ? checkLocalization(file, readJson(file), check, manifest, version)
                          : [locSchema.error];
    }
  }
  return { manifestVersion: version, files };
}

async function main(argv) {
  if (argv.length !== 1 || argv[0].startsWith("-")) {
    process.stderr.write("usage: node validate.js PACKAGE_FOLDER|manifest.json\n");
    return 2;
  }
  const started = process.hrtime.bigint();
  let result;
  try {
    result = await validate(argv[0]);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`validate.js: ${error.message}\n`);
    return 2;
  }
  result.errors = Object.values(result.files).reduce((n, list) => n + list.length, 0);
  result.ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  return result.errors ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`validate.js: ${error.stack || error}\n`); process.exitCode = 2; },
);
