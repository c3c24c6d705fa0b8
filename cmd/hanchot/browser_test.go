package main

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hanchot/store"
)

// The whole loop in a real browser: a pass delivers the overdue notices
// to Mailpit; the "Xác nhận đã gửi báo cáo" link of a delivered message
// is opened in Chromium on a phone-sized screen, the form filled in and
// sent; the agency's page shows it sent; an admin logs in and the item
// is gone from the overdue log. Screenshots of the three pages are saved
// in the test's folder (and, when HANCHOT_SCREENSHOTS names a folder,
// there too: that is how docs/ is made).
func TestBrowser_ConfirmFromTheMail(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)")
	}
	if testing.Short() {
		t.Skip("starts Mailpit and Chromium")
	}
	began := time.Now()
	mp := startMailpit(t)
	db := filepath.Join(t.TempDir(), "h.db")
	p := newPageFront(t, db, mp.smtpPort)
	if code, out, errs := run(t, p.env, "--config", laocai, "run", "--once", "--send", "--now", "2019-03-18T08:00"); code != 0 {
		t.Fatalf("run: %d %s %s", code, out, errs)
	}
	p.now = time.Date(2019, 3, 18, 10, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	p.start()

	// The overdue notice to Sở Tư pháp, as Mailpit delivered it.
	var text string
	for _, m := range mp.messages(t) {
		if len(m.To) > 0 && m.To[0].Address == "stp@laocai.example" && strings.HasPrefix(m.Subject, "[Quá hạn]") {
			text = mp.text(t, m.ID)
		}
	}
	confirm := regexp.MustCompile(`Xác nhận đã gửi báo cáo: (\S+)`).FindStringSubmatch(text)
	page := regexp.MustCompile(`Trang của cơ quan \([^)]*\): (\S+)`).FindStringSubmatch(text)
	if confirm == nil || page == nil {
		t.Fatalf("no links in the overdue notice to Sở Tư pháp:\n%s", text)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("lang", "vi"),
		chromedp.Env("LANGUAGE=vi", "LANG=vi_VN.UTF-8")) // date fields as a Vietnamese browser shows them
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil { // starts the browser for the life of this context
		t.Fatalf("start chromium: %v", err)
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text2 := func(sel string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(browser, 10*time.Second)
		defer cancel()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	shots := t.TempDir()
	shot := func(name string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		checkScreenshot(t, name, b)
		if err := os.WriteFile(filepath.Join(shots, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("HANCHOT_SCREENSHOTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, name), b, 0o644)
		}
	}
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
	desktop := chromedp.EmulateViewport(1280, 900)

	// The admin sees the item in the overdue log first.
	step("log in", desktop, chromedp.Navigate(p.base+"/dang-nhap"), chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "dau-moi"), chromedp.SendKeys(chromedp.CSS("#password"), adminPass))
	if _, err := chromedp.RunResponse(browser, chromedp.Click(chromedp.CSS("main button[type=submit]"))); err != nil {
		t.Fatalf("log in: %v", err)
	}
	step("overdue log", chromedp.Navigate(p.base+"/quan-tri/qua-han?agency=so-tu-phap"), chromedp.WaitVisible(chromedp.CSS("#qua-han")))
	before := text2("#qua-han")

	// The agency opens the link on its phone and confirms.
	step("open the link", phone, chromedp.Navigate(confirm[1]), chromedp.WaitVisible(chromedp.CSS("#ref")))
	if got := text2("main"); !strings.Contains(got, "Sở Tư pháp") || !strings.Contains(got, "quá hạn") || !strings.Contains(got, "Số, ký hiệu văn bản") {
		t.Errorf("the confirmation page shows:\n%s", got)
	}
	shot("web-confirm.png")
	step("fill the form", chromedp.SendKeys(chromedp.CSS("#ref"), "45/BC-STP"),
		chromedp.SendKeys(chromedp.CSS("#by"), "Nguyễn Văn An"),
		chromedp.SendKeys(chromedp.CSS("#note"), "Đã gửi qua trục liên thông văn bản"))
	if _, err := chromedp.RunResponse(browser, chromedp.Click(chromedp.CSS("main button[type=submit]"))); err != nil {
		t.Fatalf("send the form: %v", err)
	}
	if got := text2("main"); !strings.Contains(got, "Đã ghi nhận") || !strings.Contains(got, "45/BC-STP") {
		t.Fatalf("after sending:\n%s", got)
	}
	subs, err := p.writer.Submissions(context.Background(), store.SubmissionFilter{Agency: "so-tu-phap"})
	if err != nil || len(subs) != 1 || subs[0].Source != "web" || subs[0].Ref != "45/BC-STP" || subs[0].By != "Nguyễn Văn An" ||
		!strings.Contains(subs[0].UserAgent, "Chrome") {
		t.Fatalf("recorded: %+v %v", subs, err)
	}
	id := strconv.FormatInt(subs[0].OccurrenceID, 10)

	step("the agency's page", chromedp.Navigate(page[1]), chromedp.WaitVisible(chromedp.CSS("#can-lam")))
	if got := text2("main"); !strings.Contains(got, "Lịch sử ghi nhận") || !strings.Contains(got, "45/BC-STP") {
		t.Errorf("the agency's page:\n%s", got)
	}
	shot("web-agency.png")

	// The admin no longer sees it overdue.
	step("overdue log again", desktop, chromedp.Navigate(p.base+"/quan-tri/qua-han"), chromedp.WaitVisible(chromedp.CSS("#qua-han")))
	html, err := chromedp.Run(browser, chromedp.OuterHTML(chromedp.CSS("#qua-han")))
	if err != nil {
		t.Fatal(err)
	}
	link := `href="/quan-tri/viec/` + id + `"`
	if strings.Contains(html, link) {
		t.Errorf("the item submitted is still in the overdue log")
	}
	if !strings.Contains(before, subs[0].Title) {
		t.Errorf("the item was not in the overdue log before:\n%s", before)
	}
	shot("web-overdue.png")
	t.Logf("browser test: Mailpit, a pass, Chromium through the form, the agency's page and the overdue log in %s; screenshots in %s",
		time.Since(began).Round(100*time.Millisecond), shots)
}

// checkScreenshot fails the test for a screenshot that is too small or
// blank: one colour, or nearly.
func checkScreenshot(t *testing.T, name string, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	size := img.Bounds().Size()
	colours := map[color.Color]int{}
	for y := 0; y < size.Y; y += 4 {
		for x := 0; x < size.X; x += 4 {
			colours[img.At(x, y)]++
		}
	}
	if len(b) < 20_000 || size.X < 300 || size.Y < 300 || len(colours) < 20 {
		t.Errorf("%s looks blank: %d bytes, %v, %d colours", name, len(b), size, len(colours))
	}
}
