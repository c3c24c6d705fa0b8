package hanchot

import (
	"errors"
	"testing"
)

func TestFindAgency(t *testing.T) {
	cal := &Calendar{Agencies: []Agency{
		{ID: "so-tai-chinh", Name: "Sở Tài chính"},
		{ID: "so-tu-phap", Name: "Sở Tư pháp"},
		{ID: "so-noi-vu", Name: "Sở Nội vụ"},
		{ID: "ubnd-bat-xat", Name: "UBND huyện Bát Xát"},
	}}
	t.Run("OK", func(t *testing.T) {
		for in, want := range map[string]string{
			"so-tai-chinh":           "so-tai-chinh", // the id
			"SO-TAI-CHINH":           "so-tai-chinh", // in another case
			"Sở Tài chính":           "so-tai-chinh", // the name
			"sở tài  chính":          "so-tai-chinh", // another case and spacing
			"so tai chinh":           "so-tai-chinh", // without diacritics
			"So Tai Chinh":           "so-tai-chinh",
			"So\u031b\u0309 Tư pháp": "so-tu-phap", // decomposed (NFD) diacritics
			"ubnd huyen bat xat":     "ubnd-bat-xat",
			"  so-noi-vu ":           "so-noi-vu",
		} {
			a, err := cal.FindAgency(in)
			if err != nil || a.ID != want {
				t.Errorf("FindAgency(%q) = %q, %v; want %q", in, a.ID, err, want)
			}
		}
	})
	t.Run("ErrSuggests", func(t *testing.T) {
		for in, want := range map[string]string{
			"tai chinh":     "so-tai-chinh", // a part of the name
			"so tai chin":   "so-tai-chinh", // a slip
			"Sở Tư phap.":   "so-tu-phap",
			"so-noi-vuu":    "so-noi-vu",
			"huyện Bát Xát": "ubnd-bat-xat",
		} {
			_, err := cal.FindAgency(in)
			var ae *AgencyError
			if !errors.As(err, &ae) || len(ae.Suggestions) == 0 || ae.Suggestions[0].ID != want {
				t.Errorf("FindAgency(%q): %v; want a suggestion of %s first", in, err, want)
			}
		}
	})
	t.Run("ErrNothingNear", func(t *testing.T) {
		_, err := cal.FindAgency("bo ngoai giao")
		var ae *AgencyError
		if !errors.As(err, &ae) || len(ae.Suggestions) != 0 || err.Error() != `"bo ngoai giao" is not an agency` {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrAmbiguous", func(t *testing.T) {
		two := &Calendar{Agencies: []Agency{{ID: "so-a", Name: "Sở Tư pháp"}, {ID: "so-b", Name: "Sở Tư Pháp"}, {ID: "so-c", Name: "Sở Tú Pháp"}}}
		// The exact name, in any case, finds the first; without
		// diacritics, both "Tư" and "Tú" answer.
		if a, err := two.FindAgency("Sở Tư pháp"); err != nil || a.ID != "so-a" {
			t.Errorf("exact name: %v %v", a, err)
		}
		_, err := two.FindAgency("so tu phap")
		var ae *AgencyError
		if !errors.As(err, &ae) || len(ae.Ambiguous) != 3 {
			t.Errorf("err = %v, want three agencies", err)
		}
	})
}

func TestFoldAndDistance(t *testing.T) {
	if Fold("  Sở Tài_chính-ĐÀ  ") != "so tai chinh da" {
		t.Errorf("Fold = %q", Fold("  Sở Tài_chính-ĐÀ  "))
	}
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"title", "titel", 1}, {"so", "so", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}} {
		if got := EditDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}
