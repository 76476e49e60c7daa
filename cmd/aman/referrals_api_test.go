package main

import "testing"

func TestConsentAndReferralAPI(t *testing.T) {
	ts := startServer(t)
	worker := staffClient(t, ts, "worker.one", "case_worker")
	supervisor := staffClient(t, ts, "super.one", "supervisor")
	status, org := supervisor.json("POST", "/api/v1/partners", map[string]string{"name_ar": "مستشفى حمد", "name_en": "Hamad Hospital", "kind": "hospital"})
	if status != 201 {
		t.Fatalf("partner: %d %v", status, org)
	}
	if status, list := worker.json("GET", "/api/v1/partners", nil); status != 200 || len(list["items"].([]any)) != 1 {
		t.Fatalf("partners: %d %v", status, list)
	}
	_, person := worker.json("POST", "/api/v1/beneficiaries", map[string]string{"name_en": "Amal Nasser", "birth_date": "1988-02-02"})
	_, opened := worker.json("POST", "/api/v1/cases", map[string]string{"beneficiary_id": person["id"].(string)})
	caseID := opened["id"].(string)
	refer := map[string]string{"partner_org_id": org["id"].(string), "purpose": "medical follow-up"}
	if status, body := worker.json("POST", "/api/v1/cases/"+caseID+"/referrals", refer); status != 422 || errorCode(body) != "consent_required" {
		t.Fatalf("referral without consent: %d %v", status, body)
	}
	if status, body := worker.json("POST", "/api/v1/cases/"+caseID+"/consents", map[string]any{"kind": "sharing", "partner_org_id": org["id"], "given": true}); status != 201 {
		t.Fatalf("consent: %d %v", status, body)
	}
	status, ref := worker.json("POST", "/api/v1/cases/"+caseID+"/referrals", refer)
	if status != 201 || ref["status"] != "sent" || ref["consent_id"] == nil {
		t.Fatalf("referral: %d %v", status, ref)
	}
	if status, body := worker.json("PATCH", "/api/v1/referrals/"+ref["id"].(string), map[string]string{"status": "accepted", "feedback": "appointment on Sunday"}); status != 204 {
		t.Fatalf("update: %d %v", status, body)
	}
	if status, list := worker.json("GET", "/api/v1/cases/"+caseID+"/referrals", nil); status != 200 || list["items"].([]any)[0].(map[string]any)["status"] != "accepted" {
		t.Fatalf("list: %d %v", status, list)
	}
}
