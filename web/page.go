package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"hanchot"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages are the HTML pages, each parsed with the shared layout.
type pages struct {
	byName map[string]*template.Template
}

// loadPages parses every page of templates/ with layout.html. The
// templates are built in, so a failure is a programming error.
func loadPages() *pages {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range names {
		if name == "templates/layout.html" {
			continue
		}
		t := template.Must(template.New("layout.html").Funcs(pageFuncs).ParseFS(templateFiles, "templates/layout.html", name))
		p.byName[strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")] = t
	}
	return p
}

// view is what every page shows besides its own content.
type view struct {
	Title string // the page's title
	Org   string // [org] name, shown in the header
	// User is the admin logged in ("" on the agencies' pages); Nav the
	// admin section shown.
	User, Nav string
	// CSRF is the token of the page's forms, bound to the form's address
	// and the browser's cookie.
	CSRF string
	// Notice and Problem are a message to show at the top: something
	// done, something refused.
	Notice, Problem string
}

// render writes page name with data (a struct embedding view) and status.
// Pages are never cached: they carry tokens and what agencies reported.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	t, ok := s.pages.byName[name]
	if !ok {
		panic("web: no page " + name)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout.html", data); err != nil {
		s.log.Error("page", "page", name, "error", err.Error())
		http.Error(w, "lỗi máy chủ, xin thử lại sau", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// problemPage is a page that only says what went wrong, and what to do.
type problemPage struct {
	view
	Heading string
	Text    []string // paragraphs
	Contact string   // whom to call, from [org]
}

// problem answers with a Vietnamese page that says what went wrong and
// what to do.
func (s *Server) problem(w http.ResponseWriter, status int, heading string, text ...string) {
	o := s.current().Config.Org
	contact := strings.TrimSpace(strings.Join(nonEmpty(o.Contact, phone(o.Phone), o.Email), ", "))
	s.render(w, status, "problem", problemPage{view: view{Title: heading, Org: o.Name}, Heading: heading, Text: text, Contact: contact})
}

// serverError logs err and answers 500; what failed is logged, never
// shown.
func (s *Server) serverError(w http.ResponseWriter, what string, err error) {
	s.log.Error(what, "error", err.Error())
	s.problem(w, http.StatusInternalServerError, "Lỗi máy chủ",
		"Máy chủ chưa xử lý được yêu cầu này. Xin thử lại sau ít phút; nếu vẫn lỗi, xin báo đầu mối bên dưới.")
}

func phone(p string) string {
	if p == "" {
		return ""
	}
	return "ĐT " + p
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// staticHandler serves the built-in style sheet under /tai-nguyen/.
func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/tai-nguyen/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// pageFuncs are the helpers the templates use.
// Dates and times reach them already written in the configured zone.
var pageFuncs = template.FuncMap{
	"percent":  func(share float64) string { return fmt.Sprintf("%.0f%%", share*100) },
	"barWidth": func(share float64) string { return fmt.Sprintf("%.1f", share*100) },
}

// roleName says a role in Vietnamese.
func roleName(r hanchot.Role) string {
	if r == hanchot.Support {
		return "Phối hợp"
	}
	return "Chủ trì"
}

// periodYear writes a period and its year as a letter does: "Quý I năm
// 2019", and "Cả năm 2019" rather than "Cả năm năm 2019".
func periodYear(period string, year int) string {
	if strings.HasSuffix(strings.ToLower(period), "năm") {
		return fmt.Sprintf("%s %d", period, year)
	}
	return fmt.Sprintf("%s năm %d", period, year)
}
