package demo

import (
	"context"
	"fmt"

	"aman.qa/aman"
	"aman.qa/aman/app"
)

// unit is one team of the centre with the staff who work its cases.
type unit struct {
	id            string
	supervisor    aman.Actor
	workers       []aman.Actor
	psychologists []aman.Actor
	legal         []aman.Actor
}

// staff is the demo centre's people.
type staff struct {
	units     []unit
	operators []aman.Actor
}

// unitNames are the centre's teams: women's cases go to the first or the last, children's to the
// second or the last.
var unitNames = [][2]string{
	{"وحدة حماية المرأة", "Women's protection unit"},
	{"وحدة حماية الطفل", "Child protection unit"},
	{"فرع الشمال", "Northern branch"},
}

// hireStaff creates the units and accounts, sized to the caseload: about one case worker per 1,500
// beneficiaries (a caseload near forty open cases), a psychologist per three workers, a legal
// officer per five, and a hotline operator per 20,000 beneficiaries.
func (g *generator) hireStaff(ctx context.Context) error {
	n := g.opt.Beneficiaries
	workers := min(max(len(unitNames), n/1500), 300)
	psychologists := max(len(unitNames), workers/3)
	legal := max(len(unitNames), workers/5)
	operators := min(max(3, n/20000), 60)

	g.sum.Password = password()
	by := aman.System("demo")
	by.Role = aman.RoleAdmin
	seen := map[aman.Role]bool{}
	hire := func(role aman.Role, username, unitID string) (aman.Actor, error) {
		u, _, err := g.svc.Accounts.CreateUser(ctx, by, app.NewUser{Username: username, DisplayName: g.displayName(role),
			Role: role, UnitID: unitID, Password: g.sum.Password})
		if err != nil {
			return aman.Actor{}, fmt.Errorf("%s: %w", username, err)
		}
		if !seen[role] {
			seen[role] = true
			g.sum.Accounts = append(g.sum.Accounts, Account{Username: username, Role: role})
		}
		a := u.Actor()
		a.RequestID = "demo"
		return a, nil
	}
	for _, spec := range []struct {
		role aman.Role
		name string
	}{{aman.RoleAdmin, "admin"}, {aman.RoleAnalyst, "analyst"}, {aman.RoleAuditor, "auditor"}} {
		if _, err := hire(spec.role, spec.name, ""); err != nil {
			return err
		}
	}
	for i, names := range unitNames {
		u, err := g.svc.Accounts.CreateUnit(ctx, by, app.Unit{NameAR: names[0], NameEN: names[1]})
		if err != nil {
			return err
		}
		g.staff.units = append(g.staff.units, unit{id: u.ID})
		if g.staff.units[i].supervisor, err = hire(aman.RoleSupervisor, fmt.Sprintf("supervisor%d", i+1), u.ID); err != nil {
			return err
		}
		// Supervisors on duty receive the triage queue's critical alerts.
		if err := g.svc.Triage.SetOnDuty(ctx, g.staff.units[i].supervisor, true); err != nil {
			return err
		}
	}
	for _, team := range []struct {
		role  aman.Role
		name  string
		count int
		into  func(*unit) *[]aman.Actor
	}{
		{aman.RoleCaseWorker, "worker", workers, func(u *unit) *[]aman.Actor { return &u.workers }},
		{aman.RolePsychologist, "psychologist", psychologists, func(u *unit) *[]aman.Actor { return &u.psychologists }},
		{aman.RoleLegalOfficer, "legal", legal, func(u *unit) *[]aman.Actor { return &u.legal }},
	} {
		for i := range team.count {
			u := &g.staff.units[i%len(g.staff.units)]
			a, err := hire(team.role, fmt.Sprintf("%s%d", team.name, i+1), u.id)
			if err != nil {
				return err
			}
			*team.into(u) = append(*team.into(u), a)
		}
	}
	for i := range operators {
		a, err := hire(aman.RoleHotlineOperator, fmt.Sprintf("operator%d", i+1), "")
		if err != nil {
			return err
		}
		g.staff.operators = append(g.staff.operators, a)
	}
	return nil
}

// displayName is a member of staff's name as colleagues see it.
func (g *generator) displayName(role aman.Role) string {
	female := role != aman.RoleLegalOfficer || g.rng.IntN(2) == 0
	names := maleNames
	if female {
		names = femaleNames
	}
	return names[zipf(g.rng, len(names))].ar + " " + pick(g.rng, familyNames).ar
}

// operatorAt is who answers the line at hour h: operators work in three shifts.
func (g *generator) operatorAt(h int) aman.Actor {
	ops := g.staff.operators
	shift := h / 8
	per := max(len(ops)/3, 1)
	return ops[(shift*per+g.rng.IntN(per))%len(ops)]
}
