package web

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v2"
)

// ruleFile is the shape of a Prometheus rule file.
type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Expr        string            `yaml:"expr"`
			For         string            `yaml:"for"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// docs/alerts.yml is a rule file Prometheus can load: it parses with no
// unknown key, each rule is complete, the alerts the README promises are
// there, and every hanchot series an expression names is one the metrics
// export.
func TestAlertRules(t *testing.T) {
	src, err := os.ReadFile("../docs/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	var rf ruleFile
	if err := yaml.UnmarshalStrict(src, &rf); err != nil {
		t.Fatalf("docs/alerts.yml: %v", err)
	}
	exported := map[string]bool{}
	for _, name := range metricNames(t) {
		exported[name] = true
	}
	series := regexp.MustCompile(`hanchot_[a-z_]+`)
	alerts := map[string]bool{}
	if len(rf.Groups) == 0 {
		t.Fatal("no rule group")
	}
	for _, g := range rf.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			t.Errorf("group %q has no name or no rules", g.Name)
		}
		for _, r := range g.Rules {
			alerts[r.Alert] = true
			if r.Alert == "" || strings.TrimSpace(r.Expr) == "" || r.Labels["severity"] == "" || r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				t.Errorf("rule %q is incomplete: %+v", r.Alert, r)
			}
			if r.For != "" {
				if _, err := model.ParseDuration(r.For); err != nil {
					t.Errorf("%s: for %q: %v", r.Alert, r.For, err)
				}
			}
			if strings.Count(r.Expr, "(") != strings.Count(r.Expr, ")") {
				t.Errorf("%s: unbalanced parentheses in %q", r.Alert, r.Expr)
			}
			for _, name := range series.FindAllString(r.Expr, -1) {
				if !exported[name] {
					t.Errorf("%s: %s is not a series hanchot exports", r.Alert, name)
				}
			}
		}
	}
	for _, want := range []string{"HanchotNoPassForAWorkingDay", "HanchotMessagesFailed", "HanchotOutboxGrowing", "HanchotConfigReloadFailed"} {
		if !alerts[want] {
			t.Errorf("no alert %s", want)
		}
	}
}
