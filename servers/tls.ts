// A run-local certificate authority for https origin emulation: the proxy terminates TLS for an
// emulated https origin (and for the https bridge to a plain-http target) with a leaf certificate
// this CA signs for that exact host. The CA lives in a temporary directory for one run and is
// deleted on close; the engines are told to accept the run's certificates (Playwright
// `ignoreHTTPSErrors`, WebDriver `acceptInsecureCerts`), so nothing is installed system-wide.
// Keys come from the `openssl` CLI (Debian's package), called with execFile: never a shell, so a
// host name is an argument, not a command line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import { execFile } from 'node:child_process';
import { timed } from '../harness/model/timings.ts';

export interface RunCa {
  /** PEM of the CA certificate (to show in a report, or to trust elsewhere). */
  readonly caCertPem: string;
  /** A TLS context whose certificate names `host` (a DNS name or an IP address), signed by the CA. */
  contextFor(host: string): Promise<tls.SecureContext>;
  /**
   * Issue one certificate for every host known ahead (a policy's origins), in one openssl run
   * instead of one each in the page loads that first ask. A name openssl refuses makes each name go
   * its own way again, as without this.
   */
  prepare(hosts: string[]): void;
  close(): Promise<void>;
}

const OPENSSL_TIMEOUT_MS = 15_000;

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: OPENSSL_TIMEOUT_MS }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`openssl ${args[0]} failed: ${String(stderr).trim() || err.message}`));
      else resolve();
    });
  });
}

/** A subjectAltName entry for `host`; null when the name cannot be one (odd characters). */
function altName(host: string): string | null {
  if (net.isIP(host)) return `IP:${host}`;
  // IA5 characters without the separators openssl's config syntax gives meaning to; `$` (a variable
  // there) escaped, or the whole certificate fails ("variable has no value").
  return /^[A-Za-z0-9._\-$+!~*'()&;=`]+$/.test(host) ? `DNS:${host.replace(/\$/g, '\\$')}` : null;
}

/**
 * The name a leaf certificate is issued for: a DNS name of three labels or more gets the wildcard of
 * its parent, so the hosts a run makes up per scenario (`s1a2b.api.site-b.test`) share one
 * certificate (`*.api.site-b.test`) instead of one openssl call each; an IP address or a two-label
 * name gets its own.
 */
export function certificateName(host: string): string {
  if (net.isIP(host)) return host;
  const labels = host.split('.');
  return labels.length >= 3 ? `*.${labels.slice(1).join('.')}` : host;
}

export async function createRunCa(): Promise<RunCa> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cors-matrix-ca-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-sha256',
      '-subj', '/CN=cors-matrix run-local CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`cannot create the run's certificate authority (https origins need it): ${(e as Error).message}. Fix: apt-get install -y openssl`);
  }
  const caCertPem = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
  const contexts = new Map<string, Promise<tls.SecureContext>>();
  let serial = 0;

  /** A leaf certificate for the names (each a subjectAltName entry, or none): an openssl run. */
  async function issue(names: string[]): Promise<tls.SecureContext> {
    const n = ++serial;
    const key = `leaf-${n}.key`;
    const crt = `leaf-${n}.crt`;
    // An end-entity certificate: `req -x509` would otherwise copy the config's CA:TRUE, which
    // Firefox refuses for a server (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY) once it trusts the CA.
    const base = ['req', '-x509', ...ec, '-keyout', key, '-out', crt, '-days', '2', '-sha256',
      '-CA', 'ca.crt', '-CAkey', 'ca.key', '-subj', `/CN=cors-matrix leaf ${n}`, '-addext', 'basicConstraints=critical,CA:FALSE'];
    // prepare() gives only names openssl encodes. A single name it will not encode still gets a
    // certificate: the engines accept the run's certificates whatever they name, and the exchange is
    // what the check is about.
    const sans = names.map(altName);
    const named = sans.every(Boolean) ? [...base, '-addext', `subjectAltName=${sans.join(',')}`] : base;
    try {
      await openssl(named, dir);
    } catch (e) {
      if (names.length > 1 || named === base) throw e;
      await openssl(base, dir);
    }
    return tls.createSecureContext({
      key: fs.readFileSync(path.join(dir, key)),
      cert: fs.readFileSync(path.join(dir, crt)) + caCertPem,
    });
  }

  function contextFor(host: string): Promise<tls.SecureContext> {
    const name = certificateName(host);
    let c = contexts.get(name);
    // An openssl run per new name, in the page load that first asks for it: the run's timings count it as the CA's.
    if (!c) { c = timed('servers', () => issue([name])); contexts.set(name, c); c.catch(() => contexts.delete(name)); }
    return c;
  }

  return {
    caCertPem,
    contextFor,
    prepare(hosts: string[]) {
      // A name openssl would not encode is left to its own certificate, as the page load asks.
      const names = [...new Set(hosts.map(certificateName))].filter((n) => !contexts.has(n) && altName(n) !== null);
      if (names.length < 2) return;
      const all = timed('servers', () => issue(names));
      // Each name whose shared certificate failed is issued alone when first asked for.
      for (const name of names) {
        const c = all.catch(() => { contexts.delete(name); return contextFor(name); });
        contexts.set(name, c);
      }
    },
    async close() { fs.rmSync(dir, { recursive: true, force: true }); },
  };
}
