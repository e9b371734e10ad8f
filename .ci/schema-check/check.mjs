// Breaking and dangerous changes of schema.graphql between the previous commit and the work
// tree, by graphql-js's findBreakingChanges/findDangerousChanges. Exits 1 on a breaking change
// unless the HEAD commit's message says `[breaking]`. CI runs it (.ci/run).
//
//   node .ci/schema-check/check.mjs [--base REV] [--old FILE] [--new FILE]
//
// --base: the commit to compare with (default HEAD~1); --old/--new: compare two files instead
// (the new one defaults to the work tree's schema.graphql).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSchema, findBreakingChanges, findDangerousChanges } from "graphql";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const git = (...args) =>
  execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });

const options = { base: "HEAD~1", old: undefined, new: undefined };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const name = argv[i].replace(/^--/, "");
  if (!(name in options) || argv[i + 1] === undefined) {
    console.error("usage: check.mjs [--base REV] [--old FILE] [--new FILE]");
    process.exit(2);
  }
  options[name] = argv[i + 1];
}

let oldSdl;
let oldName;
if (options.old !== undefined) {
  oldSdl = readFileSync(options.old, "utf8");
  oldName = options.old;
} else {
  try {
    oldSdl = git("show", `${options.base}:schema.graphql`);
    oldName = `${options.base}:schema.graphql`;
  } catch {
    const shallow = (() => {
      try {
        return git("rev-parse", "--is-shallow-repository").trim() === "true";
      } catch {
        return false;
      }
    })();
    console.log(
      `schema check: no ${options.base}:schema.graphql (no such commit${shallow ? " in this shallow clone" : ""}, or no schema there): nothing to compare, pass`,
    );
    process.exit(0);
  }
}
const newName = options.new ?? "schema.graphql (work tree)";
const newSdl = readFileSync(options.new ?? join(root, "schema.graphql"), "utf8");

const oldSchema = buildSchema(oldSdl);
const newSchema = buildSchema(newSdl);
const breaking = findBreakingChanges(oldSchema, newSchema);
const dangerous = findDangerousChanges(oldSchema, newSchema);

console.log(`schema check: ${oldName} -> ${newName}`);
for (const change of breaking) console.log(`  BREAKING  ${change.type}: ${change.description}`);
for (const change of dangerous) console.log(`  dangerous ${change.type}: ${change.description}`);
console.log(`${breaking.length} breaking, ${dangerous.length} dangerous`);

if (breaking.length === 0) process.exit(0);
let message = "";
try {
  message = git("log", "-1", "--format=%B", "HEAD");
} catch {
  // No HEAD commit: nothing can mark the change as intended.
}
if (message.includes("[breaking]")) {
  console.log("breaking changes allowed: the HEAD commit's message says [breaking]");
  process.exit(0);
}
console.log(
  "schema check failed: breaking changes; if they are intended, say [breaking] in the commit message",
);
process.exit(1);
