#!/usr/bin/env bash
# Publishes the Functions app the way azd deploys it (dotnet publish -c Release) and checks that the package holds what
# the Azure Functions host needs: the root host.json unchanged, functions.metadata listing every function (the very
# file the parity tests read), the worker's extension payload (isolated apps have no extension bundle: the build
# generates extensions.json and .azurefunctions/ with the WebJobs extensions, Durable Task included), and
# worker.config.json pointing at the .NET 10 worker. local.settings.json must never ship. Exits non-zero on any miss.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

project=src/OrderFlow.Functions
out="$(mktemp -d /tmp/orderflow-publish.XXXXXX)"
sentinel=""
cleanup() {
  rm -rf "$out"
  # Remove the stand-in local.settings.json only if it is still ours (unchanged copy of the sample).
  if [ -n "$sentinel" ] && cmp -s "$sentinel" local.settings.sample.json; then
    rm -f "$sentinel" "$project/bin/Release/net10.0/local.settings.json"
  fi
}
trap cleanup EXIT

command -v node >/dev/null || { echo "publish-check: node is required (README prerequisites)" >&2; exit 1; }

# The "not published" check only means something when the file exists: borrow the sample if there is none.
if [ ! -e "$project/local.settings.json" ]; then
  sentinel="$project/local.settings.json"
  cp local.settings.sample.json "$sentinel"
fi

log "publishing $project (Release) to $out"
if ! dotnet publish "$project" -c Release -o "$out" -nologo -v quiet -clp:ErrorsOnly >"$out.log" 2>&1; then
  cat "$out.log" >&2
  rm -f "$out.log"
  echo "publish-check: FAILED: dotnet publish $project failed (output above)" >&2
  exit 1
fi
rm -f "$out.log"

node - "$out" "$ROOT" "$project/bin/Release/net10.0/functions.metadata" <<'JS'
const fs = require('fs');
const path = require('path');
const [out, root, builtMetadata] = process.argv.slice(2);
const failures = [];
const facts = [];
const file = (rel) => path.join(out, rel);
// A fact is reported only when its section added no failure.
let mark = 0;
const begin = () => { mark = failures.length; };
const ok = (fact) => { if (failures.length === mark) facts.push(fact); };
const exists = (rel) => fs.existsSync(file(rel));
function json(rel) {
  if (!exists(rel)) { failures.push(`${rel} is missing`); return undefined; }
  try { return JSON.parse(fs.readFileSync(file(rel), 'utf8')); }
  catch (e) { failures.push(`${rel} is not valid JSON: ${e.message}`); return undefined; }
}

// host.json: the repository-root file, byte for byte, and no extension bundle (isolated apps carry their extensions).
begin();
const host = json('host.json');
if (host) {
  if (!fs.readFileSync(file('host.json')).equals(fs.readFileSync(path.join(root, 'host.json')))) {
    failures.push('host.json differs from the repository-root host.json');
  }
  if (host.extensionBundle) failures.push('host.json declares an extensionBundle: isolated .NET apps must not');
  if (host.extensions?.durableTask?.hubName !== '%OrderFlowTaskHub%') failures.push('host.json: durableTask.hubName is not %OrderFlowTaskHub%');
  ok('host.json identical to the root host.json, hub name from %OrderFlowTaskHub%, no extensionBundle');
}

// functions.metadata: every function, each pointing at a shipped assembly; same file the parity tests checked.
begin();
const functions = json('functions.metadata');
if (functions) {
  if (!Array.isArray(functions) || functions.length === 0) {
    failures.push('functions.metadata lists no functions');
  } else {
    const byTrigger = {};
    for (const f of functions) {
      const trigger = (f.bindings || []).find((b) => /Trigger$/.test(b.type));
      if (!f.name || !trigger) { failures.push(`functions.metadata: entry ${JSON.stringify(f.name)} has no trigger`); continue; }
      if (!f.scriptFile || !exists(f.scriptFile)) failures.push(`functions.metadata: ${f.name} points at missing ${f.scriptFile}`);
      (byTrigger[trigger.type] ||= []).push(f.name);
    }
    for (const t of ['orchestrationTrigger', 'activityTrigger', 'entityTrigger', 'httpTrigger']) {
      if (!byTrigger[t]) failures.push(`functions.metadata has no ${t} function`);
    }
    if (!fs.existsSync(builtMetadata)) {
      failures.push(`${builtMetadata} (read by the parity tests) is missing`);
    } else if (!fs.readFileSync(builtMetadata).equals(fs.readFileSync(file('functions.metadata')))) {
      failures.push('published functions.metadata differs from the build output the parity tests read');
    }
    ok(`functions.metadata: ${functions.length} functions (` +
      Object.entries(byTrigger).map(([t, names]) => `${names.length} ${t}`).join(', ') + '), same as the tested build output');
  }
}

// Extension payload: extensions.json names the startup types, each hintPath must ship, Durable Task among them.
begin();
const extensions = json('extensions.json');
if (extensions) {
  const list = extensions.extensions || [];
  for (const e of list) {
    if (!e.hintPath || !exists(e.hintPath)) failures.push(`extensions.json: ${e.name} hintPath ${e.hintPath} is not in the package`);
  }
  if (!list.some((e) => e.name === 'DurableTask' && /Microsoft\.Azure\.WebJobs\.Extensions\.DurableTask\.dll$/.test(e.hintPath || ''))) {
    failures.push('extensions.json does not register the DurableTask WebJobs extension');
  }
  ok(`extensions.json: ${list.map((e) => e.name).join(', ')}; every hintPath present`);
}
begin();
const deps = json('.azurefunctions/function.deps.json');
if (deps) {
  const durable = Object.keys(deps.libraries || {}).find((k) => k.startsWith('Microsoft.Azure.WebJobs.Extensions.DurableTask/'));
  if (!durable) failures.push('.azurefunctions/function.deps.json does not list Microsoft.Azure.WebJobs.Extensions.DurableTask');
  for (const dll of ['Microsoft.Azure.WebJobs.Extensions.DurableTask.dll', 'Microsoft.Azure.WebJobs.Extensions.FunctionMetadataLoader.dll']) {
    if (!exists(path.join('.azurefunctions', dll))) failures.push(`.azurefunctions/${dll} is missing`);
  }
  ok(`.azurefunctions/: function.deps.json + WebJobs extensions (${durable})`);
}

// Worker: the isolated .NET 10 worker the host starts.
begin();
const worker = json('worker.config.json');
if (worker) {
  const d = worker.description || {};
  if (d.language !== 'dotnet-isolated') failures.push(`worker.config.json: language is ${d.language}, not dotnet-isolated`);
  if (!d.defaultWorkerPath || !exists(d.defaultWorkerPath)) failures.push(`worker.config.json: worker ${d.defaultWorkerPath} is not in the package`);
}
const runtime = json('OrderFlow.Functions.runtimeconfig.json');
if (runtime && runtime.runtimeOptions?.tfm !== 'net10.0') failures.push(`worker targets ${runtime.runtimeOptions?.tfm}, not net10.0`);
ok(`worker.config.json: ${worker?.description?.language}, worker ${worker?.description?.defaultWorkerPath} (net10.0)`);

// Developer settings and secrets never ship.
const leaked = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/^local\.settings.*\.json$/i.test(entry.name)) leaked.push(path.relative(out, full));
  }
})(out);
if (leaked.length) failures.push(`published developer settings: ${leaked.join(', ')}`);
else facts.push('no local.settings*.json in the package');

for (const f of facts) console.log(`publish-check: ok: ${f}`);
if (failures.length) {
  for (const f of failures) console.error(`publish-check: MISSING/WRONG: ${f}`);
  console.error(`publish-check: FAILED (${failures.length} problem(s))`);
  process.exit(1);
}
console.log('publish-check: the published Functions app is complete');
JS
