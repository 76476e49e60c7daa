package aman

import (
	"testing"
	"time"
)

func TestUrgencyOf(t *testing.T) {
	tests := []struct {
		s    IntakeSignals
		want Urgency
	}{
		{IntakeSignals{}, UrgencyNormal},
		{IntakeSignals{HighRisk: true}, UrgencyHigh},
		{IntakeSignals{ImmediateDanger: true}, UrgencyCritical},
		{IntakeSignals{ChildInDanger: true}, UrgencyCritical},
		{IntakeSignals{ChildInDanger: true, HighRisk: true}, UrgencyCritical},
	}
	for _, tc := range tests {
		if got := UrgencyOf(tc.s); got != tc.want {
			t.Errorf("UrgencyOf(%+v) = %s, want %s", tc.s, got, tc.want)
		}
	}
}

func TestDueBySkipsTheQatariWeekend(t *testing.T) {
	doha := time.FixedZone("AST", 3*3600)
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, doha) }
	targets := DefaultResponseTargets()
	tests := []struct {
		name     string
		received time.Time
		urgency  Urgency
		want     time.Time
	}{
		{"critical", at(26, 10), UrgencyCritical, at(26, 10).Add(15 * time.Minute)},
		{"high", at(26, 10), UrgencyHigh, at(26, 11)},
		{"normal on a Monday", at(23, 10), UrgencyNormal, at(24, 10)},
		{"normal on a Thursday is due Sunday", at(26, 10), UrgencyNormal, at(29, 10)},
		{"normal on a Friday is due Sunday", at(27, 22), UrgencyNormal, at(29, 22)},
	}
	for _, tc := range tests {
		if got := targets.DueBy(tc.received.UTC(), tc.urgency, doha); !got.Equal(tc.want) {
			t.Errorf("%s: due %v, want %v", tc.name, got.In(doha), tc.want)
		}
	}
}
