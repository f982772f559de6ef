/** The shared layers' tables (directory, preferences, delivery); each feature names its own beside its repository. Keys: docs/storage.md. */
export const TABLES = {
  people: 'people',
  personIndex: 'personindex',
  units: 'units',
  orgSettings: 'orgsettings',
  preferences: 'preferences',
  conversations: 'conversations',
  outbox: 'outbox',
  outboxPending: 'outboxpending',
  reachability: 'reachability',
  teamsUsers: 'teamsusers',
} as const;

export const ALL_TABLES: readonly string[] = Object.values(TABLES);
