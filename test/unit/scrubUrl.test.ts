import { describe, expect, it } from 'vitest';
import { scrubUrl } from '../../src/errors/scrubUrl';

describe('scrubUrl', () => {
  it.each([
    'token',
    'access_token',
    'refresh_token',
    'id_token',
    'password',
    'passwd',
    'pwd',
    'secret',
    'client_secret',
    'key',
    'apikey',
    'api_key',
    'x-api-key',
    'apiKey',
    'auth',
    'authorization',
    'Authorization',
    'oauth_token',
    'session',
    'sessionid',
    'session_id',
    'jsessionid',
    'PHPSESSID',
    'code',
    'signature',
    'X-Amz-Signature',
    'sig',
    'jwt',
    'credential',
    'X-Amz-Credential',
  ])('redacts the value of %s', (name) => {
    expect(scrubUrl(`https://api.example/orders?page=2&${name}=s3cr3t&sort=asc`)).toBe(
      `https://api.example/orders?page=2&${name}=[redacted]&sort=asc`,
    );
  });

  it.each(['page', 'q', 'sort', 'id', 'lang', 'zipcode', 'codec', 'signal', 'user'])(
    'keeps the value of %s',
    (name) => {
      const url = `https://api.example/orders?${name}=visible`;
      expect(scrubUrl(url)).toBe(url);
    },
  );

  it('redacts in the fragment and in path parameters', () => {
    expect(scrubUrl('https://app.example/cb#access_token=abc.def&state=xyz')).toBe(
      'https://app.example/cb#access_token=[redacted]&state=xyz',
    );
    expect(scrubUrl('https://app.example/#/login?next=%2Fhome&token=abc')).toBe(
      'https://app.example/#/login?next=%2Fhome&token=[redacted]',
    );
    expect(scrubUrl('https://app.example/cart;jsessionid=A1B2?item=3')).toBe(
      'https://app.example/cart;jsessionid=[redacted]?item=3',
    );
  });

  it('redacts every secret, empty values included, and keeps the rest intact', () => {
    expect(scrubUrl('/api?token=a&token=b&key=&flag&x=1')).toBe(
      '/api?token=[redacted]&token=[redacted]&key=[redacted]&flag&x=1',
    );
    expect(scrubUrl('https://api.example/v1/key/7?x=%20y')).toBe(
      'https://api.example/v1/key/7?x=%20y',
    );
  });
});
