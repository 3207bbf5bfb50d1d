// Preloaded by the cold-start bench (node --require): when the agent prints that it is listening, prints
// first the npm packages it loaded through require (CommonJS; ESM-only packages such as zod do not pass
// through it) as one JSON line on stderr.
'use strict';
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (String(chunk).includes('listening on')) {
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
      if (match) names.add(match[1].replace('\\', '/'));
    }
    process.stderr.write(`kiosk-bench-loaded ${JSON.stringify([...names].sort())}\n`);
  }
  return write(chunk, ...rest);
};
