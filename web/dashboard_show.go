package web

import (
	"net/http"

	"aman.qa/aman/session"
)

const viewDashboard = "dashboard"

// dashboardView is the signed-in start page: who you are, what you can open, and how to leave.
type dashboardView struct {
	Menu []menuItem
	// Alerts are the person's unread alerts (notification_list.go).
	Alerts []alertView
	// Work is the person's own cases and tasks, Queue their unit's queue (dashboard_cases.go); nil for
	// roles that have none.
	Work  *dashboardWork
	Queue *dashboardQueue
}

// showDashboard is where every sign-in lands. Each role sees the doors policy opens for it; later
// modules add their queues and counts here.
func (h *Handler) showDashboard(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	var doors []menuItem
	for _, item := range menuFor(actor.Role) {
		if item.Path != "/dashboard" {
			doors = append(doors, item)
		}
	}
	alerts, err := h.unreadAlerts(r)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	work, queue, err := h.dashboardCaseLists(r)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewDashboard, "dashboard.title", dashboardView{Menu: doors, Alerts: alerts, Work: work, Queue: queue})
}
