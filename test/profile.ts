// Test sizes: the fast profile for `npm test`, the full acceptance sizes for `npm run test:long`.
export const longProfile = process.env.GONKA_TEST_PROFILE === 'long';

/** Picks the fast or the long figure. */
export function sized<T>(fast: T, long: T): T {
  return longProfile ? long : fast;
}
