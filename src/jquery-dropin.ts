import { attachLoupe } from './jquery';
import type { JQueryWithLoupe } from './jquery';

// The jQuery plugin as a drop-in <script>, loaded after the agent's script and jQuery: attaches
// window.loupe to window.jQuery.
if (typeof window == 'object') {
  const jQuery = (window as { jQuery?: JQueryWithLoupe }).jQuery;
  if (jQuery) attachLoupe(jQuery);
}
