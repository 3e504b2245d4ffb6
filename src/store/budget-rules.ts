import { RampartError } from '../core/errors.js';
import type { BudgetCharge, BudgetCounterTake, BudgetReserveRequest } from './budget-types.js';

/**
 * Input checks every BudgetStore backend applies, so both refuse the same requests. Amounts stay
 * below 2^53 so Lua's doubles add them exactly.
 */

const MAX_AMOUNT = Number.MAX_SAFE_INTEGER / 1_024;
const MAX_COUNTERS = 32;
const MAX_TTL_MS = 400 * 24 * 3_600_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,512}$/;

function invalid(message: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', `budget ledger: ${message}`);
}

function checkAmount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_AMOUNT)
    throw invalid(`${name} must be a whole number from 0 to ${MAX_AMOUNT}`);
}

export function checkBudgetKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw invalid('a counter key is 1-512 printable ASCII characters');
}

function checkCounter(counter: Pick<BudgetCharge, 'key' | 'cap' | 'warnAt' | 'ttlMs'>): void {
  checkBudgetKey(counter.key);
  checkAmount(counter.cap, 'cap');
  if (!(counter.warnAt > 0 && counter.warnAt <= 1)) throw invalid('warnAt must be in (0, 1]');
  if (!Number.isInteger(counter.ttlMs) || counter.ttlMs < 1 || counter.ttlMs > MAX_TTL_MS)
    throw invalid('ttlMs must be a whole number of ms up to 400 days');
}

function checkDistinct(keys: readonly string[]): void {
  if (keys.length === 0 || keys.length > MAX_COUNTERS)
    throw invalid(`1 to ${MAX_COUNTERS} counters per reservation`);
  if (new Set(keys).size !== keys.length) throw invalid('a counter appears twice');
}

export function checkReservationId(id: string): void {
  if (!/^[A-Za-z0-9_-]{8,64}$/.test(id)) throw invalid('a reservation id is 8-64 of [A-Za-z0-9_-]');
}

export function checkReserve(request: BudgetReserveRequest): void {
  checkReservationId(request.id);
  checkDistinct(request.counters.map((counter) => counter.key));
  for (const counter of request.counters) {
    checkCounter(counter);
    checkAmount(counter.base, 'base');
    checkAmount(counter.perUnit, 'perUnit');
  }
  const { min, max } = request.units;
  checkAmount(min, 'units.min');
  checkAmount(max, 'units.max');
  if (min > max) throw invalid('units.min exceeds units.max');
  if (!Number.isInteger(request.leaseMs) || request.leaseMs < 1 || request.leaseMs > MAX_TTL_MS)
    throw invalid('leaseMs must be a whole number of ms up to 400 days');
}

export function checkCharges(id: string, charges: readonly BudgetCharge[]): void {
  checkReservationId(id);
  checkDistinct(charges.map((charge) => charge.key));
  for (const charge of charges) {
    checkCounter(charge);
    checkAmount(charge.amount, 'amount');
  }
}

export function checkRelease(id: string, keys: readonly string[]): void {
  checkReservationId(id);
  checkDistinct(keys);
  keys.forEach(checkBudgetKey);
}

/** How many output units fit on a counter now: -1 when not even the prompt's part does. */
export function unitsThatFit(counter: BudgetCounterTake, used: number): number {
  const room = counter.cap - used - counter.base;
  if (room < 0) return -1;
  if (counter.perUnit === 0) return Number.MAX_SAFE_INTEGER;
  return Math.floor(room / counter.perUnit);
}

/** Whether spent has reached the counter's warn line (callers warn once, keeping a flag). */
export function reachesWarning(charge: BudgetCharge, spent: number): boolean {
  return spent >= charge.warnAt * charge.cap;
}
