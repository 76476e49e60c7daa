package jobs

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/store"
)

// smtpSink accepts messages on 127.0.0.1, speaking just enough SMTP, and hands each one over.
type sinkMessage struct {
	Rcpt []string
	Data string
}

func smtpSink(t *testing.T) (string, <-chan sinkMessage) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	out := make(chan sinkMessage, 4)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				say := func(s string) { _, _ = c.Write([]byte(s + "\r\n")) }
				say("220 sink ESMTP")
				var msg sinkMessage
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					cmd := strings.ToUpper(strings.TrimSpace(line))
					switch {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						say("250-sink")
						say("250 8BITMIME")
					case strings.HasPrefix(cmd, "MAIL FROM"):
						say("250 ok")
					case strings.HasPrefix(cmd, "RCPT TO"):
						msg.Rcpt = append(msg.Rcpt, strings.Trim(strings.TrimSpace(line)[len("RCPT TO:"):], "<>"))
						say("250 ok")
					case cmd == "DATA":
						say("354 go on")
						var b strings.Builder
						for {
							l, err := r.ReadString('\n')
							if err != nil {
								return
							}
							if l == ".\r\n" {
								break
							}
							b.WriteString(l)
						}
						msg.Data = b.String()
						out <- msg
						say("250 queued")
					case cmd == "QUIT":
						say("221 bye")
						return
					default:
						say("250 ok")
					}
				}
			}(conn)
		}
	}()
	return ln.Addr().String(), out
}

func TestCriticalIntakeEmailsOnDutySupervisorsWithoutPersonalData(t *testing.T) {
	ctx := context.Background()
	env := apptest.New(t)
	addr, sink := smtpSink(t)
	mailer, err := ParseSMTPURL("smtp://" + addr + "?from=aman@centre.example")
	if err != nil {
		t.Fatal(err)
	}
	mailer.PublicURL = "https://aman.centre.example/"
	sup, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "super.one", Role: aman.RoleSupervisor, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	err = env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET email = $1 WHERE id = $2`, "duty@centre.example", sup.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := Migrate(ctx, env.DB, nil); err != nil {
		t.Fatal(err)
	}
	runner, err := New(Config{DB: env.DB, Node: "node-a", PollEvery: 50 * time.Millisecond, Mailer: mailer})
	if err != nil {
		t.Fatal(err)
	}
	env.Triage.OnCritical = runner.CriticalHook()
	if err := runner.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = runner.Stop(stop)
	})
	org, err := env.Partners.Create(ctx, sup.Actor(), app.PartnerOrg{NameAR: "مستشفى", NameEN: "Hospital", Kind: "hospital"})
	if err != nil {
		t.Fatal(err)
	}
	desk, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "desk", Role: aman.RolePartner, OrgID: org.ID, Password: apptest.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	referrals := &app.PartnerReferrals{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}, Triage: env.Triage}
	if _, err := referrals.Create(ctx, desk.Actor(), app.PartnerReferralInput{NameAR: "مريم", NameEN: "Maryam Khalid", Phone: "55123456",
		Categories: []string{"physical_violence"}, Narrative: "She said her husband locked her in", Urgency: "immediate_danger"}); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-sink:
		if len(msg.Rcpt) != 1 || msg.Rcpt[0] != "duty@centre.example" {
			t.Fatalf("recipients %v", msg.Rcpt)
		}
		for _, secret := range []string{"Maryam", "مريم", "Khalid", "55123456", "husband", "Hospital"} {
			if strings.Contains(msg.Data, secret) {
				t.Fatalf("the email carries %q:\n%s", secret, msg.Data)
			}
		}
		// 09:00 UTC is 12:00 in Doha.
		if !strings.Contains(msg.Data, "12:00") || !strings.Contains(msg.Data, "https://aman.centre.example/triage") {
			t.Fatalf("email:\n%s", msg.Data)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no email reached the sink")
	}
	select {
	case msg := <-sink:
		t.Fatalf("a second email: %v", msg.Rcpt)
	case <-time.After(500 * time.Millisecond):
	}
}
