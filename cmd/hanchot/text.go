package main

import (
	"fmt"
	"strings"
)

// Lang is the language of what the commands print: Vietnamese, the
// secretariat's, by default, or English. JSON and CSV field names, enum
// values in JSON and CSV, and the daemon's logs do not change with it.
type Lang string

const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// chooseLang settles the language: --lang, else $HANCHOT_LANG, else the
// locale ($LC_ALL, $LC_MESSAGES, $LANG, the first one set): en… is
// English, anything else (vi…, C, unset) Vietnamese. A --lang or
// $HANCHOT_LANG that is neither vi nor en is refused.
func chooseLang(flagValue string, getenv func(string) string) (Lang, error) {
	pick := func(v string) (Lang, bool) {
		switch strings.ToLower(v) {
		case "vi", "vi_vn", "vi-vn", "vie", "vietnamese", "tiếng việt", "tieng viet":
			return Vietnamese, true
		case "en", "en_us", "en-us", "en_gb", "en-gb", "eng", "english":
			return English, true
		}
		return Vietnamese, false
	}
	if flagValue != "" {
		l, ok := pick(flagValue)
		if !ok {
			return Vietnamese, Vietnamese.usageError("err.badLang", "--lang", flagValue)
		}
		return l, nil
	}
	if v := getenv("HANCHOT_LANG"); v != "" {
		l, ok := pick(v)
		if !ok {
			return Vietnamese, Vietnamese.usageError("err.badLang", "HANCHOT_LANG", v)
		}
		return l, nil
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "en") {
				return English, nil
			}
			return Vietnamese, nil
		}
	}
	return Vietnamese, nil
}

// text is one message in both languages. en1 is the English form when the
// message's first argument is the number 1 ("1 day", not "1 days").
type text struct{ vi, en, en1 string }

// T returns message id in language l, formatted with args like
// fmt.Sprintf. An id missing from the catalogue shows as itself (a test
// makes sure none is).
func (l Lang) T(id string, args ...any) string {
	t, ok := catalogue[id]
	if !ok {
		if len(args) == 0 {
			return id
		}
		return id + fmt.Sprint(args...)
	}
	s := t.vi
	if l == English {
		s = t.en
		if n, ok := firstInt(args); ok && n == 1 && t.en1 != "" {
			s = t.en1
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

func firstInt(args []any) (int, bool) {
	if len(args) == 0 {
		return 0, false
	}
	switch n := args[0].(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	}
	return 0, false
}

// word translates an enum value shown in a table or a spreadsheet (a
// role, a kind of notice, a delivery status, a retired label): "lead" is
// "chủ trì". A value the catalogue does not know stays as it is.
func (l Lang) word(v string) string {
	if v == "" {
		return ""
	}
	var parts []string
	for _, p := range strings.Split(v, ", ") {
		if d, ok := strings.CutPrefix(p, "until "); ok {
			parts = append(parts, l.T("word.until", d))
		} else if _, ok := catalogue["word."+p]; ok {
			parts = append(parts, l.T("word."+p))
		} else {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// catalogue holds every message the commands print, in Vietnamese and in
// English, by id. Formats take their arguments in the same order in both
// languages. The check command's messages about the configuration file
// are the config package's own (Vietnamese).
var catalogue = map[string]text{
	// The general help.
	"usage.head": {
		vi: "hanchot giữ lịch báo cáo, nhắc các cơ quan trước hạn và đôn đốc việc quá hạn.\n\n" +
			"Cách dùng:\n  hanchot [--config TỆP] [--db TỆP] [--lang vi|en] LỆNH [tùy chọn]\n\nCác lệnh:\n",
		en: "hanchot keeps the report calendar, reminds agencies and escalates what is overdue.\n\n" +
			"Usage:\n  hanchot [--config FILE] [--db FILE] [--lang vi|en] COMMAND [flags]\n\nCommands:\n",
	},
	"usage.tail": {
		vi: "  help LỆNH   cách dùng một lệnh\n\nTùy chọn chung (đặt trước hoặc sau lệnh):\n" +
			"  --config TỆP   tệp cấu hình (mặc định $HANCHOT_CONFIG, rồi ./hanchot.toml)\n" +
			"  --db TỆP       cơ sở dữ liệu, thay cho [store] path (hoặc $HANCHOT_DB)\n" +
			"  --lang vi|en   ngôn ngữ hiển thị (hoặc $HANCHOT_LANG; mặc định tiếng Việt, tiếng Anh khi $LANG là en…)\n" +
			"  --version      phiên bản của hanchot\n\n" +
			"Xem tùy chọn của một lệnh: \"hanchot help LỆNH\" hoặc \"hanchot LỆNH -h\".\n",
		en: "  help NAME   a command's help\n\nGlobal flags (before or after the command):\n" +
			"  --config FILE  configuration (default $HANCHOT_CONFIG, then ./hanchot.toml)\n" +
			"  --db FILE      database, overriding [store] path (also $HANCHOT_DB)\n" +
			"  --lang vi|en   language of the output (also $HANCHOT_LANG; Vietnamese by default, English when $LANG is en…)\n" +
			"  --version      hanchot's version\n\n" +
			"Run \"hanchot help COMMAND\" or \"hanchot COMMAND -h\" for a command's flags.\n",
	},
	"summary.check":    {vi: "kiểm tra tệp cấu hình", en: "validate the configuration"},
	"summary.sync":     {vi: "ghi lịch vào cơ sở dữ liệu", en: "write the calendar into the database"},
	"summary.calendar": {vi: "liệt kê các hạn của một năm báo cáo", en: "list the occurrences of a reporting year"},
	"summary.holidays": {vi: "liệt kê các ngày nghỉ của một năm", en: "list the days off of a year"},
	"summary.preview":  {vi: "xem trước thư sẽ gửi trong một khoảng ngày, không gửi gì", en: "show the notifications a window would send, sending nothing"},
	"summary.run":      {vi: "chạy một lượt (--once) tại lúc này hoặc --now", en: "run one pass (--once) as of now or --now"},
	"summary.serve":    {vi: "chạy dịch vụ nền", en: "run the daemon"},
	"summary.submit":   {vi: "ghi nhận báo cáo đã nộp", en: "record a submission"},
	"summary.extend":   {vi: "gia hạn", en: "grant an extension"},
	"summary.overdue":  {vi: "sổ theo dõi việc quá hạn", en: "the overdue log"},
	"summary.log":      {vi: "sổ thư đã gửi", en: "the notification ledger"},
	"summary.stats":    {vi: "đúng hạn, trễ hạn và chưa nộp theo cơ quan", en: "on time, late and missing per agency"},
	"summary.retry":    {vi: "gửi lại thư bị lỗi hoặc hết hạn", en: "requeue mail that failed or expired"},
	"summary.links":    {vi: "địa chỉ trang và lịch đăng ký (feed) của các cơ quan", en: "an agency's page and calendar-feed addresses"},
	"summary.ics":      {vi: "lịch của một cơ quan (iCalendar), in ra stdout", en: "an agency's calendar feed (iCalendar) on stdout"},
	"summary.web":      {vi: "chỉ chạy trang web (\"serve\" cũng chạy nó)", en: "serve the web front alone (\"serve\" serves it too)"},

	// A command's help.
	"help.usage":    {vi: "Cách dùng:", en: "Usage:"},
	"help.flags":    {vi: "Tùy chọn:", en: "Flags:"},
	"help.global":   {vi: "Tùy chọn chung:", en: "Global flags:"},
	"help.examples": {vi: "Ví dụ:", en: "Examples:"},
	"help.default":  {vi: "mặc định %s", en: "default %s"},
	"help.text":     {vi: "CHỮ", en: "TEXT"},
	"help.duration": {vi: "THỜI-LƯỢNG", en: "DURATION"},
	"help.globalFlags": {
		vi: "  --config TỆP, --db TỆP, --lang vi|en (xem \"hanchot help\")\n",
		en: "  --config FILE, --db FILE, --lang vi|en (see \"hanchot help\")\n",
	},

	"synopsis.check":    {vi: "check", en: "check"},
	"synopsis.sync":     {vi: "sync [--now LÚC] [--dry-run] [--allow-retire] [--rewrite-past --reason LÝ-DO] [--init]", en: "sync [--now T] [--dry-run] [--allow-retire] [--rewrite-past --reason R] [--init]"},
	"synopsis.calendar": {vi: "calendar --year NĂM [--agency CƠ-QUAN] [--role lead|support] [--format table|csv|json|xlsx]", en: "calendar --year Y [--agency A] [--role lead|support] [--format table|csv|json|xlsx]"},
	"synopsis.holidays": {vi: "holidays [--year NĂM] [--format table|csv|json|xlsx]", en: "holidays [--year Y] [--format table|csv|json|xlsx]"},
	"synopsis.preview":  {vi: "preview [--from NGÀY] [--to NGÀY] [--agency CƠ-QUAN] [--format table|csv|json|xlsx]", en: "preview [--from D] [--to D] [--agency A] [--format table|csv|json|xlsx]"},
	"synopsis.run":      {vi: "run --once [--now LÚC] [--send]", en: "run --once [--now T] [--send]"},
	"synopsis.serve":    {vi: "serve [--retry-every THỜI-LƯỢNG]", en: "serve [--retry-every D]"},
	"synopsis.submit": {
		vi: "submit MÃ --period KỲ --year NĂM --agency CƠ-QUAN [--at LÚC] [--ref SỐ] [--note GHI-CHÚ] [--by NGƯỜI]\n" +
			"  hanchot submit --csv TỆP [--by NGƯỜI]\n" +
			"  hanchot submit --undo MÃ --period KỲ --year NĂM --agency CƠ-QUAN --reason LÝ-DO\n" +
			"  hanchot submit --history MÃ --period KỲ --year NĂM --agency CƠ-QUAN",
		en: "submit CODE --period P --year Y --agency A [--at T] [--ref R] [--note N] [--by WHO]\n" +
			"  hanchot submit --csv FILE [--by WHO]\n" +
			"  hanchot submit --undo CODE --period P --year Y --agency A --reason R\n" +
			"  hanchot submit --history CODE --period P --year Y --agency A",
	},
	"synopsis.extend":  {vi: "extend MÃ --period KỲ --year NĂM --agency CƠ-QUAN --due NGÀY --reason LÝ-DO [--by NGƯỜI]", en: "extend CODE --period P --year Y --agency A --due D --reason R [--by WHO]"},
	"synopsis.overdue": {vi: "overdue [--at LÚC] [--agency CƠ-QUAN] [--all] [--wide] [--format table|csv|json|xlsx]", en: "overdue [--at T] [--agency A] [--all] [--wide] [--format table|csv|json|xlsx]"},
	"synopsis.log":     {vi: "log [--id SỐ] [--status S] [--kind K] [--agency CƠ-QUAN] [--limit N] [--wide] [--format table|csv|json|xlsx]", en: "log [--id N] [--status S] [--kind K] [--agency A] [--limit N] [--wide] [--format table|csv|json|xlsx]"},
	"synopsis.stats":   {vi: "stats --year NĂM [--at LÚC] [--role lead|support] [--format table|csv|json|xlsx]", en: "stats --year Y [--at T] [--role lead|support] [--format table|csv|json|xlsx]"},
	"synopsis.retry":   {vi: "retry [--id SỐ] [--status failed|expired] [--agency CƠ-QUAN] [--by NGƯỜI] [--reason LÝ-DO]", en: "retry [--id N] [--status failed|expired] [--agency A] [--by WHO] [--reason R]"},
	"synopsis.links":   {vi: "links [--agency CƠ-QUAN] [--format table|csv|json|xlsx]", en: "links [--agency A] [--format table|csv|json|xlsx]"},
	"synopsis.ics": {
		vi: "ics --agency CƠ-QUAN [--year NĂM] [--at NGÀY]\n  hanchot ics --all [--year NĂM] [--at NGÀY]",
		en: "ics --agency A [--year Y] [--at D]\n  hanchot ics --all [--year Y] [--at D]",
	},
	"synopsis.web": {vi: "web", en: "web"},

	"examples.check": {vi: "  hanchot --config hanchot.toml check\n", en: "  hanchot --config hanchot.toml check\n"},
	"examples.sync": {
		vi: "  hanchot sync\n  hanchot sync --dry-run\n  hanchot --db /var/lib/hanchot/hanchot.db sync\n  hanchot sync --allow-retire\n" +
			"  hanchot sync --rewrite-past --reason \"Quyết định 12/QĐ-UBND sửa hạn báo cáo năm 2025\"\n\n" +
			"Mỗi lần ghi chỉ thay đổi những gì chưa đến hạn. Một hạn đã qua được giữ nguyên, cùng\n" +
			"việc nộp, thư đã gửi và thống kê của nó; chỉ --rewrite-past mới sửa được, và việc đó\n" +
			"được ghi lại cùng lý do.\n",
		en: "  hanchot sync\n  hanchot sync --dry-run\n  hanchot --db /var/lib/hanchot/hanchot.db sync\n  hanchot sync --allow-retire\n" +
			"  hanchot sync --rewrite-past --reason \"Quyết định 12/QĐ-UBND sửa hạn báo cáo năm 2025\"\n\n" +
			"A sync changes what is not yet due. An occurrence whose date that counts\n" +
			"has passed is left as it is, with its submissions, mail and statistics;\n" +
			"only --rewrite-past changes it, and that is logged with its reason.\n",
	},
	"examples.calendar": {
		vi: "  hanchot calendar --year 2019\n  hanchot calendar --year 2019 --agency \"so tu phap\"\n" +
			"  hanchot calendar --year 2019 --role lead --format csv > lich-2019.csv\n  hanchot calendar --year 2019 --format xlsx > lich-2019.xlsx\n",
		en: "  hanchot calendar --year 2019\n  hanchot calendar --year 2019 --agency \"so tu phap\"\n" +
			"  hanchot calendar --year 2019 --role lead --format csv > lich-2019.csv\n  hanchot calendar --year 2019 --format xlsx > lich-2019.xlsx\n",
	},
	"examples.holidays": {vi: "  hanchot holidays\n  hanchot holidays --year 2025\n", en: "  hanchot holidays\n  hanchot holidays --year 2025\n"},
	"examples.preview": {
		vi: "  hanchot preview --from 01/03/2019 --to 31/03/2019\n  hanchot preview --agency so-tu-phap --format csv\n",
		en: "  hanchot preview --from 01/03/2019 --to 31/03/2019\n  hanchot preview --agency so-tu-phap --format csv\n",
	},
	"examples.run": {
		vi: "  hanchot run --once\n  hanchot run --once --now \"08/03/2019 08:00\" --send\n\n" +
			"Với SMTP, một lượt tính cho ngày khác (--now) chỉ cho biết sẽ gửi gì, trừ khi có --send.\n" +
			"Ngoài giờ hành chính ([schedule] quiet) một lượt chỉ xếp thư vào hàng, không gửi;\n" +
			"--send vẫn gửi.\n",
		en: "  hanchot run --once\n  hanchot run --once --now \"08/03/2019 08:00\" --send\n\n" +
			"With SMTP, a pass as of another day (--now) only says what it would send,\n" +
			"unless --send. Outside office hours ([schedule] quiet) a pass queues and\n" +
			"sends nothing; --send sends all the same.\n",
	},
	"examples.serve": {
		vi: "  hanchot --config /etc/hanchot/hanchot.toml serve\n\n" +
			"Khi có [web] listen, serve chạy cả trang web bên cạnh: trang của các cơ quan (xác nhận\n" +
			"đã gửi, đề nghị gia hạn), trang quản trị, lịch đăng ký, /healthz, /readyz và /metrics\n" +
			"(xem \"hanchot help web\").\n",
		en: "  hanchot --config /etc/hanchot/hanchot.toml serve\n\n" +
			"With [web] listen, serve runs the web front beside the daemon: the agencies'\n" +
			"pages (confirmations, requests for more time), the admins' pages, the\n" +
			"calendar feeds, /healthz, /readyz and /metrics (see \"hanchot help web\").\n",
	},
	"examples.submit": {
		vi: "  hanchot submit 1.2.1 --period \"Quý I\" --year 2019 --agency so-noi-vu --at \"14/03/2019 10:00\" --ref 125/BC-SNV\n" +
			"  hanchot submit 1.2.2 --period \"Cả năm\" --year 2019 --agency \"Sở Tư pháp\" --at 2020-02-27\n" +
			"  hanchot submit --csv da-nop-quy-1.csv --by \"Nguyễn Văn A\"\n" +
			"  hanchot submit --undo 1.2.1 --period \"Quý I\" --year 2019 --agency so-noi-vu --reason \"nhập nhầm cơ quan\"\n" +
			"  hanchot submit --history 1.2.1 --period \"Quý I\" --year 2019 --agency so-noi-vu\n\n" +
			"Tệp CSV có một dòng tiêu đề với các cột code, period, year, agency, submitted_at và ref\n" +
			"(note và by không bắt buộc), hoặc mã, kỳ, năm, cơ quan, ngày gửi, số văn bản, ghi chú,\n" +
			"người nhập; UTF-8, có hoặc không có BOM, phân cách bằng dấu phẩy hoặc chấm phẩy. Cột\n" +
			"agency nhận mã hoặc tên cơ quan. submitted_at viết 14/03/2019, 14/03/2019 10:00,\n" +
			"2019-03-14 hoặc RFC 3339. Cả tệp được kiểm tra trước: một dòng sai thì không ghi gì.\n",
		en: "  hanchot submit 1.2.1 --period \"Quý I\" --year 2019 --agency so-noi-vu --at \"14/03/2019 10:00\" --ref 125/BC-SNV\n" +
			"  hanchot submit 1.2.2 --period \"Cả năm\" --year 2019 --agency \"Sở Tư pháp\" --at 2020-02-27\n" +
			"  hanchot submit --csv da-nop-quy-1.csv --by \"Nguyễn Văn A\"\n" +
			"  hanchot submit --undo 1.2.1 --period \"Quý I\" --year 2019 --agency so-noi-vu --reason \"nhập nhầm cơ quan\"\n" +
			"  hanchot submit --history 1.2.1 --period \"Quý I\" --year 2019 --agency so-noi-vu\n\n" +
			"The CSV has a header row with the columns code, period, year, agency,\n" +
			"submitted_at and ref (note and by are optional), or their Vietnamese names;\n" +
			"UTF-8, with or without a byte order mark, separated by commas or semicolons.\n" +
			"agency takes an agency's id or name. submitted_at is 14/03/2019,\n" +
			"14/03/2019 10:00, 2019-03-14 or RFC 3339. The whole file is checked first:\n" +
			"one bad row and nothing is recorded.\n",
	},
	"examples.extend": {
		vi: "  hanchot extend 1.2.2 --period \"Cả năm\" --year 2019 --agency so-tu-phap --due 13/03/2020 --reason \"Công văn 45/UBND-NC cho phép gia hạn\"\n",
		en: "  hanchot extend 1.2.2 --period \"Cả năm\" --year 2019 --agency so-tu-phap --due 13/03/2020 --reason \"Công văn 45/UBND-NC cho phép gia hạn\"\n",
	},
	"examples.overdue": {
		vi: "  hanchot overdue\n  hanchot overdue --at 18/03/2019 --agency \"so tu phap\"\n  hanchot overdue --all --format xlsx > qua-han.xlsx\n",
		en: "  hanchot overdue\n  hanchot overdue --at 18/03/2019 --agency \"so tu phap\"\n  hanchot overdue --all --format xlsx > qua-han.xlsx\n",
	},
	"examples.log": {
		vi: "  hanchot log --status failed\n  hanchot log --status expired --agency so-tu-phap\n" +
			"  hanchot log --id 42                 # một thư với mọi lần gửi\n  hanchot log --agency so-tu-phap --format csv > thu-da-gui.csv\n",
		en: "  hanchot log --status failed\n  hanchot log --status expired --agency so-tu-phap\n" +
			"  hanchot log --id 42                 # one delivery with every attempt\n  hanchot log --agency so-tu-phap --format csv > thu-da-gui.csv\n",
	},
	"examples.stats": {
		vi: "  hanchot stats --year 2019\n  hanchot stats --year 2019 --role lead --format xlsx > dung-han-2019.xlsx\n",
		en: "  hanchot stats --year 2019\n  hanchot stats --year 2019 --role lead --format xlsx > dung-han-2019.xlsx\n",
	},
	"examples.retry": {
		vi: "  hanchot retry --id 42 --reason \"hộp thư đã được mở lại\"\n  hanchot retry --status expired --agency so-tu-phap\n" +
			"  hanchot retry --status failed            # mọi thư bị lỗi\n\n" +
			"Thư được xếp lại đi ở lần thử kế tiếp của dịch vụ nền (trong vòng một phút), hoặc với\n" +
			"\"hanchot run --once\"; nó được thử trong [mail] keep_trying_days kể từ lúc này. Ai và vì\n" +
			"sao được lưu lại: \"hanchot log --id N\".\n",
		en: "  hanchot retry --id 42 --reason \"hộp thư đã được mở lại\"\n  hanchot retry --status expired --agency so-tu-phap\n" +
			"  hanchot retry --status failed            # every failed delivery\n\n" +
			"Requeued mail goes out on the daemon's next retry (within a minute), or with \"hanchot run --once\".\n" +
			"It is tried for [mail] keep_trying_days from now. Who and why are kept: \"hanchot log --id N\".\n",
	},

	"examples.links": {
		vi: "  hanchot links --agency so-tu-phap\n  hanchot links --agency \"Sở Tư pháp\"\n" +
			"  hanchot links --format csv > lien-ket.csv      # mọi cơ quan\n  hanchot links --format xlsx > lien-ket.xlsx\n\n" +
			"Các địa chỉ bắt đầu bằng [web] base_url và mang một mã ký bằng khóa của trang web\n" +
			"(HANCHOT_WEB_SECRET hoặc [web] secret_file): ai có địa chỉ thì xem được lịch và\n" +
			"trang của cơ quan đó, và xác nhận hay đề nghị gia hạn thay nó, nên hãy gửi riêng\n" +
			"cho mỗi cơ quan địa chỉ của mình. Đổi khóa thì mọi địa chỉ đã gửi mất hiệu lực.\n",
		en: "  hanchot links --agency so-tu-phap\n  hanchot links --agency \"Sở Tư pháp\"\n" +
			"  hanchot links --format csv > lien-ket.csv      # every agency\n  hanchot links --format xlsx > lien-ket.xlsx\n\n" +
			"The addresses start with [web] base_url and carry a token signed with the\n" +
			"web key (HANCHOT_WEB_SECRET or [web] secret_file): whoever has one can\n" +
			"read that agency's calendar and page, and confirm or ask for more time\n" +
			"for it, so send each agency its own. Changing the key revokes them all.\n",
	},
	"examples.ics": {
		vi: "  hanchot ics --agency so-tu-phap > so-tu-phap.ics\n  hanchot ics --agency \"so tu phap\" --year 2019\n" +
			"  hanchot ics --all > toan-tinh.ics     # mọi hạn chủ trì, như lịch của đầu mối\n\n" +
			"Không có --year, lịch gồm năm báo cáo hiện tại và năm sau (cùng các hạn của năm\n" +
			"trước rơi vào năm nay), đúng như trang web phục vụ ở địa chỉ của \"hanchot links\".\n",
		en: "  hanchot ics --agency so-tu-phap > so-tu-phap.ics\n  hanchot ics --agency \"so tu phap\" --year 2019\n" +
			"  hanchot ics --all > toan-tinh.ics     # every lead deadline, as the focal point's feed\n\n" +
			"Without --year the feed holds the current reporting year and the next (and\n" +
			"the previous one's dates that fall this year), as the web front serves it\n" +
			"at the address \"hanchot links\" gives.\n",
	},
	"examples.web": {
		vi: "  hanchot --config /etc/hanchot/hanchot.toml web\n\n" +
			"\"serve\" cũng chạy trang web; \"web\" chỉ chạy trang web, ví dụ như một dịch vụ\n" +
			"thứ hai. Nó không chạy lượt nào và không gửi thư; những gì các cơ quan và quản trị\n" +
			"viên gửi trên trang được ghi vào cơ sở dữ liệu. /readyz xét các lượt chạy ghi\n" +
			"trong cơ sở dữ liệu, dù tiến trình nào đã chạy chúng. SIGHUP đọc lại cấu hình\n" +
			"và khóa ký; địa chỉ nghe ([web] listen) chỉ đổi khi khởi động lại.\n",
		en: "  hanchot --config /etc/hanchot/hanchot.toml web\n\n" +
			"\"serve\" runs the web front too; \"web\" runs it alone, e.g. as a second\n" +
			"service. It makes no pass and sends no mail; what agencies and admins\n" +
			"send on its pages is written to the database. /readyz judges the passes\n" +
			"recorded in the database by whichever process makes them. SIGHUP reloads\n" +
			"the configuration and the signing keys; [web] listen changes only at a\n" +
			"restart.\n",
	},

	// Flags.
	"flag.format":           {vi: "`ĐỊNH-DẠNG` đầu ra: table (bảng), csv, json hoặc xlsx (Excel)", en: "output `FORMAT`: table, csv, json or xlsx (Excel)"},
	"flag.wide":             {vi: "hiện mọi cột, đầy đủ, không cắt ngắn", en: "show every column in full"},
	"flag.year":             {vi: "`NĂM` báo cáo (bắt buộc)", en: "reporting `YEAR` (required)"},
	"flag.holidays.year":    {vi: "`NĂM` (mặc định: năm nay)", en: "`YEAR` (default: this year)"},
	"flag.agency":           {vi: "chỉ `CƠ-QUAN` này: mã hoặc tên, có dấu hay không dấu", en: "only this `AGENCY`: its id or name, with or without diacritics"},
	"flag.role":             {vi: "chỉ các hạn có `VAI-TRÒ` lead (chủ trì) hoặc support (phối hợp)", en: "only occurrences whose `ROLE` is lead or support"},
	"flag.at":               {vi: "tính đến `LÚC` này: 12/06/2026, 12/06/2026 09:30, 2026-06-12 hoặc RFC 3339 (mặc định: bây giờ)", en: "as of this `TIME`: 12/06/2026, 12/06/2026 09:30, 2026-06-12 or RFC 3339 (default: now)"},
	"flag.period":           {vi: "`KỲ` như trong lịch: \"Quý I\", \"6 tháng\", \"Cả năm\"", en: "the `PERIOD`, as in the calendar: \"Quý I\", \"6 tháng\", \"Cả năm\""},
	"flag.key.year":         {vi: "`NĂM` báo cáo", en: "the reporting `YEAR`"},
	"flag.key.agency":       {vi: "`CƠ-QUAN`: mã hoặc tên, có dấu hay không dấu", en: "the `AGENCY`: its id or name, with or without diacritics"},
	"flag.sync.now":         {vi: "ghi như tại `LÚC` này (mặc định: bây giờ): những gì đến hạn trước đó là đã qua", en: "sync as of this `TIME` (default: now): what is due before it is past"},
	"flag.sync.dryRun":      {vi: "cho biết lần ghi sẽ làm gì, không ghi gì", en: "show what the sync would do and write nothing"},
	"flag.sync.allowRetire": {vi: "cho phép bỏ các hạn đã nộp hoặc đã gửi thư khi tệp không còn chúng", en: "retire occurrences that were submitted or mailed about, when the file no longer has them"},
	"flag.sync.rewritePast": {vi: "sửa cả các hạn đã qua (cần --reason; được ghi lại)", en: "also change occurrences whose date has passed (needs --reason; logged)"},
	"flag.sync.reason":      {vi: "`LÝ-DO` sửa quá khứ, đi cùng --rewrite-past", en: "why the past is rewritten, with --rewrite-past"},
	"flag.sync.init":        {vi: "bắt đầu lại trong một tệp có sẵn nhưng rỗng hoặc không có bảng của hanchot", en: "start afresh in an existing file that is empty or holds no hanchot tables"},
	"flag.preview.from":     {vi: "`NGÀY` đầu: 12/06/2026 hoặc 2026-06-12 (mặc định: hôm nay)", en: "first `DAY`: 12/06/2026 or 2026-06-12 (default: today)"},
	"flag.preview.to":       {vi: "`NGÀY` cuối (mặc định: ngày đầu)", en: "last `DAY` (default: the first day)"},
	"flag.preview.agency":   {vi: "chỉ thư gửi `CƠ-QUAN` này: mã hoặc tên", en: "only notifications to this `AGENCY`: its id or name"},
	"flag.run.once":         {vi: "chạy một lượt rồi dừng (bắt buộc; dịch vụ nền là \"serve\")", en: "make one pass and exit (required; the daemon is \"serve\")"},
	"flag.run.now":          {vi: "chạy như tại `LÚC` này: 08/03/2019 08:00, 2019-03-08T08:00 hoặc RFC 3339 (mặc định: bây giờ)", en: "make the pass as of this `TIME`: 08/03/2019 08:00, 2019-03-08T08:00 or RFC 3339 (default: now)"},
	"flag.run.send":         {vi: "vẫn gửi qua SMTP khi --now không phải hôm nay, và trong giờ nghỉ", en: "deliver by SMTP even when --now is not today, and during quiet hours"},
	"flag.serve.retryEvery": {vi: "bao lâu tìm lại các thư đã đến lúc gửi lại", en: "how often to look for messages whose retry time has come"},
	"flag.submit.at":        {vi: "`LÚC` nộp: 14/03/2019 10:00, 14/03/2019, 2019-03-14T10:00 hoặc RFC 3339 (mặc định: bây giờ)", en: "when it was submitted (`TIME`): 14/03/2019 10:00, 14/03/2019, 2019-03-14T10:00 or RFC 3339 (default: now)"},
	"flag.submit.ref":       {vi: "`SỐ` ký hiệu văn bản, ví dụ 125/BC-SNV", en: "the document's number and symbol (`REF`), e.g. 125/BC-SNV"},
	"flag.submit.note":      {vi: "`GHI-CHÚ`", en: "a `NOTE`"},
	"flag.submit.by":        {vi: "`NGƯỜI` nhập", en: "`WHO` records it"},
	"flag.submit.csv":       {vi: "nhập một bảng (`TỆP` CSV) các báo cáo đã nộp, ghi tất cả hoặc không ghi gì", en: "import a spreadsheet (CSV `FILE`) of submissions, all or nothing"},
	"flag.submit.undo":      {vi: "hủy lần nộp đang có (vẫn giữ trong lịch sử)", en: "undo the standing submission (it stays in the history)"},
	"flag.submit.reason":    {vi: "`LÝ-DO`, đi cùng --undo", en: "why (`REASON`), with --undo"},
	"flag.submit.history":   {vi: "xem các lần nộp, kể cả đã hủy, và các lần gia hạn", en: "show the occurrence's submissions, undone ones included, and extensions"},
	"flag.extend.due":       {vi: "`NGÀY` hạn mới: 13/03/2020 hoặc 2020-03-13", en: "the new due `DAY`: 13/03/2020 or 2020-03-13"},
	"flag.extend.reason":    {vi: "`LÝ-DO` (bắt buộc), ví dụ văn bản cho phép gia hạn", en: "why (`REASON`, required), e.g. the letter that grants it"},
	"flag.extend.by":        {vi: "`NGƯỜI` cho phép hoặc nhập", en: "`WHO` grants or records it"},
	"flag.overdue.all":      {vi: "cả các báo cáo đã nộp trễ, không chỉ những báo cáo còn nợ", en: "also items submitted late, not only open ones"},
	"flag.log.id":           {vi: "một thư (`SỐ`), với mọi lần gửi và gửi lại", en: "one delivery (`N`), with every attempt and requeue"},
	"flag.log.status":       {vi: "chỉ `TRẠNG-THÁI` pending, sending, sent, failed hoặc expired", en: "only `STATUS` pending, sending, sent, failed or expired"},
	"flag.log.kind":         {vi: "chỉ `LOẠI` reminder (nhắc hạn), overdue (quá hạn), escalation (đôn đốc) hoặc correction (điều chỉnh: hạn mới, việc bỏ khỏi lịch, đề nghị gia hạn bị từ chối)", en: "only `KIND` reminder, overdue, escalation or correction (new dates, items removed, requests for more time refused)"},
	"flag.log.agency":       {vi: "chỉ thư gửi `CƠ-QUAN` này: mã hoặc tên", en: "only messages to this `AGENCY`: its id or name"},
	"flag.log.limit":        {vi: "nhiều nhất `N` thư, mới nhất trước (0: tất cả)", en: "at most `N`, newest first (0: all)"},
	"flag.retry.id":         {vi: "một thư (`SỐ`), như \"hanchot log\" liệt kê", en: "one delivery (`N`), as listed by \"hanchot log\""},
	"flag.retry.status":     {vi: "chỉ failed hoặc chỉ expired (mặc định: cả hai)", en: "only failed or only expired (default: both)"},
	"flag.retry.agency":     {vi: "chỉ thư gửi `CƠ-QUAN` này: mã hoặc tên", en: "only deliveries to this `AGENCY`: its id or name"},
	"flag.retry.by":         {vi: "`NGƯỜI` gửi lại (mặc định: $USER)", en: "`WHO` requeues it (default: $USER)"},
	"flag.retry.reason":     {vi: "`LÝ-DO`, lưu trong lịch sử", en: "why (`REASON`), kept in the history"},
	"flag.links.agency":     {vi: "chỉ `CƠ-QUAN` này: mã hoặc tên, có dấu hay không dấu (mặc định: mọi cơ quan)", en: "only this `AGENCY`: its id or name, with or without diacritics (default: every agency)"},
	"flag.ics.all":          {vi: "mọi hạn chủ trì của mọi cơ quan (lịch của đầu mối), thay cho lịch của một cơ quan", en: "every agency's lead deadlines (the focal point's feed) instead of one agency's"},
	"flag.ics.year":         {vi: "chỉ `NĂM` báo cáo này (mặc định: năm nay và năm sau)", en: "only this reporting `YEAR` (default: the current and the next)"},
	"flag.ics.at":           {vi: "tính đến `NGÀY` này (mặc định: hôm nay): việc nào quá hạn, những năm nào", en: "as of this `DAY` (default: today): what is overdue, which years"},

	// Exit and the global flags.
	"exit.error":             {vi: "Lỗi: %v", en: "Error: %v"},
	"exit.try":               {vi: "Thử: %s", en: "Try: %s"},
	"err.configNotFound":     {vi: "%s: không tìm thấy tệp cấu hình", en: "%s: configuration file not found"},
	"hint.configNotFound":    {vi: "--config TỆP, $HANCHOT_CONFIG, hoặc chép config.example.toml thành hanchot.toml", en: "--config FILE, $HANCHOT_CONFIG, or copy config.example.toml to hanchot.toml"},
	"note.builtinConfig":     {vi: "lưu ý: không có %s; dùng cấu hình mẫu có sẵn (xem config.example.toml)", en: "note: no %s; using the built-in example configuration (see config.example.toml)"},
	"err.badLang":            {vi: "%s %q: dùng vi (tiếng Việt) hoặc en (English)", en: "%s %q: use vi (tiếng Việt) or en (English)"},
	"err.langNeedsValue":     {vi: "--lang cần một giá trị: vi hoặc en", en: "--lang needs a value: vi or en"},
	"err.flagNeedsFile":      {vi: "tùy chọn --%s cần một tên tệp", en: "flag --%s needs a file name"},
	"err.unknownCommand":     {vi: "không có lệnh %q", en: "unknown command %q"},
	"err.unknownCommandMean": {vi: "không có lệnh %q; có phải ý bạn là %q?", en: "unknown command %q; did you mean %q?"},
	"err.helpOne":            {vi: "help nhận một tên lệnh", en: "help takes one command name"},
	"err.flagUnknown":        {vi: "không có tùy chọn --%s", en: "flag provided but not defined: -%s"},
	"err.flagBool":           {vi: "giá trị %q của --%s phải là true hoặc false", en: "invalid boolean value %q for -%s"},
	"err.flagValue":          {vi: "giá trị %q của --%s không hợp lệ", en: "invalid value %q for flag -%s"},
	"err.flagArgument":       {vi: "tùy chọn --%s cần một giá trị", en: "flag needs an argument: -%s"},
	"err.flagSyntax":         {vi: "tùy chọn viết sai: %s", en: "bad flag syntax: %s"},

	// Values of flags.
	"err.badTime":           {vi: "%s: %q không phải là một thời điểm (viết 12/06/2026, 12/06/2026 09:30, 2026-06-12 hoặc 2026-06-12T09:30:00+07:00)", en: "%s: %q is not a time (write 12/06/2026, 12/06/2026 09:30, 2026-06-12 or 2026-06-12T09:30:00+07:00)"},
	"err.badDay":            {vi: "%s: %q không phải là một ngày (viết 12/06/2026 hoặc 2026-06-12)", en: "%s: %q is not a date (write 12/06/2026 or 2026-06-12)"},
	"err.yearRequired":      {vi: "cần --year", en: "--year is required"},
	"err.yearRange":         {vi: "--year %d nằm ngoài khoảng 1901–2099", en: "--year %d is outside 1901–2099"},
	"err.badFormat":         {vi: "--format %q: dùng table, csv, json hoặc xlsx", en: "--format %q: use table, csv, json or xlsx"},
	"err.xlsxTerminal":      {vi: "--format xlsx tạo một tệp Excel (dữ liệu nhị phân): hãy chuyển nó vào một tệp", en: "--format xlsx writes an Excel file (binary): send it to a file"},
	"err.oneOf":             {vi: "%s %q: dùng một trong %s", en: "%s %q: use one of %s"},
	"err.negative":          {vi: "%s %d là số âm", en: "%s %d is negative"},
	"agency.named":          {vi: "%s (%s)", en: "%s (%s)"},
	"err.agencyUnknown":     {vi: "%q không phải là cơ quan nào trong %s", en: "%q is not an agency of %s"},
	"err.agencyUnknownMean": {vi: "%q không phải là cơ quan nào trong %s; có phải ý bạn là %s?", en: "%q is not an agency of %s; did you mean %s?"},
	"err.agencyAmbiguous":   {vi: "%q trùng tên với nhiều cơ quan: %s; hãy ghi mã cơ quan", en: "%q names several agencies: %s; write the id"},
	"err.agencyRequired":    {vi: "cần --agency", en: "--agency is required"},

	// Databases.
	"err.noDatabase":  {vi: "%s: chưa có cơ sở dữ liệu; hãy chạy \"hanchot sync\" trước, hoặc chỉ đúng tệp bằng --db hay [store] path", en: "%s: no database; run \"hanchot sync\" first, or name the right file with --db or [store] path"},
	"err.schemaNewer": {vi: "%s đã được một bản hanchot mới hơn nâng cấp (%s), bản này không dùng được; hãy dùng bản mới hơn, hoặc khôi phục bản sao lưu trước khi nâng cấp", en: "%s was upgraded by a newer hanchot (%s), which this one cannot use; use the newer one, or restore the backup taken before the upgrade"},
	"err.schemaOlder": {vi: "%s có lược đồ phiên bản %d, bản hanchot này cần %d; hãy chạy \"hanchot sync\" một lần để nâng cấp", en: "%s has schema version %d, this hanchot needs %d; run \"hanchot sync\" once to upgrade it"},
	"err.notSynced":   {vi: "%s: cơ sở dữ liệu chưa có lịch; hãy chạy \"hanchot sync\" trước", en: "%s: no calendar in the database; run \"hanchot sync\" first"},
	"db.empty":        {vi: "%s là một tệp rỗng", en: "%s is an empty file"},
	"db.noTables":     {vi: "%s không có bảng nào của hanchot", en: "%s has no hanchot tables"},
	"err.noHistory": {
		vi: "%s: không dùng tệp này, vì một cơ sở dữ liệu mới sẽ gửi lại những thư đã gửi. " +
			"Hãy khôi phục cơ sở dữ liệu từ bản sao lưu, hoặc nếu thật sự muốn bắt đầu lại, chạy \"hanchot sync --init\"",
		en: "%s; refusing to use it, since a new database would send again what was already sent. " +
			"Restore the database from a backup, or, to start afresh on purpose, run \"hanchot sync --init\"",
	},

	// check.
	"check.ok":        {vi: "hợp lệ: %s, %s, %s, %s; đầu mối %s", en: "ok: %s, %s, %s, %s; focal point %s"},
	"check.templates": {vi: "mẫu thư: %s", en: "mail templates: %s"},
	"n.agencies":      {vi: "%d cơ quan", en: "%d agencies", en1: "%d agency"},
	"n.groups":        {vi: "%d nhóm", en: "%d groups", en1: "%d group"},
	"n.reports":       {vi: "%d báo cáo", en: "%d reports", en1: "%d report"},
	"n.deadlines":     {vi: "%d hạn", en: "%d deadlines", en1: "%d deadline"},

	// sync.
	"err.rewriteNeedsReason": {vi: "--rewrite-past cần --reason", en: "--rewrite-past needs --reason"},
	"err.reasonWithRewrite":  {vi: "--reason chỉ đi cùng --rewrite-past", en: "--reason goes with --rewrite-past"},
	"err.dryRunTemp":         {vi: "sync --dry-run: không tạo được thư mục tạm cho bản sao (%v); hãy đặt TMPDIR là một thư mục ghi được", en: "sync --dry-run: cannot make a temporary folder for the copy (%v); set TMPDIR to a folder that can be written"},
	"sync.dryRunUpgrade": {
		vi:  "chạy thử trên một bản sao: %[2]s cần %[1]d bản nâng cấp lược đồ, \"hanchot sync\" sẽ áp dụng; bản chạy thử không đụng đến tệp",
		en:  "dry run on a copy: %[2]s needs %[1]d schema upgrades, which \"hanchot sync\" applies; the dry run leaves the file as it is",
		en1: "dry run on a copy: %[2]s needs %[1]d schema upgrade, which \"hanchot sync\" applies; the dry run leaves the file as it is",
	},
	"sync.dryRun":   {vi: "chạy thử: không ghi gì", en: "dry run: nothing is written"},
	"sync.upToDate": {vi: "%s: đã khớp với tệp, không có gì thay đổi (các năm %v)", en: "%s: up to date, nothing changed (years %v)"},
	"sync.summary": {
		vi: "%s: thêm %d, sửa %d, bỏ %d, khôi phục %d; các hạn của các năm %v: thêm %d, sửa %d, bỏ %d, khôi phục %d, chuyển cho cơ quan kế nhiệm %d",
		en: "%s: %d added, %d changed, %d retired, %d restored; occurrences of years %v: %d added, %d changed, %d retired, %d restored, %d moved to a successor",
	},
	"sync.trackingStarts":  {vi: "bắt đầu theo dõi từ %s: những gì đến hạn trước ngày đó không được nhắc, đôn đốc hay thống kê", en: "tracking starts %s: what is due before it is never reminded, escalated or counted"},
	"sync.trackedFrom":     {vi: "những gì lần ghi này thêm vào được theo dõi từ %s, không tính trước đó", en: "what this sync added is tracked from %s, never before"},
	"sync.andMore":         {vi: "... và %d mục khác", en: "... and %d more"},
	"sync.pastLeft":        {vi: "giữ nguyên vì đã qua hạn: %d hạn (sync --rewrite-past --reason LÝ-DO mới sửa được)", en: "left as they were because their date has passed: %d occurrences (sync --rewrite-past --reason R changes them)", en1: "left as it was because its date has passed: %d occurrence (sync --rewrite-past --reason R changes it)"},
	"sync.rewritten":       {vi: "đã sửa quá khứ (%s): sửa %d, bỏ %d, thêm %d; đã ghi lại", en: "past rewritten (%s): %d changed, %d retired, %d added; logged"},
	"sync.startDiffers":    {vi: "lưu ý: schedule.start là %s nhưng việc theo dõi đã bắt đầu từ %s: chỉ sync --rewrite-past mới đổi được", en: "note: schedule.start is %s but tracking started %s: only sync --rewrite-past changes that"},
	"sync.what.added":      {vi: "thêm", en: "added"},
	"sync.what.changed":    {vi: "sửa", en: "changed"},
	"sync.what.relabelled": {vi: "đổi tên", en: "relabelled"},
	"sync.what.retired":    {vi: "bỏ", en: "retired"},
	"sync.what.restored":   {vi: "khôi phục", en: "restored"},
	"sync.what.moved":      {vi: "chuyển", en: "moved"},
	"sync.kind.agency":     {vi: "cơ quan", en: "agency"},
	"sync.kind.group":      {vi: "nhóm", en: "group"},
	"sync.kind.report":     {vi: "báo cáo", en: "report"},
	"sync.kind.deadline":   {vi: "hạn", en: "deadline"},
	"note.changed":         {vi: "%s: hạn %s, tệp nay ghi %s", en: "%s: due %s, the file now says %s"},
	"note.intoPast":        {vi: "%s: hạn %s, tệp dời sang %s, đã qua", en: "%s: due %s, the file moves it to %s, already past"},
	"note.removed":         {vi: "%s: hạn %s, không còn trong tệp", en: "%s: due %s, no longer in the file"},
	"note.submitted":       {vi: "%s, hạn %s: đã nộp", en: "%s, due %s: submitted"},
	"note.mailed":          {vi: "%s, hạn %s: đã gửi thư", en: "%s, due %s: mailed about"},
	"note.submittedMailed": {vi: "%s, hạn %s: đã nộp và đã gửi thư", en: "%s, due %s: submitted and mailed about"},
	"err.wouldRetire": {
		vi: "tệp cấu hình không còn %d hạn đã được nộp hoặc đã gửi thư; bỏ chúng sẽ che mất những gì đã ghi:\n  %s\nKhông ghi gì.",
		en: "the configuration no longer has %d occurrences that were submitted or mailed about; retiring them would hide that record:\n  %s\nNothing was written.",
	},
	"hint.allowRetire": {vi: "hanchot sync --allow-retire, nếu đúng là muốn bỏ chúng (chúng vẫn nằm trong cơ sở dữ liệu, ở dạng đã bỏ)", en: "hanchot sync --allow-retire, if they are meant to go (they stay in the database, retired)"},

	// run.
	"err.runNeedsOnce":        {vi: "run cần --once", en: "run needs --once"},
	"hint.runOnce":            {vi: "hanchot run --once, hoặc \"hanchot serve\" để chạy dịch vụ nền", en: "hanchot run --once, or \"hanchot serve\" for the daemon"},
	"run.summary":             {vi: "lượt chạy lúc %s: %s, %s (%s); đã gửi %d, chờ gửi lại %d, lỗi %d, hết hạn %d", en: "pass as of %s: %s, %s (%s); %d sent, %d to retry, %d failed, %d expired"},
	"n.notices":               {vi: "%d mục", en: "%d notices", en1: "%d notice"},
	"n.newDigests":            {vi: "%d thư tổng hợp mới", en: "%d new digests", en1: "%d new digest"},
	"n.deliveries":            {vi: "%d lượt gửi", en: "%d deliveries", en1: "%d delivery"},
	"n.deliveriesWait":        {vi: "%d lượt gửi đang chờ", en: "%d deliveries wait", en1: "%d delivery waits"},
	"n.digests":               {vi: "%d thư tổng hợp", en: "%d digests", en1: "%d digest"},
	"n.attempts":              {vi: "%d lần thử", en: "%d attempts", en1: "%d attempt"},
	"run.quiet":               {vi: "ngoài giờ gửi ([schedule] quiet): %s đã vào hàng, gửi từ %s (hoặc ngay với --send)", en: "quiet hours ([schedule] quiet): %s queued, sent from %s (or now with --send)"},
	"run.outage":              {vi: "máy chủ thư không dùng được: %s\n%s, không tính lần thử nào; chúng sẽ đi ở lần chạy sau khi máy chủ trả lời", en: "mail server unavailable: %s\n%s, no attempt used; they go out on the next run once it answers"},
	"run.inFlight":            {vi: "%d lượt gửi đang do một tiến trình khác gửi, hoặc bị bỏ dở bởi một lần chạy bị ngắt; chúng được gửi lại khi hết thời hạn giữ", en: "%d deliveries are in flight in another process, or were left so by an interrupted run; they are retried once their claim runs out", en1: "%d delivery is in flight in another process, or was left so by an interrupted run; it is retried once its claim runs out"},
	"run.problem.outage":      {vi: "máy chủ thư không dùng được", en: "the mail server is unavailable"},
	"run.problem.inFlight":    {vi: "%d lượt còn đang gửi", en: "%d still in flight"},
	"run.problem.uncomposed":  {vi: "%d thư tổng hợp không soạn được (xem \"hanchot check\")", en: "%d digests could not be composed (see \"hanchot check\")", en1: "%d digest could not be composed (see \"hanchot check\")"},
	"run.problem.undelivered": {vi: "chờ gửi lại %d, lỗi %d, hết hạn %d", en: "%d to retry, %d failed, %d expired"},
	"run.notDelivered":        {vi: "chưa gửi được hết thư: %s; xem \"hanchot log --status pending\", \"--status failed\" và \"--status expired\"", en: "not all mail was delivered: %s; see \"hanchot log --status pending\", \"--status failed\" and \"--status expired\""},
	"run.notToday":            {vi: "--now %s không phải hôm nay: không có thư nào được xếp hàng hay gửi qua SMTP; thêm --send để gửi như tại lúc đó", en: "--now %s is not today: nothing was queued or sent by SMTP; add --send to deliver as of that time"},
	"run.wouldSend":           {vi: "sẽ gửi tại %s (theo cơ sở dữ liệu ở lần ghi gần nhất):", en: "would send as of %s (from the database as last synced):"},
	"run.uncomposed":          {vi: "(không soạn được: %s)", en: "(could not be composed: %s)"},
	"run.to":                  {vi: "đến %s <%s>: %s", en: "to %s <%s>: %s"},
	"err.retryEveryPositive":  {vi: "--retry-every phải lớn hơn 0", en: "--retry-every must be positive"},

	// submit and extend.
	"key":                  {vi: "%s %s năm %d của %s", en: "%s %s %d for %s"},
	"err.csvAlone":         {vi: "--csv không đi cùng mã báo cáo, --period, --year, --agency hay --undo", en: "--csv takes no code, --period, --year, --agency or --undo"},
	"err.undoNeedsReason":  {vi: "--undo cần --reason", en: "--undo needs --reason"},
	"submit.undone":        {vi: "đã hủy: %s, nộp lúc %s (số %q); vẫn giữ trong lịch sử", en: "undone: %s, submitted %s (ref %q); kept in the history"},
	"submit.recorded":      {vi: "%s: nộp lúc %s, hạn %s: %s", en: "%s: submitted %s, due %s: %s"},
	"submit.summary":       {vi: "đã ghi %d, đã có từ trước %d", en: "%d recorded, %d already recorded"},
	"submit.onTime":        {vi: "đúng hạn", en: "on time"},
	"submit.lateBy":        {vi: "trễ %d ngày", en: "late by %d days", en1: "late by %d day"},
	"history.head":         {vi: "%s: %s, hạn %s", en: "%s: %s, due %s"},
	"event.ref":            {vi: "số '%s'", en: "ref '%s'"},
	"event.note":           {vi: ", ghi chú '%s'", en: ", note '%s'"},
	"event.by":             {vi: ", người nhập %s", en: ", by %s"},
	"event.web":            {vi: ", trên trang web từ %s", en: ", on the web from %s"},
	"event.requested":      {vi: "gia hạn đến %s: %s", en: "an extension to %s: %s"},
	"event.refused":        {vi: "đề nghị gia hạn đến %s", en: "the request for %s"},
	"event.undone":         {vi: "lần nộp lúc %s: %s", en: "the submission of %s: %s"},
	"event.takenOver":      {vi: "từ %s (%s), cơ quan đã thôi hoạt động; hạn ở đó %s", en: "from %s (%s), which ceased; due %s there"},
	"event.handedOver":     {vi: "cho %s (%s), cơ quan kế nhiệm", en: "to %s (%s), the successor"},
	"err.inFuture":         {vi: "%s là thời điểm trong tương lai", en: "%s is in the future"},
	"err.outsideWindow":    {vi: "%s nằm ngoài khoảng của năm báo cáo %d (01/01/%d đến 31/12/%d)", en: "%s is outside reporting year %d's window (%d-01-01 to %d-12-31)"},
	"err.oneCode":          {vi: "ghi một mã báo cáo, ví dụ 1.2.1", en: "name one report code, e.g. 1.2.1"},
	"err.noReport":         {vi: "%q không phải là mã báo cáo nào trong %s", en: "%q is not a report code of %s"},
	"err.periodRequired":   {vi: "cần --period; báo cáo %s có các kỳ %s", en: "--period is required; report %s has %s"},
	"err.noPeriod":         {vi: "báo cáo %s không có kỳ %q; các kỳ của nó: %s", en: "report %s has no period %q; its periods: %s"},
	"err.yearNotTracked":   {vi: "năm %d không được theo dõi (schedule.first_year %d, last_year %d)", en: "year %d is not tracked (schedule.first_year %d, last_year %d)"},
	"err.notInvolved":      {vi: "%s không chủ trì cũng không phối hợp báo cáo %s", en: "%s neither leads nor supports report %s"},
	"err.notTracked":       {vi: "%s không được theo dõi: hạn của nó trước ngày bắt đầu theo dõi (schedule.start, hoặc lần ghi đã thêm nó), hoặc nó không còn trong lịch, hoặc nó mới thêm vào tệp mà chưa ghi (chạy \"hanchot sync\")", en: "%s is not tracked: it is dated before tracking started for it (schedule.start, or the sync that added it), or it is no longer in the calendar, or it was added to the file and not yet synced (run \"hanchot sync\")"},
	"err.handedOver":       {vi: "%s đã chuyển cho %s, cơ quan kế nhiệm", en: "%s was handed over to %s, its agency's successor"},
	"err.alreadySubmitted": {vi: "%s đã nộp lúc %s (số %q)", en: "%s was already submitted on %s (ref %q)"},
	"err.listedTwice":      {vi: "%s có hai lần trong danh sách", en: "%s is listed twice"},
	"err.nothingToUndo":    {vi: "%s chưa có lần nộp nào để hủy", en: "%s has no submission to undo"},
	"err.notAfterDue":      {vi: "%s có hạn %s; hạn mới phải sau ngày đó, không phải %s", en: "%s is due %s; an extension must come after that, not %s"},
	"err.csvMissing":       {vi: "--csv: không có tệp %s", en: "--csv: there is no file %s"},
	"err.csvEmpty":         {vi: "%s là tệp rỗng", en: "%s is empty"},
	"err.csvColumn":        {vi: "%s:1: không có cột %q (dùng code, period, year, agency, submitted_at, ref, note, by hoặc mã, kỳ, năm, cơ quan, ngày gửi, số văn bản, ghi chú, người nhập)", en: "%s:1: unknown column %q (want code, period, year, agency, submitted_at, ref, note, by)"},
	"err.csvColumnTwice":   {vi: "%s:1: cột %q và %q là cùng một cột", en: "%s:1: columns %q and %q are the same column"},
	"err.csvExtraFields":   {vi: "dòng có %d ô mà tiêu đề chỉ có %d cột (giá trị có dấu %q phải đặt trong ngoặc kép)", en: "the row has %d fields but the header has %d columns (a value with a %q in it must be in quotes)"},
	"err.csvPastHeader":    {vi: "dòng có giá trị nằm ngoài %d cột của tiêu đề (giá trị có dấu %q phải đặt trong ngoặc kép)", en: "the row has a value past the header's %d columns (a value with a %q in it must be in quotes)"},
	"err.csvMissingColumn": {vi: "%s:1: dòng tiêu đề thiếu cột %s", en: "%s:1: the header has no %s column"},
	"err.csvYear":          {vi: "năm %q không phải là một năm", en: "year %q is not a year"},
	"err.csvTime":          {vi: "submitted_at %q không phải là một thời điểm (viết 14/03/2019, 14/03/2019 10:00, 2019-03-14 hoặc RFC 3339)", en: "submitted_at %q is not a time (write 14/03/2019, 14/03/2019 10:00, 2019-03-14 or RFC 3339)"},
	"err.csvDuplicate":     {vi: "%s cũng có ở dòng %d", en: "%s is also on line %d"},
	"err.csvBadRows":       {vi: "%d dòng sai, không ghi gì:\n%s", en: "%d bad rows, nothing recorded:\n%s", en1: "%d bad row, nothing recorded:\n%s"},
	"err.csvNoRows":        {vi: "%s không có dòng nào", en: "%s has no rows"},
	"err.csvQuote":         {vi: "dấu \" thừa hoặc thiếu trong một ô đặt trong ngoặc kép", en: "a quoted field has a stray or missing \""},
	"err.csvBareQuote":     {vi: "dấu \" nằm trong một ô không đặt trong ngoặc kép", en: "a \" inside a field that is not quoted"},
	"err.notLater":         {vi: "hạn mới %s phải sau %s, hạn đang tính", en: "the new date %s is not after %s, the date that counts now"},
	"err.dueRequired":      {vi: "cần --due", en: "--due is required"},
	"err.reasonRequired":   {vi: "cần --reason", en: "--reason is required"},
	"extend.done":          {vi: "đã gia hạn: %s, hạn %s, nay là %s (%s)", en: "extended: %s, due %s, now %s (%s)"},

	// preview, log, retry.
	"err.toBeforeFrom":      {vi: "--to %s đứng trước --from %s", en: "--to %s is before --from %s"},
	"err.windowTooLong":     {vi: "khoảng từ %s đến %s dài hơn một năm", en: "the window %s to %s is longer than a year"},
	"err.noDelivery":        {vi: "không có thư số %d trong %s", en: "no delivery %d in %s"},
	"delivery.head":         {vi: "thư %d: %s gửi %s (%s)", en: "delivery %d: %s to %s (%s)"},
	"delivery.subject":      {vi: "tiêu đề", en: "subject"},
	"delivery.messageID":    {vi: "message-id", en: "message-id"},
	"delivery.queued":       {vi: "vào hàng", en: "queued"},
	"delivery.status":       {vi: "trạng thái", en: "status"},
	"delivery.statusLine":   {vi: "%s sau %s; bỏ nếu chưa gửi được trước %s", en: "%s after %s; given up if unsent by %s"},
	"delivery.lastReply":    {vi: "phản hồi cuối", en: "last reply"},
	"err.requeueMissing":    {vi: "không có thư số %d (xem hanchot log)", en: "there is no delivery %d (see hanchot log)"},
	"err.requeueUncomposed": {vi: "thư %d chưa từng soạn được (%s); hãy sửa mẫu thư (\"hanchot check\" thử chúng), lượt chạy sau sẽ soạn lại", en: "delivery %d was never composed (%s); fix the templates (\"hanchot check\" renders them) and the next pass composes its items again"},
	"err.requeueStatus":     {vi: "thư %d đang ở trạng thái %s, không phải lỗi hay hết hạn", en: "delivery %d is %s, not failed or expired"},
	"retry.requeued":        {vi: "đã xếp lại %d: %s gửi %s (%s): %s", en: "requeued %d: %s to %s (%s): %s"},
	"retry.summary":         {vi: "đã xếp lại %d thư; chúng đi ở lần thử kế tiếp của dịch vụ nền, hoặc với \"hanchot run --once\"", en: "%d requeued; they go out on the daemon's next retry, or with \"hanchot run --once\""},

	// links, ics and web.
	"err.linksNoKey":      {vi: "không có khóa để ký các địa chỉ: đặt HANCHOT_WEB_SECRET hoặc [web] secret_file", en: "no key to sign the links: set HANCHOT_WEB_SECRET or [web] secret_file"},
	"hint.linksNoKey":     {vi: "openssl rand -base64 48 > /etc/hanchot/web-secret, rồi secret_file = \"/etc/hanchot/web-secret\" trong [web]", en: "openssl rand -base64 48 > /etc/hanchot/web-secret, then secret_file = \"/etc/hanchot/web-secret\" in [web]"},
	"err.linksNoAddress":  {vi: "[web] base_url và listen đều trống: không có địa chỉ nào để đưa", en: "[web] base_url and listen are empty: there is no address to give"},
	"hint.linksNoAddress": {vi: "base_url = \"https://hanchot.laocai.example\" trong [web]", en: "base_url = \"https://hanchot.laocai.example\" in [web]"},
	"note.linksNoBaseURL": {vi: "lưu ý: chưa đặt [web] base_url; các địa chỉ bắt đầu bằng %s, có thể các cơ quan không vào được", en: "note: [web] base_url is not set; the addresses start with %s, which agencies may not reach"},
	"err.icsOneAgency":    {vi: "ghi một cơ quan bằng --agency, hoặc --all", en: "name one agency with --agency, or --all"},
	"err.icsNotSynced":    {vi: "%s chưa có trong cơ sở dữ liệu; hãy chạy \"hanchot sync\"", en: "%s is not in the database yet; run \"hanchot sync\""},
	"err.webNothing":      {vi: "[web] listen trống: không có gì để phục vụ", en: "[web] listen is empty: there is nothing to serve"},
	"hint.webListen":      {vi: "listen = \"127.0.0.1:8080\" trong [web]", en: "listen = \"127.0.0.1:8080\" in [web]"},
	"err.webAddrInUse":    {vi: "[web] %s %s: địa chỉ đang được một chương trình khác dùng; hãy đặt địa chỉ khác, hoặc \"\" để không chạy trang web", en: "[web] %s %s: the address is in use by another program; set another, or \"\" to serve no web front"},

	// Spreadsheets' names.
	"sheet.calendar": {vi: "Lịch", en: "Calendar"},
	"sheet.holidays": {vi: "Ngày nghỉ", en: "Days off"},
	"sheet.preview":  {vi: "Xem trước", en: "Preview"},
	"sheet.overdue":  {vi: "Quá hạn", en: "Overdue"},
	"sheet.log":      {vi: "Thư đã gửi", en: "Ledger"},
	"sheet.stats":    {vi: "Thống kê", en: "Statistics"},
	"sheet.links":    {vi: "Liên kết", en: "Links"},

	// Table and spreadsheet headers, by JSON field name.
	"col.code":          {vi: "mã", en: "code"},
	"col.title":         {vi: "tên báo cáo", en: "title"},
	"col.period":        {vi: "kỳ", en: "period"},
	"col.year":          {vi: "năm", en: "year"},
	"col.agency":        {vi: "mã cơ quan", en: "agency"},
	"col.agency_name":   {vi: "cơ quan", en: "agency name"},
	"col.role":          {vi: "vai trò", en: "role"},
	"col.due":           {vi: "hạn", en: "due"},
	"col.effective_due": {vi: "hạn tính", en: "effective due"},
	"col.date":          {vi: "ngày", en: "date"},
	"col.name":          {vi: "tên", en: "name"},
	"col.at":            {vi: "lúc", en: "at"},
	"col.kind":          {vi: "loại", en: "kind"},
	"col.step":          {vi: "bước", en: "step"},
	"col.to":            {vi: "gửi đến", en: "to"},
	"col.since":         {vi: "quá hạn từ", en: "since"},
	"col.days_overdue":  {vi: "số ngày", en: "days overdue"},
	"col.level":         {vi: "mức", en: "level"},
	"col.escalated_at":  {vi: "đôn đốc lúc", en: "escalated at"},
	"col.submitted_at":  {vi: "nộp lúc", en: "submitted at"},
	"col.retired":       {vi: "lưu trữ", en: "retired"},
	"col.id":            {vi: "số", en: "id"},
	"col.subject":       {vi: "tiêu đề", en: "subject"},
	"col.status":        {vi: "trạng thái", en: "status"},
	"col.attempts":      {vi: "lần thử", en: "attempts"},
	"col.reply":         {vi: "phản hồi", en: "reply"},
	"col.message_id":    {vi: "Message-ID", en: "message id"},
	"col.sent_at":       {vi: "gửi lúc", en: "sent at"},
	"col.on_time":       {vi: "đúng hạn", en: "on time"},
	"col.late":          {vi: "trễ hạn", en: "late"},
	"col.missing":       {vi: "chưa nộp", en: "missing"},
	"col.not_due":       {vi: "chưa đến hạn", en: "not due"},
	"col.share_on_time": {vi: "tỉ lệ đúng hạn", en: "on time share"},
	"col.page":          {vi: "trang", en: "page"},
	"col.feed":          {vi: "lịch đăng ký", en: "feed"},
	"col.province_feed": {vi: "lịch toàn tỉnh", en: "province feed"},

	// Values shown to people in tables and spreadsheets.
	"word.lead":           {vi: "chủ trì", en: "lead"},
	"word.support":        {vi: "phối hợp", en: "support"},
	"word.reminder":       {vi: "nhắc hạn", en: "reminder"},
	"word.overdue":        {vi: "quá hạn", en: "overdue"},
	"word.escalation":     {vi: "đôn đốc", en: "escalation"},
	"word.correction":     {vi: "điều chỉnh", en: "correction"},
	"word.pending":        {vi: "chờ gửi", en: "pending"},
	"word.sending":        {vi: "đang gửi", en: "sending"},
	"word.sent":           {vi: "đã gửi", en: "sent"},
	"word.failed":         {vi: "lỗi", en: "failed"},
	"word.expired":        {vi: "hết hạn", en: "expired"},
	"word.temporary":      {vi: "lỗi tạm", en: "temporary"},
	"word.requeued":       {vi: "gửi lại", en: "requeued"},
	"word.submitted":      {vi: "đã nộp", en: "submitted"},
	"word.undone":         {vi: "hủy nộp", en: "undone"},
	"word.extended":       {vi: "gia hạn", en: "extended"},
	"word.requested":      {vi: "đề nghị", en: "requested"},
	"word.refused":        {vi: "từ chối", en: "refused"},
	"word.taken over":     {vi: "nhận thay", en: "taken over"},
	"word.handed over":    {vi: "giao lại", en: "handed over"},
	"word.removed":        {vi: "đã bỏ", en: "removed"},
	"word.report removed": {vi: "báo cáo đã bỏ", en: "report removed"},
	"word.until":          {vi: "đến %s", en: "until %s"},
	"word.or":             {vi: " hoặc ", en: " or "},
}
