// Validates files against the checked-in JSON Schemas (src/SafetyPrograms/schemas) with Ajv, an independent
// Draft 2020-12 validator. Every sample must pass; every file in invalid/ (one defect each) must fail.
// A file's schema follows from its name: participation* -> one participation record (.jsonl: every line), else a dataset.
// Prints one line per file; exits 1 on any surprise (a sample that fails, a broken file that passes, no files at all).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, relative, basename } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const schemaDir = join(root, "src", "SafetyPrograms", "schemas");

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv, ["date"]);
const validateDataset = ajv.compile(readJson(join(schemaDir, "programme-dataset.schema.json")));
const validateRecord = ajv.compile(readJson(join(schemaDir, "participation-record.schema.json")));
const validateAdxMapping = ajv.compile(readJson(join(schemaDir, "adx-mapping.schema.json")));

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
}

function jsonFiles(dir, pattern = /\.(json|jsonl)$/) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f)) : [];
}

/** The problems Ajv finds in a file, as strings; empty when it is valid. Files are matched to schemas by name. */
function problems(file) {
  const isRecord = basename(file).startsWith("participation");
  const documents = [];
  try {
    if (file.endsWith(".jsonl")) {
      readFileSync(file, "utf8").replace(/^\uFEFF/, "").split(/\r?\n/).forEach((line, i) => {
        if (line.trim() !== "") documents.push({ where: `line ${i + 1}`, value: JSON.parse(line) });
      });
    } else {
      documents.push({ where: "", value: readJson(file) });
    }
  } catch (e) {
    return [`not JSON: ${e.message}`];
  }
  const validate = basename(file).startsWith("adx-mapping") ? validateAdxMapping : isRecord ? validateRecord : validateDataset;
  const found = [];
  for (const { where, value } of documents) {
    if (!validate(value)) {
      for (const error of validate.errors) {
        found.push(`${where ? where + " " : ""}${error.instancePath || "/"} ${error.message}`);
      }
    }
  }
  return found;
}

const mustPass = [
  ...jsonFiles(join(root, "samples", "data"), /\.json$/),
  ...jsonFiles(join(here, "valid")),
];
const mustFail = jsonFiles(join(here, "invalid"));

let surprises = 0;
for (const file of mustPass) {
  const found = problems(file);
  const ok = found.length === 0;
  if (!ok) surprises++;
  console.log(`${ok ? "pass" : "FAIL (expected to pass)"}  ${relative(root, file)}${ok ? "" : ": " + found.slice(0, 5).join("; ")}`);
}
for (const file of mustFail) {
  const found = problems(file);
  const ok = found.length > 0;
  if (!ok) surprises++;
  console.log(`${ok ? "rejected" : "ACCEPTED (expected to fail)"}  ${relative(root, file)}${ok ? ": " + found[0] : ""}`);
}
if (mustPass.length === 0 || mustFail.length === 0) {
  console.log("No files to check: expected samples/data/*.json, tests/schema-conformance/valid and invalid.");
  surprises++;
}
console.log(`${mustPass.length} valid and ${mustFail.length} invalid files checked; ${surprises} surprise(s).`);
process.exit(surprises === 0 ? 0 : 1);
