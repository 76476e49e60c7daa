package web

import (
	"aman.qa/aman"
	"aman.qa/aman/i18n"
)

// caseServicesView lists the social services delivered on the case and offers the form that records
// one.
type caseServicesView struct {
	List []deliveryView
	// Form is nil for those who may not change the case.
	Form   *deliveryForm
	Notice string
}

type deliveryView struct {
	Service string
	At      shownTime
	// Provider is a member of staff's name, or a partner organisation's as recorded (ProviderIsOrg).
	Provider      string
	ProviderIsOrg bool
	Outcome       string
	Note          string
	By            string
}

// deliveryForm records a delivery: the day (and, if known, the time) in Qatar, exactly one provider.
type deliveryForm struct {
	Services      []option
	DeliveredOn   string
	DeliveredTime string
	Providers     []option
	ProviderOrg   string
	Outcomes      []string
	Outcome       string
	Note          string
	formState
}

// deliveryTyped is the delivery form as posted.
type deliveryTyped struct {
	Service, DeliveredOn, DeliveredTime, ProviderUserID, ProviderOrg, Outcome, Note string
}

// serviceName is a catalogue entry's name in lang.
func serviceName(lang i18n.Lang, s aman.Service) string {
	if lang == i18n.English {
		return s.NameEN
	}
	return s.NameAR
}

func (c careContext) servicesSection(deliveries []aman.ServiceDelivery) caseServicesView {
	v := caseServicesView{Notice: c.notice(doneService)}
	names := map[string]string{}
	for _, s := range c.catalogue {
		names[s.Code] = serviceName(c.lang, s)
	}
	for _, d := range deliveries {
		dv := deliveryView{Service: d.ServiceCode, At: showTime(d.DeliveredAt, c.h.zone), Outcome: string(d.Outcome), Note: d.Note, By: c.name(d.CreatedBy)}
		// A delivery recorded without its time of day starts at midnight: the day alone says what is known.
		if local := d.DeliveredAt.In(c.h.zone); local.Hour() == 0 && local.Minute() == 0 && local.Second() == 0 {
			dv.At.Text = local.Format(dayLayout)
		}
		if name, ok := names[d.ServiceCode]; ok {
			dv.Service = name
		}
		dv.Provider = c.name(d.ProviderUserID)
		if d.ProviderOrg != "" {
			dv.Provider, dv.ProviderIsOrg = d.ProviderOrg, true
		}
		v.List = append(v.List, dv)
	}
	if c.staff.MayEdit {
		v.Form = c.newDeliveryForm(deliveryTyped{})
	}
	return v
}

// newDeliveryForm offers the active services of the catalogue, in its order, with typed in place.
func (c careContext) newDeliveryForm(typed deliveryTyped) *deliveryForm {
	f := &deliveryForm{DeliveredOn: typed.DeliveredOn, DeliveredTime: typed.DeliveredTime, Providers: c.staffOptions(typed.ProviderUserID),
		ProviderOrg: typed.ProviderOrg, Outcome: typed.Outcome, Note: typed.Note}
	f.Services = []option{{Value: "", Label: c.h.bundle.T(c.lang, "case.services.service_choose"), Selected: typed.Service == ""}}
	for _, s := range c.catalogue {
		if s.Active {
			f.Services = append(f.Services, option{Value: s.Code, Label: serviceName(c.lang, s), Selected: s.Code == typed.Service})
		}
	}
	for _, o := range aman.ServiceOutcomes() {
		f.Outcomes = append(f.Outcomes, string(o))
	}
	return f
}
