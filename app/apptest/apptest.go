// Package apptest builds the app services over a fresh test database, with a clock the test moves and
// cheap password hashing, so use-case tests run fast on both engines.
package apptest

import (
	"context"
	"sync"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// Clock is a test clock that only moves when told.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Env is the services over one test database, with the database, keys, audit log and clock they use.
type Env struct {
	DB    *store.DB
	Keys  *seal.Keyring
	Audit *audit.Log
	Clock *Clock
	*app.Services
}

// CheapPasswords keeps argon2id's shape with parameters small enough for tests.
func CheapPasswords() seal.PasswordParams {
	return seal.PasswordParams{Memory: 64, Time: 1, Threads: 1}
}

// New builds the services over a fresh database.
func New(t testing.TB) *Env {
	t.Helper()
	clock := &Clock{now: time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC)}
	db := storetest.Open(t, storetest.Options{Clock: clock.Now})
	keys, err := seal.LoadOrCreate(context.Background(), &seal.MemStore{})
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(keys)
	cfg := app.DefaultAccountsConfig()
	cfg.Passwords = CheapPasswords()
	services, err := app.NewServices(app.Deps{DB: db, Keys: keys, Audit: log},
		app.ServicesConfig{Accounts: cfg, TelephonySecret: []byte(TelephonySecret)})
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{DB: db, Keys: keys, Audit: log, Clock: clock, Services: services}
	return env
}

// Worker is a case worker in unit "unit-1", allowed to register and search people.
func Worker() aman.Actor {
	return aman.Actor{UserID: "worker-1", Username: "worker", Role: aman.RoleCaseWorker, UnitID: "unit-1"}
}

// Admin is the command-line operator, allowed to manage users.
func Admin() aman.Actor {
	a := aman.System("test")
	a.Role = aman.RoleAdmin
	return a
}

// TelephonySecret is the shared secret of the test telephone system.
const TelephonySecret = "test-telephony-secret-0123456789"

// StrongPassword passes the password policy.
const StrongPassword = "quiet river under stone 7"

// CreateUser makes an enrolled account and returns it with its TOTP secret.
func (e *Env) CreateUser(t testing.TB, username string, role aman.Role) (app.User, string) {
	t.Helper()
	u, uri, err := e.Accounts.CreateUser(context.Background(), Admin(), app.NewUser{
		Username: username, Role: role, Password: StrongPassword, EnrolTOTP: true,
	})
	if err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	return u, SecretFromURI(t, uri)
}
