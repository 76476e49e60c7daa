package seal_test

import (
	"bytes"
	"context"
	"testing"

	"aman.qa/aman/seal"
)

func TestRowSealerBindsFieldsToTheirRow(t *testing.T) {
	keys, err := seal.LoadOrCreate(context.Background(), &seal.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	row := keys.Row("beneficiaries", "id-1")
	ct, err := row.Seal("name_ar", "مريم")
	if err != nil || bytes.Contains(ct, []byte("مريم")) {
		t.Fatalf("seal: %v", err)
	}
	if got, err := row.Open("name_ar", ct); err != nil || got != "مريم" {
		t.Fatalf("open: %q %v", got, err)
	}
	for _, wrong := range []struct{ table, id, column string }{
		{"beneficiaries", "id-2", "name_ar"},
		{"beneficiaries", "id-1", "name_en"},
		{"users", "id-1", "name_ar"},
	} {
		if _, err := keys.Row(wrong.table, wrong.id).Open(wrong.column, ct); err == nil {
			t.Errorf("a ciphertext opened at %v", wrong)
		}
	}
	empty, err := row.Seal("phone", "")
	if err != nil || empty != nil {
		t.Fatalf("empty field sealed to %v, %v", empty, err)
	}
	if v, _ := empty.Value(); v != nil {
		t.Fatal("an empty sealed field is not stored as NULL")
	}
	if got, err := row.Open("phone", nil); err != nil || got != "" {
		t.Fatalf("NULL opens to %q, %v", got, err)
	}
	var scanned seal.Sealed
	if err := scanned.Scan([]byte(ct)); err != nil || !bytes.Equal(scanned, ct) {
		t.Fatal("scan")
	}
}
