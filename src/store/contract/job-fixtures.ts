/** Values shared by the JobStore contract's parts. */
export const LEASE_MS = 30_000;
export const HOOK = 'https://hooks.example.test/rampart?sig=1';
export const chat = {
  kind: 'chat.completion',
  request: { model: 'm', messages: [{ role: 'user' }] },
};

export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}`);
  return value;
}
