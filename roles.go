package aman

// Role is a staff role. The names are fixed by CONTRACT.md.
type Role string

const (
	RoleAdmin            Role = "admin"
	RoleSupervisor       Role = "supervisor"
	RoleCaseWorker       Role = "case_worker"
	RolePsychologist     Role = "psychologist"
	RoleLegalOfficer     Role = "legal_officer"
	RoleShelterOfficer   Role = "shelter_officer"
	RoleHotlineOperator  Role = "hotline_operator"
	RolePartner          Role = "partner"
	RoleAwarenessOfficer Role = "awareness_officer"
	RoleAnalyst          Role = "analyst"
	RoleAuditor          Role = "auditor"
)

// Roles lists every role, in the order screens show them.
func Roles() []Role {
	return []Role{
		RoleAdmin, RoleSupervisor, RoleCaseWorker, RolePsychologist, RoleLegalOfficer, RoleShelterOfficer,
		RoleHotlineOperator, RolePartner, RoleAwarenessOfficer, RoleAnalyst, RoleAuditor,
	}
}

// Valid tells whether r is one of the roles.
func (r Role) Valid() bool {
	for _, known := range Roles() {
		if r == known {
			return true
		}
	}
	return false
}

// Actor is the person behind a request, as the access policy and the audit see them.
type Actor struct {
	UserID   string
	Username string
	Role     Role
	UnitID   string
	// OrgID is the partner organisation of a partner user.
	OrgID string
	// RequestID and IP tie audit entries to the request that caused them.
	RequestID string
	IP        string
}

// System is the actor of work nobody asked for in person: jobs, migrations, the command line.
func System(name string) Actor { return Actor{UserID: "system:" + name, Username: name} }
