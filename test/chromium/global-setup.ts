import { execSync } from 'node:child_process';

// Browser tests load the built files from dist/: build them once before the suite.
export default function setup() {
  execSync('npx rollup -c --silent', { stdio: 'inherit' });
}
