/**
 * A message to hash: its bytes, or the bytes in order as pieces (a vault file with its
 * integrity fields zeroed is hashed as its text encoded a piece at a time, no copy of the
 * whole). Each piece is hashed before the next is asked for. A module of its own so that the
 * types of what hashes (the vault file format) name no libsodium type.
 */
export type HashInput = Uint8Array | Iterable<Uint8Array>;
