package seal_test

import (
	"context"
	"testing"

	"aman.qa/aman/seal"
)

// After an operator rotates keys from one process, another process that holds the old keyring opens
// data sealed under the new key by reloading once.
func TestFollowCatchesUpAfterRotation(t *testing.T) {
	ctx := context.Background()
	ks := &seal.MemStore{}
	operator, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatal(err)
	}
	lagging, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := operator.Rotate(ctx, ks); err != nil {
		t.Fatal(err)
	}
	aad := seal.AAD("t", "c", "1")
	ct, err := operator.Seal([]byte("after rotation"), aad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lagging.Open(ct, aad); err == nil {
		t.Fatal("a keyring without the new key opened its ciphertext")
	}
	lagging.Follow(ks)
	if pt, err := lagging.Open(ct, aad); err != nil || string(pt) != "after rotation" {
		t.Fatalf("after Follow: %q %v", pt, err)
	}
	if lagging.PrimaryKeyID() != operator.PrimaryKeyID() {
		t.Fatal("the follower did not adopt the new primary")
	}
}
