package audit

import (
	"bytes"
	"crypto/hmac"
	"database/sql"
	"encoding/binary"
)

// row is an entry as stored: every column, as the bytes the database holds. Verify scans into it
// with sql.RawBytes, which reuses its buffers from row to row, so checking millions of entries costs
// no memory per entry.
type row struct {
	seq, at    int64
	actorID    sql.RawBytes
	actorRole  sql.RawBytes
	action     sql.RawBytes
	entity     sql.RawBytes
	entityID   sql.RawBytes
	ip         sql.RawBytes
	requestID  sql.RawBytes
	breakGlass bool
	detail     sql.RawBytes
	reason     sql.RawBytes // nil or empty: no reason (a sealed reason is never empty)
	prevHash   sql.RawBytes
	hash       sql.RawBytes
}

// columns lists the columns in the order scanDest expects.
const columns = `seq, at, actor_id, actor_role, action, entity, entity_id, ip, request_id, break_glass, detail, reason_sealed, prev_hash, hash`

// scanDest returns pointers to r's fields, in the order of columns. Build it once and reuse it.
func (r *row) scanDest() []any {
	return []any{&r.seq, &r.at, &r.actorID, &r.actorRole, &r.action, &r.entity, &r.entityID, &r.ip,
		&r.requestID, &r.breakGlass, &r.detail, &r.reason, &r.prevHash, &r.hash}
}

// clone copies r out of the driver's buffers, which the next Scan or Close reuses.
func (r *row) clone() *row {
	c := *r
	for _, f := range []*sql.RawBytes{&c.actorID, &c.actorRole, &c.action, &c.entity, &c.entityID, &c.ip,
		&c.requestID, &c.detail, &c.reason, &c.prevHash, &c.hash} {
		*f = bytes.Clone(*f)
	}
	return &c
}

// appendCanonical appends the canonical encoding of r, taken as entry number seq, to dst. seq is a
// parameter, not r.seq, so that Verify can ask whether a row would be genuine at another position
// (to tell an entry moved from one altered).
//
// The encoding is a sequence of fields, each a 4-byte big-endian length followed by that many bytes:
//
//	"aman.audit.entry/v1"
//	prev_hash                      32 bytes
//	seq                            8 bytes, big-endian two's complement
//	at                             8 bytes, big-endian two's complement (Unix milliseconds)
//	actor_id, actor_role, action, entity, entity_id, ip, request_id    UTF-8 bytes as stored
//	break_glass                    1 byte, 0 or 1
//	detail                         the JSON bytes as stored
//	reason                         1 byte 0 when there is none; else 1 byte 1 then the sealed bytes
//
// Every field is length-prefixed, so no choice of values can make two different entries encode the
// same (moving bytes from one field to the next changes the prefixes), and the label versions the
// format. hash is the only column left out: it is the MAC of this encoding.
func appendCanonical(dst []byte, r *row, seq int64) []byte {
	dst = appendField(dst, entryLabel)
	dst = appendField(dst, r.prevHash)
	dst = appendInt(dst, seq)
	dst = appendInt(dst, r.at)
	dst = appendField(dst, r.actorID)
	dst = appendField(dst, r.actorRole)
	dst = appendField(dst, r.action)
	dst = appendField(dst, r.entity)
	dst = appendField(dst, r.entityID)
	dst = appendField(dst, r.ip)
	dst = appendField(dst, r.requestID)
	dst = binary.BigEndian.AppendUint32(dst, 1)
	if r.breakGlass {
		dst = append(dst, 1)
	} else {
		dst = append(dst, 0)
	}
	dst = appendField(dst, r.detail)
	if len(r.reason) == 0 {
		dst = binary.BigEndian.AppendUint32(dst, 1)
		return append(dst, 0)
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(1+len(r.reason)))
	dst = append(dst, 1)
	return append(dst, r.reason...)
}

func appendField[T ~string | ~[]byte](dst []byte, f T) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(f)))
	return append(dst, f...)
}

func appendInt(dst []byte, v int64) []byte {
	dst = binary.BigEndian.AppendUint32(dst, 8)
	return binary.BigEndian.AppendUint64(dst, uint64(v))
}

// entryMAC returns the keyed hash of r as entry seq. buf is scratch space for the encoding.
func (l *Log) entryMAC(buf []byte, r *row, seq int64) []byte {
	return l.keys.MAC(entryMACDomain, appendCanonical(buf[:0], r, seq))
}

// genuineAt tells whether r's stored hash is its keyed hash as entry seq, i.e. whether the
// application wrote exactly this row as entry seq (after the entry whose hash is r.prevHash).
func (l *Log) genuineAt(buf []byte, r *row, seq int64) bool {
	return len(r.hash) == hashSize && hmac.Equal(l.entryMAC(buf, r, seq), r.hash)
}

// headMAC seals the chain head, so a head rolled back to an earlier entry does not check out.
func (l *Log) headMAC(seq int64, hash []byte) []byte {
	b := make([]byte, 0, 4+len(headLabel)+12+4+len(hash))
	b = appendField(b, headLabel)
	b = appendInt(b, seq)
	b = appendField(b, hash)
	return l.keys.MAC(headMACDomain, b)
}
