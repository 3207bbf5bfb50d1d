#!/usr/bin/env bash
# The whole test suite, as CI runs it: system packages, native module, typecheck, UI build, the
# pcscd+vpcd stack, then every vitest project. Outside CI a missing system part makes its suites skip
# loudly; under CI=true it fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m[test] %s\033[0m\n' "$*"; }
ci=${CI:-false}

say "system packages"
if bash scripts/system-deps.sh; then system=ok; else system=missing; fi
if [ "$system" = missing ]; then
  if [ "$ci" = true ]; then echo "[test] CI=true and system packages are missing: failing." >&2; exit 1; fi
  echo "[test] WARNING: system packages missing: real-stack and browser suites will be SKIPPED." >&2
fi

# pcsclite is an optional dependency: built only when libpcsclite-dev was there at npm install, and
# left out entirely when its build failed, so a second install (not a rebuild) brings it back.
if ! node -e "require('pcsclite')" >/dev/null 2>&1 && dpkg -s libpcsclite-dev >/dev/null 2>&1; then
  say "building the pcsclite native module"
  if [ -d node_modules/pcsclite ]; then npm rebuild pcsclite >/dev/null 2>&1; else npm install --no-audit --no-fund >/dev/null 2>&1; fi
  node -e "require('pcsclite')" >/dev/null 2>&1 || echo "[test] pcsclite build failed" >&2
fi

say "lint (eslint: layering, no cycles; prettier)"
npm run lint || { echo "[test] lint failed" >&2; exit 1; }

say "typecheck"
# The two projects check side by side: tsc uses one core each.
npx tsc -p tsconfig.json & node_check=$!
npx tsc -p kiosk-ui/tsconfig.json & ui_check=$!
wait $node_check || exit 1
wait $ui_check || exit 1

say "build (tsc -b: protocol, agent, mocks; vite: the kiosk UI)"
# The CLIs the tests spawn run the compiled JavaScript, as a clinic's install does.
npm run build >/dev/null || { echo "[test] build failed" >&2; exit 1; }

stack_started=false
cleanup() { [ "$stack_started" = true ] && bash scripts/pcsc-stack.sh stop >/dev/null 2>&1; }
trap cleanup EXIT
if command -v pcscd >/dev/null && command -v vpcd-config >/dev/null 2>&1 || [ -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ]; then
  say "pcscd + vpcd stack"
  if bash scripts/pcsc-stack.sh start && bash scripts/pcsc-stack.sh wait; then
    stack_started=true
    export KIOSK_REALSTACK=1
  else
    echo "[test] could not start pcscd + vpcd" >&2
    [ "$ci" = true ] && exit 1
  fi
fi
[ -x /usr/bin/chromium ] && export KIOSK_CHROMIUM=/usr/bin/chromium

rm -f .vitest-results-*.json
rc=0
run_projects() {
  local name=$1; shift
  say "vitest: $*"
  npx vitest run --reporter=default --reporter=json --outputFile.json=".vitest-results-$name.json" "$@" || rc=1
}
run_projects fast --project unit --project ui --project integration
# One pcscd and one pair of vpcd slots per machine: the suites that use them run one after another, beside
# the browser suite, which needs no pcscd and spends much of its time waiting on the page. Their output is
# shown after the browser suite's, not interleaved with it.
(
  run_projects realstack --project realstack
  run_projects faults --project faults
  exit $rc
) >.vitest-pcscd-suites.log 2>&1 &
pcscd_suites=$!
run_projects e2e --project e2e
wait $pcscd_suites || rc=1
cat .vitest-pcscd-suites.log
# The failed tests named again at the end (their errors are above): a CI log is often read from its tail.
node -e '
  let passed = 0, failed = 0, skipped = 0;
  const failures = [];
  for (const file of process.argv.slice(1)) {
    const r = require(file);
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
    for (const suite of r.testResults) {
      const where = require("node:path").relative(process.cwd(), suite.name);
      const failedTests = suite.assertionResults.filter((t) => t.status === "failed");
      for (const t of failedTests) failures.push(`${where} > ${t.fullName}`);
      if (suite.status === "failed" && failedTests.length === 0) failures.push(`${where}: ${suite.message.split("\n")[0]}`);
    }
  }
  if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$PWD"/.vitest-results-*.json
exit $rc
