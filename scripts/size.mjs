// Size budget: min+gzip bytes of each built entry. Fails (exit 1) when an entry is over budget.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export const budgets = {
  'dist/loupe-agent.min.js': 9500,
  'dist/loupe-agent.jquery.min.js': 300,
};

let failed = false;
for (const [file, budget] of Object.entries(budgets)) {
  if (!existsSync(file)) {
    console.error(`${file}: missing; run npm run build first`);
    failed = true;
    continue;
  }
  const bytes = gzipSync(readFileSync(file), { level: 9 }).length;
  const over = bytes > budget;
  failed ||= over;
  console.log(`${over ? 'OVER' : 'ok  '} ${file}: ${bytes} bytes min+gzip (budget ${budget})`);
}
process.exit(failed ? 1 : 0);
