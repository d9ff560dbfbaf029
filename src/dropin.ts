import { install } from './agent';
import type { Agent } from './types';

// The drop-in <script>: installs itself on load and defines window.loupe. A second copy of the
// script finds the first agent and does nothing.
declare global {
  interface Window {
    loupe?: Agent;
  }
}

if (typeof window === 'object' && !(window.loupe && typeof window.loupe.install === 'function')) {
  window.loupe = install();
}
