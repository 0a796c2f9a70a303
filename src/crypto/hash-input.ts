/**
 * A message to hash: bytes, or the bytes of several parts one after the other (hashed as their
 * concatenation, without making it). A module of its own so that the declarations of modules
 * that only pass messages along name no libsodium type.
 */
export type HashInput = Uint8Array | readonly Uint8Array[];
