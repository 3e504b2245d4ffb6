/**
 * Alerts and the baseline history of the anomaly detector. Every backend runs the contract
 * suites in `contract/alert-store-contract.ts` and `contract/baseline-store-contract.ts`.
 */

export type AlertKind = 'anomaly' | 'threshold';
export type AlertState = 'open' | 'resolved';
export type AlertSeverity = 'info' | 'warning' | 'critical';
/** The transitions a webhook reports. */
export type AlertEvent = 'opened' | 'resolved';

/** What the detector knows when it opens an alert. */
export interface AlertInput {
  kind: AlertKind;
  /** The key series, e.g. `tool_error_rate`. */
  series: string;
  /** The tool or `provider/model`; empty for a deployment-wide series. */
  key: string;
  /** Which static threshold, for `threshold` alerts (its direction and value); else empty. */
  rule: string;
  severity: AlertSeverity;
  /** Milliseconds since the epoch. */
  openedAt: number;
  /** The series' value when the alert opened. */
  value: number;
  /** The baseline it was compared with, for `anomaly` alerts. */
  baseline?: { median: number; mad: number };
  /** How many scaled MADs the value stood from the median, for `anomaly` alerts. */
  deviations?: number;
  message: string;
}

export interface AlertRecord extends AlertInput {
  /** `alt_` and 24 base64url characters. */
  id: string;
  state: AlertState;
  resolvedAt?: number;
}

export interface AlertQuery {
  state: AlertState | 'all';
  /** Most alerts returned, newest opened first. */
  limit: number;
}

/** A webhook delivery waiting to be sent: one per configured URL and transition. */
export interface AlertDelivery {
  /** `dlv_` and 24 base64url characters; the same on every attempt. */
  id: string;
  event: AlertEvent;
  url: string;
  /** Attempts already made. */
  attempts: number;
  alert: AlertRecord;
}

export interface AlertDeliveryClaim {
  token: string;
  delivery: AlertDelivery;
}

export type AlertDeliveryOutcome =
  { status: 'delivered' | 'failed' } | { status: 'pending'; retryInMs: number };

/**
 * Alerts, their webhook outbox, and the lease that lets one evaluator at a time decide
 * transitions. A transition and the deliveries it owes are written together, atomically, so
 * several instances never open the same alert twice nor owe one transition twice.
 */
export interface AlertStore {
  /**
   * Opens an alert unless one is already open for the same kind, series, key and rule, and
   * queues a delivery of `opened` to each URL. `created` is false when one was already open (it
   * is returned and nothing is queued).
   */
  open(
    input: AlertInput,
    webhookUrls: readonly string[],
  ): Promise<{ alert: AlertRecord; created: boolean }>;
  /**
   * Resolves the open alert with this id and queues a delivery of `resolved` to each URL;
   * `undefined` when it is not open (already resolved, or unknown).
   */
  resolve(
    id: string,
    resolvedAt: number,
    webhookUrls: readonly string[],
  ): Promise<AlertRecord | undefined>;
  /** Alerts in a state, newest opened first. */
  list(query: AlertQuery): Promise<AlertRecord[]>;
  /** Takes the delivery due longest for `leaseMs`; `undefined` when none is due. */
  claimDelivery(leaseMs: number): Promise<AlertDeliveryClaim | undefined>;
  /** Records an attempt's outcome; `false` when the claim was lost meanwhile. */
  recordDelivery(id: string, token: string, outcome: AlertDeliveryOutcome): Promise<boolean>;
  /** Deletes alerts resolved before `before`, with any delivery they still owe. */
  purgeResolved(before: number): Promise<number>;
  /**
   * Takes or renews the evaluator lease for `holder` for `ttlMs`; false while another holder's
   * lease runs.
   */
  acquireLease(holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` has it, so another instance can take over at once. */
  releaseLease(holder: string): Promise<void>;
}

/** One series' value over one baseline slot. */
export interface BaselinePoint {
  series: string;
  key: string;
  /** Start of the slot, milliseconds since the epoch. */
  slot: number;
  value: number;
  /** Calls, conversations or turns behind the value. */
  volume: number;
}

/**
 * The detector's memory of past days: a value per series, key and slot, and the last slot
 * processed (a slot with no data leaves no point, but is still done).
 */
export interface BaselineStore {
  /** Stores the points of one slot (each replaces the same series, key and slot) and marks it done. */
  record(slot: number, points: readonly BaselinePoint[]): Promise<void>;
  /** The stored points of one series and key among `slots`. */
  read(series: string, key: string, slots: readonly number[]): Promise<BaselinePoint[]>;
  /** The latest slot marked done, if any. */
  lastSlot(): Promise<number | undefined>;
  /** Deletes points of slots before `before`; returns how many went. */
  purge(before: number): Promise<number>;
}
