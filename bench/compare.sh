#!/usr/bin/env bash
# Runs the performance benchmarks of hanchot beside their references and
# prints each goal's figures: the minimum and the median of COUNT runs.
#
#   bench/compare.sh            # COUNT=3
#   COUNT=5 bench/compare.sh
#
# remind(1) is the reference of the year's preview (apt-get install remind;
# without it that ratio is skipped). The million-occurrence and hundred-year
# databases are built once per run, in temporary folders, which takes a
# minute or two.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-3}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run() { go test -run '^$' -bench "$1" -benchtime "$2" -count "$count" "$3" | tee -a "$out" | grep -E '^Benchmark' || true; }
run 'BenchmarkPreviewYear|BenchmarkPreviewWeek' 3x ./cmd/hanchot
run 'BenchmarkRunOnceYears' 3x ./cmd/hanchot
run 'BenchmarkMillion' 3x ./cmd/hanchot
run 'BenchmarkSend$' 5x ./store
run 'BenchmarkDurableCommit' 2000x ./store
run 'BenchmarkSendProcess' 3x ./cmd/hanchot
run 'BenchmarkServeIdleRSS' 1x ./cmd/hanchot

# Per benchmark name: min and median of a metric ("ns/op", "msgs/s", ...).
stat() {
	grep -E "^$1-[0-9]+ " "$out" | awk -v unit="$2" '{ for (i = 1; i < NF; i++) if ($(i+1) == unit) print $i }' |
		sort -g | awk '{ v[n++] = $1 } END {
			if (n == 0) { print "- -"; exit }
			med = (n % 2) ? v[(n-1)/2] : (v[n/2-1] + v[n/2]) / 2
			printf "%s %s\n", v[0], med
		}'
}
ms() { awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else printf "%.0f ms", x / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f×", a / b }'; }

echo
echo "goal                                         min          median       goal"
read -r hy_min hy_med < <(stat 'BenchmarkPreviewYear/hanchot' ns/op)
read -r ry_min ry_med < <(stat 'BenchmarkPreviewYear/remind' ns/op)
printf "%-44s %-12s %-12s %s\n" "preview of a year / remind -sa12" "$(ratio "$hy_min" "$ry_min")" "$(ratio "$hy_med" "$ry_med")" "≤ 0.5×"
read -r w_min w_med < <(stat 'BenchmarkPreviewWeek/after-passes' ns/op)
printf "%-44s %-12s %-12s %s\n" "preview of a week" "$(ms "$w_min")" "$(ms "$w_med")" "< 50 ms"
read -r y1_min y1_med < <(stat 'BenchmarkRunOnceYears/years=1' ns/op)
read -r y100_min y100_med < <(stat 'BenchmarkRunOnceYears/years=100' ns/op)
printf "%-44s %-12s %-12s %s\n" "run --once, 100 tracked years / 1 year" "$(ratio "$y100_min" "$y1_min")" "$(ratio "$y100_med" "$y1_med")" "≤ 1.5×"
for b in overdue overdue-all stats-year; do
	read -r t_min t_med < <(stat "BenchmarkMillion/$b" ns/op)
	read -r r_min r_med < <(stat "BenchmarkMillion/$b" MiB-maxRSS)
	printf "%-44s %-12s %-12s %s\n" "$b on a million occurrences" "$(ms "$t_min")" "$(ms "$t_med")" "< 200 ms"
	printf "%-44s %-12s %-12s %s\n" "  peak memory (MiB)" "$r_min" "$r_med" "< 100"
done
for sink in in-process process mailpit; do
	read -r f_min f_med < <(stat "BenchmarkSend/sink=$sink/synchronous=FULL" ratio)
	read -r n_min n_med < <(stat "BenchmarkSend/sink=$sink/synchronous=NORMAL" ratio)
	read -r fr_min fr_med < <(stat "BenchmarkSend/sink=$sink/synchronous=FULL" msgs/s)
	read -r g_min g_med < <(stat "BenchmarkSend/sink=$sink/synchronous=FULL" bare-msgs/s)
	printf "%-44s %-12s %-12s %s\n" "send path (FULL) / bare go-mail, $sink" "$(ratio "$f_min" 1)" "$(ratio "$f_med" 1)" "≥ 0.8×"
	printf "%-44s %-12s %-12s %s\n" "  send path (NORMAL) / bare go-mail" "$(ratio "$n_min" 1)" "$(ratio "$n_med" 1)" "(the cost of FULL)"
	printf "%-44s %-12s %-12s %s\n" "  msgs/s: FULL, bare go-mail (medians)" "$fr_med" "$g_med" ""
	read -r p_min p_med < <(stat "BenchmarkSendProcess/sink=$sink/hanchot" msgs/s)
	read -r q_min q_med < <(stat "BenchmarkSendProcess/sink=$sink/bare-go-mail" msgs/s)
	printf "%-44s %-12s %-12s %s\n" "  whole process / bare go-mail process" "$(ratio "$p_min" "$q_min")" "$(ratio "$p_med" "$q_med")" "≥ 0.6×"
done
read -r c_min c_med < <(stat 'BenchmarkDurableCommit' ns/op)
read -r g_min g_med < <(stat "BenchmarkSend/sink=in-process/synchronous=FULL" bare-msgs/s)
us() { awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else printf "%.0f µs", x / 1e3 }'; }
per() { awk -v x="$1" 'BEGIN { if (x == "-" || x == 0) print "-"; else printf "%.0f µs", 1e6 / x }'; }
printf "%-44s %-12s %-12s %s\n" "one durable commit (the floor per message)" "$(us "$c_min")" "$(us "$c_med")" ""
printf "%-44s %-12s %-12s %s\n" "  bare go-mail per message, in-process" "$(per "$g_med")" "" ""
read -r m_med m_x < <(stat 'BenchmarkServeIdleRSS' MiB-median-RSS)
read -r x_max x_x < <(stat 'BenchmarkServeIdleRSS' MiB-max-RSS)
printf "%-44s %-12s %-12s %s\n" "serve idle RSS over 16 starts (MiB)" "max $x_max" "median $m_med" "max ≤ 30"
