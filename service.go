package aman

import (
	"slices"
	"time"
)

// Service is one entry of the catalogue of social services: financial aid, housing, a counselling
// session… Its code is stable (deliveries and statistics name it); its names may be edited.
type Service struct {
	Code   string
	NameAR string
	NameEN string
	// Active services are offered for new deliveries; a retired one stays for the records that name it.
	Active bool
}

// ServiceOutcome says whether a service reached the beneficiary.
type ServiceOutcome string

const (
	OutcomeDelivered    ServiceOutcome = "delivered"
	OutcomePartially    ServiceOutcome = "partially"
	OutcomeNotDelivered ServiceOutcome = "not_delivered"
)

// ServiceOutcomes lists the outcomes.
func ServiceOutcomes() []ServiceOutcome {
	return []ServiceOutcome{OutcomeDelivered, OutcomePartially, OutcomeNotDelivered}
}

// Valid tells whether o is one of the outcomes.
func (o ServiceOutcome) Valid() bool { return slices.Contains(ServiceOutcomes(), o) }

// Reached tells whether the beneficiary received the service, in full or in part: only such a delivery
// makes someone a social-service beneficiary in the centre's figures.
func (o ServiceOutcome) Reached() bool { return o == OutcomeDelivered || o == OutcomePartially }

// ServiceDelivery records one service given (or attempted) to a beneficiary of a case.
type ServiceDelivery struct {
	ID            string
	CaseID        string
	BeneficiaryID string
	ServiceCode   string
	DeliveredAt   time.Time
	// Exactly one provider: a member of staff, or a partner organisation by name. An organisation's name
	// identifies no beneficiary, so it is stored readable for statistics by provider.
	ProviderUserID string
	ProviderOrg    string
	Outcome        ServiceOutcome
	// Note is sealed at rest.
	Note      string
	CreatedBy string
	CreatedAt time.Time
}

// Service error codes.
const (
	EInvalidOutcome = "invalid_outcome"
	// EUnknownService: the service code is not in the catalogue, or is retired.
	EUnknownService = "unknown_service"
	// EOneProvider: a delivery names both a member of staff and an organisation, or neither.
	EOneProvider = "one_provider_required"
	// ENotOnCase: the beneficiary is not a person of the case.
	ENotOnCase = "beneficiary_not_on_case"
)
