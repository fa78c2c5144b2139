// Validates every Tekton document under the given folders against the CRD schemas in <shared>/crds/tekton,
// kubeconform-style: the served version's openAPIV3Schema becomes a JSON Schema, objects with declared
// properties are closed (a misspelled field fails), x-kubernetes-preserve-unknown-fields stays open and
// x-kubernetes-int-or-string accepts both. StepAction has no CRD in shared/, so its spec is checked against the
// Task CRD's step schema (its fields are a subset of a step's) plus params/results/description.
// Usage: node tekton-schema-check.mjs <crd-dir> <yaml-dir>...   Exit 1 on any failure.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import Ajv from "ajv";

const [crdDir, ...roots] = process.argv.slice(2);
if (!crdDir || roots.length === 0) {
  console.error("usage: tekton-schema-check.mjs <crd-dir> <yaml-dir>...");
  process.exit(2);
}

/** Turn a structural OpenAPI v3 schema into a strict JSON Schema (draft-07) that ajv can compile. */
function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-kubernetes-")) continue;
    out[key] = key === "properties" || key === "patternProperties" || key === "definitions"
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]))
      : toJsonSchema(value);
  }
  if (node["x-kubernetes-int-or-string"]) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (node.nullable === true && typeof out.type === "string") {
    out.type = [out.type, "null"];
  }
  delete out.nullable;
  const open = node["x-kubernetes-preserve-unknown-fields"] === true;
  if (!open && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

function loadCrds() {
  const byKey = new Map();
  for (const file of fs.readdirSync(crdDir).filter((f) => f.endsWith(".yaml"))) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(crdDir, file), "utf8"))) {
      const crd = doc.toJS();
      if (crd?.kind !== "CustomResourceDefinition") continue;
      for (const version of crd.spec.versions ?? []) {
        if (!version.served || !version.schema?.openAPIV3Schema) continue;
        byKey.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
      }
    }
  }
  return byKey;
}

function stepActionSchema(taskSchema) {
  const step = taskSchema.properties.spec.properties.steps.items;
  const spec = taskSchema.properties.spec.properties;
  const allowed = ["image", "command", "args", "script", "env", "workingDir", "securityContext", "volumeMounts"];
  const properties = Object.fromEntries(allowed.filter((k) => step.properties[k]).map((k) => [k, step.properties[k]]));
  properties.params = spec.params;
  properties.results = spec.results;
  properties.description = { type: "string" };
  return {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: { type: "object", required: ["image"], properties },
    },
  };
}

function* yamlFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(full);
    else if (/\.ya?ml$/.test(entry.name) && !entry.name.startsWith(".")) yield full;
  }
}

const crds = loadCrds();
const taskV1 = crds.get("tekton.dev/v1/Task");
if (!taskV1) {
  console.error(`tekton-schema-check: no tekton.dev/v1 Task CRD found in ${crdDir}`);
  process.exit(2);
}
crds.set("tekton.dev/v1beta1/StepAction", stepActionSchema(taskV1));

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new Map();
const validatorFor = (key) => {
  if (!compiled.has(key)) compiled.set(key, crds.has(key) ? ajv.compile(toJsonSchema(crds.get(key))) : null);
  return compiled.get(key);
};

const dns1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
let failures = 0;
let checked = 0;
for (const root of roots) {
  for (const file of yamlFiles(root)) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(file, "utf8"));
    docs.forEach((doc, index) => {
      const where = `${file}${docs.length > 1 ? ` (document ${index + 1})` : ""}`;
      if (doc.errors.length > 0) {
        failures++;
        console.error(`${where}: YAML error: ${doc.errors[0].message}`);
        return;
      }
      const obj = doc.toJS();
      if (obj === null || obj === undefined) return;
      const name = obj.metadata?.name ?? obj.metadata?.generateName;
      if (!obj.apiVersion || !obj.kind || !name) {
        failures++;
        console.error(`${where}: needs apiVersion, kind and metadata.name (or generateName)`);
        return;
      }
      if (obj.metadata?.name && (obj.metadata.name.length > 63 || !dns1123.test(obj.metadata.name))) {
        failures++;
        console.error(`${where}: metadata.name '${obj.metadata.name}' is not a DNS-1123 label`);
      }
      if (!obj.apiVersion.startsWith("tekton.dev/")) return; // RBAC and others: no CRD to check against
      const validate = validatorFor(`${obj.apiVersion}/${obj.kind}`);
      if (!validate) {
        failures++;
        console.error(`${where}: no schema for ${obj.apiVersion} ${obj.kind} in ${crdDir}`);
        return;
      }
      checked++;
      if (!validate(obj)) {
        failures++;
        for (const error of validate.errors) {
          const extra = error.params?.additionalProperty ? ` '${error.params.additionalProperty}'` : "";
          console.error(`${where}: ${obj.kind} ${name}: ${error.instancePath || "/"} ${error.message}${extra}`);
        }
      }
    });
  }
}

console.log(`tekton-schema-check: ${checked} Tekton document(s) checked, ${failures} failure(s)`);
process.exit(failures === 0 ? 0 : 1);
