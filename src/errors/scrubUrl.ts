// Parameter names that usually carry a secret: tokens (access_token, id_token, jwt), passwords,
// keys (key, apikey, api_key, x-api-key), auth (auth, authorization, oauth_*), sessions (session,
// sessionid, jsessionid, PHPSESSID), signatures (signature, sig, X-Amz-Signature), credentials,
// secrets (client_secret) and OAuth's `code`.
const SECRET_NAME =
  /^(?:code|sig)$|key$|token|passw|pwd|secret|auth|sess|signature|jwt|credential/i;

/**
 * The URL with the values of secret-looking parameters replaced by `[redacted]`: in the query,
 * in the fragment (`#access_token=…`) and in `;name=value` path parameters. Names and other
 * values are kept.
 */
export function scrubUrl(url: string): string {
  return url.replace(/([?&#;]([^=&#;]+)=)[^?&#;]*/g, (pair, head: string, name: string) =>
    SECRET_NAME.test(name) ? head + '[redacted]' : pair,
  );
}
