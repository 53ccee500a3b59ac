// The typed boundaries of the harness. Data flows one way:
// Scenario -> (engine runs the probe, target records) -> PageResult + TargetObservation
// -> Verdict (a Cell) -> reports. The JSON reports are built from these types.

// The engines' list is plain .mjs (the set-up reads it before `npm install`), in matrix order.
import { ENGINE_IDS as KNOWN_IDS } from './engine-ids.mjs';

export type EngineId = (typeof KNOWN_IDS)[number];
export const ENGINE_IDS: readonly EngineId[] = KNOWN_IDS;

export type Outcome = 'allowed' | 'blocked' | 'error';
export type Stage = 'preflight' | 'actual';

/** Ordered `[name, value]` pairs, sent exactly as written: duplicates, case and odd values included. */
export type HeaderList = Array<[string, string]>;

export type RequestApi = 'fetch' | 'xhr' | 'img' | 'script';
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

export interface ScenarioRequest {
  /** `fetch`, `xhr`; extensions: `img` (an `<img crossorigin>`), `script` (a module `<script>`). */
  api: RequestApi;
  method: string;
  headers: Record<string, string>;
  credentials: CredentialsMode;
  body: string | null;
  /** fetch only: `cors` (default) or `no-cors`. */
  mode?: 'cors' | 'no-cors';
  /** xhr only: attach an upload progress listener (forces a preflight for a body-carrying request). */
  uploadListener?: boolean;
  /** Response headers the page tries to read; default: every header name the response sends. */
  readHeaders?: string[];
  /**
   * fetch only: the request's `referrerPolicy` ('' for the page's default). Set, the cell records
   * the `Referer` the preflight and the actual request carried, and holds them to the expectation.
   */
  referrerPolicy?: string;
}

/** One HTTP answer from the target. `$ORIGIN` / `$TARGET` / `$TARGET2` are substituted when the check runs. */
export interface ResponseSpec {
  status: number;
  headers: HeaderList;
  /** Body text. `$GIF` sends a 1x1 GIF (for `<img>`), `$MODULE` an empty JS module (for `<script>`). */
  body?: string;
  /** Transport-level misbehaviour instead of a clean answer (faults are never CORS blocks). */
  fault?: Fault;
}

/**
 * Transport misbehaviour of the target. `refused`: nothing listens; `reset-before-status`,
 * `reset-in-body`: the connection is reset; `hang`: no answer at all; `malformed-status`: a status
 * line that is not HTTP; `huge-headers`: 300 KB of response headers; `slow-body`: the body
 * trickles in over ~1.5 s (a slow answer is not a fault of CORS, and should still be read);
 * `endless-body` (preflight and response only): the headers are complete, the body starts and
 * never ends (a preflight is decided on its headers, so an engine must not wait for that body).
 */
export type Fault = 'refused' | 'reset-before-status' | 'reset-in-body' | 'hang' | 'malformed-status' | 'huge-headers' | 'slow-body' | 'endless-body';
export const FAULTS: readonly Fault[] = ['refused', 'reset-before-status', 'reset-in-body', 'hang', 'malformed-status', 'huge-headers', 'slow-body', 'endless-body'];

/** A redirect hop answered before the final response. `to` picks the origin of the next hop. */
export interface RedirectHop extends ResponseSpec {
  to: 'same' | 'other';
  /** Put `user:pass@` in the Location URL. */
  userinfo?: boolean;
}

/** Where the probe page lives. */
export interface PageSpec {
  /** `default`: the harness's origin; `sandboxed`: an opaque (`null`) origin from a sandboxed iframe;
   *  `public`: an emulated public origin (Chromium's Local Network Access applies). */
  origin: 'default' | 'sandboxed' | 'public';
  /** For `public`: whether the context holds the `local-network-access` permission. */
  localNetworkAccess?: 'grant' | 'deny';
  /**
   * For `public`: a named site (`http://app.example.test`) the public page is served on, through a
   * proxy whose address the engines treat as public; the page then calls the loopback target
   * directly, so Chromium's Local Network Access judges a public site calling a local API.
   */
  site?: string;
}

/** A follow-up request in the same page after the first one (preflight cache, HTTP cache). */
export interface FollowUp {
  request?: Partial<ScenarioRequest>;
  /** Same URL as the first request (`same`, default) or a fresh one (`fresh`). */
  url?: 'same' | 'fresh';
  /** Load it from a second page origin (HTTP cache and `Vary: Origin`). */
  fromSecondOrigin?: boolean;
}

/**
 * What a cell is held to: the one shape every expectation derives from (the scenario's `expect`,
 * an engine's recorded deviation, the matrix's `expected`, the verdict's input). A field left
 * undefined is not checked. A new held field is added here, predicted by the oracle
 * (harness/oracle/predict.ts), and compared in harness/probe/verdict.ts.
 */
export interface HeldTo {
  /** `error`: the engine must fail with a cause (a transport fault, mixed content), or stalls where the standard decides. */
  outcome: Outcome;
  /** Whether a preflight is sent. */
  preflight?: boolean;
  /** Lowercase response header names the page must be able to read (others it asks for: hidden). */
  exposed?: string[];
  /** Names of the cookies the target must receive with the actual request (any order). */
  cookiesReceived?: string[];
  /** The `Referer` the preflight and the actual request must carry (null: none), where the scenario sets request.referrerPolicy. */
  referer?: string | null;
}

/** The held fields a scenario or an engine may state on its own (the outcome aside). */
export type HeldField = Exclude<keyof HeldTo, 'outcome'>;

/** Every held field, so code that merges expectations needs no list of its own (a missing one fails the type check). */
export const HELD_FIELDS = Object.keys({ preflight: 0, exposed: 0, cookiesReceived: 0, referer: 0 } satisfies Record<HeldField, 0>) as HeldField[];

/** The held fields `from` states (defined ones only: undefined leaves the field to the one it overrides). */
export function statedFields(from: Partial<HeldTo> | undefined): Partial<HeldTo> {
  return Object.fromEntries(HELD_FIELDS.filter((f) => from?.[f] !== undefined).map((f) => [f, from![f]]));
}

/** What CORS decides when the target behaves: never `error`. */
export type CorsOutcome = Exclude<Outcome, 'error'>;

/** An engine's recorded deviation from the expectation: what it does instead, and the evidence. */
export interface EngineExpectation extends HeldTo {
  /** Why this engine differs from the oracle: a WPT path, a bug URL, or the engine's own message. */
  source: string;
  /**
   * The regimes it was seen in and applies to (absent: every regime). Recorded under an engine's id,
   * it applies to that engine's columns in these regimes; under a column id (`webkit-users`), to that column.
   */
  regimes?: Regime[];
  note?: string;
}

/** A scenario's own `expect`: any held field, each absent one the oracle's prediction. */
export interface ScenarioExpectation extends Partial<Omit<HeldTo, 'outcome'>> {
  outcome?: CorsOutcome;
  /** The target misbehaves below HTTP: every engine's cell must be `error` with a cause. */
  error?: boolean;
  /** Per-engine recorded deviations from the expectation above, by engine or by column (`webkit-users`). */
  engines?: Partial<Record<ColumnId, EngineExpectation>>;
}

/**
 * Named sites a scenario runs between instead of the default pair of `http://127.0.0.1` ports:
 * origins on the reserved `.test` domain, served on loopback by the harness's proxy (https with the
 * run's CA), so same-site and cross-site, http and https are what they would be on real hosts.
 */
export interface SitesSpec {
  page: string;
  target: string;
}

/** A cookie the target's site sets in a first-party, top-level visit before the request. */
export interface CookieSpec {
  name: string;
  value: string;
  /** Written verbatim after `name=value; ` in the `Set-Cookie` line (e.g. `SameSite=None; Secure`). */
  attributes: string;
}

export interface Scenario {
  id: string;
  title: string;
  category: string;
  request: ScenarioRequest;
  /** Answers the CORS preflight; absent: OPTIONS gets 404 with no CORS headers. */
  preflight?: ResponseSpec;
  response: ResponseSpec;
  /** Hops answered before `response`, in order. */
  redirects?: RedirectHop[];
  page?: PageSpec;
  followUp?: FollowUp;
  sites?: SitesSpec;
  cookies?: CookieSpec[];
  expect?: ScenarioExpectation;
  /** Where it came from: `builtin` or the custom file's path. */
  source?: string;
}

// ---- what the page saw ---------------------------------------------------------------

export interface PageResult {
  /** The page could read the response (status and body). For img/script: the load event fired. */
  readable: boolean;
  status: number | null;
  body: string | null;
  /** Requested response header name -> value the page could read (null: not readable). */
  headers: Record<string, string | null> | null;
  error: { name: string; message: string } | null;
  /** The probe gave up waiting (the in-page timeout). */
  timedOut: boolean;
  /** The API itself threw before sending (the Request constructor or XHR open refused the call). */
  rejectedBeforeSending?: boolean;
  durationMs: number;
}

// ---- what the target saw -------------------------------------------------------------

export interface ReceivedRequest {
  method: string;
  path: string;
  /** `Origin` as received, or null when absent. */
  origin: string | null;
  accessControlRequestMethod: string | null;
  accessControlRequestHeaders: string | null;
  cookie: boolean;
  /** Names of the cookies in the `Cookie` header, in order (values are never kept). */
  cookies: string[];
  /** The `Referer` the request carried, or null. */
  referer: string | null;
  isPreflight: boolean;
  /** The target finished writing its answer (false: the connection closed first). */
  answered: boolean;
  /** Which server answered: the main target or the second origin. */
  server: 'target' | 'other';
  /** The target misbehaved on purpose while answering (a `faults` scenario). */
  fault?: Fault;
}

export interface TargetObservation {
  requests: ReceivedRequest[];
}

// ---- the matrix cell ---------------------------------------------------------------------

export interface RequestHeadersSeen {
  origin?: string | null;
  'access-control-request-method'?: string | null;
  'access-control-request-headers'?: string | null;
  cookie?: boolean;
}

export interface Cell {
  outcome: Outcome;
  stage: Stage | null;
  preflightSent: boolean;
  actualSent: boolean;
  status: number | null;
  exposedHeaders: Record<string, string | null> | null;
  message: string | null;
  requestHeaders: RequestHeadersSeen;
  /** Names of the cookies the target received with the actual request (`[]` when none). */
  cookiesReceived: string[];
  /** Scenarios with request.referrerPolicy: the `Referer` the preflight and the actual request carried (null: none or not sent). */
  referer?: { preflight: string | null; actual: string | null };
  matchesExpected: boolean;
  durationMs: number;
  /** For `error`: what the harness saw instead of a decision. */
  cause?: string;
  /**
   * The causes of earlier attempts, when the engine stalled after the target had answered (a loaded
   * machine): the cell is the first attempt on a fresh URL that was not such a stall, or the last.
   */
  reprobed?: string[];
  /** Number of preflights / actual requests the target saw (cache scenarios send several). */
  preflightCount: number;
  actualCount: number;
  /** The expectation this cell was held to: `oracle`/`scenario`, or `deviation` when an engine record applies. */
  expectedBy: 'scenario' | 'oracle' | 'deviation';
  /** Every request the target saw, for the report's evidence panel. */
  received: ReceivedRequest[];
  /** Follow-up scenarios: the cell describes the follow-up; this is the first request that filled the caches. */
  first?: { outcome: Outcome; preflightSent: boolean; actualSent: boolean };
}

/**
 * How an engine is configured for a run: `installed`, the browser as this machine's package ships it
 * (and as the driver leaves it); `users`, the defaults of the browser family its users run (Chrome's
 * cookie controls and the features Chrome ships on, Firefox's release defaults, Safari's third-party
 * cookie blocking through WebKitGTK's ITP).
 */
export const REGIMES = ['installed', 'users'] as const;
export type Regime = typeof REGIMES[number];

/**
 * A matrix column: an engine in a regime. The installed regime's column is the engine's own id (as in
 * every report written before regimes), the users regime's is `<engine>-users`. It names the
 * catalogue's Playwright project, keys `results` and `engines`, baselines, shards and merges.
 */
export type ColumnId = EngineId | `${EngineId}-users`;
export function columnId(engine: EngineId, regime: Regime = 'installed'): ColumnId {
  return regime === 'installed' ? engine : `${engine}-users`;
}
/** The engine and regime of a column id; null for anything else. */
export function parseColumn(id: string): { engine: EngineId; regime: Regime } | null {
  const [engine, suffix] = id.split(/-(?=users$)/);
  if (!(ENGINE_IDS as readonly string[]).includes(engine)) return null;
  if (suffix === undefined) return { engine: engine as EngineId, regime: 'installed' };
  return suffix === 'users' ? { engine: engine as EngineId, regime: 'users' } : null;
}
/** Every column in matrix order: the installed regime's engines, then the users regime's. */
export const COLUMN_IDS: readonly ColumnId[] = REGIMES.flatMap((r) => ENGINE_IDS.map((e) => columnId(e, r)));

/**
 * Whether a scenario's result can depend on the regime: the scenarios that set cookies (cookie
 * controls, Total Cookie Protection, ITP, partitioned cookies). A run of both regimes runs these in
 * the second one. The other settings the regimes differ in (HTTPS upgrades, storage partitioning)
 * touch no other scenario: `.test` names are never upgraded (not a public suffix) and no scenario
 * uses storage APIs (docs/environment.md, "Regimes").
 */
/** The catalogue spec's tag on those scenarios' tests, which the second regime's projects select. */
export const REGIME_TAG = '@regime-dependent';
export function dependsOnRegime(scenario: Pick<Scenario, 'cookies'>): boolean {
  return !!scenario.cookies?.length;
}

/**
 * The recorded deviation a column is held to: one recorded under the column's own id
 * (`webkit-users`), else the engine's, each only where its `regimes` (absent: all) include the column's.
 */
export function deviationFor(engines: ScenarioExpectation['engines'], column: ColumnId): EngineExpectation | undefined {
  const { engine, regime } = parseColumn(column)!;
  const e = engines?.[column] ?? engines?.[engine];
  return e && (!e.regimes || e.regimes.includes(regime)) ? e : undefined;
}

export interface EngineInfo {
  id: EngineId;
  /** The regime the engine ran in (absent in reports written before regimes: `installed`). */
  regime?: Regime;
  browser: string;
  version: string;
  driver: string;
  /** Binary and launch notes (executable path, channel, flags that matter for CORS). */
  notes?: string;
  /** What the engine ran with, read back from the engine itself (absent where it could not be read). */
  configuration?: EngineConfiguration;
}

/**
 * A matrix column's engine: the engine's description under its column id (`chromium-users` in the
 * users regime), with the engine's own id in `engine` where the two differ.
 */
export interface ColumnInfo extends Omit<EngineInfo, 'id'> {
  id: ColumnId;
  engine?: EngineId;
}
export function columnInfo(info: EngineInfo): ColumnInfo {
  const id = columnId(info.id, info.regime);
  return id === info.id ? info : { ...info, id, engine: info.id };
}

/** One setting as the engine runs it: a short value, and where it was read and who set it. */
export interface EngineSetting {
  value: string;
  /** Where the harness read it (a page of the engine, its command line, its profile) and who set it. */
  from: string;
  /**
   * The value in a few words with the preference or switch that decides it and who set it, for
   * one-line explanations (policy mode's exploit lines): "blocked (cookie_controls_mode 1, the build's default)".
   */
  brief?: string;
}

/**
 * The settings that change what a cross-site request carries or may do, as the engine reports them:
 * a matrix or policy result holds for an engine in this configuration.
 */
export interface EngineConfiguration {
  /** Whether a credentialed cross-site request may carry the target's own cookies (cookie controls, Total Cookie Protection, ITP). */
  thirdPartyCookies: EngineSetting;
  /** Whether storage (and so the HTTP cache and cookies) is partitioned by top-level site. */
  storagePartitioning?: EngineSetting;
  /** Whether the engine upgrades http navigations to https on its own. */
  httpsUpgrades?: EngineSetting;
  /** Local Network Access: whether a public page's requests to private or loopback addresses are checked. */
  localNetworkAccess?: EngineSetting;
  /** Switches and preferences that automation set and a user's browser does not have. */
  automation: string[];
}

/** A scenario's expectation as the matrix shows it (`expected` in matrix.json): what CORS would decide, and why. */
export interface Expected extends Pick<HeldTo, 'cookiesReceived' | 'referer'> {
  /** What CORS would decide if the target behaved (the oracle's verdict). */
  outcome: CorsOutcome;
  preflight: boolean;
  reason: string;
  fix: string;
  /** A `faults` or mixed-content scenario: the harness must report `error` with a cause, never a block. */
  error?: boolean;
  /** Named-site scenarios: how page and target relate (`same-site` by registrable domain and scheme). */
  sites?: 'same-site' | 'cross-site';
}

/** What one engine's cell is compared with, and whose word that is. */
export interface CellExpectation extends HeldTo {
  expectedBy: Cell['expectedBy'];
}

/** A scenario as the matrix shows it: what it sends and is answered, what is expected, and each engine's cell. */
export interface MatrixScenario extends Pick<Scenario, 'id' | 'category' | 'title' | 'request' | 'response' | 'redirects' | 'page' | 'followUp' | 'sites' | 'cookies'> {
  source: string;
  expected: Expected;
  deviations?: ScenarioExpectation['engines'];
  preflight: ResponseSpec | null;
  results: Partial<Record<ColumnId, Cell>>;
}

export interface MatrixChange {
  scenario: string;
  engine: string;
  from: Outcome | null;
  to: Outcome | null;
}

export interface Matrix {
  schema: 'cors-matrix/1';
  generatedAt: string;
  engines: ColumnInfo[];
  /** False when the run ended before every selected cell ran (Ctrl-C, SIGTERM, a timeout, a crash). */
  complete: boolean;
  /** True when the run selected part of the catalogue (--project, --grep, one shard, CORS_SCENARIOS_ONLY). */
  subset: boolean;
  scenarios: MatrixScenario[];
  summary: {
    scenarios: number;
    cells: number;
    matching: number;
    mismatching: number;
    errors: number;
    deviations: number;
    /** Selected cells the run ended without. */
    notRun: number;
    durationMs: number;
  };
  changes?: MatrixChange[];
  /** How the engines' configurations differ from the baseline's (`engines[].configuration`), one line each. */
  configurationChanges?: string[];
}

/** What a test attaches for the matrix reporter (one per scenario per engine). */
export interface CellRecord {
  scenario: MatrixScenario;
  engine: ColumnInfo;
  cell: Cell;
}
export const CELL_CONTENT_TYPE = 'application/vnd.cors-matrix.cell+json';

/**
 * What the matrix reporter knows of the run's catalogue, read once by the input check and handed
 * over as Playwright config metadata (blob reports carry it to merge-reports). Secret-free: counts only.
 */
export interface CatalogueSummary {
  /** Scenarios the run's catalogue holds (built-in plus CORS_SCENARIOS, or that file alone). */
  scenarios: number;
  /** Of those, the ones whose result can depend on the regime (dependsOnRegime): a second regime runs only these. */
  regimeDependent: number;
  /** CORS_SCENARIOS_ONLY: the custom file alone, part of the catalogue by definition. */
  customOnly: boolean;
}
export const CATALOGUE_METADATA_KEY = 'corsCatalogue';
