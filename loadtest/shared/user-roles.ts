/** How many fixture neighborhoods, residents and pool users a run has (scenario file → `fixtures`). */
export interface FixtureCounts {
  neighborhoods: number;
  membersPerNeighborhood: number;
  users: number;
}

/**
 * Users 0 … membersPerNeighborhood-1 are the fixtures' residents (user 0 creates every fixture neighborhood,
 * the others join all of them); the rest of the pool churns memberships.
 */
export function countResidents(fixtures: FixtureCounts): number {
  return Math.max(1, fixtures.membersPerNeighborhood);
}

/**
 * The (user, neighborhood) pair a membership iteration uses: a churning user (never a resident, so never
 * already a member). Iterations fewer than `churners × neighborhoods` apart never share a pair, so
 * concurrent join/leave flows never collide (no 409/404).
 */
export function pickMembershipPair(iteration: number, fixtures: FixtureCounts) {
  const residents = countResidents(fixtures);
  const churners = fixtures.users - residents;
  return {
    user: residents + (iteration % churners),
    neighborhood: Math.floor(iteration / churners) % fixtures.neighborhoods,
  };
}

/** A random index in [from, to); `random` is a number in [0, 1). */
export function pickIndex(from: number, to: number, random: () => number): number {
  return from + Math.floor(random() * (to - from));
}
