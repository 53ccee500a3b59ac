// A scenario's placeholders (harness/model/placeholders.ts): what the oracle predicts with and
// what the target servers send, from one definition.
import { test, expect } from '@playwright/test';
import { bodyAsset, restorePlaceholders, substitute } from '../../harness/model/placeholders.ts';

const origins = { pageOrigin: 'http://127.0.0.1:4100', targetOrigin: 'http://127.0.0.1:4200', otherOrigin: 'http://127.0.0.1:4300' };

test('every header placeholder, with the Origin the request carried', () => {
  expect(substitute('$REQUEST_ORIGIN|$ORIGIN_HOST|$ORIGIN_PORT|$TARGET2|$TARGET|$ORIGIN', origins, 'null'))
    .toBe('null|127.0.0.1|4100|http://127.0.0.1:4300|http://127.0.0.1:4200|http://127.0.0.1:4100');
});

test('a sandboxed page (origin null) has no host or port to write near-miss origins from', () => {
  expect(substitute('$ORIGIN [$ORIGIN_HOST] [$ORIGIN_PORT]', { ...origins, pageOrigin: 'null' })).toBe('null [] []');
});

test('a reason puts whole origins back, a longer port is left alone', () => {
  const show = restorePlaceholders({ ...origins, secondOrigin: 'http://127.0.0.1:4101' });
  expect(show('http://127.0.0.1:4300 http://127.0.0.1:4101 http://127.0.0.1:41000')).toBe('$TARGET2 $ORIGIN http://127.0.0.1:41000');
});

test('$GIF and $MODULE bring bytes and a Content-Type; any other body is sent as written', () => {
  expect(bodyAsset('$GIF')).toMatchObject({ contentType: 'image/gif', image: true });
  expect(bodyAsset('$GIF')!.bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  expect(bodyAsset('$MODULE')).toMatchObject({ contentType: 'text/javascript', image: false });
  expect(bodyAsset('ok')).toBeNull();
  expect(bodyAsset('constructor')).toBeNull();
  expect(bodyAsset(undefined)).toBeNull();
});
