package app

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// SealedColumns lists every sealed column by table, without the `_sealed` suffix. Re-sealing after a
// key rotation walks exactly these; a test fails when a `*_sealed` column is missing here. The audit
// log's reasons are deliberately absent: the chain's MACs cover their ciphertexts, so they keep the
// key they were sealed with, and old keys are therefore never deleted.
func SealedColumns() map[string][]string {
	return map[string][]string{
		"users":              {"totp"},
		"beneficiaries":      {"name_ar", "name_en", "birth_date", "qid", "phone", "passport", "alt_phone", "area", "zone", "disability"},
		"break_glass_grants": {"reason"},
		"case_history":       {"comment"},
		"tasks":              {"title"},
		"referrals_out":      {"purpose", "override_reason", "feedback"},

		"incidents":           {"narrative"},
		"assessments":         {"safety", "health", "family", "education_work", "legal", "child_needs"},
		"risk_assessments":    {"answers"},
		"care_goals":          {"description"},
		"care_interventions":  {"description"},
		"care_progress_notes": {"note"},
		"safety_plans":        {"plan"},
		"service_deliveries":  {"note"},

		"case_notes":      {"body"},
		"note_amendments": {"body"},
		"documents":       {"filename", "title"},
		"document_chunks": {"content"},

		"calls": {"summary", "caller_phone"},

		"public_requests":    {"message", "contact_way", "contact_time", "age", "school", "area", "zone", "reporter_name"},
		"public_messages":    {"text"},
		"public_attachments": {"content"},

		"partner_referrals":          {"name_ar", "name_en", "birth_date", "phone", "qid", "narrative"},
		"referral_attachments":       {"filename"},
		"referral_attachment_chunks": {"content"},
	}
}

// Keys is key management: the check that a node runs with the database's own key material, rotation,
// and re-sealing under the new key.
type Keys struct {
	Deps
	Store seal.KeyStore
}

// EKeyMismatch stops a node whose key material is not the one this database was sealed with.
const EKeyMismatch = "key_mismatch"

const keyringCheckSetting = "keyring_check"

// CheckMaterial makes sure this node's keys are the database's keys. The first node to start records a
// MAC that only those keys produce; any later node with other material refuses to start, instead of
// sealing data that the other nodes cannot open or failing to read what they wrote.
func (k *Keys) CheckMaterial(ctx context.Context) error {
	want := hex.EncodeToString(k.Keys.MAC("keyring.check", []byte("aman")))
	return k.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var have string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, keyringCheckSetting).Scan(&have)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)`,
				keyringCheckSetting, want, store.Millis(tx.Now))
			return err
		}
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(have), []byte(want)) != 1 {
			return aman.Errorf(EKeyMismatch, "this database was sealed with other key material; give this node the same keys as the others (AMAN_KEYRING or the data directory's keyring.json)")
		}
		return nil
	})
}

// Rotate adds a new primary sealing key, records it in the audit, and schedules the re-sealing of
// every row in the same transaction, through enqueue.
func (k *Keys) Rotate(ctx context.Context, actor aman.Actor, enqueue func(ctx context.Context, tx *store.Tx) error) (uint32, error) {
	if err := authorize(actor, policy.KeysRotate); err != nil {
		return 0, err
	}
	primary, err := k.Keys.Rotate(ctx, k.Store)
	if err != nil {
		return 0, err
	}
	err = k.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if err := enqueue(ctx, tx); err != nil {
			return err
		}
		return k.record(ctx, tx, actor, audit.Entry{Action: "keys.rotate", Detail: map[string]string{"primary_key": strconv.FormatUint(uint64(primary), 10)}})
	})
	return primary, err
}

// resealBatch rows are re-sealed per transaction, so SQLite's writer is never held for long.
const resealBatch = 200

// ResealAll moves every sealed value to the current primary key. It first reloads the key material,
// because rotation may have happened in another process. Each row is rewritten only if it still holds
// the value read, so a concurrent edit is never overwritten.
func (k *Keys) ResealAll(ctx context.Context) (int, error) {
	if err := k.Keys.Reload(ctx, k.Store); err != nil {
		return 0, err
	}
	total := 0
	for table, columns := range SealedColumns() {
		n, err := k.resealTable(ctx, table, columns)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (k *Keys) resealTable(ctx context.Context, table string, columns []string) (int, error) {
	sealedCols := make([]string, len(columns))
	for i, c := range columns {
		sealedCols[i] = c + "_sealed"
	}
	// table and columns come from SealedColumns, never from input.
	query := `SELECT id, ` + strings.Join(sealedCols, ", ") + ` FROM ` + table + ` WHERE id > $1 ORDER BY id LIMIT $2`
	after, total := "", 0
	for {
		type pending struct {
			id     string
			column int
			old    seal.Sealed
			fresh  []byte
		}
		var work []pending
		var last string
		rows := 0
		err := k.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
			rs, err := tx.QueryContext(ctx, query, after, resealBatch)
			if err != nil {
				return err
			}
			defer rs.Close()
			for rs.Next() {
				values := make([]seal.Sealed, len(columns))
				dest := []any{&last}
				for i := range values {
					dest = append(dest, &values[i])
				}
				if err := rs.Scan(dest...); err != nil {
					return err
				}
				rows++
				for i, v := range values {
					if len(v) == 0 || !k.Keys.NeedsReseal(v) {
						continue
					}
					fresh, changed, err := k.Keys.Reseal(v, seal.AAD(table, columns[i], last))
					if err != nil {
						return err
					}
					if changed {
						work = append(work, pending{id: last, column: i, old: v, fresh: fresh})
					}
				}
			}
			return rs.Err()
		})
		if err != nil {
			return total, err
		}
		if len(work) > 0 {
			err = k.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				for _, p := range work {
					col := sealedCols[p.column]
					res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+col+` = $1 WHERE id = $2 AND `+col+` = $3`, p.fresh, p.id, []byte(p.old))
					if err != nil {
						return err
					}
					if n, _ := res.RowsAffected(); n == 1 {
						total++
					}
				}
				return nil
			})
			if err != nil {
				return total, err
			}
		}
		if rows < resealBatch {
			return total, nil
		}
		after = last
	}
}
