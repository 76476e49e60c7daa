// Package e2e drives the real aman binary through headless Chromium (Debian's chromium package, via
// chromedp): the journeys a person takes, in Arabic and in English.
//
// The tests skip, saying why, when no Chromium is installed; with AMAN_E2E_REQUIRE=1 (as CI sets) a
// missing browser fails instead. With AMAN_TEST_DATABASE_URL set, the server runs on PostgreSQL.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aman.qa/aman/store"
	"aman.qa/aman/store/storetest"
)

// binary is the aman executable built once for the whole run.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "aman-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "aman")
	build := exec.Command("go", "build", "-o", binary, "aman.qa/aman/cmd/aman")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building aman failed:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running `aman serve` process.
type server struct {
	URL    string
	cmd    *exec.Cmd
	stderr *strings.Builder
	mu     sync.Mutex
	stdout strings.Builder
	// storage is the server's own --data (and --database-url) flags, for commands run beside it.
	storage []string
}

// printed is what the server has printed on stdout so far.
func (s *server) printed() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stdout.String()
}

// setupLink waits for the first-run link the server prints on an empty database.
func (s *server) setupLink(t *testing.T) string {
	t.Helper()
	link := regexp.MustCompile(`http://127\.0\.0\.1:\d+/setup/[a-z0-9]+`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := link.FindString(s.printed()); m != "" {
			return m
		}
	}
	t.Fatalf("the server printed no setup link:\n%s", s.printed())
	return ""
}

// startServer runs the real binary on a free loopback port with a fresh database and stops it with
// SIGTERM when the test ends, checking that it drains and exits 0.
func startServer(t *testing.T) *server {
	t.Helper()
	return startServerOn(t, storetest.Config(t))
}

// startServerOn runs the real binary on the given storage, so that several nodes can share one
// database, with extra serve flags.
func startServerOn(t *testing.T, cfg store.Config, extra ...string) *server {
	t.Helper()
	args := []string{"serve", "--addr", "127.0.0.1:0", "--data", cfg.DataDir}
	if cfg.DatabaseURL != "" {
		args = append(args, "--database-url", cfg.DatabaseURL)
	}
	cmd := exec.Command(binary, append(args, extra...)...)
	cmd.Env = append(os.Environ(), "AMAN_LOG_LEVEL=warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: &strings.Builder{}}
	s.storage = []string{"--data", cfg.DataDir}
	if cfg.DatabaseURL != "" {
		s.storage = append(s.storage, "--database-url", cfg.DatabaseURL)
	}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
		reported := false
		for lines.Scan() {
			s.mu.Lock()
			s.stdout.WriteString(lines.Text() + "\n")
			s.mu.Unlock()
			if m := addr.FindString(lines.Text()); m != "" && !reported {
				reported = true
				found <- m
			}
		}
	}()
	select {
	case s.URL = <-found:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("aman serve printed no address:\n%s", s.stderr)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("aman serve did not exit cleanly on SIGTERM: %v\n%s", err, s.stderr)
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Error("aman serve did not stop within 30s of SIGTERM")
		}
	})
	return s
}

// cli runs the aman binary with args against the server's own storage, with stdin as its input, and
// returns what it printed. Tests use it as an operator would: to create the accounts a journey needs.
func (s *server) cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, append(args, s.storage...)...)
	cmd.Env = append(os.Environ(), "AMAN_LOG_LEVEL=warn")
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("aman %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// browser returns a chromedp context on a fresh headless Chromium profile.
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("AMAN_E2E_LATER") != "" {
		// CI runs the browser tests in steps of their own, without the race detector; the suite's -race
		// runs skip them rather than run them twice as slowly.
		t.Skip("e2e: browser tests run in their own CI step (AMAN_E2E_LATER is set)")
	}
	path := findChromium()
	if path == "" {
		if os.Getenv("AMAN_E2E_REQUIRE") != "" {
			t.Fatal("e2e: AMAN_E2E_REQUIRE is set but no Chromium is installed (apt-get install -y chromium)")
		}
		t.Skip("e2e: skipped because no Chromium is installed; run apt-get install -y chromium to enable the browser tests")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(412, 915),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first action starts the browser; it must not run under a timeout, which would stop the browser
	// with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func findChromium() string {
	if p := os.Getenv("AMAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshot saves the page to e2e/screenshots (git-ignored) for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.MkdirAll("screenshots", 0o755); err == nil {
		_ = os.WriteFile(filepath.Join("screenshots", name+".png"), png, 0o644)
	}
}

// stepTimeout bounds each group of steps, so a missing element fails the test instead of hanging it.
const stepTimeout = 30 * time.Second

// do runs browser steps and fails the test on the first error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		t.Fatal(err)
	}
}

// value runs one browser action that yields a value.
func value[T any](t *testing.T, ctx context.Context, action chromedp.Action[T]) T {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(stepCtx, action)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// js evaluates a JavaScript expression in the page.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return value(t, ctx, chromedp.Evaluate[T](expr))
}

// submit clicks a submit button and waits for the page the server answers with, so that what the test
// reads next comes from the new page and never from the one it just left.
func submit(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.RunResponse(stepCtx, chromedp.Click(chromedp.CSS(selector))); err != nil {
		t.Fatalf("submit %s: %v", selector, err)
	}
}
