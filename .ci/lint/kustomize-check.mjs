// Builds tekton/ with `kubectl kustomize` (offline) and checks that the install bundle holds every Task, StepAction,
// Pipeline and RBAC object of the repository's files: each document of each file that belongs in the bundle must
// come out of the build (same kind and name), and nothing the bundle must not hold (per-namespace bindings, the
// optional grants, samples) may be listed. Usage: node kustomize-check.mjs <repo>
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";

const repo = process.argv[2];
const tekton = path.join(repo, "tekton");
const failures = [];

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

// In the bundle: every Task, StepAction and Pipeline file, every RBAC file except the per-namespace template
// (odh-migrate pipelineruns writes those per namespace) and the optional grants, and the namespace.
const expected = walk(tekton)
  .map((file) => path.relative(tekton, file).split(path.sep).join("/"))
  .filter((rel) => rel.endsWith(".yaml"))
  .filter((rel) =>
    /^(task|stepaction|pipeline)\//.test(rel) ||
    (/^rbac\/[^/]+\.yaml$/.test(rel) && rel !== "rbac/namespace-bindings.yaml") ||
    rel === "namespace.yaml")
  .sort();

const kustomization = YAML.parse(fs.readFileSync(path.join(tekton, "kustomization.yaml"), "utf8"));
const listed = [...(kustomization.resources ?? [])].sort();
for (const rel of expected.filter((r) => !listed.includes(r))) failures.push(`kustomization.yaml does not list ${rel}`);
for (const rel of listed.filter((r) => !expected.includes(r))) failures.push(`kustomization.yaml lists ${rel}, which does not belong in the install bundle`);

let built = [];
try {
  const output = execFileSync("kubectl", ["kustomize", tekton], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  built = YAML.parseAllDocuments(output).map((d) => d.toJS()).filter(Boolean);
} catch (error) {
  failures.push(`kubectl kustomize tekton/ failed: ${error.stderr ?? error.message}`);
}

const key = (o) => `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
const builtKeys = new Set(built.map(key));
let count = 0;
for (const rel of expected) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(tekton, rel), "utf8"))) {
    const obj = doc.toJS();
    if (!obj) continue;
    count++;
    const namespaced = !["Namespace", "ClusterRole", "ClusterRoleBinding"].includes(obj.kind);
    const ns = obj.metadata?.namespace ?? (namespaced ? "odh-migration" : "");
    const want = `${obj.kind}/${ns}/${obj.metadata?.name}`;
    if (built.length > 0 && !builtKeys.has(want)) failures.push(`${rel}: ${want} is not in the kustomize output`);
  }
}

if (failures.length > 0) {
  for (const failure of failures) console.error(`kustomize: ${failure}`);
  process.exit(1);
}
console.log(`kustomize: tekton/ builds; ${expected.length} files, ${count} objects, all in the bundle (${built.length} objects built)`);
