package web

import "aman.qa/aman"

// caseSafetyPlanView is the case's safety plan: how the beneficiary stays safe, and when the plan is
// next reviewed. Missing is the rule app applies: a case at medium or high risk must have one.
type caseSafetyPlanView struct {
	Missing bool
	// Current is nil while the case has no safety plan.
	Current *safetyPlanShown
	// Form is nil for those who may not change the case.
	Form   *safetyPlanForm
	Notice string
}

type safetyPlanShown struct {
	Text     string
	Version  int
	ReviewOn string
	By       string
	At       shownTime
}

// safetyPlanForm saves a new version of the plan; it starts from the current one.
type safetyPlanForm struct {
	Text     string
	ReviewOn string
	formState
}

func (c careContext) safetyPlanSection(current *aman.SafetyPlan, missing bool) caseSafetyPlanView {
	v := caseSafetyPlanView{Missing: missing, Notice: c.notice(doneSafetyPlan)}
	if current != nil {
		v.Current = &safetyPlanShown{Text: current.Text, Version: current.Version, ReviewOn: c.day(current.ReviewOn), By: c.name(current.CreatedBy),
			At: showTime(current.CreatedAt, c.h.zone)}
	}
	if c.staff.MayEdit {
		v.Form = &safetyPlanForm{}
		if v.Current != nil {
			v.Form.Text, v.Form.ReviewOn = v.Current.Text, v.Current.ReviewOn
		}
	}
	return v
}
