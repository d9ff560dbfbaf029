const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id as the demo prints it: a GUID (the cookie's session ids, the agent session ids) by its
 * first 8 characters, which tell GUIDs apart; any other id, such as one the app set with
 * `setSessionId()`, in full. `—` when there is none.
 */
export function shortId(id: string | null | undefined): string {
  if (!id) return '—';
  return GUID.test(id) ? id.slice(0, 8) : id;
}
