package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"hanchot"
	"hanchot/record"
	"hanchot/store"
)

// statsView is the on-time statistics of a reporting year.
type statsView struct {
	view
	Year     int
	Years    []option
	Today    string
	Rows     []statsRow
	Total    statsRow
	CSVQuery string
}

// statsRow is one agency's line, with its bar.
type statsRow struct {
	Agency, AgencyName            string
	OnTime, Late, Missing, NotDue int
	Share                         float64 // 0 to 1
	Counted                       int
	Retired                       bool
}

// statsPage serves the share on time per agency for a reporting year (the
// current one unless year= says another), as of now.
func (s *Server) statsPage(w http.ResponseWriter, r *http.Request, user string) {
	cfg := s.current().Config
	now := s.now()
	today := hanchot.DateOf(now, cfg.Location)
	year := today.Year()
	var problem string
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1901 || n > 2099 {
			problem = fmt.Sprintf("Năm %q không đúng; hiển thị năm %d.", y, year)
		} else {
			year = n
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	recs, err := s.db.Records(ctx, store.RecordFilter{Year: year})
	if err != nil {
		s.serverError(w, "stats page", err)
		return
	}
	v := statsView{view: s.adminView(w, r, user, fmt.Sprintf("Thống kê đúng hạn năm %d", year)), Year: year, Today: today.VN()}
	v.Nav, v.Problem = "thong-ke", problem
	for _, t := range record.TallyAt(recs, now, cfg.Calendar, cfg.Location) {
		row := statsRow{Agency: t.Agency, AgencyName: t.AgencyName, OnTime: t.OnTime, Late: t.Late, Missing: t.Missing,
			NotDue: t.NotDue, Share: t.ShareOnTime(), Counted: t.Counted(), Retired: t.Retired}
		v.Rows = append(v.Rows, row)
		v.Total.OnTime += t.OnTime
		v.Total.Late += t.Late
		v.Total.Missing += t.Missing
		v.Total.NotDue += t.NotDue
	}
	total := record.Tally{OnTime: v.Total.OnTime, Late: v.Total.Late, Missing: v.Total.Missing}
	v.Total.Share, v.Total.Counted = total.ShareOnTime(), total.Counted()
	first := cfg.Schedule.FirstYear
	if first == 0 || first > today.Year() {
		first = today.Year() - 1
	}
	for y := today.Year() + 1; y >= first; y-- {
		v.Years = append(v.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == year})
	}
	s.render(w, http.StatusOK, "stats", v)
}
