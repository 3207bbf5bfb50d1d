// Preloaded by the cold-start bench (node --require): at exit, prints the npm packages the agent loaded
// through require (CommonJS; ESM-only packages such as zod do not pass through it) as one JSON line.
'use strict';
process.once('exit', () => {
  const names = new Set();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (match) names.add(match[1].replace('\\', '/'));
  }
  process.stderr.write(`kiosk-bench-loaded ${JSON.stringify([...names].sort())}\n`);
});
