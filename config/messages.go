package config

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/runenames"

	"hanchot"
)

// Every message this package shows is here, in Vietnamese, the language
// of the secretariat that edits the file. A message is a format for
// fmt.Sprintf; another language can be added later as a second table with
// the same keys (formats may reorder their arguments with %[2]s).

// msg names one kind of problem.
type msg string

// The messages. A key is written as label(place): its Vietnamese name and
// the key as written in the file, e.g. "điểm (points)".
var viText = map[msg]string{
	// Encodings.
	"utf16":      "tệp được lưu bằng bảng mã UTF-16 (Unicode); hãy lưu lại bằng UTF-8: trong Notepad chọn Tệp → Lưu thành… → Mã hóa: UTF-8",
	"legacyEnc":  "tệp không được lưu bằng UTF-8 (có vẻ là bảng mã %s); hãy mở tệp và lưu lại bằng UTF-8: trong Notepad chọn Tệp → Lưu thành… → Mã hóa: UTF-8",
	"unknownEnc": "tệp không được lưu bằng UTF-8; hãy mở tệp và lưu lại bằng UTF-8: trong Notepad chọn Tệp → Lưu thành… → Mã hóa: UTF-8",

	// Syntax: what the TOML reader could not read.
	"unclosedQuote":    "thiếu dấu \" đóng ở cuối giá trị; mở và đóng ngoặc kép trên cùng một dòng, ví dụ %s",
	"unclosedMulti":    "chữ nhiều dòng mở bằng %s nhưng không được đóng lại",
	"quoteInside":      "dấu \" nằm bên trong chữ: viết nó là \\\" hoặc đặt cả giá trị trong dấu nháy đơn, ví dụ %s = '%s'",
	"apostropheInside": "dấu ' nằm bên trong chữ đặt giữa hai dấu ': đặt giá trị trong ngoặc kép, ví dụ %s = \"%s\"",
	"numberComma":      "%s phải là một số, ví dụ 0.25 (dùng dấu chấm, không dùng dấu phẩy)",
	"leadingZero":      "%s: viết số không có chữ số 0 ở đầu, ví dụ %s",
	"capitalBool":      "%s: viết true hoặc false (chữ thường, không có ngoặc kép)",
	"unquotedDate":     "%s: ngày phải đặt trong ngoặc kép, ví dụ \"%s\", hoặc viết theo dạng 2019-04-15",
	"badDateLiteral":   "%s: %s không phải là một ngày có thật",
	"unquotedText":     "%s: chữ phải đặt trong ngoặc kép, ví dụ %s = \"%s\"",
	"curlyQuote":       "dùng dấu ngoặc kép thẳng \" thay cho %s (Word và một số trình soạn thảo tự đổi dấu ngoặc kép)",
	"oddChar":          "ký tự lạ %s trên dòng này; xóa nó (nếu là khoảng trắng, gõ lại bằng phím cách)",
	"keyAccent":        "tên khóa %q chỉ được dùng chữ cái không dấu, chữ số, _ và -%s",
	"keySpace":         "tên khóa %q không được có khoảng trắng; dùng dấu _, ví dụ %s",
	"missingEquals":    "thiếu dấu = giữa tên khóa và giá trị, ví dụ %s = \"…\"",
	"blankKey":         "thiếu tên khóa trước dấu =",
	"badHeader":        "tiêu đề bảng viết trên một dòng, giữa hai dấu ngoặc vuông, ví dụ [mail] hoặc [[agency]]",
	"duplicateKey":     "khóa %s đã được viết ở trên trong cùng bảng; xóa một trong hai dòng",
	"duplicateTable":   "bảng [%s] đã được viết ở trên; mỗi bảng chỉ viết một lần",
	"tableNeedsArray":  "mỗi mục %s bắt đầu bằng [[%s]] (hai cặp ngoặc vuông)",
	"keyReused":        "tên %s đã được dùng ở trên theo cách khác; không dùng lẫn [%s], [[%s]] và %s = …",
	"badEscape":        "dấu \\ trong ngoặc kép mở đầu một mã đặc biệt; với đường dẫn dùng dấu nháy đơn, ví dụ '%s', hoặc dấu /",
	"arrayComma":       "danh sách thiếu dấu phẩy giữa hai phần tử, hoặc thiếu dấu ] đóng",
	"inlineTableComma": "bảng trong { } thiếu dấu phẩy giữa hai khóa, hoặc thiếu dấu } đóng",
	"trailingText":     "dòng này còn thừa chữ sau giá trị (gần %s); mỗi dòng chỉ viết một khóa = giá trị",
	"badNumber":        "%s: %s không phải là một số viết đúng; viết ví dụ 3 hoặc 0.25",
	"syntax":           "dòng này không đúng cú pháp (gần %s); mỗi dòng viết khóa = giá trị, chữ đặt trong ngoặc kép",
	"syntaxNoChar":     "dòng này không đúng cú pháp; mỗi dòng viết khóa = giá trị, chữ đặt trong ngoặc kép",
	"tooManySyntax":    "còn lỗi cú pháp khác sau dòng này; sửa các lỗi trên rồi chạy lại hanchot check",
	"noValue":          "%s: thiếu giá trị sau dấu =",
	"extraComma":       "dấu phẩy thừa: hai dấu phẩy liền nhau, hoặc dấu phẩy ngay sau dấu mở ngoặc",
	"unexpectedEnd":    "tệp kết thúc giữa chừng: thiếu giá trị, dấu ] hoặc dấu } đóng",
	"arrayUnclosed":    "danh sách %s mở bằng [ nhưng thiếu dấu ] đóng; thêm ] sau phần tử cuối",

	// Types: a value of the wrong kind.
	"wantText":       "%s phải là chữ đặt trong ngoặc kép, ví dụ %s = \"%s\"",
	"wantInt":        "%s phải là một số nguyên, ví dụ %s",
	"wantIntNoQuote": "%s phải là một số nguyên, viết không có ngoặc kép: %s = %s",
	"wantNumber":     "%s phải là một số, ví dụ %s",
	"notFinite":      "%s phải là một số thật, không phải %s",
	"wantBool":       "%s phải là true hoặc false (không có ngoặc kép)",
	"wantList":       "%s phải là một danh sách trong ngoặc vuông, ví dụ %s = %s",
	"wantTextList":   "%s phải là chữ trong ngoặc kép hoặc danh sách chữ, ví dụ %s = %s",
	"wantTextElem":   "mỗi phần tử của %s phải là chữ đặt trong ngoặc kép, ví dụ %s = %s",
	"wantTable":      "%s phải là một bảng: viết [%s] trên một dòng, các khóa của nó ở các dòng dưới",
	"wantTables":     "mỗi mục %s bắt đầu bằng [[%s]] (hai cặp ngoặc vuông), các khóa của nó ở các dòng dưới",
	"wantDate":       "%s phải là một ngày, ví dụ \"15/04/2019\" hoặc 2019-04-15",
	"notADate":       "%s: %q không phải là một ngày có thật",
	"wantDuration":   "%s phải là một khoảng thời gian trong ngoặc kép, ví dụ \"30s\" hoặc \"2m\"",
	"controlChar":    "%s có ký tự ẩn: %s; viết giá trị trên một dòng, không có ký tự ẩn",
	"unknownKey":     "khóa %s không có %s%s",
	"unknownNote":    "khóa %s không có %s; để ghi chú, viết một dòng bắt đầu bằng #",
	"noLine":         " (tệp chưa có khóa này, cũng chưa có bảng của nó: thêm vào)",
	"didYouMean":     "; có phải ý bạn là %s?",
	"dayNoDate":      "ngày trong %s thiếu khóa date, ví dụ { date = \"02/09/2025\", name = \"Nghỉ lễ\" }",
	"wantMembers":    "%s phải là danh sách trong ngoặc vuông, mỗi thành viên là một mã hoặc { id = …, from = …, until = … }, ví dụ %s = [\"so-noi-vu\", { id = \"ubnd-cap-xa\", from = 2025-07-01 }]",
	"wantMember":     "mỗi %s là một mã trong ngoặc kép, ví dụ \"so-noi-vu\", hoặc { id = \"so-noi-vu\", from = 2025-07-01, until = 2026-06-30 }",
	"memberNoID":     "thành viên viết trong { } thiếu khóa id, ví dụ { id = \"so-noi-vu\", from = 2025-07-01 }",
	"inMember":       "trong thành viên { id, from, until } của nhóm",

	// Environment.
	"envNotInt":      "biến môi trường %s=%q phải là một số nguyên",
	"envDuration":    "biến môi trường %s=%q phải là một khoảng thời gian, ví dụ 30s hoặc 2m",
	"passwordInFile": "mật khẩu (password) không viết trong tệp; đặt biến môi trường HANCHOT_MAIL_PASSWORD hoặc dùng password_file",
	"secretInFile":   "khóa ký liên kết (secret) không viết trong tệp; đặt biến môi trường HANCHOT_WEB_SECRET hoặc dùng secret_file, ví dụ secret_file = \"/etc/hanchot/web-secret\"",
	"secretEnvShort": "biến môi trường HANCHOT_WEB_SECRET quá ngắn: khóa ký cần ít nhất %d ký tự ngẫu nhiên; tạo bằng lệnh: openssl rand -base64 48",

	// Values: checks after decoding.
	"timezone":        "múi giờ (timezone) %q không có; viết ví dụ \"Asia/Ho_Chi_Minh\"",
	"empty":           "%s không được để trống",
	"fromMissing":     "thiếu địa chỉ gửi (from) trong [mail], ví dụ from = \"Sở Nội vụ tỉnh Lào Cai <cchc@laocai.example>\"",
	"cron":            "giờ gửi (send_at) %q không đúng dạng cron: năm phần phút giờ ngày tháng thứ, ví dụ \"0 8 * * MON-FRI\" (8 giờ sáng, thứ Hai đến thứ Sáu)",
	"cronZone":        "giờ gửi (send_at) không tự đặt múi giờ; nó chạy theo timezone %q",
	"remindEmpty":     "ngày nhắc (remind_days) trống; liệt kê số ngày trước hạn để nhắc, ví dụ [7, 3, 1, 0]",
	"between":         "%s: %d phải nằm trong khoảng %d đến %d",
	"listedTwice":     "%s: %v được viết hai lần",
	"nextOrKeep":      "%s %q: viết \"next\" (dời sang ngày làm việc kế tiếp) hoặc \"keep\" (giữ nguyên)",
	"yearRange":       "%s: năm %d phải nằm trong khoảng 1901 đến 2099",
	"lastBeforeFirst": "năm cuối (last_year) %d đứng trước năm đầu (first_year) %d",
	"lastBeforeStart": "năm cuối (last_year) %d đứng trước năm %d, năm đầu tiên được theo dõi (không có start thì việc theo dõi bắt đầu từ lần sync đầu tiên); không có gì được theo dõi: đặt ngày bắt đầu theo dõi trong [schedule], ví dụ start = %d-01-01, hoặc bỏ last_year",
	"oneOf":           "%s %q không dùng được; viết %s",
	"port":            "cổng (port) %d phải nằm trong khoảng 1 đến 65535",
	"email":           "%s %q không phải là một địa chỉ email; viết ví dụ %s",
	"fileMissing":     "%s: không có tệp %q",
	"timeout":         "thời gian chờ (timeout) phải lớn hơn 0, ví dụ \"30s\"",
	"notFolder":       "%s: không có thư mục %q",
	"bothDayOffWork":  "ngày %s được viết vừa là ngày nghỉ vừa là ngày làm bù",
	"slug":            "mã %s %q chỉ dùng chữ thường không dấu, chữ số và dấu -, ví dụ %s",
	"idHidden":        "mã %s có ký tự ẩn %s; xóa nó: id = %q",
	"idOddChar":       "mã %s %q có ký tự lạ %s; viết id = %q",
	"idTaken":         "mã %q đã được dùng cho %s ở dòng %d",
	"noName":          "%s %q chưa có tên (name)",
	"noEmail":         "cơ quan %q chưa có email",
	"noMembers":       "nhóm %q chưa có thành viên (members)",
	"notMember":       "nhóm %q: thành viên %q không phải là cơ quan hay nhóm nào%s",
	"cycles":          "các nhóm chứa lẫn nhau thành vòng: %s",
	"reportCode":      "mã báo cáo (code) %q: viết các số cách nhau bằng dấu chấm, ví dụ \"1.2.1\"",
	"codeTaken":       "mã báo cáo %q đã được dùng ở dòng %d",
	"noTitle":         "báo cáo %s chưa có tên (title)",
	"negativePoints":  "báo cáo %s: điểm (points) %v không được âm",
	"noLead":          "báo cáo %s chưa có cơ quan chủ trì (lead)",
	"leadIsGroup":     "báo cáo %s: chủ trì (lead) %q là một nhóm; chủ trì phải là một hoặc vài cơ quan",
	"leadUnknown":     "báo cáo %s: chủ trì (lead) %q không phải là cơ quan nào%s",
	"supportUnknown":  "báo cáo %s: phối hợp (support) %q không phải là cơ quan hay nhóm nào%s",
	"noDeadlines":     "báo cáo %s chưa có hạn nào (deadlines)",
	"noPeriod":        "báo cáo %s: một hạn chưa có kỳ (period), ví dụ \"Quý I\" hoặc \"Cả năm\"",
	"periodTwice":     "báo cáo %s: kỳ %q được viết hai lần",
	"periodSame":      "báo cáo %s: kỳ %q là cùng một kỳ với %q ở trên (hanchot coi \"Quý 1\" và \"Quý I\", chữ hoa và chữ thường là một); mỗi kỳ chỉ viết một lần",
	"periodSpelling":  "báo cáo %s: kỳ %q; có phải ý bạn là %q? (viết đúng như các báo cáo khác để cùng là một kỳ)",
	"focalEmpty":      "chưa có đầu mối (focal_point) trong [escalation]: viết mã của cơ quan nhận báo cáo quá hạn, ví dụ \"so-noi-vu\"",
	"focalIsGroup":    "đầu mối (focal_point) %q là một nhóm; đầu mối phải là một cơ quan",
	"focalUnknown":    "đầu mối (focal_point) %q không phải là cơ quan nào%s",
	"afterDaysMin":    "số ngày quá hạn (after_days) %d phải từ 1 trở lên",
	"afterDaysOrder":  "số ngày quá hạn (after_days) phải tăng dần: %d đứng sau %d",
	"alsoLevel":       "after_days %d trong escalation.also không có trong escalation.after_days %v",
	"alsoEmpty":       "escalation.also: chưa có người nhận (to)",
	"alsoUnknown":     "escalation.also: %q không phải là cơ quan hay nhóm nào%s",
	"supportLevel":    "mức báo đầu mối cho số liệu phối hợp (support_after_days) %d không có trong escalation.after_days %v; viết một trong các mức đó, hoặc bỏ khóa này (mặc định: mức thứ hai)",
	"quiet":           "giờ không gửi thư (quiet) %q: viết từ giờ-đến giờ, ví dụ \"17:30-07:00\" (qua đêm), hoặc \"\" để gửi mọi giờ",
	"cutoff":          "%s: ngày chốt số liệu (cutoff) %q: viết ngày/tháng, ví dụ \"14/03\", hoặc \"không\" nếu báo cáo không có ngày chốt số liệu",

	// The web front.
	"listen":         "%s %q: viết máy:cổng, ví dụ \"127.0.0.1:8080\", hoặc \"\" để tắt",
	"metricsSame":    "địa chỉ nghe cho số liệu giám sát (metrics_listen) %q trùng với listen; bỏ metrics_listen để phục vụ /metrics trên listen, hoặc viết một địa chỉ khác",
	"baseURL":        "địa chỉ công khai (base_url) %q: viết địa chỉ đầy đủ mà các cơ quan mở được, bắt đầu bằng https:// hoặc http://, không có ?…, ví dụ \"https://hanchot.laocai.example\"",
	"fileUnreadable": "%s: không đọc được tệp %q",
	"secretShort":    "%s: khóa ký quá ngắn, cần ít nhất %d ký tự ngẫu nhiên; tạo lại bằng lệnh: openssl rand -base64 48 > %s",
	"previousAlone":  "tệp khóa ký cũ (previous_secret_file) chỉ dùng khi đổi khóa, cùng với khóa mới: đặt biến môi trường HANCHOT_WEB_SECRET hoặc secret_file",
	"adminsLine":     "tệp quản trị viên %s, dòng %d: mỗi dòng viết tên đăng nhập:mã băm bcrypt, như lệnh htpasswd -B tạo ra, ví dụ htpasswd -B %s admin",
	"proxy":          "proxy tin cậy (trusted_proxies) %q không phải là một địa chỉ IP hay dải mạng; viết ví dụ \"127.0.0.1\" hoặc \"10.0.0.0/8\"",
	"adminsNoKey":    "trang quản trị (admins_file) cần khóa ký để ký phiên đăng nhập: đặt biến môi trường HANCHOT_WEB_SECRET hoặc secret_file",

	// History: lifetimes, successors, member terms, report years, deadline ids.
	"lastBeforeStartDate": "năm cuối (last_year) %d: các hạn của năm %d trở về trước đều trước ngày bắt đầu theo dõi (start) %s, nên không có gì được theo dõi; đặt start sớm hơn, hoặc last_year từ %d trở đi",
	"whatAgency":          "cơ quan %q",
	"whatMember":          "nhóm %q, thành viên %q",
	"untilBeforeFrom":     "%s: ngày kết thúc (until) %s đứng trước ngày bắt đầu (from) %s; sửa một trong hai ngày",
	"successorIsGroup":    "cơ quan %q: cơ quan kế nhiệm (successor) %q là một nhóm; viết mã của một cơ quan nhận lại công việc",
	"successorUnknown":    "cơ quan %q: cơ quan kế nhiệm (successor) %q không phải là cơ quan nào%s",
	"successorNoUntil":    "cơ quan %q có cơ quan kế nhiệm (successor) %q nhưng chưa có ngày kết thúc (until): viết ngày cuối cùng cơ quan này còn hoạt động, ví dụ until = 2025-06-30",
	"successorGap":        "cơ quan %q kết thúc ngày %s nhưng cơ quan kế nhiệm %q đến ngày %s mới bắt đầu, khoảng giữa không ai nhận việc; đặt from của %q là %s",
	"successorMissing":    "cơ quan %q kết thúc ngày %s (until) nhưng chưa có cơ quan kế nhiệm (successor), trong khi vẫn được giao việc sau ngày đó (%s): viết successor = mã cơ quan nhận lại công việc, hoặc cho thành viên nhóm kết thúc cùng ngày (until)",
	"inReport":            "báo cáo %s",
	"inGroup":             "nhóm %s",
	"inSuccession":        "kế nhiệm %s",
	"successorLoop":       "các cơ quan kế nhiệm (successor) nối thành vòng: %s; chuỗi kế nhiệm phải dừng ở một cơ quan không có successor",
	"memberTwice":         "nhóm %q: thành viên %q được viết hai lần; viết mỗi thành viên một lần",
	"reportYear":          "báo cáo %s: %s %d phải nằm trong khoảng 1901 đến 2099",
	"untilYearBeforeFrom": "báo cáo %s: năm cuối áp dụng (until_year) %d đứng trước năm đầu áp dụng (from_year) %d",
	"deadlineIDBlank":     "báo cáo %s: mã hạn (id) để trống; viết một mã, ví dụ \"bc-quy-1\", hoặc bỏ khóa id",
	"deadlineIDTwice":     "báo cáo %s: mã hạn (id) %q trùng với %q ở trên (không phân biệt chữ hoa, chữ thường); mỗi hạn một mã riêng",

	// Due-date rules.
	"ruleEmpty":   "%s: hạn (due) trống; viết một trong các dạng %s",
	"ruleDay":     "%s: hạn (due) %q: ngày %d/%d không có trong năm",
	"ruleUnknown": "%s: hạn (due) %q không đọc được; viết một trong các dạng %s",
	"ruleYear":    "%s: hạn (due) %q ghi một năm cụ thể; quy tắc dùng cho mọi năm đánh giá, nên viết \"năm sau\", \"năm trước\" hoặc không viết gì",
	"ruleRest":    "%s: hạn (due) %q: không đọc được %q; sau ngày chỉ viết \"năm sau\", \"năm trước\" hoặc không viết gì",
	"ruleForms":   "\"15/03\", \"trước ngày 15/03\", \"28/02 năm sau\", \"quý III\", \"trong năm\", \"quý IV năm trước\"",
}

// text formats a message.
func text(m msg, args ...any) string {
	f, ok := viText[m]
	if !ok {
		panic("config: no text for message " + string(m))
	}
	return fmt.Sprintf(f, args...)
}

// Vietnamese names of the keys, by place without indices. A key without
// one is shown as written.
var keyLabels = map[string]string{
	"timezone":                      "múi giờ",
	"store.path":                    "đường dẫn cơ sở dữ liệu",
	"schedule.send_at":              "giờ gửi",
	"schedule.remind_days":          "ngày nhắc",
	"schedule.support_days":         "số ngày làm việc nộp trước của cơ quan phối hợp",
	"schedule.on_day_off":           "cách xử lý hạn rơi vào ngày nghỉ",
	"schedule.first_year":           "năm đầu",
	"schedule.last_year":            "năm cuối",
	"schedule.start":                "ngày bắt đầu theo dõi",
	"schedule.quiet":                "giờ không gửi thư",
	"schedule.quiet_days_off":       "không gửi thư ngày nghỉ",
	"escalation.support_after_days": "mức báo đầu mối cho số liệu phối hợp",
	"org":                           "cơ quan ban hành",
	"org.name":                      "tên cơ quan ban hành",
	"org.plan":                      "kế hoạch",
	"org.contact":                   "người liên hệ",
	"org.phone":                     "điện thoại",
	"org.email":                     "email liên hệ",
	"report.deadlines.cutoff":       "ngày chốt số liệu",
	"escalation.focal_point":        "đầu mối",
	"escalation.after_days":         "số ngày quá hạn",
	"escalation.also.after_days":    "số ngày quá hạn",
	"escalation.also.to":            "người nhận thêm",
	"mail.transport":                "cách gửi thư",
	"mail.dir":                      "thư mục thư",
	"mail.host":                     "máy chủ thư",
	"mail.port":                     "cổng",
	"mail.tls":                      "mã hóa",
	"mail.auth":                     "cách đăng nhập",
	"mail.username":                 "tên đăng nhập",
	"mail.password_file":            "tệp mật khẩu",
	"mail.from":                     "địa chỉ gửi",
	"mail.reply_to":                 "địa chỉ trả lời",
	"mail.timeout":                  "thời gian chờ",
	"mail.keep_trying_days":         "số ngày gửi lại",
	"mail.templates":                "thư mục mẫu thư",
	"web":                           "trang web",
	"web.listen":                    "địa chỉ nghe",
	"web.base_url":                  "địa chỉ công khai",
	"web.admins_file":               "tệp quản trị viên",
	"web.secret_file":               "tệp khóa ký",
	"web.previous_secret_file":      "tệp khóa ký cũ",
	"web.trusted_proxies":           "proxy tin cậy",
	"web.metrics_listen":            "địa chỉ nghe cho số liệu giám sát",
	"log.format":                    "dạng nhật ký",
	"log.level":                     "mức nhật ký",
	"workdays.tet_before":           "số ngày nghỉ trước Tết",
	"workdays.tet_after":            "số ngày nghỉ sau Tết",
	"workdays.compensate":           "nghỉ bù",
	"workdays.days_off":             "ngày nghỉ",
	"workdays.days_off.date":        "ngày",
	"workdays.days_off.name":        "tên ngày nghỉ",
	"workdays.working_days":         "ngày làm bù",
	"workdays.working_days.date":    "ngày",
	"workdays.working_days.name":    "tên ngày làm bù",
	"agency":                        "cơ quan",
	"agency.id":                     "mã cơ quan",
	"agency.name":                   "tên cơ quan",
	"agency.email":                  "email",
	"agency.from":                   "ngày bắt đầu hoạt động",
	"agency.until":                  "ngày cuối cùng hoạt động",
	"agency.successor":              "cơ quan kế nhiệm",
	"group":                         "nhóm",
	"group.id":                      "mã nhóm",
	"group.name":                    "tên nhóm",
	"group.members":                 "thành viên",
	"group.members.id":              "mã thành viên",
	"group.members.from":            "ngày vào nhóm",
	"group.members.until":           "ngày rời nhóm",
	"report":                        "báo cáo",
	"report.code":                   "mã báo cáo",
	"report.title":                  "tên báo cáo",
	"report.points":                 "điểm",
	"report.evidence":               "tài liệu kiểm chứng",
	"report.lead":                   "chủ trì",
	"report.support":                "phối hợp",
	"report.deadlines":              "hạn",
	"report.from_year":              "năm đầu áp dụng",
	"report.until_year":             "năm cuối áp dụng",
	"report.deadlines.id":           "mã hạn",
	"report.deadlines.period":       "kỳ",
	"report.deadlines.due":          "hạn",
	"report.deadlines.on_day_off":   "cách xử lý hạn rơi vào ngày nghỉ",
}

// Examples of values, by place without indices, for type errors.
var keyExamples = map[string]string{
	"mail.port":                     "587",
	"report.points":                 "0.25",
	"schedule.first_year":           "2019",
	"schedule.last_year":            "2025",
	"schedule.remind_days":          "[14, 7, 3, 1, 0]",
	"escalation.after_days":         "[1, 7, 15]",
	"schedule.support_days":         "3",
	"workdays.tet_before":           "1",
	"workdays.tet_after":            "3",
	"mail.keep_trying_days":         "7",
	"escalation.support_after_days": "7",
	"report.from_year":              "2025",
	"report.until_year":             "2025",
	"agency.email":                  `["snv@laocai.example", "vanthu@laocai.example"]`,
	"report.lead":                   `["so-noi-vu", "so-tu-phap"]`,
	"report.support":                `["so-tu-phap", "cac-so-ban-nganh"]`,
	"escalation.also.to":            `["van-phong-ubnd-tinh"]`,
	"web.trusted_proxies":           `["127.0.0.1", "10.0.0.0/8"]`,
}

// Keys people write in Vietnamese (without accents, as a key must be), and
// the key they mean.
var vietnameseKeys = map[string]string{
	"ten": "name", "ten_co_quan": "name", "ma": "code", "ma_bao_cao": "code", "tieu_de": "title",
	"ten_bao_cao": "title", "diem": "points", "chu_tri": "lead", "phoi_hop": "support", "han": "due",
	"thoi_han": "due", "ky": "period", "ky_bao_cao": "period", "thanh_vien": "members", "thu": "email",
	"dia_chi": "email", "tai_lieu": "evidence", "kiem_chung": "evidence", "han_nop": "deadlines",
	"tu_ngay": "from", "den_ngay": "until", "ngay_bat_dau": "from", "ngay_ket_thuc": "until",
	"since": "from", "end": "until", "to": "until", "ke_nhiem": "successor",
	"co_quan_ke_nhiem": "successor", "tu_nam": "from_year", "den_nam": "until_year",
}

// shape is a place without its indices: "report[3].points" -> "report.points".
func shape(place string) string {
	if !strings.Contains(place, "[") {
		return place
	}
	var b strings.Builder
	skip := false
	for _, r := range place {
		switch {
		case r == '[':
			skip = true
		case r == ']':
			skip = false
		case !skip:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// keyOf is the key of a place as written in the file: its last name.
func keyOf(place string) string {
	s := shape(place)
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// label names the key of a place for a message: "điểm (points)".
func label(place string) string {
	k := keyOf(place)
	if l, ok := keyLabels[shape(place)]; ok && l != k {
		return l + " (" + k + ")"
	}
	return k
}

// Names of the characters people paste in by accident.
var runeNames = map[rune]string{
	'\t':   "dấu tab",
	'\r':   "ký tự về đầu dòng (CR)",
	'\n':   "ký tự xuống dòng (LF)",
	0:      "ký tự rỗng (NUL)",
	0x00A0: "khoảng trắng không ngắt",
	0x00AD: "dấu gạch nối ẩn",
	0x200B: "khoảng trắng độ rộng 0",
	0x200C: "ký tự không nối độ rộng 0",
	0x200D: "ký tự nối độ rộng 0",
	0x2028: "ký tự ngắt dòng",
	0x2029: "ký tự ngắt đoạn",
	0x202F: "khoảng trắng hẹp không ngắt",
	0x3000: "khoảng trắng toàn khổ",
	0xFEFF: "dấu thứ tự byte (BOM)",
	0x201C: "dấu ngoặc kép cong mở",
	0x201D: "dấu ngoặc kép cong đóng",
	0x2018: "dấu nháy đơn cong mở",
	0x2019: "dấu nháy đơn cong đóng",
	0x00AB: "dấu ngoặc kép góc mở",
	0x00BB: "dấu ngoặc kép góc đóng",
	0x2013: "gạch ngang ngắn",
	0x2014: "gạch ngang dài",
	0xFF0C: "dấu phẩy toàn khổ",
	0xFF1D: "dấu bằng toàn khổ",
	0xFFFD: "ký tự thay thế (byte không đọc được)",
	0x2026: "dấu ba chấm liền",
	0x0300: "dấu huyền rời",
	0x0301: "dấu sắc rời",
	0x0303: "dấu ngã rời",
	0x0309: "dấu hỏi rời",
	0x0323: "dấu nặng rời",
}

// describeRune shows a character in a message: the character itself when
// it can be seen, its name, and its code point, e.g.
// "khoảng trắng không ngắt (U+00A0)" or "“ (dấu ngoặc kép cong mở, U+201C)".
func describeRune(r rune) string {
	if r < 0x80 && unicode.IsPrint(r) && r != ' ' {
		return fmt.Sprintf("%q", string(r))
	}
	name, ok := runeNames[r]
	if !ok {
		name = strings.ToLower(runenames.Name(r))
	}
	if name == "" || strings.HasPrefix(name, "<") {
		name = "ký tự điều khiển"
	}
	if unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Mn, r) {
		return fmt.Sprintf("%s (%s, U+%04X)", string(r), name, r)
	}
	return fmt.Sprintf("%s (U+%04X)", name, r)
}

// isHidden reports whether r has no business in a text value: control
// characters, invisible formatting characters, line and paragraph breaks.
func isHidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r)
}

// closest returns the candidate nearest to s, if it is near enough to be
// a likely slip: equal once folded, or a few edits away.
func closest(s string, candidates []string) (string, bool) {
	fs := hanchot.Fold(s)
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if c == s || c == "" {
			continue
		}
		d := hanchot.EditDistance(fs, hanchot.Fold(c))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := 2
	if n := len([]rune(fs)); n <= 4 {
		limit = 1
	}
	if best == "" || bestD > limit {
		return "", false
	}
	return best, true
}

// didYouMean is the "; có phải ý bạn là …?" ending of a message, or "".
func didYouMean(s string, candidates []string) string {
	if c, ok := closest(s, candidates); ok {
		return text("didYouMean", fmt.Sprintf("%q", c))
	}
	return ""
}
