package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const minimal = `[escalation]
focal_point = "so-noi-vu"

[mail]
from = "cchc@laocai.example"

[[agency]]
id = "so-noi-vu"
name = "Sở Nội vụ"
email = "snv@laocai.example"
`

func TestWeb_Defaults(t *testing.T) {
	cfg, err := Parse("x.toml", []byte(minimal), nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.Web; w.Listen != "127.0.0.1:8080" || w.BaseURL != "" || w.Secret != "" || w.MetricsListen != "" {
		t.Errorf("[web] defaults = %+v", w)
	}
	// The environment overrides the scalar keys; an empty listen turns the
	// web front off.
	key := strings.Repeat("k", 40)
	cfg, err = Parse("x.toml", []byte(minimal), []string{"HANCHOT_WEB_LISTEN=", "HANCHOT_WEB_SECRET=" + key, "HANCHOT_WEB_BASE_URL=https://hanchot.laocai.example"})
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.Web; w.Listen != "" || w.Secret != key || w.BaseURL != "https://hanchot.laocai.example" {
		t.Errorf("[web] from the environment = %+v", w)
	}
}

func TestWeb_Keys(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("secret", strings.Repeat("x", 48)+"\n")
	short := write("short", "hunter2\n")
	admins := write("admins", "# admins\nhoa:$2y$10$abcdefghijklmnopqrstuu5Ue1eQ6m0Kf3W1nD7g8b0T6Wm3cLq9a\n\nnam:plaintext\n")
	tests := []struct {
		name string
		web  string   // the [web] section
		env  []string // more environment
		want string   // a part of the problems; "": no problem
	}{
		{"secret file", "secret_file = " + q(good), nil, ""},
		{"short secret file", "secret_file = " + q(short), nil, "x.toml:13: tệp khóa ký (secret_file): khóa ký quá ngắn, cần ít nhất 32"},
		{"short secret in the environment", "", []string{"HANCHOT_WEB_SECRET=hunter2"}, "x.toml: biến môi trường HANCHOT_WEB_SECRET quá ngắn"},
		{"previous key without a current one", "previous_secret_file = " + q(good), nil, "x.toml:13: tệp khóa ký cũ (previous_secret_file) chỉ dùng khi đổi khóa"},
		{"rotation", "secret_file = " + q(good) + "\nprevious_secret_file = " + q(good), nil, ""},
		{"admins file", "admins_file = " + q(admins), nil, "dòng 4: mỗi dòng viết tên đăng nhập:mã băm bcrypt"},
		{"any free port", "listen = \"127.0.0.1:0\"\nmetrics_listen = \"[::1]:9100\"", nil, ""},
		{"metrics on the same address", "listen = \":8080\"\nmetrics_listen = \":8080\"", nil, "x.toml:14: địa chỉ nghe cho số liệu giám sát (metrics_listen) \":8080\" trùng với listen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimal + "\n[web]\n" + tt.web + "\n"
			_, err := Parse("x.toml", []byte(src), tt.env)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Parse = %v\n%s", err, src)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse = %v, want problems", err)
			}
			if !strings.Contains(ce.Error(), tt.want) {
				t.Errorf("problems lack %q:\n%s", tt.want, ce.Error())
			}
			if strings.Contains(ce.Error(), "dòng 2:") {
				t.Errorf("a good admins line is refused:\n%s", ce.Error())
			}
			if strings.Contains(ce.Error(), strings.Repeat("x", 48)) || strings.Contains(ce.Error(), "hunter2") {
				t.Errorf("a key is shown in a message:\n%s", ce.Error())
			}
		})
	}
}

func q(s string) string { return strconv.Quote(s) }
