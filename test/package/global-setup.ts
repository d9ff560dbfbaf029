import { ensureBuilt } from '../helpers/build';

// Package tests use the built files from dist/.
export default function setup() {
  ensureBuilt();
}
