import { ensureBuilt } from '../helpers/build';

// Browser tests load the built files from dist/.
export default function setup() {
  ensureBuilt();
}
