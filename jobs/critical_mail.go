package jobs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"aman.qa/aman"
	"aman.qa/aman/store"
)

// Mailer sends alert emails through one SMTP server. Emails carry no personal data: they say that
// something arrived and where to look, and the person signs in to see it.
type Mailer struct {
	// Addr is host:port; From the sender address.
	Addr     string
	Host     string
	From     string
	Username string
	Password string
	// PublicURL is the address staff open Aman at, for the link in the email; empty leaves the link out.
	PublicURL string
	// AlertEmails always receive critical alerts, on top of the on-duty supervisors' own addresses.
	AlertEmails []string
	// TLSConfig is for STARTTLS; nil verifies the server's certificate against Host.
	TLSConfig *tls.Config
	// Timeout bounds one delivery.
	Timeout time.Duration
}

// ParseSMTPURL reads smtp://user:pass@host:587?from=aman@example.org. The port defaults to 587.
func ParseSMTPURL(raw string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, errors.New("must look like smtp://user:pass@host:587?from=aman@example.org")
	}
	from := u.Query().Get("from")
	if !plausibleEmail(from) {
		return nil, errors.New("must name the sender as ?from=address")
	}
	port := u.Port()
	if port == "" {
		port = "587"
	}
	m := &Mailer{Addr: net.JoinHostPort(u.Hostname(), port), Host: u.Hostname(), From: from, Timeout: 30 * time.Second}
	if u.User != nil {
		m.Username = u.User.Username()
		m.Password, _ = u.User.Password()
	}
	return m, nil
}

// ParseEmailList reads a comma-separated list of addresses.
func ParseEmailList(raw string) ([]string, error) {
	var out []string
	for _, a := range strings.Split(raw, ",") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		if !plausibleEmail(a) {
			return nil, fmt.Errorf("%q is not an email address", a)
		}
		out = append(out, a)
	}
	return out, nil
}

func plausibleEmail(a string) bool {
	at := strings.LastIndex(a, "@")
	return at > 0 && at < len(a)-1 && !strings.ContainsAny(a, " \r\n<>,")
}

// Send delivers one plain-text message to every recipient, upgrading to TLS when the server offers it.
func (m *Mailer) Send(ctx context.Context, to []string, subject, body string) error {
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	dialer := net.Dialer{Timeout: timeout}
	conn, err := dialer.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if err := c.Hello("aman"); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := m.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return err
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, m.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.From); err != nil {
		return err
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	msg := "From: " + m.From + "\r\nTo: undisclosed-recipients:;\r\nSubject: " + mime.QEncoding.Encode("utf-8", subject) + "\r\nDate: " + time.Now().Format(time.RFC1123Z) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// CriticalMailArgs asks for the email that tells the on-duty supervisors a critical intake arrived. It
// holds ids and a time only.
type CriticalMailArgs struct {
	IntakeID   string   `json:"intake_id"`
	ReceivedAt int64    `json:"received_at"`
	Recipients []string `json:"recipients"`
}

// Kind names the job in the queue.
func (CriticalMailArgs) Kind() string { return "critical_intake_email" }

type criticalMailWorker struct {
	river.WorkerDefaults[CriticalMailArgs]
	mailer *Mailer
	db     *store.DB
}

var qatarZone = time.FixedZone("AST", 3*60*60)

// CriticalMailBody is the whole email: a time and a link, no personal data.
func CriticalMailBody(received time.Time, publicURL string) (subject, body string) {
	at := received.In(qatarZone).Format("15:04")
	subject = "Aman: critical intake / بلاغ حرج"
	body = "A critical intake arrived at " + at + " (Qatar time); open Aman.\n" +
		"وصل بلاغ حرج الساعة " + at + " بتوقيت قطر؛ افتح أمان.\n"
	if publicURL != "" {
		body += "\n" + strings.TrimRight(publicURL, "/") + "/triage\n"
	}
	return subject, body
}

func (w *criticalMailWorker) Work(ctx context.Context, job *river.Job[CriticalMailArgs]) error {
	to := slices.Clone(w.mailer.AlertEmails)
	if len(job.Args.Recipients) > 0 {
		args := make([]any, len(job.Args.Recipients))
		marks := make([]string, len(job.Args.Recipients))
		for i, id := range job.Args.Recipients {
			args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
		}
		err := w.db.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT email FROM users WHERE id IN (`+strings.Join(marks, ", ")+`)
				AND email IS NOT NULL AND email <> '' AND NOT disabled ORDER BY email`, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var e string
				if err := rows.Scan(&e); err != nil {
					return err
				}
				if !slices.Contains(to, e) {
					to = append(to, e)
				}
			}
			return rows.Err()
		})
		if err != nil {
			return err
		}
	}
	if len(to) == 0 {
		return nil
	}
	subject, body := CriticalMailBody(store.Time(job.Args.ReceivedAt), w.mailer.PublicURL)
	return w.mailer.Send(ctx, to, subject, body)
}

// CriticalHook is app.Triage's OnCritical: it enqueues the email in the intake's own transaction, so
// the email exists only if the intake does. It is nil when no mailer is configured.
func (r *Runner) CriticalHook() func(ctx context.Context, tx *store.Tx, intake aman.Intake, recipients []string) error {
	if !r.mail {
		return nil
	}
	return func(ctx context.Context, tx *store.Tx, intake aman.Intake, recipients []string) error {
		_, err := r.client.InsertTx(ctx, tx.Tx, CriticalMailArgs{IntakeID: intake.ID, ReceivedAt: store.Millis(intake.ReceivedAt), Recipients: recipients},
			&river.InsertOpts{MaxAttempts: 10, UniqueOpts: river.UniqueOpts{ByArgs: true}})
		return err
	}
}
