import type { Side } from './ledger.js';

/** One neighborhood as a side serves it at the end of a run, its id mapped to the UUID (blue: through green's 308). */
export interface FinalNbhd {
  /** Undefined for a blue row whose integer id green does not know (no `LEGACY#NBHD#{n}` item). */
  uuid: string | undefined;
  legacyId?: number | undefined;
  name: string;
  description: string | null;
  createdBy: string;
  memberCount: number;
  /** The members' DIDs as the side lists them (duplicates kept: the checker counts them). */
  members: string[];
}

export interface ReplicationConflict {
  kind: string;
  key: string;
  detail: unknown;
  detected_at?: string;
}

export type FinalStates = Record<Side, FinalNbhd[]>;
