package seal

import (
	"database/sql/driver"
	"fmt"
)

// Sealed is a ciphertext as it is stored in a `*_sealed` column. Only a [RowSealer] makes one, so code
// that writes a sealed column with a plain string does not compile, and code that reads one must open
// it through the keyring that knows its row.
type Sealed []byte

// Value stores the ciphertext; NULL for nothing sealed (an absent optional field).
func (s Sealed) Value() (driver.Value, error) {
	if len(s) == 0 {
		return nil, nil
	}
	return []byte(s), nil
}

// Scan reads a stored ciphertext.
func (s *Sealed) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s = nil
	case []byte:
		*s = append((*s)[:0], v...)
	case string:
		*s = Sealed(v)
	default:
		return fmt.Errorf("seal: cannot scan %T into Sealed", src)
	}
	return nil
}

// RowSealer seals and opens the fields of one row, binding each to its table, column and row id.
type RowSealer struct {
	keys  *Keyring
	table string
	id    string
}

// Row returns the sealer for one row of table.
func (k *Keyring) Row(table, id string) RowSealer { return RowSealer{keys: k, table: table, id: id} }

// Seal seals a field. An empty value stays empty (stored as NULL): there is nothing to hide, and an
// absent field must stay distinguishable from a present one only to those who may open the row.
func (r RowSealer) Seal(column, plaintext string) (Sealed, error) {
	if plaintext == "" {
		return nil, nil
	}
	ct, err := r.keys.SealString(plaintext, AAD(r.table, column, r.id))
	return Sealed(ct), err
}

// Open opens a field sealed by Seal; NULL opens to "".
func (r RowSealer) Open(column string, s Sealed) (string, error) {
	if len(s) == 0 {
		return "", nil
	}
	return r.keys.OpenString(s, AAD(r.table, column, r.id))
}

// Fields seals several fields at once; the first error stops it.
func (r RowSealer) Fields(columnsAndValues ...string) ([]Sealed, error) {
	out := make([]Sealed, 0, len(columnsAndValues)/2)
	for i := 0; i+1 < len(columnsAndValues); i += 2 {
		s, err := r.Seal(columnsAndValues[i], columnsAndValues[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Field is one sealed column to open into a destination.
type Field struct {
	Column string
	Sealed Sealed
	Into   *string
}

// OpenAll opens several fields of the row into their destinations; NULL opens to "". The first error
// stops it.
func (r RowSealer) OpenAll(fields ...Field) error {
	for _, f := range fields {
		v, err := r.Open(f.Column, f.Sealed)
		if err != nil {
			return err
		}
		*f.Into = v
	}
	return nil
}
