/**
 * API-shaped results of the repositories. They mirror the contract's schemas (Nbhd, Member, NbhdDetail);
 * route handlers assign them to the generated types, so tsc catches any drift.
 */
export interface NbhdRecord {
  id: string;
  name: string;
  description: string | null;
  created_by: string;
  created_at: string;
  updated_at: string | null;
  member_count: number;
}

export interface MemberRecord {
  id: string;
  user_id: string;
  joined_at: string;
}

export interface NbhdDetailRecord extends NbhdRecord {
  members: MemberRecord[];
  members_next_cursor: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Stored neighborhood attributes the API shows. */
export interface StoredNeighborhood {
  id: string;
  name: string;
  description?: string;
  created_by: string;
  created_at: string;
  updated_at?: string;
  member_count: number;
}

export function toNbhdRecord(item: StoredNeighborhood): NbhdRecord {
  return {
    id: item.id,
    name: item.name,
    description: item.description ?? null,
    created_by: item.created_by,
    created_at: item.created_at,
    updated_at: item.updated_at ?? null,
    member_count: item.member_count,
  };
}

export function toMemberRecord(item: { id: string; user_id: string; joined_at: string }): MemberRecord {
  return { id: item.id, user_id: item.user_id, joined_at: item.joined_at };
}
