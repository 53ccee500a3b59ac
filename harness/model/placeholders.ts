// What a scenario's `$` words stand for. The oracle that predicts a check and the servers that
// answer it both read a scenario through here, so a prediction cannot read it differently from
// the answer the engine got.

/** The origins one check runs between. */
export interface CheckOrigins {
  /** The page's origin; `null` for a sandboxed frame. */
  pageOrigin: string;
  targetOrigin: string;
  /** The second target, where an `other` redirect hop goes. */
  otherOrigin: string;
}

// In the order they are replaced: a name that begins another (`$TARGET2`, `$ORIGIN_HOST`) first.
function headerPlaceholders(origins: CheckOrigins, requestOrigin: string): Array<[string, string]> {
  const page = origins.pageOrigin === 'null' ? null : new URL(origins.pageOrigin);
  return [
    // The Origin this very request carries: what a reflecting server (`cors({ origin: true })`)
    // sends back, so `null` once a redirect has tainted the request.
    ['$REQUEST_ORIGIN', requestOrigin],
    // The page origin's parts, to write near-miss origins.
    ['$ORIGIN_HOST', page?.hostname ?? ''],
    ['$ORIGIN_PORT', page?.port ?? ''],
    ['$TARGET2', origins.otherOrigin],
    ['$TARGET', origins.targetOrigin],
    ['$ORIGIN', origins.pageOrigin],
  ];
}

/** A header value as sent: `$ORIGIN`, `$TARGET`, `$TARGET2`, `$REQUEST_ORIGIN`, `$ORIGIN_HOST`, `$ORIGIN_PORT` replaced. */
export function substitute(value: string, origins: CheckOrigins, requestOrigin: string = origins.pageOrigin): string {
  return headerPlaceholders(origins, requestOrigin).reduce((text, [name, replacement]) => text.split(name).join(replacement), value);
}

/**
 * Puts the origin placeholders back into a text, so a reason reads the same in every run whatever
 * ports the servers got: longest origin first, whole origins only. `secondOrigin` is a page origin
 * too (a follow-up from another page), so it reads `$ORIGIN`.
 */
export function restorePlaceholders(origins: CheckOrigins & { secondOrigin: string }): (text: string) => string {
  const pairs: Array<[string, string]> = [
    [origins.otherOrigin, '$TARGET2'], [origins.targetOrigin, '$TARGET'], [origins.pageOrigin, '$ORIGIN'], [origins.secondOrigin, '$ORIGIN'],
  ];
  // The opaque origin is every sandboxed page's, so it never stands for one server.
  const replacements = pairs.filter(([origin]) => origin !== 'null').sort((a, b) => b[0].length - a[0].length);
  return (text) => replacements.reduce(
    (out, [origin, placeholder]) => out.replace(new RegExp(`${escapeRegExp(origin)}(?![0-9])`, 'g'), placeholder),
    text,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A body placeholder: the bytes the target serves for it and what a browser makes of them. */
export interface BodyAsset {
  readonly bytes: Buffer;
  /** Sent unless the scenario sets its own Content-Type. */
  readonly contentType: string;
  /** Decodes as an image, so an `<img>` fires load (HTML "update the image data"). */
  readonly image: boolean;
}

const BODY_ASSETS: Readonly<Record<string, BodyAsset>> = {
  // A 1x1 transparent GIF, for `<img>` checks.
  $GIF: { bytes: Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'), contentType: 'image/gif', image: true },
  // A module that does nothing, for `<script type="module">` checks.
  $MODULE: { bytes: Buffer.from('export const ok = true;\n'), contentType: 'text/javascript', image: false },
};

/** The asset a response body names (`$GIF`, `$MODULE`), or null for a body sent as written. */
export function bodyAsset(body: string | undefined): BodyAsset | null {
  return body !== undefined && Object.hasOwn(BODY_ASSETS, body) ? BODY_ASSETS[body] : null;
}
