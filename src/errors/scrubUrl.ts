/**
 * The URL with the values of secret-looking parameters replaced by `[redacted]`: in the query,
 * in the fragment (`#access_token=…`) and in `;name=value` path parameters. Names and other
 * values are kept. Secret-looking names: `code` and `sig`; names ending in `key` (key, apikey,
 * api_key, x-api-key); names containing token (access_token, id_token), passw, pwd, secret
 * (client_secret), auth (authorization, oauth_*), sess (sessionid, jsessionid, PHPSESSID),
 * signature (X-Amz-Signature), jwt or credential. Case is ignored.
 */
export const scrubUrl = (url: string): string =>
  url.replace(
    /([?&#;](?:code|sig|[^=&#;]*(?:key|(?:token|passw|pwd|secret|auth|sess|signature|jwt|credential)[^=&#;]*))=)[^?&#;]*/gi,
    '$1[redacted]',
  );
