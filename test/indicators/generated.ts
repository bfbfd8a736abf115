// Seeded generators for the tests that check a compute kind against its SQL form on generated rows.

/** A repeatable source of numbers in [0, 1), a pick from a list, and a plain day between two years. */
export function seeded(seed: number) {
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const day = (from: number, to: number) =>
    new Date(Date.UTC(from, 0, 1) + Math.floor(rnd() * (to - from + 1) * 365) * 86400000).toISOString().slice(0, 10);
  return { rnd, pick, day };
}
