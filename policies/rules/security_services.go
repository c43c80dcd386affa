package rules

import (
	"fmt"

	"github.com/tenancy-dev/tenancy/internal/graph"
)

const (
	configRecorder       = "aws:cfg/recorder:Recorder"
	configRecorderStatus = "aws:cfg/recorderStatus:RecorderStatus"
	configChannel        = "aws:cfg/deliveryChannel:DeliveryChannel"
	guardDutyDetector    = "aws:guardduty/detector:Detector"
	guardDutyFeature     = "aws:guardduty/detectorFeature:DetectorFeature"
	securityHubAccount   = "aws:securityhub/account:Account"
)

// GuardDutyOptionalFeatures are the protection plans a detector turns on by
// itself when none is declared (all but Runtime Monitoring), so each must
// be declared, enabled or not, for the bill and the coverage to be chosen.
var GuardDutyOptionalFeatures = []string{"S3_DATA_EVENTS", "EKS_AUDIT_LOGS", "EBS_MALWARE_PROTECTION", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"}

var securityServiceRules = []Rule{
	{ID: "config-records-everything", Control: "Config.1", Types: []string{configRecorder},
		Description: "AWS Config records every supported resource type, global ones included", Fix: "set recordingGroup {allSupported: true, includeGlobalResourceTypes: true}",
		Check: func(n graph.Node) (bool, string) {
			all, _ := graph.Path(n.Inputs, "recordingGroup", "allSupported").(bool)
			global, _ := graph.Path(n.Inputs, "recordingGroup", "includeGlobalResourceTypes").(bool)
			if !all || !global {
				return false, fmt.Sprintf("recordingGroup allSupported %v, includeGlobalResourceTypes %v", all, global)
			}
			return true, ""
		},
		Examples: []Example{
			{Name: "everything", Inputs: map[string]any{"recordingGroup": map[string]any{"allSupported": true, "includeGlobalResourceTypes": true}}, Pass: true},
			{Name: "no global types", Inputs: map[string]any{"recordingGroup": map[string]any{"allSupported": true}}},
			{Name: "a list of types", Inputs: map[string]any{"recordingGroup": map[string]any{"allSupported": false, "includeGlobalResourceTypes": true}}},
			{Name: "no recording group", Inputs: map[string]any{}},
		}},
	{ID: "config-recorder-started", Control: "Config.1", Types: []string{configRecorderStatus},
		Description: "the AWS Config recorder is started", Fix: "set isEnabled: true",
		Check:    func(n graph.Node) (bool, string) { return isTrue(n, "isEnabled") },
		Examples: []Example{{Name: "started", Inputs: map[string]any{"isEnabled": true}, Pass: true}, {Name: "stopped", Inputs: map[string]any{"isEnabled": false}}}},
	{ID: "guardduty-enabled", Control: "GuardDuty.1", Types: []string{guardDutyDetector},
		Description: "GuardDuty is enabled", Fix: "set enable: true",
		Check:    func(n graph.Node) (bool, string) { return isTrue(n, "enable") },
		Examples: []Example{{Name: "on", Inputs: map[string]any{"enable": true}, Pass: true}, {Name: "off", Inputs: map[string]any{"enable": false}}, {Name: "unset", Inputs: map[string]any{}}}},
}

// securityServicesComplete: where Security Hub runs, its controls need AWS
// Config recording and delivering, and GuardDuty with its plans declared.
var securityServicesComplete = StackRule{ID: "security-services-complete", Control: "Config.1/GuardDuty.1",
	Description: "a stack that enables Security Hub also records with AWS Config (recorder, delivery channel, started) and runs GuardDuty with every optional plan declared",
	Fix:         "enable them together: components.NewSecurityServices builds all of them",
	Check: func(s *Stack) []Violation {
		hubs := s.Graph.OfType(securityHubAccount)
		if len(hubs) == 0 {
			return nil
		}
		hub := hubs[0]
		var out []Violation
		for _, typ := range []string{configRecorder, configChannel, configRecorderStatus, guardDutyDetector} {
			if len(s.Graph.OfType(typ)) == 0 {
				out = append(out, Violation{URN: hub.URN, Type: hub.Type, Why: "no " + typ + " beside Security Hub"})
			}
		}
		declared := map[string]bool{}
		for _, f := range s.Graph.OfType(guardDutyFeature) {
			declared[f.Str("name")] = true
		}
		for _, name := range GuardDutyOptionalFeatures {
			if len(s.Graph.OfType(guardDutyDetector)) > 0 && !declared[name] {
				out = append(out, Violation{URN: hub.URN, Type: guardDutyDetector, Why: "GuardDuty feature " + name + " is not declared, so AWS turns it on by default"})
			}
		}
		return out
	}}
