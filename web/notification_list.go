package web

import (
	"net/http"

	"aman.qa/aman/session"
)

// alertView is one unread alert on the dashboard.
type alertView struct {
	ID string
	// LabelKey is the catalog key that says what happened.
	LabelKey string
	At       shownTime
}

// alertLabelKey is the catalog key of the label of an alert of kind. A kind added in app without a
// label here still shows, as a plain "new alert", rather than as a raw key.
func alertLabelKey(kind string) string {
	switch kind {
	case "break_glass", "case_assigned", "case_reopened", "case_priority_raised",
		"approval_requested", "approval_granted", "approval_rejected",
		"task_assigned", "task_due", "task_overdue",
		"risk_high", "immediate_danger", "critical_intake":
		return "notification.kind." + kind
	}
	return "notification.kind.other"
}

// unreadAlerts lists the signed-in person's unread alerts, newest first; none when the UI was built
// without alerts.
func (h *Handler) unreadAlerts(r *http.Request) ([]alertView, error) {
	if h.notifications == nil {
		return nil, nil
	}
	_, actor, _ := session.From(r.Context())
	unread, err := h.notifications.Unread(r.Context(), actor)
	if err != nil {
		return nil, err
	}
	alerts := make([]alertView, 0, len(unread))
	for _, n := range unread {
		alerts = append(alerts, alertView{ID: n.ID, LabelKey: alertLabelKey(n.Kind), At: showTime(n.At, h.zone)})
	}
	return alerts, nil
}
