/**
 * What a backend supplies to run a contract suite. A fresh, empty backend is opened for every
 * test and closed after it.
 */
export interface ContractHarness<S> {
  store: S;
  /** Moves the backend's clock forward (a manual clock, or a real wait where none can be set). */
  advanceTime: (ms: number) => Promise<void>;
  /** Closes the backend and opens it again over the same data; required when `durable`. */
  reopen?: () => Promise<S>;
  /** A second, independent client of the same data; required when `sharedClients`. */
  connectAnother?: () => Promise<S>;
  /** Closes everything the harness opened. */
  close: () => Promise<void>;
}

export interface ContractCapabilities {
  /** Data outlives the client (a file or a server, not `:memory:`). */
  durable?: boolean;
  /** Several clients can use the same data at once. */
  sharedClients?: boolean;
}

export type HarnessFactory<S> = () => Promise<ContractHarness<S>>;

/** A settable clock for backends that take one. */
export function createManualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export function requireCapability<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`The harness declares a capability but lacks ${name}.`);
  return value;
}
