package seal

import (
	"context"
	"errors"
	"sync"
	"time"
)

// followEvery bounds how often a keyring reloads on meeting an unknown key, so a flood of forged
// ciphertexts cannot turn into a flood of key-store reads.
const followEvery = 5 * time.Second

type follower struct {
	ks   KeyStore
	mu   sync.Mutex
	last time.Time
}

// Follow makes the keyring reload itself from ks when it meets a ciphertext sealed under a key it
// does not hold. That is what happens on every other node after an operator rotates keys and one node
// starts sealing with the new primary: the others catch up on first sight instead of failing.
func (k *Keyring) Follow(ks KeyStore) { k.follow.Store(&follower{ks: ks}) }

// caughtUp reloads when ciphertext names a key this keyring lacks, and tells whether it now has it.
func (k *Keyring) caughtUp(ciphertext []byte) bool {
	f := k.follow.Load()
	if f == nil {
		return false
	}
	id, err := k.KeyIDOf(ciphertext)
	if !errors.Is(err, ErrUnknownKey) {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if time.Since(f.last) < followEvery {
		return false
	}
	f.last = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := k.Reload(ctx, f.ks); err != nil {
		return false
	}
	return k.st.Load().keyIDs[id]
}
