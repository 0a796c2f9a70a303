/**
 * `agent-vault/postgres`: the shared PostgreSQL store. Its types name `pg`'s, so it has an
 * entry of its own: the root's types need nothing but Node's and this package's.
 */
export {
  isPostgresUrl,
  PostgresStore,
  type PostgresStoreOptions,
  redactStoreUrl,
} from "../store/postgres-store.js";
