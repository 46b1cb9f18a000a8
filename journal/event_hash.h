#pragma once
// The hash chain of journal events (SPEC §7, G4).
//
// Canonical encoding of an event (version 1), the bytes that are hashed:
//   "liitos-event-v1" then, for each field in this order:
//     seq, time, kind, source, file, file_sha256, record, message_id, batch_id, destination,
//     lv_case_id, detail
//   the field's length in bytes as ASCII decimal, ':', the bytes, ';'.
// seq and record are written in ASCII decimal; an absent record, and an absent id, are the empty
// string (a stored NULL and a stored '' mean the same). Length prefixes make the encoding
// unambiguous: no choice of field contents can make two different events encode alike.
//
//   hash = lower-case hex SHA-256( prev_hash ‖ canonical(event) )
// where prev_hash is the previous event's hash as 64 hex characters, and for the first event
// (seq 1) kGenesisHash. Because seq is hashed, moving, inserting or deleting an event breaks the
// chain at that point.

#include <string>

#include "journal/journal.h"

namespace liitos {

inline const std::string kGenesisHash(64, '0');

std::string CanonicalEvent(const Event& e);
// SHA-256(prev_hash ‖ CanonicalEvent(e)) in hex; e.prev_hash is not consulted.
std::string EventHash(const std::string& prev_hash, const Event& e);

}  // namespace liitos
