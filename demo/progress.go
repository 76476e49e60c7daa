package demo

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress shows how far the demo has come, its rate and the time left. The total is an estimate
// (the exact number of use-case calls depends on the draws), so the bar is topped up at the end.
type progress struct{ bar *progressbar.ProgressBar }

func newProgress(w io.Writer, total int64) progress {
	if w == nil {
		return progress{}
	}
	return progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("demo"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("records"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(250*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionOnCompletion(func() { _, _ = io.WriteString(w, "\n") }),
	)}
}

func (p progress) add(n int64) {
	if p.bar != nil {
		_ = p.bar.Add64(n)
	}
}

func (p progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
