package app

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// A cursor is a place in a list read a page at a time (a case's notes, the triage queue): the values
// of the list's order at one row, as whole numbers, and that row's id. Clients carry it opaque, as
// base64 of the values joined by ":", so its form may change with the server; it travels in
// addresses, so it holds numbers and an id only, never anything a record says.

// cursorText writes the cursor of the row id at the place nums.
func cursorText(id string, nums ...int64) string {
	parts := make([]string, 0, len(nums)+1)
	for _, n := range nums {
		parts = append(parts, strconv.FormatInt(n, 10))
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(append(parts, id), ":")))
}

// cursorValues reads a cursor of n numbers written by cursorText. Anything else, negative numbers and
// an id newID would not write among it, is not a cursor (ok false), rather than some other place.
func cursorValues(s string, n int) (nums []int64, id string, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, "", false
	}
	parts := strings.SplitN(string(raw), ":", n+1)
	if len(parts) != n+1 || !plausibleID(parts[n]) {
		return nil, "", false
	}
	for _, p := range parts[:n] {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil || v < 0 {
			return nil, "", false
		}
		nums = append(nums, v)
	}
	return nums, parts[n], true
}

// plausibleID accepts what newID writes (and the dashed, alphanumeric ids of older data), so that a
// cursor can never smuggle other text into a query or an address.
func plausibleID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
